import type { SourceDocument } from "../documents/parse.js";
import { InputError } from "../errors.js";
import type { Finding } from "../findings.js";
import type { KubeObject } from "../objects.js";
import { composeOperator } from "../operator/compose.js";
import { valueAt } from "../operator/merge.js";
import { isMap, type ComponentSpec, type GatewayComponentSpec, type IstioOperator, type JsonMap } from "../operator/types.js";
import { closestWord } from "../suggest.js";
import { renderBase } from "./base.js";
import { renderCni } from "./cni.js";
import { renderGateway, type GatewayKind } from "./gateway.js";
import { istiodAutoscaled, istiodImage, renderIstiod } from "./istiod.js";
import { approvesCsrs } from "./istiod-rbac.js";
import type { IstiodContext } from "./istiod-context.js";
import { applyKubernetesSettings } from "./k8s-settings.js";
import { sortObjects } from "./order.js";
import { istiodChartValues, operatorValues } from "./values.js";
import { renderZtunnel, ztunnelChartValues } from "./ztunnel.js";
import { scalarText } from "../json.js";

export type ComponentName = "base" | "istiod" | "ingress" | "egress" | "cni" | "ztunnel";
export const componentNames: readonly ComponentName[] = ["base", "istiod", "ingress", "egress", "cni", "ztunnel"];

export interface RenderedComponent {
  component: ComponentName;
  /** As istioctl prints it in install progress: "Istio core", "Istiod", "Ingress gateways", … */
  displayName: string;
  /** For ingress/egress: the gateway instance's name. */
  gatewayName?: string;
  objects: KubeObject[];
}

export interface GeneratedManifest {
  /** The merged IstioOperator (profile < -f files < --set). */
  operator: IstioOperator;
  profile: string;
  /** "" for the default revision. */
  revision: string;
  /** The install namespace (metadata.namespace, default istio-system). */
  namespace: string;
  /** In install order: base, istiod, ingress…, egress…, cni, ztunnel. */
  components: RenderedComponent[];
  findings: Finding[];
}

export interface GenerateOptions {
  /** `-f` overlays already parsed with readOperatorFiles. */
  documents: SourceDocument[];
  sets: string[];
  force?: boolean;
  /** Only these components (default: all enabled ones). */
  components?: string[];
  revision?: string;
  /** A release's CRDs (`--manifests`, read with releaseCrds) to install instead of mesh's structural ones. */
  releaseCrds?: readonly KubeObject[];
}

const displayNames: Record<ComponentName, string> = {
  base: "Istio core",
  istiod: "Istiod",
  ingress: "Ingress gateways",
  egress: "Egress gateways",
  cni: "CNI",
  ztunnel: "Ztunnel",
};

/**
 * Renders what `istioctl manifest generate` renders for the same profile, files and flags (docs/design/install.md).
 * Takes parsed overlays so that a run without -f never loads the YAML parser (see index.ts for the text API).
 */
