/** HTTP routing of the test API server: discovery, resource CRUD, apply, dry runs, auth and Status errors. */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { TLSSocket } from "node:tls";
import { parse as parseYaml } from "yaml";
import { matchesLabels, parseLabelSelector } from "./labels.js";
import { aggregatedDiscovery, apiGroupList, apiResourceList, isBuiltinType, type ResourceType } from "./resources.js";
import type { Simulation } from "./simulation.js";
import { ApiError, statusErrors, successStatus } from "./status.js";
import type { ObjectStore, StoredRecord } from "./store.js";

type Json = any;

export interface ForbiddenRule {
  verb: string;
  /** Plural resource name, e.g. `customresourcedefinitions`. */
  resource: string;
  namespace?: string;
  user?: string;
}

export interface HttpBehaviour {
  /** Bearer tokens and the user each authenticates as. */
  tokens: Record<string, string>;
  forbidden: ForbiddenRule[];
  /** Delay before every response, to exercise client timeouts. */
  responseDelayMs: number;
  /** API groups whose discovery is withheld, as if the cluster did not serve them. */
  hiddenGroups: string[];
  /** Answer /api and /apis with aggregated discovery when asked for it (Kubernetes ≥ 1.30); false: older servers. */
  aggregatedDiscovery: boolean;
  /** Answer lists asked for as PartialObjectMetadataList with only metadata; false: whole objects (clients must cope). */
  partialObjectMetadata: boolean;
  kubernetesVersion: { major: string; minor: string; gitVersion: string };
}

export interface RequestRecord {
  method: string;
  path: string;
  verb: string;
  user: string | undefined;
  dryRun: boolean;
  status: number;
  /** Milliseconds since the epoch when the request arrived. */
  at: number;
  fieldManager?: string;
  contentType?: string;
}

interface Route {
  type: ResourceType;
  version: string;
  namespace: string | undefined;
  name: string | undefined;
  subresource: string | undefined;
}

function send(response: ServerResponse, code: number, body: Json): void {
  const text = JSON.stringify(body);
  response.writeHead(code, { "content-type": "application/json", "content-length": Buffer.byteLength(text), "audit-id": "test" });
  response.end(text);
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function now(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, "Z");
}

export class ApiHandler {
  readonly log: RequestRecord[] = [];

  constructor(
    private readonly store: ObjectStore,
    private readonly simulation: Simulation,
    private readonly behaviour: () => HttpBehaviour,
  ) {}

