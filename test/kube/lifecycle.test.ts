import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  ApplyConflictError,
  connectCluster,
  deleteObjects,
  findUninstallTargets,
  installPlan,
  OwnerLabel,
  readInstallStatus,
  verifyPlan,
  type Cluster,
  type InstallEvent,
} from "../../src/kube/index.js";
import { startKubeApiServer, type KubeApiServer } from "../kube-api-server/index.js";
import { syntheticObjectCount, syntheticPlan } from "./synthetic-plan.js";

let server: KubeApiServer;
let cluster: Cluster;
beforeEach(async () => {
  server = await startKubeApiServer({ crdEstablishDelayMs: 20, deploymentReadyAfterReads: 2 });
  cluster = await connectCluster({ kubeconfig: server.kubeconfigPath(mkdtempSync(join(tmpdir(), "mesh-life-"))) });
});
afterEach(async () => {
  cluster.close();
  await server.stop();
});

/** Objects carrying mesh's labels, without the Endpoints the endpoints controller copies Service labels onto. */
const owned = () =>
  server.objects({ labelSelector: { [OwnerLabel.managed]: "Reconcile" } }).filter((object) => object.kind !== "Endpoints");
const options = { readinessTimeoutMs: 5000 };
const egressOff = { egress: false };

describe("install", () => {
  it("creates the namespace and every object with ownership labels, component by component in dependency order", async () => {
    const events: InstallEvent[] = [];
    const result = await installPlan(cluster, syntheticPlan(), options, (event) => events.push(event));
    expect(result.failures).toEqual([]);
    expect(result.applied.every((entry) => entry.outcome === "created")).toBe(true);
    expect(owned()).toHaveLength(syntheticObjectCount());
    expect(server.objects({ kind: "Namespace" }).map((namespace) => namespace.metadata.name)).toContain("istio-system");
    const istiod = server.objects({ kind: "Deployment" }).find((deployment) => deployment.metadata.name === "istiod");
    expect(istiod.metadata.labels).toMatchObject({
      [OwnerLabel.component]: "Pilot",
      [OwnerLabel.revision]: "default",
      [OwnerLabel.version]: "1.30.3",
      [OwnerLabel.owningNamespace]: "istio-system",
    });
    expect(istiod.metadata.managedFields.map((entry: any) => entry.manager)).toContain("mesh");
    const finished = events
      .filter((event) => event.type === "component-installed")
      .map((event) => (event as { component: { component: string } }).component.component);
    expect(finished.slice(0, 2)).toEqual(["Base", "Pilot"]);
    expect(finished.slice(2).sort()).toEqual(["EgressGateways", "IngressGateways"]);
    expect(result.ingressAddress).toBe("172.18.255.200");
  });

  it("changes nothing when run again", async () => {
    await installPlan(cluster, syntheticPlan(), options);
    const versions = owned().map((object) => object.metadata.resourceVersion);
    const again = await installPlan(cluster, syntheticPlan(), options);
    expect(again.applied.map((entry) => entry.outcome)).toEqual(Array(syntheticObjectCount()).fill("unchanged"));
    expect(owned().map((object) => object.metadata.resourceVersion)).toEqual(versions);
  });

  it("reads objects back only while their apply answer is not ready yet, with the same events either way", async () => {
    const objectReads = () =>
      server
        .requests()
        .filter(
          (request) =>
            request.method === "GET" &&
            /\/(customresourcedefinitions|deployments)\/[^/]+$/.test(request.path) &&
            !request.path.includes("/leases/"),
        )
        .map((request) => request.path);
    const eventsOf = async (plan = syntheticPlan()) => {
      const events: string[] = [];
      await installPlan(cluster, plan, options, (event) =>
        events.push(
          `${event.type} ${"component" in event ? event.component.component : ""} ${"pending" in event ? event.pending.join(",") : ""} ${"message" in event ? event.message : ""}`,
        ),
      );
      return events;
    };
    // First install: CRDs come back not Established and Deployments not rolled out, so the waits read them.
    await installPlan(cluster, syntheticPlan(), options);
    expect(objectReads().some((path) => path.includes("/customresourcedefinitions/"))).toBe(true);
    expect(objectReads().some((path) => path.includes("/deployments/"))).toBe(true);
    server.clearRequests();
    // Converged: every apply answer is ready already, and a read would say the same.
    const converged = await eventsOf();
    expect(objectReads()).toEqual([]);
    // A changed Deployment comes back with a rollout the controller has not observed: it is read until ready.
    server.clearRequests();
    const changed = syntheticPlan();
    const istiod = changed.components.flatMap((component) => component.objects).find((object) => object.kind === "Deployment")!;
    (istiod as any).spec.template.metadata.annotations = { restarted: "yes" };
    const waited = await eventsOf(changed);
    expect(objectReads()).toEqual(Array(2).fill(`/apis/apps/v1/namespaces/istio-system/deployments/${istiod.metadata.name}`));
    const settled = (events: string[]) => events.filter((event) => !event.startsWith("component-waiting"));
    expect(settled(waited)).toEqual(settled(converged));
    expect(waited.some((event) => event.startsWith(`component-waiting Pilot Deployment/istio-system/${istiod.metadata.name}`))).toBe(true);
  });

  it("prunes the egress gateway when the new render no longer has it, and never objects it does not own", async () => {
    await installPlan(cluster, syntheticPlan(), options);
    server.createObject({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "user-config", namespace: "istio-system" }, data: {} });
    const result = await installPlan(cluster, syntheticPlan({ egress: false }), options);
    expect(result.pruned.sort()).toEqual([
      "Deployment istio-system/istio-egressgateway",
      "Service istio-system/istio-egressgateway",
      "ServiceAccount istio-system/istio-egressgateway-service-account",
    ]);
    expect(owned()).toHaveLength(syntheticObjectCount({ egress: false }));
    expect(server.objects({ kind: "ConfigMap" }).map((object) => object.metadata.name)).toContain("user-config");
  });

  it("announces an upgrade when the installed objects carry another version", async () => {
    await installPlan(cluster, { ...syntheticPlan(), version: "1.29.2" }, options);
    const events: InstallEvent[] = [];
    await installPlan(cluster, syntheticPlan(), options, (event) => events.push(event));
    expect(events).toContainEqual({ type: "version-change", from: "1.29.2", to: "1.30.3" });
  });

  it("labels the namespace it creates with the mesh network", async () => {
    await installPlan(cluster, { ...syntheticPlan(), namespaceLabels: { "topology.istio.io/network": "network1" } }, options);
    const namespace = server.objects({ kind: "Namespace" }).find((object) => object.metadata.name === "istio-system");
    expect(namespace.metadata.labels["topology.istio.io/network"]).toBe("network1");
  });

  it("applies nothing in a dry run and reports what would be pruned", async () => {
    await installPlan(cluster, syntheticPlan(), options);
    const before = JSON.stringify(owned());
    const result = await installPlan(cluster, syntheticPlan({ egress: false }), { ...options, dryRun: true });
    expect(result.pruned).toHaveLength(3);
    expect(JSON.stringify(owned())).toBe(before);
    const changed = syntheticPlan();
    (changed.components[1]!.objects[1] as unknown as { data: Record<string, string> }).data.mesh = "changed";
    const outcomes = (await installPlan(cluster, changed, { ...options, dryRun: true })).applied.map((entry) => entry.outcome);
    expect(outcomes.filter((outcome) => outcome === "configured")).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === "unchanged")).toHaveLength(syntheticObjectCount() - 1);
  });

  it("reports a conflicting field manager and takes over with forceConflicts", async () => {
    server.createObject({ apiVersion: "v1", kind: "Namespace", metadata: { name: "istio-system" } });
    server.createObject(
      { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "istio", namespace: "istio-system" }, data: { mesh: "edited by hand" } },
      { manager: "kubectl-edit" },
    );
    const result = await installPlan(cluster, syntheticPlan(), options);
    expect(result.failures).toHaveLength(1);
    expect(result.failures[0]!.conflicts).toEqual([
      { object: "ConfigMap istio-system/istio", field: ".data.mesh", manager: "kubectl-edit" },
    ]);
    expect(result.failures[0]!.error).toBeInstanceOf(ApplyConflictError);
    expect(result.pending.map((entry) => entry.component)).toEqual(expect.arrayContaining(["Pilot", "IngressGateways", "EgressGateways"]));
    const forced = await installPlan(cluster, syntheticPlan(), { ...options, forceConflicts: true });
    expect(forced.failures).toEqual([]);
  });

  it("accounts for every object after a failure: applied (confirmed by the server) and pending add up to the plan", async () => {
    // CRDs that never become Established stop Base after its CRDs were applied and before the rest was.
    server.setBehaviour({ crdEstablishDelayMs: 60_000 });
    const result = await installPlan(cluster, syntheticPlan(), { readinessTimeoutMs: 300 });
    expect(result.failures.map((failure) => failure.component)).toEqual(["Base"]);
    expect(result.applied.length + result.pending.length).toBe(syntheticObjectCount());
    expect(result.applied.every((entry) => entry.object.startsWith("CustomResourceDefinition "))).toBe(true);
    const stored = new Set(
      server
        .objects()
        .map((object) => `${object.kind} ${object.metadata.namespace ? `${object.metadata.namespace}/` : ""}${object.metadata.name}`),
    );
    for (const entry of result.applied) expect(stored.has(entry.object)).toBe(true);
    for (const entry of result.pending)
      if (!entry.object.startsWith("CustomResourceDefinition ")) expect(stored.has(entry.object)).toBe(false);
  });

  it("takes over fields that Istio's own managers changed (istiod patching its webhooks) without --force-conflicts", async () => {
    await installPlan(cluster, syntheticPlan(), options);
    await cluster.client.request({
      method: "PATCH",
      path: "/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/istio-sidecar-injector",
      query: { fieldManager: "pilot-discovery", force: "true" },
      body: {
        apiVersion: "admissionregistration.k8s.io/v1",
        kind: "MutatingWebhookConfiguration",
        metadata: { name: "istio-sidecar-injector" },
        webhooks: [{ name: "sidecar-injector.istio.io", sideEffects: "NoneOnDryRun" }],
      },
      contentType: "application/apply-patch+yaml",
    });
    const result = await installPlan(cluster, syntheticPlan(), options);
    expect(result.failures).toEqual([]);
    const webhook = server.objects({ kind: "MutatingWebhookConfiguration" })[0].webhooks[0];
    expect(webhook.sideEffects).toBe("None");
  });

  it("names the workload that does not become ready, with the pod's waiting reason and last event", async () => {
    server.setBehaviour({ deployments: { "istio-system/istio-ingressgateway": "never" } });
    const result = await installPlan(cluster, syntheticPlan(), { readinessTimeoutMs: 600 });
    expect(result.failures.map((failure) => failure.component)).toEqual(["IngressGateways"]);
    const notReady = result.failures[0]!.notReady!;
    expect(notReady[0]!.object).toBe("Deployment/istio-system/istio-ingressgateway");
    expect(notReady[0]!.reason).toMatch(
      /0\/1 replicas ready; pod istio-ingressgateway-\w+-\w+ Pending; container istio-proxy ImagePullBackOff: Back-off pulling image "docker.io\/istio\/proxyv2:1.30.3"; last event: Failed to pull image/,
    );
    expect(result.pruned).toEqual([]);
  });
});

