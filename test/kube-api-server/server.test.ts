import { readFileSync } from "node:fs";
import { request } from "node:https";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { stringify as stringifyYaml } from "yaml";
import { startKubeApiServer, testToken, type KubeApiServer } from "./index.js";

const ca = readFileSync(new URL("./certs/ca.crt", import.meta.url));

interface Reply {
  status: number;
  body: any;
}

function call(
  server: KubeApiServer,
  method: string,
  path: string,
  body?: unknown,
  options: { contentType?: string; token?: string | null } = {},
): Promise<Reply> {
  const url = new URL(path, server.url);
  const text = body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body);
  const headers: Record<string, string> = { accept: "application/json" };
  if (options.token !== null) headers.authorization = `Bearer ${options.token ?? testToken}`;
  if (text !== undefined) headers["content-type"] = options.contentType ?? "application/json";
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, ca }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString() || "null") }));
    });
    req.on("error", reject);
    req.end(text);
  });
}

const apply = (server: KubeApiServer, path: string, object: unknown, query = "fieldManager=mesh") =>
  call(server, "PATCH", `${path}?${query}`, object, { contentType: "application/apply-patch+yaml" });

const configMap = (data: Record<string, string>, labels: Record<string, string> = {}) => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name: "istio", namespace: "istio-system", ...(Object.keys(labels).length > 0 ? { labels } : {}) },
  data,
});

const cmPath = "/api/v1/namespaces/istio-system/configmaps/istio";

let server: KubeApiServer;
beforeEach(async () => {
  server = await startKubeApiServer({ namespaces: ["default", "istio-system"] });
});
afterEach(async () => {
  await server.stop();
});

