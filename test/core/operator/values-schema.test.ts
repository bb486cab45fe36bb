import { describe, expect, it } from "vitest";
import { InputError } from "../../../src/core/errors.js";
import { composeOperator } from "../../../src/core/operator/compose.js";
import { readOperatorFiles } from "../../../src/core/operator/read-files.js";
import { generateManifest } from "../../../src/core/render/index.js";

const compose = (sets: string[], text?: string) =>
  composeOperator({ documents: readOperatorFiles(text === undefined ? [] : [{ path: "overlay.yaml", text }]), sets });
const problem = (sets: string[], text?: string): string | undefined => {
  try {
    compose(sets, text);
    return undefined;
  } catch (error) {
    if (error instanceof InputError) return error.message;
    throw error;
  }
};

describe("image tags are strings or numbers, as istioctl reads them", () => {
  it.each([
    ["tag: 1.29", "spec"],
    ["values:\n    global:\n      tag: 1.29", "values.global"],
    ["values:\n    pilot:\n      tag: 1.29", "values.pilot"],
    ["components:\n    pilot:\n      tag: 1.29", "components.pilot"],
  ])("accepts a non-integer number: %s", (yaml) => {
    expect(problem([], `spec:\n  ${yaml}\n`)).toBeUndefined();
  });

  it("renders spec.tag 1.29 into the image names", () => {
    const generated = generateManifest({ files: [{ path: "t.yaml", text: "spec:\n  tag: 1.29\n" }], sets: [] });
    const istiod = generated.components.find((component) => component.component === "istiod")!;
    const deployment = istiod.objects.find((object) => object.kind === "Deployment")!;
    expect(JSON.stringify(deployment)).toContain("docker.io/istio/pilot:1.29");
  });

  it.each([["tag: true"], ["tag: [1]"], ["values:\n    global:\n      tag: {a: 1}"]])("refuses a tag that is no scalar: %s", (yaml) => {
    const message = problem([], `spec:\n  ${yaml}\n`);
    expect(message).toMatch(/tag: expected a string or a number, got /);
    expect(message).not.toContain("bad tag");
  });
});

describe("global.pilotCertProvider", () => {
  it("refuses kubernetes: istiod 1.30 exits at start with it", () => {
    expect(problem(["values.global.pilotCertProvider=kubernetes"])).toContain('pilotCertProvider "kubernetes" is no longer supported');
  });

  it.each([["istiod"], ["custom"], ["none"], ["k8s.io/example.com-signer"]])("accepts %s", (provider) => {
    expect(problem([`values.global.pilotCertProvider=${provider}`])).toBeUndefined();
  });

  it("names the file and line of a refused provider", () => {
    expect(problem([], "spec:\n  values:\n    global:\n      pilotCertProvider: kubernetes\n")).toMatch(
      /^overlay\.yaml:4:7: spec\.values\.global\.pilotCertProvider: /,
    );
  });
});

// The values schema against istioctl 1.30's Values message (values_types.proto): what it declares is accepted,
// what it lacks is refused even where a chart reads it, with the file and line and a did-you-mean.
describe("values: fields istioctl declares are accepted", () => {
  it.each([
    ["values.pilot.terminationGracePeriodSeconds=30"],
    ["values.pilot.crlConfigMapName=my-crl"],
    ["values.pilot.istiodRemote.injectionURL=https://istiod.example:15017/inject"],
    ["values.pilot.taint.name=example.com/not-ready"],
    ["values.global.revision=canary"],
    ["values.global.agentgateway.image=agentgateway"],
    ["values.global.sds.token.aud=istio-ca"],
    ["values.global.arch.amd64=2"],
    ["values.global.waypoint.toleration[0].key=a"],
    ["values.global.tracer.stackdriver.maxNumberOfAttributes=200"],
    ["values.global.resourceScope=namespace"],
    ["values.global.proxy.tracer=openCensusAgent"],
    ["values.sidecarInjectorWebhook.injectionURL=https://injector.example/inject"],
    ["values.telemetry.v2.prometheus.enabled=false"],
    ["values.istio_cni.provider=multus"],
    ["values.experimental.stableValidationPolicy=true"],
    ["values.cni.ambient.reconcileIptablesOnStartup=true"],
    ["values.cni.resource_quotas.pods=100"],
    ["values.cni.psp_cluster_role=psp"],
    ["values.cni.repair.repairPods=false"],
    ["values.gateways.istio-egressgateway.customService=true"],
    ["values.gateways.istio-ingressgateway.replicaCount=2"],
    ["values.gateways.istio-ingressgateway.secretVolumes[0].secretName=certs"],
  ])("%s", (set) => {
    expect(problem([set])).toBeUndefined();
  });
});

