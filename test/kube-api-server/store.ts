/** Object storage with the API server's write semantics: create, update, merge patch, server-side apply, delete. */
import { randomUUID } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import { applyConfiguration, conflictMessage, recordUpdate, renderManagedFields, type ManagedEntry } from "./field-manager.js";
import { apiVersionOf, builtinResources, isBuiltinType, resourcesOfCrd, type ResourceType } from "./resources.js";
import { statusErrors, type ResourceRef } from "./status.js";

type Json = any;

export interface StoredRecord {
  type: ResourceType;
  object: Json;
  managed: ManagedEntry[];
}

/** Kinds whose spec changes bump metadata.generation (as their registry strategies do). */
const generationKinds = new Set([
  "Deployment",
  "ReplicaSet",
  "DaemonSet",
  "StatefulSet",
  "CustomResourceDefinition",
  "HorizontalPodAutoscaler",
  "PodDisruptionBudget",
]);

const subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const label = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const subdomainMessage =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const labelMessage =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

export interface WriteOptions {
  manager: string;
  dryRun: boolean;
  now: string;
}

export class ObjectStore {
  readonly records = new Map<string, StoredRecord>();
  private resourceVersion = 1000;
  /** Invalid-field rules injected by tests: objects matching kind/name are rejected with 422. */
  invalidRules: { kind: string; name?: string; field: string; message: string }[] = [];

  types(): ResourceType[] {
    const types = [...builtinResources];
    for (const record of this.records.values()) {
      if (record.type.kind !== "CustomResourceDefinition") continue;
      const type = resourcesOfCrd(record.object);
      if (type) types.push(type);
    }
    return types;
  }

  findType(group: string, version: string, plural: string): ResourceType | undefined {
    return this.types().find((type) => type.group === group && type.plural === plural && type.versions.includes(version));
  }

  static key(type: ResourceType, namespace: string | undefined, name: string): string {
    return `${type.group}/${type.plural}/${namespace ?? ""}/${name}`;
  }

  get(type: ResourceType, namespace: string | undefined, name: string): StoredRecord | undefined {
    return this.records.get(ObjectStore.key(type, namespace, name));
  }

  list(type: ResourceType, namespace: string | undefined): StoredRecord[] {
    return [...this.records.values()]
      .filter((record) => record.type.group === type.group && record.type.plural === type.plural)
      .filter((record) => namespace === undefined || record.object.metadata.namespace === namespace)
      .sort((a, b) =>
        ObjectStore.key(a.type, a.object.metadata.namespace, a.object.metadata.name).localeCompare(
          ObjectStore.key(b.type, b.object.metadata.namespace, b.object.metadata.name),
        ),
      );
  }

  nextResourceVersion(): string {
    return String(++this.resourceVersion);
  }

  currentResourceVersion(): string {
    return String(this.resourceVersion);
  }

  /** The object as the API returns it: managedFields rendered and apiVersion of the version asked for. */
  render(record: StoredRecord, version?: string, withKind = true): Json {
    const object = structuredClone(record.object);
    if (withKind) {
      object.apiVersion = apiVersionOf(record.type.group, version ?? record.type.versions[0]!);
      object.kind = record.type.kind;
    } else {
      delete object.apiVersion;
      delete object.kind;
    }
    if (record.managed.length > 0) object.metadata.managedFields = renderManagedFields(record.managed);
    return reorderTopLevel(object);
  }

  private ref(type: ResourceType, name?: string): ResourceRef {
    return { group: type.group, plural: type.plural, ...(name !== undefined ? { name } : {}) };
  }

  private checkNamespace(type: ResourceType, namespace: string | undefined, name: string): void {
    if (!type.namespaced) return;
    const ns = this.records.get(`/namespaces//${namespace}`);
    if (!ns) throw statusErrors.namespaceNotFound(namespace!);
    if (ns.object.metadata.deletionTimestamp) throw statusErrors.terminating(namespace!, this.ref(type, name));
  }