  private authenticate(request: IncomingMessage): string | undefined {
    const header = request.headers.authorization;
    if (header?.startsWith("Bearer ")) return this.behaviour().tokens[header.slice(7)];
    const socket = request.socket as TLSSocket;
    if (typeof socket.getPeerCertificate === "function" && socket.authorized) {
      const subject = socket.getPeerCertificate().subject;
      const commonName = subject?.CN;
      return Array.isArray(commonName) ? commonName[0] : commonName;
    }
    return undefined;
  }

  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "https://localhost");
    const record: RequestRecord = {
      method: request.method ?? "GET",
      path: url.pathname + url.search,
      verb: "",
      user: undefined,
      dryRun: url.searchParams.get("dryRun") === "All",
      status: 200,
      at: Date.now(),
    };
    const contentType = request.headers["content-type"];
    if (contentType) record.contentType = contentType;
    const fieldManager = url.searchParams.get("fieldManager");
    if (fieldManager) record.fieldManager = fieldManager;
    this.log.push(record);
    const body = await readBody(request);
    const delay = this.behaviour().responseDelayMs;
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    try {
      record.user = this.authenticate(request);
      if (record.user === undefined) throw statusErrors.unauthorized();
      this.simulation.reconcile(Date.now());
      const [code, result] = this.dispatch(request, url, body, record);
      record.status = code;
      send(response, code, result);
    } catch (error) {
      if (error instanceof ApiError) {
        record.status = error.body.code;
        send(response, error.body.code, error.body);
        return;
      }
      record.status = 500;
      send(response, 500, statusErrors.internal(error instanceof Error ? error.message : String(error)).body);
    }
  }

  private dispatch(request: IncomingMessage, url: URL, body: string, record: RequestRecord): [number, Json] {
    const path = url.pathname.replace(/\/+$/, "");
    const method = request.method ?? "GET";
    const types = this.store.types().filter((type) => !this.behaviour().hiddenGroups.includes(type.group));
    if (method === "GET") {
      const aggregated = this.behaviour().aggregatedDiscovery && (request.headers.accept ?? "").includes("as=APIGroupDiscoveryList");
      if ((path === "/api" || path === "/apis") && aggregated) return [200, aggregatedDiscovery(path === "/api", types)];
      if (path === "/version")
        return [200, { ...this.behaviour().kubernetesVersion, platform: "linux/amd64", goVersion: "go1.24.0", compiler: "gc" }];
      if (path === "/healthz" || path === "/readyz" || path === "/livez") return [200, "ok"];
      if (path === "/api")
        return [
          200,
          {
            kind: "APIVersions",
            versions: ["v1"],
            serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress: "127.0.0.1:6443" }],
          },
        ];
      if (path === "/api/v1") return [200, apiResourceList("", "v1", types)];
      if (path === "/apis") return [200, apiGroupList(types)];
      const groupVersion = /^\/apis\/([^/]+)\/([^/]+)$/.exec(path);
      if (groupVersion) {
        const [, group, version] = groupVersion;
        if (!types.some((type) => type.group === group && type.versions.includes(version!))) throw statusErrors.pageNotFound();
        return [200, apiResourceList(group!, version!, types)];
      }
    }
    const route = this.route(path, types);
    record.verb = verbOf(method, route.name !== undefined);
    this.authorize(record.user!, record.verb, route);
    const dryRun = url.searchParams.get("dryRun");
    if (dryRun !== null && dryRun !== "All") throw statusErrors.badRequest(`Invalid dry run value: ${dryRun}`);
    const options = {
      manager: url.searchParams.get("fieldManager") ?? managerFromAgent(request.headers["user-agent"]),
      dryRun: dryRun === "All",
      now: now(),
    };
    const { type, version, namespace, name, subresource } = route;
    if (subresource !== undefined && subresource !== "status") throw statusErrors.pageNotFound();
    switch (method) {
      case "GET": {
        if (name === undefined)
          return [
            200,
            this.listResponse(
              route,
              url,
              this.behaviour().partialObjectMetadata && (request.headers.accept ?? "").includes("as=PartialObjectMetadataList"),
            ),
          ];
        const found = this.store.get(type, namespace, name);
        if (!found) throw statusErrors.notFound({ group: type.group, plural: type.plural, name });
        this.simulation.noteRead(found);
        this.simulation.reconcile(Date.now());
        return [200, this.store.render(this.store.get(type, namespace, name) ?? found, version)];
      }
      case "POST": {
        if (name !== undefined) throw statusErrors.methodNotAllowed(method);
        if (type.kind === "SelfSubjectAccessReview")
          return [201, this.accessReview(record.user!, parseBody(body, request.headers["content-type"]))];
        const created = this.store.create(type, version, namespace, parseBody(body, request.headers["content-type"]), options);
        return [201, this.store.render(created, version)];
      }
      case "PUT": {
        if (name === undefined) throw statusErrors.methodNotAllowed(method);
        const parsed = parseBody(body, request.headers["content-type"]);
        if (subresource === "status") {
          const existing = this.existing(route);
          if (!options.dryRun) this.store.updateStatus(existing, parsed.status);
          return [200, this.store.render(existing, version)];
        }
        return [200, this.store.render(this.store.update(type, version, namespace, name, parsed, options), version)];
      }
      case "PATCH": {
        if (name === undefined) throw statusErrors.methodNotAllowed(method);
        const mediaType = (request.headers["content-type"] ?? "").split(";")[0]!.trim();
        if (mediaType === "application/apply-patch+yaml" || mediaType === "application/apply-patch+cbor") {
          if (!url.searchParams.get("fieldManager")) {
            throw statusErrors.invalid("PatchOptions", "meta.k8s.io", "", [
              { field: "fieldManager", message: "Required value: is required for apply patch" },
            ]);
          }
          const force = url.searchParams.get("force") === "true";
          const existed = this.store.get(type, namespace, name) !== undefined;
          const applied = this.store.apply(type, version, namespace, name, parseApplyBody(body), { ...options, force });
          return [existed ? 200 : 201, this.store.render(applied, version)];
        }
        if (mediaType === "application/merge-patch+json" || mediaType === "application/strategic-merge-patch+json") {
          return [200, this.store.render(this.store.mergePatch(type, version, namespace, name, JSON.parse(body), options), version)];
        }
        throw statusErrors.unsupportedMediaType(mediaType);
      }
      case "DELETE": {
        if (name === undefined) throw statusErrors.methodNotAllowed(method);
        const deleted = this.store.delete(type, namespace, name, options.dryRun);
        if (type.kind === "Namespace") return [200, this.store.render(deleted, version)];
        return [200, successStatus({ group: type.group, plural: type.plural, name }, deleted.object.metadata.uid)];
      }
      default:
        throw statusErrors.methodNotAllowed(method);
    }
  }

  private existing(route: Route): StoredRecord {
    const found = this.store.get(route.type, route.namespace, route.name!);
    if (!found) throw statusErrors.notFound({ group: route.type.group, plural: route.type.plural, name: route.name! });
    return found;
  }

  /** A list, or with `metadataOnly` (Accept …;as=PartialObjectMetadataList) only its items' metadata, as kubectl asks for. */
  private listResponse(route: Route, url: URL, metadataOnly = false): Json {
    const selector = parseLabelSelector(url.searchParams.get("labelSelector") ?? "");
    const fieldSelector = (url.searchParams.get("fieldSelector") ?? "")
      .split(",")
      .filter(Boolean)
      .map((part) => part.split(/==?/) as [string, string]);
    const records = this.store
      .list(route.type, route.namespace)
      .filter((record) => matchesLabels(selector, record.object.metadata.labels))
      .filter((record) =>
        fieldSelector.every(([path, value]) => String(path.split(".").reduce((node: Json, key) => node?.[key], record.object)) === value),
      );
    for (const record of records) this.simulation.noteRead(record);
    this.simulation.reconcile(Date.now());
    // Lists of built-in kinds carry items without apiVersion/kind; lists of custom resources include them.
    const items = records.map((record) =>
      this.store.render(this.store.records.get(keyOf(record)) ?? record, route.version, !isBuiltinType(route.type)),
    );
    const metadata = { resourceVersion: this.store.currentResourceVersion() };
    if (metadataOnly)
      return {
        kind: "PartialObjectMetadataList",
        apiVersion: "meta.k8s.io/v1",
        metadata,
        items: items.map((item: Json) => ({ kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: item.metadata })),
      };
    return {
      kind: `${route.type.kind}List`,
      apiVersion: route.type.group ? `${route.type.group}/${route.version}` : route.version,
      metadata,
      items,
    };
  }

  private route(path: string, types: ResourceType[]): Route {
    let group: string;
    let version: string;
    let rest: string[];
    const core = /^\/api\/([^/]+)\/(.+)$/.exec(path);
    const named = /^\/apis\/([^/]+)\/([^/]+)\/(.+)$/.exec(path);
    if (core) [group, version, rest] = ["", core[1]!, core[2]!.split("/")];
    else if (named) [group, version, rest] = [named[1]!, named[2]!, named[3]!.split("/")];
    else throw statusErrors.pageNotFound();
    const find = (plural: string) =>
      types.find((type) => type.group === group && type.plural === plural && type.versions.includes(version));
    if (rest[0] === "namespaces" && rest.length >= 3) {
      const type = find(rest[2]!);
      if (!type || !type.namespaced) throw statusErrors.pageNotFound();
      return { type, version, namespace: decodeURIComponent(rest[1]!), name: rest[3] && decodeURIComponent(rest[3]), subresource: rest[4] };
    }
    const type = find(rest[0]!);
    if (!type) throw statusErrors.pageNotFound();
    return { type, version, namespace: undefined, name: rest[1] && decodeURIComponent(rest[1]), subresource: rest[2] };
  }

  /** SelfSubjectAccessReview: allowed unless a `forbidden` rule matches the verb, resource and namespace asked about. */
  private accessReview(user: string, review: Json): Json {
    const attributes = review?.spec?.resourceAttributes ?? {};
    const denied = this.behaviour().forbidden.find(
      (rule) =>
        rule.verb === attributes.verb &&
        rule.resource === attributes.resource &&
        (rule.namespace === undefined || rule.namespace === attributes.namespace) &&
        (rule.user === undefined || rule.user === user),
    );
    return {
      apiVersion: "authorization.k8s.io/v1",
      kind: "SelfSubjectAccessReview",
      metadata: { creationTimestamp: null },
      spec: review?.spec ?? {},
      status: denied
        ? { allowed: false, reason: `user "${user}" cannot ${attributes.verb} resource "${attributes.resource}"` }
        : { allowed: true, reason: "allowed by the test server's RBAC" },
    };
  }

  private authorize(user: string, verb: string, route: Route): void {
    const denied = this.behaviour().forbidden.some(
      (rule) =>
        rule.verb === verb &&
        rule.resource === route.type.plural &&
        (rule.namespace === undefined || rule.namespace === route.namespace) &&
        (rule.user === undefined || rule.user === user),
    );
    if (denied)
      throw statusErrors.forbidden(
        user,
        verb,
        { group: route.type.group, plural: route.type.plural, ...(route.name ? { name: route.name } : {}) },
        route.namespace,
      );
  }
}