describe("discovery", () => {
  it("serves the core and named groups with their resources", async () => {
    expect((await call(server, "GET", "/api")).body.versions).toEqual(["v1"]);
    const groups = (await call(server, "GET", "/apis")).body;
    expect(groups.kind).toBe("APIGroupList");
    expect(groups.groups.map((group: any) => group.name)).toContain("apps");
    const apps = (await call(server, "GET", "/apis/apps/v1")).body;
    expect(apps.resources).toContainEqual(expect.objectContaining({ name: "deployments", kind: "Deployment", namespaced: true }));
  });

  it("answers 404 for a group/version it does not serve", async () => {
    const reply = await call(server, "GET", "/apis/networking.istio.io/v1");
    expect(reply.status).toBe(404);
    expect(reply.body.kind).toBe("Status");
  });

  it("serves a CRD's resources only once the CRD is Established", async () => {
    server.setBehaviour({ crdEstablishDelayMs: 150 });
    const crd = {
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: { name: "gateways.networking.istio.io" },
      spec: {
        group: "networking.istio.io",
        scope: "Namespaced",
        names: { kind: "Gateway", plural: "gateways", singular: "gateway", listKind: "GatewayList" },
        versions: [{ name: "v1", served: true, storage: true, schema: { openAPIV3Schema: { type: "object" } } }],
      },
    };
    expect((await apply(server, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gateways.networking.istio.io", crd)).status).toBe(
      201,
    );
    const early = await call(server, "GET", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gateways.networking.istio.io");
    expect(early.body.status.conditions).toContainEqual(expect.objectContaining({ type: "Established", status: "False" }));
    expect((await call(server, "GET", "/apis/networking.istio.io/v1")).status).toBe(404);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const later = await call(server, "GET", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gateways.networking.istio.io");
    expect(later.body.status.conditions).toContainEqual(expect.objectContaining({ type: "Established", status: "True" }));
    expect((await call(server, "GET", "/apis/networking.istio.io/v1")).body.resources[0].name).toBe("gateways");
    const gateway = { apiVersion: "networking.istio.io/v1", kind: "Gateway", metadata: { name: "gw", namespace: "default" }, spec: {} };
    expect((await apply(server, "/apis/networking.istio.io/v1/namespaces/default/gateways/gw", gateway)).status).toBe(201);
    const list = (await call(server, "GET", "/apis/networking.istio.io/v1/gateways")).body;
    expect(list.items[0]).toMatchObject({ apiVersion: "networking.istio.io/v1", kind: "Gateway" });
  });
});

describe("server-side apply", () => {
  it("creates, records managedFields for the manager and leaves resourceVersion alone when nothing changes", async () => {
    const created = await apply(server, cmPath, configMap({ mesh: "a" }));
    expect(created.status).toBe(201);
    expect(created.body.metadata.managedFields).toEqual([
      expect.objectContaining({ manager: "mesh", operation: "Apply", fieldsV1: { "f:data": { "f:mesh": {} } } }),
    ]);
    const again = await apply(server, cmPath, configMap({ mesh: "a" }));
    expect(again.status).toBe(200);
    expect(again.body.metadata.resourceVersion).toBe(created.body.metadata.resourceVersion);
  });

  it("removes fields the manager stops applying", async () => {
    await apply(server, cmPath, configMap({ mesh: "a", extra: "b" }));
    const reply = await apply(server, cmPath, configMap({ mesh: "a" }));
    expect(reply.body.data).toEqual({ mesh: "a" });
  });

  it("answers 409 naming the field and the other manager, and takes ownership with force=true", async () => {
    await apply(server, cmPath, configMap({ mesh: "a" }), "fieldManager=kubectl-edit");
    const conflict = await apply(server, cmPath, configMap({ mesh: "b" }));
    expect(conflict.status).toBe(409);
    expect(conflict.body).toMatchObject({
      kind: "Status",
      status: "Failure",
      reason: "Conflict",
      code: 409,
      message: 'Apply failed with 1 conflict: conflict with "kubectl-edit" using v1: .data.mesh',
      details: {
        name: "istio",
        kind: "configmaps",
        causes: [{ type: "FieldManagerConflict", message: 'conflict with "kubectl-edit" using v1', field: ".data.mesh" }],
      },
    });
    const forced = await apply(server, cmPath, configMap({ mesh: "b" }), "fieldManager=mesh&force=true");
    expect(forced.status).toBe(200);
    expect(forced.body.data.mesh).toBe("b");
    expect(forced.body.metadata.managedFields.map((entry: any) => entry.manager)).toEqual(["mesh"]);
  });

  it("shares ownership without conflict when the value is the same", async () => {
    await apply(server, cmPath, configMap({ mesh: "a" }), "fieldManager=kubectl-edit");
    const reply = await apply(server, cmPath, configMap({ mesh: "a" }));
    expect(reply.status).toBe(200);
    expect(reply.body.metadata.managedFields.map((entry: any) => entry.manager)).toEqual(["kubectl-edit", "mesh"]);
  });

  it("merges keyed lists per item, keeping server-allocated fields", async () => {
    const service = {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "istio-ingressgateway", namespace: "istio-system" },
      spec: { type: "LoadBalancer", ports: [{ name: "http2", port: 80, targetPort: 8080 }] },
    };
    const path = "/api/v1/namespaces/istio-system/services/istio-ingressgateway";
    await apply(server, path, service);
    const live = (await call(server, "GET", path)).body;
    expect(live.spec.ports[0].nodePort).toBeGreaterThan(30000);
    expect(live.status.loadBalancer.ingress[0].ip).toBe("172.18.255.200");
    const again = await apply(server, path, service);
    expect(again.body.spec.ports[0].nodePort).toBe(live.spec.ports[0].nodePort);
    expect(again.body.metadata.resourceVersion).toBe(live.metadata.resourceVersion);
  });

  it("removes whole list items the manager stops applying (demo's extra gateway ports)", async () => {
    const path = "/api/v1/namespaces/istio-system/services/gw";
    const ports = [
      { name: "http2", port: 80, targetPort: 8080 },
      { name: "tcp", port: 31400, targetPort: 31400 },
    ];
    const service = (list: object[]) => ({
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "gw", namespace: "istio-system" },
      spec: { type: "LoadBalancer", ports: list },
    });
    await apply(server, path, service(ports));
    const reply = await apply(server, path, service(ports.slice(0, 1)));
    expect(reply.body.spec.ports).toEqual([expect.objectContaining({ name: "http2", port: 80, targetPort: 8080, protocol: "TCP" })]);
  });

  it("reads an apply body written as JSON or as YAML alike", async () => {
    const object = configMap({ mesh: "a: 1\n", "quoted: key": '"x"' }, { app: "istiod" });
    const fromJson = (await apply(server, cmPath, object)).body;
    const yamlBody = stringifyYaml({ ...object, metadata: { ...object.metadata, name: "istio-yaml" } });
    const fromYaml = (await apply(server, `${cmPath}-yaml`, yamlBody)).body;
    const comparable = (stored: any) => ({
      data: stored.data,
      labels: stored.metadata.labels,
      managers: stored.metadata.managedFields.length,
    });
    expect(comparable(fromYaml)).toEqual(comparable(fromJson));
    expect(fromJson.data).toEqual(object.data);
  });

  it("requires a fieldManager", async () => {
    const reply = await call(server, "PATCH", cmPath, configMap({}), { contentType: "application/apply-patch+yaml" });
    expect(reply.status).toBe(422);
  });

  it("persists nothing with dryRun=All", async () => {
    const reply = await apply(server, cmPath, configMap({ mesh: "a" }), "fieldManager=mesh&dryRun=All");
    expect(reply.status).toBe(201);
    expect(reply.body.data.mesh).toBe("a");
    expect((await call(server, "GET", cmPath)).status).toBe(404);
  });

  it("answers 404 for objects in a missing namespace", async () => {
    const reply = await apply(server, "/api/v1/namespaces/nowhere/configmaps/x", {
      ...configMap({}),
      metadata: { name: "x", namespace: "nowhere" },
    });
    expect(reply.status).toBe(404);
    expect(reply.body).toMatchObject({
      reason: "NotFound",
      message: 'namespaces "nowhere" not found',
      details: { name: "nowhere", kind: "namespaces" },
    });
  });
});

describe("errors as Status bodies", () => {
  it.each([
    ["no credentials", null, 401, "Unauthorized"],
    ["a wrong token", "wrong", 401, "Unauthorized"],
  ])("answers 401 for %s", async (_, token, status, reason) => {
    const reply = await call(server, "GET", "/api/v1/namespaces", undefined, { token });
    expect(reply.status).toBe(status);
    expect(reply.body).toMatchObject({ kind: "Status", reason, code: status });
  });

  it("answers 403 naming the user, verb, resource and scope", async () => {
    server.setBehaviour({ forbidden: [{ verb: "patch", resource: "customresourcedefinitions" }] });
    const reply = await apply(server, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/x.example.com", {
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: { name: "x.example.com" },
    });
    expect(reply.status).toBe(403);
    expect(reply.body.message).toBe(
      'customresourcedefinitions.apiextensions.k8s.io "x.example.com" is forbidden: User "mesh-admin" cannot patch resource "customresourcedefinitions" in API group "apiextensions.k8s.io" at the cluster scope',
    );
  });

  it("answers 404, 409 AlreadyExists and 422 Invalid like the real API", async () => {
    expect((await call(server, "GET", cmPath)).body).toMatchObject({
      code: 404,
      reason: "NotFound",
      message: 'configmaps "istio" not found',
    });
    expect((await call(server, "POST", "/api/v1/namespaces/istio-system/configmaps", configMap({}))).status).toBe(201);
    expect((await call(server, "POST", "/api/v1/namespaces/istio-system/configmaps", configMap({}))).body).toMatchObject({
      code: 409,
      reason: "AlreadyExists",
    });
    const invalid = await call(server, "POST", "/api/v1/namespaces/istio-system/configmaps", {
      ...configMap({}),
      metadata: { name: "Bad_Name" },
    });
    expect(invalid.body).toMatchObject({
      code: 422,
      reason: "Invalid",
      details: { name: "Bad_Name", kind: "ConfigMap", causes: [{ field: "metadata.name" }] },
    });
  });
});

describe("lists and deletes", () => {
  it("filters lists by label selector and omits kind on built-in items", async () => {
    await apply(server, cmPath, configMap({}, { "operator.istio.io/component": "Pilot" }));
    await apply(server, "/api/v1/namespaces/istio-system/configmaps/other", {
      ...configMap({}),
      metadata: { name: "other", namespace: "istio-system" },
    });
    const list = (await call(server, "GET", "/api/v1/configmaps?labelSelector=operator.istio.io%2Fcomponent%20in%20(Pilot,Base)")).body;
    expect(list.kind).toBe("ConfigMapList");
    expect(list.items.map((item: any) => item.metadata.name)).toEqual(["istio"]);
    expect(list.items[0].kind).toBeUndefined();
  });

  it("garbage-collects the ReplicaSets and Pods of a deleted Deployment", async () => {
    server.setBehaviour({ deploymentReadyAfterReads: 0 });
    const path = "/apis/apps/v1/namespaces/istio-system/deployments/istiod";
    await apply(server, path, deployment("istiod"));
    await call(server, "GET", path);
    expect(server.objects({ kind: "Pod", namespace: "istio-system" })).toHaveLength(1);
    expect((await call(server, "DELETE", path)).body).toMatchObject({ kind: "Status", status: "Success" });
    expect(server.objects({ namespace: "istio-system" })).toEqual([]);
  });
});

function deployment(name: string) {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: "istio-system" },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: "discovery", image: "docker.io/istio/pilot:1.30.3" }] },
      },
    },
  };
}

