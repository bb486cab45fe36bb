import type { FieldError } from "../field-errors.js";
import { invalid, required } from "./api-errors.js";
import { configKeyProblems } from "./names.js";

type Json = Record<string, unknown>;
const map = (value: unknown): Json => (value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Json) : {});

const MAX_SIZE = 1024 * 1024;

export function configMapErrors(object: Json): FieldError[] {
  const errors: FieldError[] = [];
  const data = map(object.data);
  const binary = map(object.binaryData);
  let size = 0;
  for (const [key, value] of Object.entries(data)) {
    for (const problem of configKeyProblems(key)) errors.push(invalid(["data", key], key, "K8S_DATA_KEY", problem));
    if (key in binary) errors.push(invalid(["data", key], key, "K8S_DATA_KEY", "duplicate of key present in binaryData"));
    size += typeof value === "string" ? Buffer.byteLength(value) : 0;
  }
  for (const [key, value] of Object.entries(binary)) {
    for (const problem of configKeyProblems(key)) errors.push(invalid(["binaryData", key], key, "K8S_DATA_KEY", problem));
    size += typeof value === "string" ? Math.floor((value.replace(/[\r\n=]/g, "").length * 3) / 4) : 0;
  }
  if (size > MAX_SIZE)
    errors.push({ type: "TooLong", path: [], code: "K8S_TOO_LONG", origin: "validation", detail: `must have at most ${MAX_SIZE} bytes` });
  return errors;
}

/** Keys each built-in Secret type requires (`stringData` is merged into `data` before validation). */
const requiredSecretKeys: Record<string, string[]> = {
  "kubernetes.io/tls": ["tls.crt", "tls.key"],
  "kubernetes.io/dockerconfigjson": [".dockerconfigjson"],
  "kubernetes.io/dockercfg": [".dockercfg"],
  "kubernetes.io/ssh-auth": ["ssh-privatekey"],
};

export function secretErrors(object: Json): FieldError[] {
  const errors: FieldError[] = [];
  const data = map(object.data);
  const stringData = map(object.stringData);
  for (const [field, entries] of [
    ["data", data],
    ["stringData", stringData],
  ] as const) {
    for (const key of Object.keys(entries)) {
      for (const problem of configKeyProblems(key)) errors.push(invalid([field, key], key, "K8S_DATA_KEY", problem));
    }
  }
  const keys = new Set([...Object.keys(data), ...Object.keys(stringData)]);
  const type = typeof object.type === "string" ? object.type : "Opaque";
  for (const key of requiredSecretKeys[type] ?? []) if (!keys.has(key)) errors.push(required(["data", key], "K8S_REQUIRED"));
  if (type === "kubernetes.io/basic-auth" && !keys.has("username") && !keys.has("password")) {
    errors.push(required(["data", "username"], "K8S_REQUIRED"), required(["data", "password"], "K8S_REQUIRED"));
  }
  if (type === "kubernetes.io/service-account-token") {
    const annotations = map(map(object.metadata).annotations);
    if (typeof annotations["kubernetes.io/service-account.name"] !== "string" || annotations["kubernetes.io/service-account.name"] === "") {
      errors.push(required(["metadata", "annotations", "kubernetes.io/service-account.name"], "K8S_REQUIRED"));
    }
  }
  return errors;
}