function keyOf(record: StoredRecord): string {
  return `${record.type.group}/${record.type.plural}/${record.object.metadata.namespace ?? ""}/${record.object.metadata.name}`;
}

function verbOf(method: string, named: boolean): string {
  switch (method) {
    case "GET":
      return named ? "get" : "list";
    case "POST":
      return "create";
    case "PUT":
      return "update";
    case "PATCH":
      return "patch";
    case "DELETE":
      return named ? "delete" : "deletecollection";
    default:
      return method.toLowerCase();
  }
}

/** The API server names the manager of a write without `fieldManager` after the client's user agent. */
function managerFromAgent(agent: string | undefined): string {
  return agent ? agent.split("/")[0]! : "unknown";
}

/**
 * An apply body: YAML, of which JSON (what mesh sends) is a subset. JSON.parse reads JSON about ten times
 * faster than the YAML parser, which otherwise made this simulation, not the client, most of an install's time.
 */
function parseApplyBody(body: string): Json {
  if (/^\s*\{/.test(body)) {
    try {
      return JSON.parse(body);
    } catch {
      // Flow-style YAML that is not JSON.
    }
  }
  return parseYaml(body);
}

function parseBody(body: string, contentType: string | undefined): Json {
  const mediaType = (contentType ?? "application/json").split(";")[0]!.trim();
  // Like an API server without protobuf support for the kind: clients fall back to JSON after a 415.
  if (!["application/json", "application/yaml", "*/*"].includes(mediaType)) throw statusErrors.unsupportedMediaType(mediaType);
  try {
    return contentType?.includes("yaml") ? parseYaml(body) : JSON.parse(body);
  } catch (error) {
    throw statusErrors.badRequest(
      `the body of the request could not be decoded: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