describe("simulated rollouts", () => {
  const path = "/apis/apps/v1/namespaces/istio-system/deployments/istiod";

  it("rolls a Deployment out after the configured number of reads", async () => {
    server.setBehaviour({ deploymentReadyAfterReads: 3 });
    await apply(server, path, deployment("istiod"));
    const statuses = [];
    for (let read = 0; read < 3; read++) statuses.push((await call(server, "GET", path)).body.status.readyReplicas);
    expect(statuses).toEqual([0, 0, 1]);
  });

  it("never rolls out on an image pull failure, with pods in ImagePullBackOff and a Warning event", async () => {
    server.setBehaviour({ deployments: { "istio-system/istiod": "never" } });
    await apply(server, path, deployment("istiod"));
    for (let read = 0; read < 5; read++) expect((await call(server, "GET", path)).body.status.readyReplicas).toBe(0);
    const pods = (await call(server, "GET", "/api/v1/namespaces/istio-system/pods?labelSelector=app%3Distiod")).body.items;
    expect(pods[0].status.containerStatuses[0].state.waiting.reason).toBe("ImagePullBackOff");
    const events = (
      await call(server, "GET", `/api/v1/namespaces/istio-system/events?fieldSelector=involvedObject.name%3D${pods[0].metadata.name}`)
    ).body.items;
    expect(events[0]).toMatchObject({ type: "Warning", reason: "Failed" });
    expect(events[0].message).toContain("Failed to pull image");
  });
});