describe("values: fields istioctl refuses are refused", () => {
  it.each([
    ["values.pilot.deploymentAnnotations.team=mesh", 'unknown field "deploymentAnnotations"'],
    ["values.pilot.pdb.minAvailable=1", 'unknown field "pdb"'],
    ["values.pilot.trustedZtunnelName=ztunnel", 'unknown field "trustedZtunnelName" (did you mean "trustedZtunnelNamespace"?)'],
    ["values.pilot.initContainers[0].name=init", 'unknown field "initContainers"'],
    ["values.pilot.extraContainerArgs[0]=--log_output_level=debug", "pilot.extraContainerArgs[0]: expected a map, got the string"],
    ["values.cni.ambient.shareHostNetworkNamespace=true", 'unknown field "shareHostNetworkNamespace"'],
    ["values.cni.tolerations[0].key=a", 'unknown field "tolerations"'],
    ["values.cni.cniBinDri=/opt/cni/bin", 'unknown field "cniBinDri" (did you mean "cniBinDir"?)'],
    ["values.global.proxy_init.forceApplyIptables=true", 'unknown field "forceApplyIptables"'],
    ["values.global.proxy.excludeInterfaces=eth1", 'unknown field "excludeInterfaces"'],
    ["values.global.defaultConfigVisibilitySettings[0]=.", 'unknown field "defaultConfigVisibilitySettings"'],
    ["values.global.resourceScope=clustr", '"clustr" is not one of undefined, all, cluster, namespace (did you mean "cluster"?)'],
    [
      "values.global.proxy.tracer=zipkn",
      '"zipkn" is not one of zipkin, lightstep, datadog, stackdriver, openCensusAgent, none (did you mean "zipkin"?)',
    ],
    ["values.global.defaultResources.requests.gpu=1", 'unknown field "gpu"'],
    ["values.telemetry.v2.metadataExchange.enabled=true", 'unknown field "metadataExchange"'],
    ["values.experimental.anything=true", 'unknown field "anything"'],
    ["values.resourceScope=all", 'unknown field "resourceScope"'],
    ["values.base.validationFailurePolicy=Ignore", 'unknown field "validationFailurePolicy"'],
    ["values.sidecarInjectorWebhook.objectSelector.enabled=true", 'unknown field "objectSelector"'],
    ["values.gateways.istio-ingressgateway.externalIPs[0]=1.2.3.4", 'unknown field "externalIPs"'],
    ["values.gateways.istio-egressgateway.loadBalancerIP=1.2.3.4", 'unknown field "loadBalancerIP"'],
    ["values.gateways.istio-ingressgateway.ports[0].targetPort=http", "ports[0].targetPort: expected an integer"],
  ])("%s", (set, message) => {
    expect(problem([set])).toContain(message);
  });

  it("names the file and line of a refused field", () => {
    expect(problem([], "spec:\n  values:\n    cni:\n      ambient:\n        enablementSelectors: []\n")).toBe(
      'overlay.yaml:5:9: spec.values.cni.ambient.enablementSelectors: unknown field "enablementSelectors"',
    );
  });

  it("still renders a chart-only setting through unvalidatedValues, as istioctl does", () => {
    expect(problem(["unvalidatedValues.pilot.deploymentAnnotations.team=mesh"])).toBeUndefined();
  });
});