describe("verify, status and uninstall", () => {
  it("verifies a healthy install and finds missing, drifted and unready objects", async () => {
    await installPlan(cluster, syntheticPlan(), options);
    expect((await verifyPlan(cluster, syntheticPlan())).every((entry) => entry.state === "ok")).toBe(true);
    await cluster.delete({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "istiod", namespace: "istio-system" } });
    await cluster.client.request({
      method: "PATCH",
      path: "/api/v1/namespaces/istio-system/configmaps/istio",
      body: { data: { mesh: "changed" } },
      contentType: "application/merge-patch+json",
    });
    const entries = await verifyPlan(cluster, syntheticPlan());
    expect(entries.filter((entry) => entry.state !== "ok")).toEqual([
      expect.objectContaining({ kind: "ServiceAccount", name: "istiod", state: "missing" }),
      expect.objectContaining({
        kind: "ConfigMap",
        name: "istio",
        state: "drifted",
        detail: 'data.mesh: want "defaultConfig: {}\\n", have "changed"',
      }),
    ]);
  });

  it("never prints Secret values when a Secret drifted", async () => {
    const plan = syntheticPlan();
    plan.components[1]!.objects.push({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "cacerts", namespace: "istio-system" },
      stringData: undefined,
      data: { key: "c2VjcmV0" },
    });
    await installPlan(cluster, plan, options);
    await cluster.client.request({
      method: "PATCH",
      path: "/api/v1/namespaces/istio-system/secrets/cacerts",
      body: { data: { key: "b3RoZXI=" } },
      contentType: "application/merge-patch+json",
    });
    const secret = (await verifyPlan(cluster, plan)).find((entry) => entry.kind === "Secret");
    expect(secret).toMatchObject({ state: "drifted", detail: "data.key: differs" });
  });

  it("reads the same status and installs alike whether lists come as metadata only or as whole objects", async () => {
    const withLists = async <T>(partialObjectMetadata: boolean, work: () => Promise<T>): Promise<T> => {
      server.setBehaviour({ partialObjectMetadata });
      return work();
    };
    await installPlan(cluster, syntheticPlan(), options);
    const crds = await cluster.list("apiextensions.k8s.io/v1", "CustomResourceDefinition", { metadataOnly: true });
    expect(crds.length).toBeGreaterThan(0);
    expect(crds.every((crd) => crd.spec === undefined && crd.kind === "CustomResourceDefinition" && crd.metadata.name)).toBe(true);

    const status = await withLists(true, () => readInstallStatus(cluster));
    expect(await withLists(false, () => readInstallStatus(cluster))).toEqual(status);
    expect(status.components.every((component) => component.objects > 0)).toBe(true);

    const outcomes = async (partial: boolean) =>
      (await withLists(partial, () => installPlan(cluster, syntheticPlan(), options))).applied.map((entry) => entry.outcome);
    expect(await outcomes(true)).toEqual(await outcomes(false));

    const pruned = async (partial: boolean) => {
      await withLists(partial, () => installPlan(cluster, syntheticPlan(), options));
      return (await withLists(partial, () => installPlan(cluster, syntheticPlan(egressOff), options))).pruned;
    };
    const fromMetadata = await pruned(true);
    expect(fromMetadata.length).toBeGreaterThan(0);
    expect(await pruned(false)).toEqual(fromMetadata);
  });

  it("shows components, versions, readiness and gateway addresses", async () => {
    await installPlan(cluster, syntheticPlan(), options);
    const status = await readInstallStatus(cluster);
    expect(status.components.map((component) => [component.component, component.versions])).toEqual([
      ["Base", ["1.30.3"]],
      ["Pilot", ["1.30.3"]],
      ["IngressGateways", ["1.30.3"]],
      ["EgressGateways", ["1.30.3"]],
    ]);
    expect(status.healthy).toBe(true);
    expect(status.gateways.find((gateway) => gateway.name === "istio-ingressgateway")).toMatchObject({
      type: "LoadBalancer",
      externalIP: "172.18.255.200",
    });
  });

  it("purges everything it installed, CRDs included, and keeps what it does not own", async () => {
    await installPlan(cluster, syntheticPlan(), options);
    server.createObject({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "user-config", namespace: "istio-system" }, data: {} });
    const targets = await findUninstallTargets(cluster, { purge: true });
    expect(targets).toHaveLength(syntheticObjectCount());
    await deleteObjects(cluster, targets);
    expect(owned()).toEqual([]);
    expect(server.objects({ kind: "CustomResourceDefinition" })).toEqual([]);
    expect(server.objects({ kind: "ConfigMap" }).map((object) => object.metadata.name)).toEqual(["user-config"]);
  });

  it("uninstalls one revision's control plane and gateways but keeps the shared base", async () => {
    await installPlan(cluster, syntheticPlan(), options);
    await deleteObjects(cluster, await findUninstallTargets(cluster, { purge: false, revision: "default" }));
    expect(owned().map((object) => object.metadata.labels[OwnerLabel.component])).toEqual(["Base", "Base", "Base"]);
  });
});