export function generateFromDocuments(options: GenerateOptions): GeneratedManifest {
  const wanted = selectedComponents(options.components);
  const composed = composeOperator({ documents: options.documents, sets: options.sets, force: options.force, revision: options.revision });
  const { operator } = composed;
  const findings = [...composed.findings];
  const iopValues = operatorValues(operator, composed.user);
  const istioNamespace = scalarText(valueAt(iopValues, "global.istioNamespace") || "");
  const namespace = istioNamespace || operator.metadata?.namespace || "istio-system";
  operator.metadata = { ...(operator.metadata ?? {}), namespace };
  const revision = typeof iopValues.revision === "string" ? iopValues.revision : "";
  const ignored = (path: string, message: string) =>
    findings.push({ severity: "warning", code: "IOP_IGNORED_FIELD", origin: "operator", message, path });
  if (typeof operator.spec?.installPackagePath === "string" && operator.spec.installPackagePath !== "")
    ignored("spec.installPackagePath", "installPackagePath is ignored: mesh renders from its own profiles and renderers");
  // istioctl 1.30 accepts spec.namespace but renders nothing differently for it.
  if (typeof composed.user.spec?.namespace === "string" && composed.user.spec.namespace !== "")
    ignored(
      "spec.namespace",
      "spec.namespace is not used when rendering (as in istioctl 1.30); set values.global.istioNamespace or components.<c>.namespace",
    );
  if (valueAt(iopValues, "base.enableIstioConfigCRDs") === false)
    ignored(
      "spec.values.base.enableIstioConfigCRDs",
      "base.enableIstioConfigCRDs=false leaves the Istio CRDs in (as in istioctl 1.30, whose base chart templates them); list the CRDs to leave out in values.base.excludedCRDs",
    );
  const globalScope = resourceScope(valueAt(iopValues, "global.resourceScope"), "global.resourceScope", findings);
  // The ztunnel chart reads its own resourceScope, which global.resourceScope fills when unset (its globals are flattened).
  const ztunnelScope = enabledOptional(operator.spec?.components?.ztunnel)
    ? resourceScope(
        ztunnelChartValues({ iopValues, component: operator.spec?.components?.ztunnel, namespace }).resourceScope,
        valueAt(iopValues, "ztunnel.resourceScope") === undefined ? "global.resourceScope" : "ztunnel.resourceScope",
        findings,
      )
    : "all";
  const components = operator.spec?.components ?? {};
  const rendered: RenderedComponent[] = [];
  const add = (component: ComponentName, objects: KubeObject[], gatewayName?: string) => {
    // The gateway charts have no resourceScope; the ztunnel chart reads its own.
    const scope = component === "ingress" || component === "egress" ? "all" : component === "ztunnel" ? ztunnelScope : globalScope;
    rendered.push({
      component,
      displayName: displayNames[component],
      ...(gatewayName ? { gatewayName } : {}),
      objects: sortObjects(objects.filter((object) => inScope(object, component, scope))),
    });
  };

  if (wanted.has("base") && components.base?.enabled !== false) {
    const objects = renderBase(iopValues, options.releaseCrds);
    add("base", applyKubernetesSettings(objects, components.base?.k8s, mainOf("", "", "components.base.k8s"), findings));
  }
  if (wanted.has("istiod") && components.pilot?.enabled !== false) {
    const values = istiodChartValues(iopValues);
    const context: IstiodContext = {
      values,
      passedValues: iopValues,
      namespace: components.pilot?.namespace || namespace,
      istioNamespace: scalarText(valueAt(values, "global.istioNamespace") || namespace),
      revision,
    };
    const objects = renderIstiod(context, istiodImage(context, components.pilot));
    const signers = valueAt(values, "global.certSigners");
    if (approvesCsrs(context) && !(Array.isArray(signers) && signers.length > 0))
      findings.push({
        severity: "warning",
        code: "IOP_CSR_SIGNERS",
        origin: "operator",
        path: "spec.values.global.certSigners",
        message:
          "istiod's ClusterRole may approve certificate requests for every signer (as istioctl renders it): list the signers istiod may approve in values.global.certSigners",
      });
    const main = {
      ...mainOf(revision ? `istiod-${revision}` : "istiod", "discovery", "components.pilot.k8s"),
      autoscaled: istiodAutoscaled(context),
      autoscaleSetting: "values.pilot.autoscaleEnabled",
    };
    add("istiod", applyKubernetesSettings(objects, components.pilot?.k8s, main, findings));
  }
  for (const kind of ["ingress", "egress"] as const) {
    if (!wanted.has(kind)) continue;
    gatewayInstances(kind, components, iopValues).forEach(({ instance, index }) => {
      const objects = renderGateway({ kind, instance, iopValues, namespace: instance.namespace || namespace, revision });
      const name = instance.name ?? (kind === "ingress" ? "istio-ingressgateway" : "istio-egressgateway");
      const list = kind === "ingress" ? "ingressGateways" : "egressGateways";
      const main = {
        ...mainOf(name, "istio-proxy", `components.${list}[${index}].k8s`),
        servicePortsViaValues: true,
        autoscaled: objects.some((object) => object.kind === "HorizontalPodAutoscaler"),
        autoscaleSetting: `values.gateways.istio-${kind}gateway.autoscaleEnabled`,
      };
      add(kind, applyKubernetesSettings(objects, instance.k8s, main, findings), name);
    });
  }
  const cni = components.cni;
  if (wanted.has("cni") && enabledOptional(cni)) {
    const objects = renderCni({ iopValues, component: cni, namespace: cni.namespace || namespace, revision });
    add("cni", applyKubernetesSettings(objects, cni.k8s, mainOf("istio-cni-node", "install-cni", "components.cni.k8s"), findings));
  }
  const ztunnel = components.ztunnel;
  if (wanted.has("ztunnel") && enabledOptional(ztunnel)) {
    const objects = renderZtunnel({ iopValues, component: ztunnel, namespace: ztunnel.namespace || namespace });
    // values.ztunnel.resourceName renames the workload; k8s settings follow it.
    const name = objects.find((object) => object.kind === "DaemonSet")?.metadata.name ?? "ztunnel";
    add("ztunnel", applyKubernetesSettings(objects, ztunnel.k8s, mainOf(name, "istio-proxy", "components.ztunnel.k8s"), findings));
  }
  return { operator, profile: composed.profile, revision, namespace, components: rendered, findings };
}

