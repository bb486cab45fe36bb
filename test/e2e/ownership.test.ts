/**
 * Uninstall and prune delete only what mesh created: objects with mesh's full ownership marks. Planted foreign
 * objects — a GatewayClass naming Istio's controller, a Service and a ConfigMap carrying Istio's install labels,
 * a CRD in the Gateway API group that no release bundle installed, a Pod with copied labels — survive.
 */
import { describe, expect, it } from "vitest";
import { syntheticCrd } from "../fixtures/gateway-api/synthetic-bundle.js";
import { startGatewayApiWorld, type GatewayApiWorld } from "./gateway-api-helpers.js";
import { gatewaysOnly, rendersFullProfiles } from "./kube-helpers.js";
import { freshForEachTest } from "./per-test.js";

const fullRender = await rendersFullProfiles();

const world = freshForEachTest(startGatewayApiWorld);

const istioLabels = {
  "operator.istio.io/component": "Pilot",
  "operator.istio.io/managed": "Reconcile",
  "operator.istio.io/version": "1.30.3",
  "istio.io/rev": "default",
  "install.operator.istio.io/owning-resource-namespace": "istio-system",
};

function plantForeignObjects(world: GatewayApiWorld): void {
  const { server } = world.cluster;
  server.createObject({
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "user-svc", namespace: "istio-system", labels: istioLabels },
    spec: { ports: [{ port: 80 }] },
  });
  server.createObject({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "user-cm", namespace: "istio-system", labels: istioLabels },
  });
  server.createObject({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "user-pod", namespace: "istio-system", labels: istioLabels },
    spec: { containers: [{ name: "c", image: "busybox" }] },
  });
}

const survivors = (world: GatewayApiWorld) =>
  ["Service/user-svc", "ConfigMap/user-cm", "Pod/user-pod"].filter((entry) => {
    const [kind, name] = entry.split("/");
    return world.cluster.server.objects({ kind: kind!, namespace: "istio-system" }).some((object) => object.metadata.name === name);
  });

describe("uninstall deletes only objects with mesh's ownership marks", () => {
  it("keeps a labelled Service, ConfigMap and Pod it did not create (with and without --purge, with -r)", async () => {
    expect((await world.cluster.mesh(["install", "--set", "profile=demo", ...gatewaysOnly, "-y"])).exitCode).toBe(0);
    plantForeignObjects(world);
    const revision = await world.cluster.mesh(["uninstall", "-r", "default", "-y"]);
    expect(revision.exitCode).toBe(0);
    expect(revision.stderr).not.toContain("user-");
    expect(survivors(world)).toHaveLength(3);
    const purge = await world.cluster.mesh(["uninstall", "--purge", "-y"]);
    expect(purge.exitCode).toBe(0);
    expect(survivors(world)).toHaveLength(3);
    expect(world.cluster.owned().filter((object) => object.metadata.annotations?.["mesh/owner"])).toEqual([]);
  });

  it("marks what it applies with mesh/owner and prunes only marked objects", async () => {
    await world.cluster.mesh(["install", "--set", "profile=demo", ...gatewaysOnly, "-y"]);
    const ingress = world.cluster.server
      .objects({ kind: "Deployment", namespace: "istio-system" })
      .find((object) => object.metadata.name === "istio-ingressgateway");
    expect(ingress.metadata.annotations["mesh/owner"]).toBe("istio-system/default");
    world.cluster.server.createObject({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: {
        name: "user-egress",
        namespace: "istio-system",
        labels: { ...istioLabels, "operator.istio.io/component": "EgressGateways" },
      },
    });
    const switched = await world.cluster.mesh(["install", ...gatewaysOnly, "-y"]);
    expect(switched.exitCode).toBe(0);
    expect(switched.stderr).toContain("Removed Deployment istio-system/istio-egressgateway.");
    expect(switched.stderr).not.toContain("user-egress");
  });

  it.runIf(fullRender)("keeps a user's GatewayClass naming Istio's controller through --purge", async () => {
    world.publish("v1.5.1", "standard");
    expect((await world.gatewayApi(["install", "--version", "v1.5.1", "-y"])).exitCode).toBe(0);
    expect((await world.cluster.mesh(["install", "--set", "profile=demo", "-y"])).exitCode).toBe(0);
    world.cluster.server.createObject({
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "GatewayClass",
      metadata: { name: "my-istio", labels: istioLabels },
      spec: { controllerName: "istio.io/gateway-controller" },
    });
    const purge = await world.cluster.mesh(["uninstall", "--purge", "-y"]);
    expect(purge.exitCode).toBe(0);
    expect(world.cluster.server.objects({ kind: "GatewayClass" }).map((object) => object.metadata.name)).toEqual(["my-istio"]);
  });

  it.runIf(fullRender)("lists the custom resources the CRDs would take with them and asks even with -y unless --force", async () => {
    expect((await world.cluster.mesh(["install", "--set", "profile=demo", "-y"])).exitCode).toBe(0);
    for (const name of ["a", "b"]) {
      world.cluster.server.createObject({
        apiVersion: "networking.istio.io/v1",
        kind: "VirtualService",
        metadata: { name, namespace: "default" },
        spec: { hosts: [name], http: [{ route: [{ destination: { host: name } }] }] },
      });
    }
    const preview = await world.cluster.mesh(["uninstall", "--purge", "--dry-run"]);
    expect(preview.exitCode).toBe(0);
    expect(preview.stderr).toContain("Deleting the CRDs also deletes 2 custom resources stored in them:");
    expect(preview.stderr).toContain("  VirtualService: 2 (virtualservices.networking.istio.io)");
    const refused = await world.cluster.mesh(["uninstall", "--purge", "-y"]);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain("refusing to delete custom resources without confirmation");
    expect(world.cluster.server.objects({ kind: "VirtualService" })).toHaveLength(2);
    const forced = await world.cluster.mesh(["uninstall", "--purge", "-y", "--force"]);
    expect(forced.exitCode).toBe(0);
    expect(
      world.cluster.server.objects({ kind: "CustomResourceDefinition" }).filter((crd) => crd.metadata.name.endsWith("istio.io")),
    ).toEqual([]);
  });
});

describe("gateway-api uninstall deletes only CRDs of a release bundle", () => {
  it("keeps a CRD in the Gateway API group without bundle annotations, and says so", async () => {
    world.publish("v1.2.1", "standard");
    expect((await world.gatewayApi(["install", "--version", "v1.2.1", "-y"])).exitCode).toBe(0);
    world.cluster.server.createObject(syntheticCrd("widgets.gateway.networking.k8s.io", "v1.2.1", "standard", { bundleVersion: null }), {
      manager: "someone-else",
    });
    const result = await world.gatewayApi(["uninstall", "-y"]);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain("keeping 1 CRD(s) in a Gateway API group that no Gateway API release bundle installed");
    expect(world.crds().map((crd) => crd.metadata.name)).toEqual(["widgets.gateway.networking.k8s.io"]);
  });
});
