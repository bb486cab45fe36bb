import { describe, expect, it } from "vitest";
import { startTestCluster } from "./kube-helpers.js";
import { freshForEachTest } from "./per-test.js";

const cluster = freshForEachTest(() => startTestCluster());

const namespace = (name: string, labels: Record<string, string>) =>
  cluster.server.createObject({ apiVersion: "v1", kind: "Namespace", metadata: { name, labels } });
const webhooks = () => cluster.server.objects({ kind: "MutatingWebhookConfiguration" });
const webhook = (name: string) => webhooks().find((object) => object.metadata.name === name);

describe("mesh tag", () => {
  it("sets, lists (with the namespaces using each tag) and removes tags", async () => {
    expect((await cluster.mesh(["install", "--set", "profile=minimal", "--revision", "canary", "-y"])).exitCode).toBe(0);
    const set = await cluster.mesh(["tag", "set", "prod", "--revision", "canary"]);
    expect(set.stderr).toBe("");
    expect(set.exitCode).toBe(0);
    expect(set.stdout).toContain(`Revision tag "prod" created, referencing control plane revision "canary".`);
    const tagWebhook = webhook("istio-revision-tag-prod");
    expect(tagWebhook.metadata.labels).toMatchObject({ "istio.io/tag": "prod", "istio.io/rev": "canary" });
    // A tag the user set is not the installer's: no operator labels, so install and uninstall leave it alone.
    expect(Object.keys(tagWebhook.metadata.labels).filter((key) => key.includes("operator.istio.io"))).toEqual([]);
    expect(tagWebhook.webhooks[0].clientConfig.service).toMatchObject({
      name: "istiod-canary",
      namespace: "istio-system",
      path: "/inject",
    });

    namespace("shop", { "istio.io/rev": "prod" });
    namespace("billing", { "istio.io/rev": "prod" });
    const list = await cluster.mesh(["tag", "list"]);
    expect(list.exitCode).toBe(0);
    expect(list.stdout.split("\n")[0]).toMatch(/^TAG +REVISION +NAMESPACES$/);
    expect(list.stdout).toMatch(/^prod +canary +billing,shop$/m);
    const json = await cluster.mesh(["tag", "list", "-o", "json"]);
    expect(JSON.parse(json.stdout)).toEqual([{ tag: "prod", revision: "canary", namespaces: ["billing", "shop"] }]);

    const again = await cluster.mesh(["tag", "set", "prod", "--revision", "canary"]);
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toContain('revision tag "prod" already exists, and --overwrite is false');

    const refused = await cluster.mesh(["tag", "remove", "prod"]);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain('Caution, found 2 namespace(s) still injected by tag "prod": billing shop');
    expect(webhook("istio-revision-tag-prod")).toBeDefined();

    const removed = await cluster.mesh(["tag", "remove", "prod", "--skip-confirmation"]);
    expect(removed.exitCode).toBe(0);
    expect(removed.stdout).toBe("Revision tag prod removed");
    expect(webhook("istio-revision-tag-prod")).toBeUndefined();
    expect((await cluster.mesh(["tag", "list"])).stdout).toBe("No Istio revision tag MutatingWebhookConfigurations to list");
  });

  it("refuses a tag for a revision that is not installed, and a tag named like an installed revision", async () => {
    const missing = await cluster.mesh(["tag", "set", "prod", "--revision", "canary"]);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain('cannot find MutatingWebhookConfiguration with revision "canary"');
    expect((await cluster.mesh(["install", "--set", "profile=minimal", "--revision", "canary", "-y"])).exitCode).toBe(0);
    const clash = await cluster.mesh(["tag", "set", "canary", "--revision", "canary"]);
    expect(clash.exitCode).toBe(2);
    expect(clash.stderr).toContain('cannot create revision tag "canary": found existing control plane revision with same name');
    const removeMissing = await cluster.mesh(["tag", "remove", "nope"]);
    expect(removeMissing.exitCode).toBe(1);
    expect(removeMissing.stderr).toContain('cannot remove tag "nope": cannot find MutatingWebhookConfiguration for tag');
  });

  it("generate prints the tag's webhook and, for default, the validator; nothing is applied", async () => {
    expect((await cluster.mesh(["install", "--set", "profile=minimal", "--revision", "canary", "-y"])).exitCode).toBe(0);
    const before = webhooks().length;
    const generated = await cluster.mesh(["tag", "generate", "default", "--revision", "canary", "-o", "json"]);
    expect(generated.exitCode).toBe(0);
    const objects = JSON.parse(generated.stdout).items;
    expect(objects.map((object: any) => `${object.kind}/${object.metadata.name}`)).toEqual([
      "MutatingWebhookConfiguration/istio-revision-tag-default",
      "ValidatingWebhookConfiguration/istiod-default-validator",
    ]);
    expect(objects[0].webhooks.map((hook: any) => hook.name)).toEqual([
      "rev.namespace.sidecar-injector.istio.io",
      "rev.object.sidecar-injector.istio.io",
      "namespace.sidecar-injector.istio.io",
      "object.sidecar-injector.istio.io",
    ]);
    expect(objects[1].webhooks[0]).toMatchObject({
      clientConfig: { service: { name: "istiod-canary", namespace: "istio-system", path: "/validate" } },
      objectSelector: { matchExpressions: [{ key: "istio.io/rev", operator: "DoesNotExist" }] },
    });
    expect(webhooks()).toHaveLength(before);
    const manifestsOnly = await cluster.mesh(["tag", "set", "prod", "--revision", "canary", "--manifests-only"]);
    expect(manifestsOnly.stdout).toContain("name: istio-revision-tag-prod");
    expect(webhooks()).toHaveLength(before);
  });

  it("canary upgrade: install canary, point prod at it, relabel, remove the old revision", async () => {
    expect((await cluster.mesh(["install", "--set", "profile=minimal", "-y"])).exitCode).toBe(0);
    expect((await cluster.mesh(["tag", "set", "prod", "--revision", "default"])).exitCode).toBe(0);
    namespace("shop", { "istio.io/rev": "prod" });
    namespace("legacy", { "istio-injection": "enabled" });
    expect((await cluster.mesh(["tag", "list", "-o", "json"])).stdout).toContain('"revision": "default"');

    expect((await cluster.mesh(["install", "--set", "profile=minimal", "--revision", "canary", "-y"])).exitCode).toBe(0);
    const repoint = await cluster.mesh(["tag", "set", "prod", "--revision", "canary", "--overwrite"]);
    expect(repoint.exitCode).toBe(0);
    // default becomes canary too: istio-injection=enabled now goes to canary and the old injector is switched off.
    expect((await cluster.mesh(["tag", "set", "default", "--revision", "canary"])).exitCode).toBe(0);
    const old = webhook("istio-sidecar-injector");
    for (const hook of old.webhooks) expect(hook.namespaceSelector).toEqual({ matchLabels: { "istio.io/deactivated": "never-match" } });
    cluster.server.createObject({ apiVersion: "v1", kind: "Namespace", metadata: { name: "web", labels: { "istio.io/rev": "canary" } } });
    const list = JSON.parse((await cluster.mesh(["tag", "list", "-o", "json"])).stdout);
    expect(list).toEqual([
      { tag: "default", revision: "canary", namespaces: [] },
      { tag: "prod", revision: "canary", namespaces: ["shop"] },
    ]);

    const uninstall = await cluster.mesh(["uninstall", "--revision", "default", "-y"]);
    expect(uninstall.exitCode).toBe(0);
    const deployments = cluster.server.objects({ kind: "Deployment" }).map((object) => object.metadata.name);
    expect(deployments).toEqual(["istiod-canary"]);
    // The tags (user-managed) survive the old revision; the old injector is gone.
    expect(
      webhooks()
        .map((object) => object.metadata.name)
        .sort(),
    ).toEqual(["istio-revision-tag-default", "istio-revision-tag-prod", "istio-sidecar-injector-canary"]);
    expect(cluster.server.objects({ kind: "ValidatingWebhookConfiguration" }).map((object) => object.metadata.name)).toContain(
      "istiod-default-validator",
    );
  });
});