  private validate(type: ResourceType, object: Json): void {
    const name: string = object.metadata?.name ?? "";
    const causes: { field: string; message: string }[] = [];
    if (!name) causes.push({ field: "metadata.name", message: "Required value: name or generateName is required" });
    else if (type.kind === "Namespace" || type.kind === "Service" ? !label.test(name) : !subdomain.test(name)) {
      causes.push({
        field: "metadata.name",
        message: `Invalid value: "${name}": ${type.kind === "Namespace" || type.kind === "Service" ? labelMessage : subdomainMessage}`,
      });
    }
    if (type.kind === "CustomResourceDefinition" && name && name !== `${object.spec?.names?.plural}.${object.spec?.group}`) {
      causes.push({ field: "metadata.name", message: `Invalid value: "${name}": must be spec.names.plural+"."+spec.group` });
    }
    for (const [key, value] of Object.entries(object.metadata?.labels ?? {})) {
      if (typeof value !== "string")
        causes.push({ field: `metadata.labels`, message: `Invalid value: ${JSON.stringify(value)}: label ${key} must be a string` });
    }
    if (type.kind === "Lease") causes.push(...leaseSpecProblems(object.spec ?? {}));
    for (const rule of this.invalidRules) {
      if (rule.kind === type.kind && (rule.name === undefined || rule.name === name))
        causes.push({ field: rule.field, message: rule.message });
    }
    if (causes.length > 0) throw statusErrors.invalid(type.kind, type.group, name, causes);
  }

  private checkBody(type: ResourceType, object: Json, namespace: string | undefined, name: string | undefined): void {
    if (typeof object !== "object" || object === null || Array.isArray(object))
      throw statusErrors.badRequest("the body of the request was not a JSON object");
    if (object.kind !== undefined && object.kind !== type.kind) {
      throw statusErrors.badRequest(
        `the kind in the body (${object.kind}) does not match the kind of the requested resource (${type.kind})`,
      );
    }
    object.metadata ??= {};
    if (type.namespaced) {
      if (object.metadata.namespace !== undefined && object.metadata.namespace !== namespace) {
        throw statusErrors.badRequest("the namespace of the provided object does not match the namespace sent on the request");
      }
      object.metadata.namespace = namespace;
    } else delete object.metadata.namespace;
    if (name !== undefined && object.metadata.name !== undefined && object.metadata.name !== name) {
      throw statusErrors.badRequest(`the name of the object (${object.metadata.name}) does not match the name on the URL (${name})`);
    }
    if (name !== undefined) object.metadata.name ??= name;
  }

  private finishWrite(type: ResourceType, before: Json | undefined, after: Json, version: string, now: string): void {
    after.apiVersion = apiVersionOf(type.group, version);
    after.kind = type.kind;
    if (before) {
      for (const key of ["uid", "creationTimestamp", "generation", "resourceVersion"]) {
        if (before.metadata[key] !== undefined) after.metadata[key] = before.metadata[key];
        else delete after.metadata[key];
      }
      if (type.statusSubresource) after.status = before.status;
      if (generationKinds.has(type.kind) || !isBuiltinType(type)) {
        if (!isDeepStrictEqual(before.spec, after.spec)) after.metadata.generation = (before.metadata.generation ?? 1) + 1;
      }
    } else {
      after.metadata.uid = randomUUID();
      after.metadata.creationTimestamp = now;
      if (generationKinds.has(type.kind) || !isBuiltinType(type)) after.metadata.generation = 1;
      if (type.statusSubresource) delete after.status;
      applyDefaults(type, after);
    }
    delete after.metadata.managedFields;
    delete after.metadata.resourceVersion;
  }

  private commit(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    before: StoredRecord | undefined,
    object: Json,
    managed: ManagedEntry[],
    dryRun: boolean,
  ): StoredRecord {
    const unchanged =
      before !== undefined && isDeepStrictEqual(strip(before.object), strip(object)) && sameOwnership(before.managed, managed);
    if (unchanged) return before;
    object.metadata.resourceVersion = dryRun ? (before?.object.metadata.resourceVersion ?? "0") : this.nextResourceVersion();
    const record: StoredRecord = { type, object, managed };
    if (!dryRun) this.records.set(ObjectStore.key(type, namespace, name), record);
    return record;
  }