const clusterScopedKinds = new Set([
  "CustomResourceDefinition",
  "ClusterRole",
  "ClusterRoleBinding",
  "MutatingWebhookConfiguration",
  "ValidatingWebhookConfiguration",
  "ValidatingAdmissionPolicy",
  "ValidatingAdmissionPolicyBinding",
]);

const resourceScopes = ["all", "cluster", "namespace"];

/** A resourceScope value ("" keeps the charts' default, all); any other value is kept, with a warning. */
function resourceScope(value: unknown, path: string, findings: Finding[]): string {
  const scope = scalarText(value ?? "") || "all";
  if (
    !resourceScopes.includes(scope) &&
    !findings.some((finding) => finding.code === "IOP_RESOURCE_SCOPE" && finding.path === `spec.values.${path}`)
  )
    findings.push({
      severity: "warning",
      code: "IOP_RESOURCE_SCOPE",
      origin: "operator",
      path: `spec.values.${path}`,
      message: `resourceScope "${scope}" is none of ${resourceScopes.join(", ")}: as with istioctl, the charts that read it render none of their scoped objects`,
    });
  return scope;
}

/**
 * resourceScope: all, cluster (cluster-scoped objects only) or namespace; any other value matches nothing. The
 * CNI and ztunnel charts render their NetworkPolicy whatever the scope.
 */
function inScope(object: KubeObject, component: ComponentName, scope: string): boolean {
  if (scope === "all") return true;
  if (object.kind === "NetworkPolicy" && (component === "cni" || component === "ztunnel")) return true;
  if (scope === "cluster") return clusterScopedKinds.has(object.kind);
  if (scope === "namespace") return !clusterScopedKinds.has(object.kind);
  return false;
}

/** cni and ztunnel render when their block exists and is not disabled (docs/design/install.md §6: a bare block enables them). */
function enabledOptional(spec: ComponentSpec | undefined): spec is ComponentSpec {
  return isMap(spec) && spec.enabled !== false;
}

function mainOf(workloadName: string, containerName: string, origin: string) {
  return { workloadName, containerName, origin, servicePortsViaValues: false, autoscaled: false };
}

function selectedComponents(requested: string[] | undefined): Set<ComponentName> {
  if (!requested || requested.length === 0) return new Set(componentNames);
  const out = new Set<ComponentName>();
  for (const name of requested) {
    const normalized = name === "pilot" ? "istiod" : name;
    if (!(componentNames as readonly string[]).includes(normalized)) {
      const suggestion = closestWord(name, componentNames);
      throw new InputError(`unknown component "${name}"${suggestion ? ` (did you mean "${suggestion}"?)` : ""}`, {
        hint: `components: ${componentNames.join(", ")}`,
      });
    }
    out.add(normalized as ComponentName);
  }
  return out;
}

/** Enabled instances of a gateway list (docs/design/install.md §6), with their index in the list. */
function gatewayInstances(kind: GatewayKind, components: NonNullable<IstioOperator["spec"]>["components"] & object, values: JsonMap) {
  const list = kind === "ingress" ? components.ingressGateways : components.egressGateways;
  const forced = valueAt(values, `gateways.istio-${kind}gateway.enabled`) === true;
  if (list === undefined || list === null)
    return kind === "ingress" ? [{ instance: { name: "istio-ingressgateway" } as GatewayComponentSpec, index: 0 }] : [];
  return list
    .map((instance, index) => ({ instance: instance ?? {}, index }))
    .filter(({ instance }) => forced || instance.enabled !== false);
}
