// Kubeconfig forms kubectl accepts. kubectl reads the file with sigs.k8s.io/yaml over go-yaml v2: YAML 1.1 scalars
// (`yes` is true), anchors and merge keys, JSON, and only the first document of the file.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ClusterError } from "../../src/core/errors.js";
import { kubeconfigContextNames, loadKubeConfig } from "../../src/kube/config.js";

const dir = mkdtempSync(join(tmpdir(), "mesh-kubeconfig-"));
let count = 0;
function file(text: string): string {
  const path = join(dir, `config-${++count}`);
  writeFileSync(path, text);
  return path;
}

const caData = Buffer.from("-----BEGIN CERTIFICATE-----\nnot checked here\n-----END CERTIFICATE-----\n").toString("base64");

async function failure(promise: Promise<unknown>): Promise<ClusterError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ClusterError);
  return error as ClusterError;
}

describe("kubeconfig forms kubectl accepts", () => {
  it("reads the usual block style with comments and a document start marker", async () => {
    const loaded = await loadKubeConfig({
      kubeconfig: file(`# written by kind
---
apiVersion: v1
kind: Config
clusters:
- cluster:
    certificate-authority-data: ${caData}
    server: https://127.0.0.1:6443/
  name: kind-kind
contexts:
- context:
    cluster: kind-kind
    user: kind-kind
  name: kind-kind
current-context: kind-kind
users:
- name: kind-kind
  user:
    token: "abc.def"   # quoted
preferences: {}
`),
      env: {},
    });
    expect(loaded).toMatchObject({ contextName: "kind-kind", server: "https://127.0.0.1:6443" });
    expect(loaded.connection?.token).toBe("abc.def");
    expect(loaded.connection?.ca?.toString()).toContain("not checked here");
    expect(loaded.connection?.rejectUnauthorized).toBe(true);
  });

  it("reads a kubeconfig written as JSON", async () => {
    const loaded = await loadKubeConfig({
      kubeconfig: file(
        JSON.stringify({
          clusters: [{ name: "c", cluster: { server: "https://example.invalid:443" } }],
          users: [{ name: "u", user: { token: "t" } }],
          contexts: [{ name: "x", context: { cluster: "c", user: "u" } }],
          "current-context": "x",
        }),
      ),
      env: {},
    });
    expect(loaded).toMatchObject({ contextName: "x", server: "https://example.invalid:443" });
    expect(loaded.connection?.token).toBe("t");
  });

  it("takes YAML 1.1 booleans as kubectl does: insecure-skip-tls-verify: yes skips verification", async () => {
    for (const [written, rejectUnauthorized] of [
      ["yes", false],
      ["on", false],
      ["true", false],
      ["no", true],
      ['"yes"', true],
    ] as const) {
      const loaded = await loadKubeConfig({
        kubeconfig: file(`clusters:
- name: c
  cluster:
    server: https://example.invalid
    insecure-skip-tls-verify: ${written}
users: [{name: u, user: {token: t}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`),
        env: {},
      });
      expect({ written, rejectUnauthorized: loaded.connection?.rejectUnauthorized }).toEqual({ written, rejectUnauthorized });
    }
  });

  it("resolves anchors, aliases and merge keys", async () => {
    const loaded = await loadKubeConfig({
      kubeconfig: file(`shared: &shared
  server: https://shared.invalid
  tls-server-name: api.internal
clusters:
- name: c
  cluster:
    <<: *shared
    server: https://own.invalid
users:
- name: u
  user: &user
    token: t
- name: v
  user: *user
contexts:
- {name: x, context: {cluster: c, user: v}}
current-context: x
`),
      env: {},
    });
    expect(loaded.server).toBe("https://own.invalid");
    expect(loaded.connection).toMatchObject({ token: "t", servername: "api.internal" });
  });

  it("reads only the first document, as kubectl does", async () => {
    const path = file(`clusters: [{name: c, cluster: {server: "https://first.invalid"}}]
users: [{name: u, user: {token: t}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
---
this: [is never read
`);
    expect((await loadKubeConfig({ kubeconfig: path, env: {} })).server).toBe("https://first.invalid");
    expect(kubeconfigContextNames({ kubeconfig: path, env: {} })).toEqual(["x"]);
  });

  it("treats an empty file or one with only comments as a kubeconfig without contexts", async () => {
    for (const text of ["", "# nothing yet\n"]) {
      const error = await failure(loadKubeConfig({ kubeconfig: file(text), env: {} }));
      expect(error.message).toMatch(/has no current context$/);
    }
  });

  it("names the line of a syntax error without echoing the file", async () => {
    const path = file("users:\n- name: u\n  user:\n    token: secret-value-1\n  bad: [unclosed\n");
    const error = await failure(loadKubeConfig({ kubeconfig: path, env: {} }));
    expect(error.message).toMatch(new RegExp(`^kubeconfig ${path} could not be read: .*\\(line \\d+, column \\d+\\)$`));
    expect(error.message).not.toContain("secret-value-1");
  });

  it("refuses a number JavaScript cannot hold exactly without quoting it (it could be a credential)", async () => {
    const path = file("users:\n- name: u\n  user:\n    token: 1234567890123456789\n");
    const error = await failure(loadKubeConfig({ kubeconfig: path, env: {} }));
    expect(error.message).toBe(`kubeconfig ${path} could not be read: a value that kubectl cannot turn into JSON (line 4, column 12)`);
  });

  it("refuses a key repeated in one mapping, as mesh did before (kubectl would keep the last one)", async () => {
    const path = file("current-context: a\ncurrent-context: b\n");
    const error = await failure(loadKubeConfig({ kubeconfig: path, env: {} }));
    expect(error.message).toContain('mapping key "current-context" already defined');
  });
});