  create(type: ResourceType, version: string, namespace: string | undefined, body: Json, options: WriteOptions): StoredRecord {
    const object = structuredClone(body);
    this.checkBody(type, object, namespace, undefined);
    if (!object.metadata.name && object.metadata.generateName)
      object.metadata.name = `${object.metadata.generateName}${randomUUID().slice(0, 5)}`;
    this.validate(type, object);
    const name = object.metadata.name as string;
    this.checkNamespace(type, namespace, name);
    if (this.get(type, namespace, name)) throw statusErrors.alreadyExists(this.ref(type, name));
    this.finishWrite(type, undefined, object, version, options.now);
    const managed = recordUpdate({
      before: undefined,
      after: object,
      managed: [],
      manager: options.manager,
      apiVersion: object.apiVersion,
      ignoreStatus: type.statusSubresource,
      now: options.now,
    });
    return this.commit(type, namespace, name, undefined, object, managed, options.dryRun);
  }

  update(
    type: ResourceType,
    version: string,
    namespace: string | undefined,
    name: string,
    body: Json,
    options: WriteOptions,
  ): StoredRecord {
    const existing = this.get(type, namespace, name);
    if (!existing) throw statusErrors.notFound(this.ref(type, name));
    const object = structuredClone(body);
    this.checkBody(type, object, namespace, name);
    const expected = object.metadata.resourceVersion;
    if (expected !== undefined && expected !== existing.object.metadata.resourceVersion) {
      throw statusErrors.conflict(
        this.ref(type, name),
        `Operation cannot be fulfilled on ${type.plural}${type.group ? `.${type.group}` : ""} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
        [],
      );
    }
    this.validate(type, object);
    this.finishWrite(type, existing.object, object, version, options.now);
    const managed = recordUpdate({
      before: existing.object,
      after: object,
      managed: existing.managed,
      manager: options.manager,
      apiVersion: object.apiVersion,
      ignoreStatus: type.statusSubresource,
      now: options.now,
    });
    return this.commit(type, namespace, name, existing, object, managed, options.dryRun);
  }

  /** Writes `.status` only (the /status subresource); used by the simulated controllers. */
  updateStatus(record: StoredRecord, status: Json): void {
    if (isDeepStrictEqual(record.object.status, status)) return;
    record.object.status = structuredClone(status);
    record.object.metadata.resourceVersion = this.nextResourceVersion();
  }

  mergePatch(
    type: ResourceType,
    version: string,
    namespace: string | undefined,
    name: string,
    patch: Json,
    options: WriteOptions,
  ): StoredRecord {
    const existing = this.get(type, namespace, name);
    if (!existing) throw statusErrors.notFound(this.ref(type, name));
    const merged = mergePatchValue(structuredClone(existing.object), patch);
    return this.update(
      type,
      version,
      namespace,
      name,
      { ...merged, metadata: { ...merged.metadata, resourceVersion: undefined } },
      options,
    );
  }

  apply(
    type: ResourceType,
    version: string,
    namespace: string | undefined,
    name: string,
    body: Json,
    options: WriteOptions & { force: boolean },
  ): StoredRecord {
    const applied = structuredClone(body);
    if (typeof applied?.apiVersion !== "string" || typeof applied?.kind !== "string") {
      throw statusErrors.badRequest("apiVersion and kind are required in an apply configuration");
    }
    this.checkBody(type, applied, namespace, name);
    delete applied.metadata.managedFields;
    const existing = this.get(type, namespace, name);
    if (!existing) this.checkNamespace(type, namespace, name);
    const result = applyConfiguration({
      live: existing?.object,
      managed: existing?.managed ?? [],
      applied,
      manager: options.manager,
      apiVersion: apiVersionOf(type.group, version),
      force: options.force,
      ignoreStatus: type.statusSubresource,
      now: options.now,
    });
    if (result.conflicts.length > 0 && !options.force) {
      throw statusErrors.conflict(
        this.ref(type, name),
        conflictMessage(result.conflicts),
        result.conflicts.map((conflict) => ({
          type: "FieldManagerConflict",
          message: `conflict with "${conflict.manager}" using ${conflict.apiVersion}`,
          field: conflict.field,
        })),
      );
    }
    const object = result.object;
    object.metadata.name = name;
    if (type.namespaced) object.metadata.namespace = namespace;
    this.validate(type, object);
    this.finishWrite(type, existing?.object, object, version, options.now);
    return this.commit(type, namespace, name, existing, object, result.managed, options.dryRun);
  }

  delete(type: ResourceType, namespace: string | undefined, name: string, dryRun: boolean): StoredRecord {
    const existing = this.get(type, namespace, name);
    if (!existing) throw statusErrors.notFound(this.ref(type, name));
    if (dryRun) return existing;
    if (type.kind === "Namespace") {
      // Namespaces terminate: their content is removed first (by the simulation), then the namespace itself.
      existing.object.metadata.deletionTimestamp ??= new Date().toISOString().replace(/\.\d+Z$/, "Z");
      existing.object.status = { phase: "Terminating" };
      existing.object.metadata.resourceVersion = this.nextResourceVersion();
      return existing;
    }
    this.records.delete(ObjectStore.key(type, namespace, name));
    if (type.kind === "CustomResourceDefinition") {
      for (const [key, record] of this.records) {
        if (record.type.group === existing.object.spec?.group && record.type.plural === existing.object.spec?.names?.plural)
          this.records.delete(key);
      }
    }
    return existing;
  }
}

function strip(object: Json): Json {
  const copy = structuredClone(object);
  delete copy.metadata.resourceVersion;
  delete copy.metadata.managedFields;
  return copy;
}

function sameOwnership(a: ManagedEntry[], b: ManagedEntry[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((entry, index) => {
    const other = b[index]!;
    return (
      entry.manager === other.manager &&
      entry.operation === other.operation &&
      entry.fields.size === other.fields.size &&
      [...entry.fields].every((field) => other.fields.has(field))
    );
  });
}

/** RFC 7386 JSON merge patch. */
function mergePatchValue(target: Json, patch: Json): Json {
  if (typeof patch !== "object" || patch === null || Array.isArray(patch)) return patch;
  const result = typeof target === "object" && target !== null && !Array.isArray(target) ? target : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatchValue(result[key], value);
  }
  return result;
}

/** The defaults the real API server fills in on create that tests observe. */
function applyDefaults(type: ResourceType, object: Json): void {
  if (type.kind === "Deployment" || type.kind === "StatefulSet" || type.kind === "ReplicaSet") {
    object.spec ??= {};
    object.spec.replicas ??= 1;
  }
  if (type.kind === "Service") {
    object.spec ??= {};
    object.spec.type ??= "ClusterIP";
    for (const port of object.spec.ports ?? []) {
      port.protocol ??= "TCP";
      port.targetPort ??= port.port;
    }
  }
  if (type.kind === "Namespace") {
    object.metadata.labels = { ...(object.metadata.labels ?? {}), "kubernetes.io/metadata.name": object.metadata.name };
    object.status = { phase: "Active" };
  }
}

function reorderTopLevel(object: Json): Json {
  const { apiVersion, kind, metadata, ...rest } = object;
  return { ...(apiVersion !== undefined ? { apiVersion } : {}), ...(kind !== undefined ? { kind } : {}), metadata, ...rest };
}

const microTimePattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** coordination.k8s.io Lease spec rules (ValidateLeaseSpec): positive durations, non-negative transitions, MicroTime stamps. */
function leaseSpecProblems(spec: Json): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  if (spec.leaseDurationSeconds !== undefined && !(Number.isInteger(spec.leaseDurationSeconds) && spec.leaseDurationSeconds > 0))
    problems.push({ field: "spec.leaseDurationSeconds", message: `Invalid value: ${spec.leaseDurationSeconds}: must be greater than 0` });
  if (spec.leaseTransitions !== undefined && !(Number.isInteger(spec.leaseTransitions) && spec.leaseTransitions >= 0))
    problems.push({
      field: "spec.leaseTransitions",
      message: `Invalid value: ${spec.leaseTransitions}: must be greater than or equal to 0`,
    });
  for (const field of ["acquireTime", "renewTime"]) {
    if (spec[field] !== undefined && !(typeof spec[field] === "string" && microTimePattern.test(spec[field])))
      problems.push({ field: `spec.${field}`, message: `Invalid value: ${JSON.stringify(spec[field])}: must be an RFC 3339 MicroTime` });
  }
  return problems;
}
