// Shared by the injection conformance files: fixtures, the harness lifecycle, an injector with mesh's
// templates, pod accessors and golden files.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import { beforeAll, describe, expect } from "vitest";
import { toYamlStream } from "../../../src/core/documents/index.js";
import { injectionConfigDefaults, injectionTemplates } from "../../../src/core/render/injection/index.js";
import { goToolchainVersion } from "../go-program.js";
import { buildHarness, runHarness, type HarnessCase, type HarnessResult } from "./harness.js";
import { injectPods, type Container, type InjectionOutcome, type InjectorEnvironment, type Pod } from "./istiod-injector.js";

export const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), "../../fixtures/injection");
export const readJson = (name: string) => JSON.parse(readFileSync(path.join(fixtures, name), "utf8")) as Record<string, unknown>;
export const readPod = (name: string) => parseYaml(readFileSync(path.join(fixtures, name), "utf8")) as Pod;

/** The Go toolchain's version, or undefined (after a loud warning) when `go` is not on PATH. */
export async function requireGo(): Promise<string | undefined> {
  const version = await goToolchainVersion();
  if (!version) {
    console.warn(
      "\n!!! SKIPPING injection template conformance: `go` is not on PATH.\n" +
        "!!! Install: apt-get install -y golang-go golang-github-masterminds-sprig-dev golang-gopkg-yaml.v2-dev\n",
    );
  }
  return version;
}

/**
 * A describe block whose tests get an injector with mesh's templates, skipped (with the warning above) where Go is
 * missing. Each conformance file starts with one.
 */
export async function describeWithInjector(title: string, body: (injector: ReturnType<typeof useInjector>) => void): Promise<void> {
  const goVersion = await requireGo();
  describe.skipIf(!goVersion)(title, () => body(useInjector()));
}

/** The security context istiod's templates give istio-proxy and the validation init container: uid 1337, nothing privileged. */
export const restrictedProxySecurityContext = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ["ALL"] },
  privileged: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  runAsUser: 1337,
  runAsGroup: 1337,
};

/** The volumes istiod's proxy templates declare, in order (the sidecar adds istio-ca-crl after them). */
export const proxyVolumeNames = [
  "workload-socket",
  "credential-socket",
  "workload-certs",
  "istio-envoy",
  "istio-data",
  "istio-podinfo",
  "istio-token",
  "istiod-ca-cert",
];

/** istio-proxy's readiness probe on the status port, as the sidecar and gateway templates declare it. */
export const proxyReadinessProbe = {
  httpGet: { path: "/healthz/ready", port: 15021 },
  initialDelaySeconds: 0,
  periodSeconds: 15,
  timeoutSeconds: 3,
  failureThreshold: 4,
};

/**
 * pod-cart.yaml's container names after an injection without any capture init container, as `[native sidecars,
 * initContainers, containers]`: a native sidecar proxy is the one init container, otherwise it follows the app.
 */
export const cartContainersByNative: [boolean, string[], string[]][] = [
  [false, [], ["api", "istio-proxy"]],
  [true, ["istio-proxy"], ["api"]],
];

export type Options = { native?: boolean; values?: Record<string, unknown>; mesh?: Record<string, unknown>; revision?: string };

export function deepMerge(base: unknown, patch: unknown): unknown {
  if (typeof base !== "object" || base === null || Array.isArray(base)) return patch;
  if (typeof patch !== "object" || patch === null || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(patch)) out[k] = deepMerge(out[k], v);
  return out;
}

/** The chart-default values and mesh config of test/fixtures/injection, with overrides. */
export function environment(options: Options = {}): InjectorEnvironment {
  return {
    values: deepMerge(readJson("values.json"), options.values ?? {}) as Record<string, unknown>,
    meshConfig: deepMerge(readJson("mesh.json"), options.mesh ?? {}) as Record<string, unknown>,
    revision: options.revision ?? "default",
    nativeSidecars: options.native ?? false,
  };
}

/** Builds the harness once per file (call inside the file's describe) and injects with mesh's templates. */
export function useInjector() {
  let binary = "";
  const templates = injectionTemplates();
  beforeAll(async () => {
    binary = await buildHarness();
  });
  const run = (cases: HarnessCase[]): Promise<Map<string, HarnessResult>> => runHarness(binary, cases);
  async function injectAll(pods: Pod[], options: Options = {}, config = injectionConfigDefaults()): Promise<InjectionOutcome[]> {
    return injectPods(run, { ...config, templates }, environment(options), pods);
  }
  async function inject(pod: Pod, options: Options = {}): Promise<Pod> {
    const [outcome] = await injectAll([pod], options);
    if (outcome?.kind !== "injected") throw new Error(`not injected: ${JSON.stringify(outcome)}`);
    return outcome.pod;
  }
  return { templates, run, injectAll, inject };
}

export function withAnnotations(pod: Pod, annotations: Record<string, string>): Pod {
  const out = structuredClone(pod);
  out.metadata.annotations = { ...out.metadata.annotations, ...annotations };
  return out;
}

export type Env = { name: string; value?: string; valueFrom?: unknown };
export const allContainers = (pod: Pod): Container[] => [...(pod.spec.initContainers ?? []), ...pod.spec.containers];
export const container = (pod: Pod, name: string): Container => {
  const found = allContainers(pod).find((c) => c.name === name);
  if (!found)
    throw new Error(
      `no container ${name} in ${allContainers(pod)
        .map((c) => c.name)
        .join(",")}`,
    );
  return found;
};
export const names = (list: { name: string }[] | undefined) => (list ?? []).map((c) => c.name);
export const envOf = (c: Container) => (c.env as Env[] | undefined) ?? [];
export const envValue = (c: Container, name: string) => envOf(c).find((e) => e.name === name)?.value;
export const args = (c: Container) => c.args as string[];
export const argAfter = (c: Container, flag: string) => {
  const i = args(c).indexOf(flag);
  return i < 0 ? undefined : args(c)[i + 1];
};

/**
 * Reviewed snapshots of complete outputs. `REFRESH_GOLDEN=1 npm run conformance` rewrites them; review the
 * diff object by object before committing.
 */
export function expectGolden(name: string, objects: unknown[]): void {
  const file = path.join(fixtures, "golden", `${name}.yaml`);
  const text = toYamlStream(objects);
  if (process.env.REFRESH_GOLDEN === "1") {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
    return;
  }
  if (!existsSync(file)) throw new Error(`golden ${file} missing; run with REFRESH_GOLDEN=1 and review it`);
  expect(text).toBe(readFileSync(file, "utf8"));
}