describe("coordination.k8s.io Leases", () => {
  const leases = "/apis/coordination.k8s.io/v1/namespaces/istio-system/leases";
  const lease = (spec: Record<string, unknown>, resourceVersion?: string) => ({
    apiVersion: "coordination.k8s.io/v1",
    kind: "Lease",
    metadata: { name: "lock", ...(resourceVersion ? { resourceVersion } : {}) },
    spec,
  });

  it("creates a Lease, rejects an invalid spec and a stale resourceVersion on update", async () => {
    const spec = { holderIdentity: "a", leaseDurationSeconds: 30, renewTime: "2026-01-01T00:00:00.000000Z" };
    const created = await call(server, "POST", leases, lease(spec));
    expect(created.status).toBe(201);
    const invalid = await call(server, "POST", leases, {
      ...lease({ leaseDurationSeconds: 0, renewTime: "yesterday" }),
      metadata: { name: "x" },
    });
    expect(invalid.body).toMatchObject({
      code: 422,
      details: { causes: [{ field: "spec.leaseDurationSeconds" }, { field: "spec.renewTime" }] },
    });
    const version = created.body.metadata.resourceVersion as string;
    expect((await call(server, "PUT", `${leases}/lock`, lease({ ...spec, holderIdentity: "b" }, version))).status).toBe(200);
    const stale = await call(server, "PUT", `${leases}/lock`, lease({ ...spec, holderIdentity: "c" }, version));
    expect(stale.body).toMatchObject({ code: 409, reason: "Conflict" });
  });
});
