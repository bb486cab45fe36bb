/** `Status` bodies exactly shaped like the real API server's error responses. */
export interface StatusBody {
  kind: "Status";
  apiVersion: "v1";
  metadata: Record<string, never>;
  status: "Failure" | "Success";
  message: string;
  reason: string;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    uid?: string;
    causes?: { reason?: string; type?: string; message: string; field?: string }[];
  };
  code: number;
}

export class ApiError extends Error {
  constructor(readonly body: StatusBody) {
    super(body.message);
  }
}

export interface ResourceRef {
  group: string;
  plural: string;
  name?: string;
}

/** `deployments.apps "istiod"`, `configmaps "istio"`, `deployments.apps` (collection). */
function qualified(ref: ResourceRef): string {
  const resource = ref.group ? `${ref.plural}.${ref.group}` : ref.plural;
  return ref.name === undefined ? resource : `${resource} "${ref.name}"`;
}

function failure(code: number, reason: string, message: string, details?: StatusBody["details"]): ApiError {
  return new ApiError({
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  });
}

function refDetails(ref: ResourceRef): StatusBody["details"] {
  return { ...(ref.name !== undefined ? { name: ref.name } : {}), ...(ref.group ? { group: ref.group } : {}), kind: ref.plural };
}

export const statusErrors = {
  notFound: (ref: ResourceRef) => failure(404, "NotFound", `${qualified(ref)} not found`, refDetails(ref)),
  namespaceNotFound: (namespace: string) =>
    failure(404, "NotFound", `namespaces "${namespace}" not found`, { name: namespace, kind: "namespaces" }),
  pageNotFound: () =>
    failure(404, "NotFound", "the server could not find the requested resource", {
      causes: [{ reason: "UnexpectedServerResponse", message: "404 page not found" }],
    }),
  alreadyExists: (ref: ResourceRef) => failure(409, "AlreadyExists", `${qualified(ref)} already exists`, refDetails(ref)),
  conflict: (ref: ResourceRef, message: string, causes: { type: string; message: string; field: string }[]) =>
    failure(409, "Conflict", message, { ...refDetails(ref), causes }),
  terminating: (namespace: string, ref: ResourceRef) =>
    failure(
      403,
      "Forbidden",
      `${qualified(ref)} is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
      {
        ...refDetails(ref),
        causes: [{ reason: "NamespaceTerminating", message: `namespace ${namespace} is being terminated`, field: "metadata.namespace" }],
      },
    ),
  invalid: (kind: string, group: string, name: string, causes: { field: string; message: string }[]) =>
    failure(
      422,
      "Invalid",
      `${kind}${group ? `.${group}` : ""} "${name}" is invalid: ${causes.map((cause) => `${cause.field}: ${cause.message}`).join(", ")}`,
      {
        name,
        ...(group ? { group } : {}),
        kind,
        causes: causes.map((cause) => ({ reason: "FieldValueInvalid", message: cause.message, field: cause.field })),
      },
    ),
  badRequest: (message: string) => failure(400, "BadRequest", message),
  unsupportedMediaType: (type: string) =>
    failure(
      415,
      "UnsupportedMediaType",
      `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml (got ${type})`,
    ),
  methodNotAllowed: (method: string) =>
    failure(405, "MethodNotAllowed", `the server does not allow this method on the requested resource (${method})`),
  unauthorized: () => failure(401, "Unauthorized", "Unauthorized"),
  forbidden: (user: string, verb: string, ref: ResourceRef, namespace: string | undefined) =>
    failure(
      403,
      "Forbidden",
      `${qualified(ref)} is forbidden: User "${user}" cannot ${verb} resource "${ref.plural}" in API group "${ref.group}" ${namespace ? `in the namespace "${namespace}"` : "at the cluster scope"}`,
      refDetails(ref),
    ),
  internal: (message: string) => failure(500, "InternalError", `Internal error occurred: ${message}`),
};

export function successStatus(ref: ResourceRef, uid: string | undefined) {
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", details: { ...refDetails(ref), ...(uid ? { uid } : {}) } };
}
