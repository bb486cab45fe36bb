import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/core/gatewayapi/verify.js";
import { unreachableBaseUrl } from "../fixtures/gateway-api/bundle-server.js";
import { syntheticBundle, syntheticCrd } from "../fixtures/gateway-api/synthetic-bundle.js";
import { startGatewayApiWorld, type GatewayApiWorld } from "./gateway-api-helpers.js";
import { freshForEachTest } from "./per-test.js";

const world = freshForEachTest(startGatewayApiWorld);

const standardV121 = [
  "gatewayclasses.gateway.networking.k8s.io",
  "gateways.gateway.networking.k8s.io",
  "grpcroutes.gateway.networking.k8s.io",
  "httproutes.gateway.networking.k8s.io",
  "referencegrants.gateway.networking.k8s.io",
];

describe("mesh gateway-api install", () => {
  it("installs the five standard v1.2.1 CRDs on an empty cluster and waits until they are Established", async () => {
    world.publish("v1.2.1", "standard");
    const result = await world.gatewayApi(["install", "--version", "v1.2.1", "-y"]);
    expect(result.stderr).toContain("✔ Gateway API v1.2.1 (standard) installed: 5 CRDs Established");
    expect(result.exitCode).toBe(0);
    const crds = world.crds();
    expect(crds.map((crd) => crd.metadata.name).sort()).toEqual(standardV121);
    for (const crd of crds) {
      expect(crd.metadata.annotations).toMatchObject({
        "gateway.networking.k8s.io/bundle-version": "v1.2.1",
        "gateway.networking.k8s.io/channel": "standard",
      });
      expect(crd.status.conditions).toContainEqual(expect.objectContaining({ type: "Established", status: "True" }));
      expect((crd as any).metadata.managedFields.map((entry: any) => entry.manager)).toEqual(["mesh"]);
    }
  });

  it("applies nothing when the same version and channel are installed", async () => {
    world.publish("v1.2.1", "standard");
    await world.gatewayApi(["install", "--version", "v1.2.1", "-y"]);
    world.cluster.server.clearRequests();
    const again = await world.gatewayApi(["install", "--version", "v1.2.1", "-y"]);
    expect(again.exitCode).toBe(0);
    expect(again.stderr).toContain("✔ Gateway API v1.2.1 (standard) is already installed; nothing applied");
    expect(world.writes()).toEqual([]);
    expect(world.cluster.server.requests().filter((request) => request.dryRun)).toEqual([]);
  });

  it("refuses v1.1.0 afterwards, before reading the cluster", async () => {
    world.publish("v1.2.1", "standard");
    await world.gatewayApi(["install", "--version", "v1.2.1", "-y"]);
    world.cluster.server.clearRequests();
    const older = await world.gatewayApi(["install", "--version", "v1.1.0", "-y"]);
    expect(older.exitCode).toBe(2);
    expect(older.stderr).toMatch(/^Error: Gateway API v1\.1\.0 is not a version mesh supports\n/);
    expect(world.cluster.server.requests()).toEqual([]);
  });

  it("refuses to downgrade without --force, and downgrades with it", async () => {
    world.publish("v1.4.1", "standard");
    world.publish("v1.3.0", "standard");
    await world.gatewayApi(["install", "--version", "v1.4.1", "-y"]);
    world.cluster.server.clearRequests();
    const refused = await world.gatewayApi(["install", "--version", "v1.3.0", "-y"]);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toMatch(
      /Error: refusing to install Gateway API v1\.3\.0 \(standard\): v1\.4\.1 is installed, newer than the requested v1\.3\.0/,
    );
    expect(refused.stderr).toContain("Nothing was applied.");
    expect(world.writes()).toEqual([]);

    const forced = await world.gatewayApi(["install", "--version", "v1.3.0", "--force", "-y"]);
    expect(forced.exitCode).toBe(0);
    expect(forced.stderr).toMatch(/Warning: --force: v1\.4\.1 is installed, newer than the requested v1\.3\.0/);
    expect(new Set(world.crds().map((crd) => crd.metadata.annotations?.["gateway.networking.k8s.io/bundle-version"]))).toEqual(
      new Set(["v1.3.0", "v1.4.1"]),
    );
  });

  it("refuses to go below v1.5.0 under the safe-upgrades policy, even with --force", async () => {
    world.publish("v1.5.1", "standard");
    world.publish("v1.4.1", "standard");
    await world.gatewayApi(["install", "--version", "v1.5.1", "-y"]);
    world.cluster.server.clearRequests();
    const refused = await world.gatewayApi(["install", "--version", "v1.4.1", "--force", "-y"]);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toMatch(
      /ValidatingAdmissionPolicy safe-upgrades\.gateway\.networking\.k8s\.io denies Gateway API CRDs older than v1\.5\.0/,
    );
    expect(refused.stderr).toContain(
      "kubectl delete validatingadmissionpolicybinding,validatingadmissionpolicy safe-upgrades.gateway.networking.k8s.io",
    );
    expect(world.writes()).toEqual([]);
  });

  it("refuses to switch to the experimental channel without --force, saying what the switch means", async () => {
    world.publish("v1.2.1", "standard");
    world.publish("v1.2.1", "experimental");
    await world.gatewayApi(["install", "--version", "v1.2.1", "-y"]);
    world.cluster.server.clearRequests();
    const refused = await world.gatewayApi(["install", "--version", "v1.2.1", "--channel", "experimental", "-y"]);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toMatch(/installed from the standard channel; the experimental CRDs of v1\.2\.1 add alpha fields/);
    expect(refused.stderr).toMatch(/Pass --force to switch to the experimental channel anyway/);
    expect(world.writes()).toEqual([]);

    const forced = await world.gatewayApi(["install", "--version", "v1.2.1", "--channel", "experimental", "--force", "-y"]);
    expect(forced.exitCode).toBe(0);
    expect(world.crds()).toHaveLength(10);
    expect(world.crds().every((crd) => crd.metadata.annotations?.["gateway.networking.k8s.io/channel"] === "experimental")).toBe(true);
  });

  it("upgrades v1.2.1 to v1.5.1 with warnings about skipped minors, storedVersions and the safe-upgrades policy", async () => {
    world.publish("v1.2.1", "standard");
    world.publish("v1.5.1", "standard");
    await world.gatewayApi(["install", "--version", "v1.2.1", "-y"]);
    const upgrade = await world.gatewayApi(["install", "--version", "v1.5.1", "-y"]);
    expect(upgrade.exitCode).toBe(0);
    expect(upgrade.stderr).toContain("Warning: upgrading from v1.2.1 skips v1.3, v1.4");
    expect(upgrade.stderr).toContain("httproutes.gateway.networking.k8s.io: storedVersions [v1], new storage version v1");
    expect(upgrade.stderr).toContain("✔ Gateway API v1.5.1 (standard) upgraded: 8 CRDs Established");
    expect(world.crds()).toHaveLength(8);
    expect(world.cluster.server.objects({ kind: "ValidatingAdmissionPolicy" }).map((policy: any) => policy.metadata.name)).toEqual([
      "safe-upgrades.gateway.networking.k8s.io",
    ]);
  });

  it("prints what it would apply with --dry-run and changes nothing", async () => {
    world.publish("v1.2.1", "standard");
    const result = await world.gatewayApi(["install", "--version", "v1.2.1", "--dry-run"]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout.match(/^kind: CustomResourceDefinition$/gm)).toHaveLength(5);
    expect(result.stderr).toContain("Dry run: would install Gateway API v1.2.1 (standard) (5 objects); nothing applied");
    expect(world.writes()).toEqual([]);
    expect(world.crds()).toEqual([]);
  });

  it("prints the bundle with --dry-run when there is no cluster, saying that nothing was decided", async () => {
    world.publish("v1.2.1", "standard");
    const result = await world.gatewayApi(["install", "--version", "v1.2.1", "--dry-run"], { env: { KUBECONFIG: "" } });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toMatch(/The cluster is not reachable \(no kubeconfig found/);
    expect(result.stderr).toContain("Dry run without a cluster: printing the 5 objects a cluster without Gateway API would get");
    expect(result.stdout.match(/^kind: CustomResourceDefinition$/gm)).toHaveLength(5);
  });

  it("still fails without a cluster when it is not a dry run", async () => {
    world.publish("v1.2.1", "standard");
    const result = await world.gatewayApi(["install", "--version", "v1.2.1", "-y"], { env: { KUBECONFIG: "" } });
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toMatch(/^Error: no kubeconfig found/m);
  });

  it("installs from --from-file without the network", async () => {
    const { writeFileSync } = await import("node:fs");
    const path = `${world.cacheHome}/bundle.yaml`;
    writeFileSync(path, syntheticBundle("v1.2.1", "standard"));
    const result = await world.gatewayApi(["install", "--version", "v1.2.1", "--from-file", path, "-y"], {
      env: { MESH_GATEWAY_API_BASE_URL: await unreachableBaseUrl() },
    });
    expect(result.exitCode).toBe(0);
    expect(world.crds()).toHaveLength(5);
    expect(world.mirror.requests).toEqual([]);
  });

  it("reads the version and channel of a --from-file bundle from its CRDs' annotations", async () => {
    const { writeFileSync } = await import("node:fs");
    const path = `${world.cacheHome}/experimental.yaml`;
    writeFileSync(path, syntheticBundle("v1.2.1", "experimental"));
    const result = await world.gatewayApi(["install", "--from-file", path, "-y"]);
    expect(result.stderr).toContain(`Reading the Gateway API bundle from ${path}`);
    expect(result.stderr).toMatch(/Bundle v1\.2\.1 \(experimental\) from .*experimental\.yaml/);
    expect(result.exitCode).toBe(0);
    expect(world.crds()).toHaveLength(10);
    // A flag still pins what the file must be.
    const pinned = await world.gatewayApi(["install", "--from-file", path, "--channel", "standard", "-y"]);
    expect(pinned.exitCode).toBe(2);
    expect(pinned.stderr).toContain("is not the v1.2.1 standard bundle");
  });

  it.each([
    [
      "no bundle-version annotation",
      { crd: { bundleVersion: null } },
      /no CRD in it carries the gateway\.networking\.k8s\.io\/bundle-version annotation/,
    ],
    [
      "two versions",
      {
        mutate: (documents: Array<Record<string, any>>) =>
          documents.map((d, i) =>
            i === 0
              ? {
                  ...d,
                  metadata: {
                    ...d.metadata,
                    annotations: { ...d.metadata.annotations, "gateway.networking.k8s.io/bundle-version": "v1.5.1" },
                  },
                }
              : d,
          ),
      },
      /its CRDs name v1\.2\.1 and v1\.5\.1/,
    ],
    ["no channel annotation", { crd: { channel: null } }, /no CRD in it carries the gateway\.networking\.k8s\.io\/channel annotation/],
  ])("refuses a --from-file bundle without --version when it cannot tell the release (%s)", async (_name, options, message) => {
    const { writeFileSync } = await import("node:fs");
    const path = `${world.cacheHome}/unknown.yaml`;
    writeFileSync(path, syntheticBundle("v1.2.1", "standard", options));
    const result = await world.gatewayApi(["install", "--from-file", path, "-y"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`cannot tell which Gateway API release ${path} holds`);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain("Pass --");
    expect(world.writes()).toEqual([]);
  });

  it("refuses an untested version read from a --from-file bundle unless --force", async () => {
    const { writeFileSync } = await import("node:fs");
    const path = `${world.cacheHome}/v1.6.0.yaml`;
    writeFileSync(path, syntheticBundle("v1.6.0", "standard"));
    const result = await world.gatewayApi(["install", "--from-file", path, "-y"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`Gateway API v1.6.0 (read from ${path}) is not a version mesh supports`);
    expect(world.writes()).toEqual([]);
  });

  it("reads the bundle from standard input with --from-file - (kubectl kustomize … | mesh gateway-api install)", async () => {
    const result = await world.gatewayApi(["install", "--version", "v1.2.1", "--from-file", "-", "-y"], {
      input: syntheticBundle("v1.2.1", "standard"),
    });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toMatch(/Bundle v1\.2\.1 \(standard\) from standard input, sha256 [0-9a-f]{64}/);
    expect(world.crds()).toHaveLength(5);
    expect(world.mirror.requests).toEqual([]);
  });

  it("installs offline from the cache once a version was downloaded", async () => {
    world.publish("v1.2.1", "standard");
    await world.gatewayApi(["install", "--version", "v1.2.1", "--dry-run"]);
    const offline = await world.gatewayApi(["install", "--version", "v1.2.1", "-y"], {
      env: { MESH_GATEWAY_API_BASE_URL: await unreachableBaseUrl() },
    });
    expect(offline.exitCode).toBe(0);
    expect(offline.stderr).toMatch(/from cache .*gateway-api\/v1\.2\.1\/standard-install\.yaml/);
    expect(world.crds()).toHaveLength(5);
  });
});

describe("mesh gateway-api install leaves the cluster untouched when it fails", () => {
  const cases: Array<[string, (world: GatewayApiWorld) => void | Promise<void>, string[], RegExp]> = [
    [
      "an HTML error page instead of YAML",
      (w) =>
        w.mirror.routes.set("/releases/v1.2.1/standard-install.yaml", {
          body: "<!DOCTYPE html><html><head><title>Proxy Login</title>",
          contentType: "text/html",
        }),
      [],
      /is an HTML page \("Proxy Login"\), not YAML/,
    ],
    [
      "a truncated download",
      (w) => {
        const body = syntheticBundle("v1.2.1", "standard");
        w.mirror.routes.set("/releases/v1.2.1/standard-install.yaml", { body, sendBytes: body.length - 200 });
      },
      [],
      /download of .* (is truncated|broke off)/,
    ],
    [
      "a truncated file served whole",
      (w) => {
        const body = syntheticBundle("v1.2.1", "standard");
        w.publish("v1.2.1", "standard", body.slice(0, body.lastIndexOf("---\n")));
      },
      [],
      /missing CRDs referencegrants\.gateway\.networking\.k8s\.io/,
    ],
    [
      "a bundle of another version",
      (w) => w.publish("v1.2.1", "standard", syntheticBundle("v1.3.0", "standard")),
      [],
      /bundle-version is v1\.3\.0, not v1\.2\.1/,
    ],
    [
      "a tampered bundle (pinned digest differs)",
      (w) => w.publish("v1.2.1", "standard", `${syntheticBundle("v1.2.1", "standard")}# edited\n`),
      ["--sha256", sha256Hex(syntheticBundle("v1.2.1", "standard"))],
      /has SHA-256 [0-9a-f]{64}, not the pinned/,
    ],
    [
      "a tampered bundle (an extra object)",
      (w) =>
        w.publish(
          "v1.2.1",
          "standard",
          `${syntheticBundle("v1.2.1", "standard")}---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: backdoor\n`,
        ),
      [],
      /ClusterRoleBinding backdoor .* is not a Gateway API CRD/,
    ],
    ["a missing release asset", () => {}, [], /HTTP 404 Not Found/],
  ];

  it.each(cases)("%s", async (_label, arrange, extraArgs, message) => {
    await arrange(world);
    const result = await world.gatewayApi(["install", "--version", "v1.2.1", "-y", ...extraArgs]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.match(/^Error: /gm)).toHaveLength(1);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(world.writes()).toEqual([]);
    expect(world.crds()).toEqual([]);
  });

  it("names the URL and --from-file when offline without a cached copy", async () => {
    const base = await unreachableBaseUrl();
    const result = await world.gatewayApi(["install", "--version", "v1.2.1", "-y"], { env: { MESH_GATEWAY_API_BASE_URL: base } });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`could not download the Gateway API bundle from ${base}/v1.2.1/standard-install.yaml`);
    expect(result.stderr).toContain("--from-file PATH");
    expect(world.writes()).toEqual([]);
  });

  it("refuses CRDs that some other tool installed, naming them", async () => {
    world.publish("v1.2.1", "standard");
    world.cluster.server.createObject(syntheticCrd("gateways.gateway.networking.k8s.io", "v1.2.1", "standard", { bundleVersion: null }), {
      manager: "platform-addon",
    });
    world.cluster.server.clearRequests();
    const result = await world.gatewayApi(["install", "--version", "v1.2.1", "-y"]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/gateways\.gateway\.networking\.k8s\.io was not installed from a Gateway API release bundle/);
    expect(world.writes()).toEqual([]);
  });

  it("refuses without -y when standard input is not a terminal", async () => {
    world.publish("v1.2.1", "standard");
    const result = await world.gatewayApi(["install", "--version", "v1.2.1"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/without confirmation/);
    expect(world.writes()).toEqual([]);
  });
});

describe("mesh gateway-api status and uninstall", () => {
  it("reports each CRD and exits 0 for one consistent bundle", async () => {
    world.publish("v1.2.1", "standard");
    await world.gatewayApi(["install", "--version", "v1.2.1", "-y"]);
    const status = await world.gatewayApi(["status"]);
    expect(status.exitCode).toBe(0);
    expect(status.stdout).toMatch(/^CRD +INSTALLED +BUNDLE-VERSION +CHANNEL +SERVED +STORED +ESTABLISHED$/m);
    expect(status.stdout).toMatch(/^httproutes\.gateway\.networking\.k8s\.io +yes +v1\.2\.1 +standard +v1,v1beta1 +v1 +True$/m);
    expect(status.stdout).toContain("Gateway API v1.2.1 (standard): 5 CRDs installed.");
  });

  it("exits 1 and says so when versions are mixed", async () => {
    world.publish("v1.2.1", "standard");
    await world.gatewayApi(["install", "--version", "v1.2.1", "-y"]);
    world.cluster.server.createObject(syntheticCrd("tlsroutes.gateway.networking.k8s.io", "v1.3.0", "experimental"));
    const status = await world.gatewayApi(["status", "-o", "json"]);
    expect(status.exitCode).toBe(1);
    const report = JSON.parse(status.stdout);
    expect(report.bundles).toEqual(["v1.2.1 (standard)", "v1.3.0 (experimental)"]);
    expect(report.problems[0]).toMatch(/mixed Gateway API versions or channels/);
  });

  it("lists the default release's CRDs as not installed on an empty cluster", async () => {
    const status = await world.gatewayApi(["status"]);
    expect(status.exitCode).toBe(0);
    expect(status.stdout).toMatch(/^gateways\.gateway\.networking\.k8s\.io +no +- +- +- +- +-$/m);
    expect(status.stdout).toContain("Gateway API is not installed.");
  });

  it("uninstall warns that Gateways and routes go with the CRDs, and deletes them with -y", async () => {
    world.publish("v1.5.1", "standard");
    await world.gatewayApi(["install", "--version", "v1.5.1", "-y"]);
    const refused = await world.gatewayApi(["uninstall"]);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain("deletes every Gateway, HTTPRoute and other Gateway API resource in the cluster");
    expect(refused.stderr).toMatch(/Error: refusing to delete the Gateway API CRDs without confirmation/);
    expect(world.crds()).toHaveLength(8);
    world.cluster.server.createObject({
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "Gateway",
      metadata: { name: "web", namespace: "default" },
      spec: { gatewayClassName: "istio", listeners: [{ name: "http", port: 80, protocol: "HTTP" }] },
    });
    const preview = await world.gatewayApi(["uninstall", "--dry-run"]);
    expect(preview.stdout).toContain("ValidatingAdmissionPolicy safe-upgrades.gateway.networking.k8s.io");
    expect(preview.stdout).toContain("CustomResourceDefinition gateways.gateway.networking.k8s.io (1 Gateway)");
    expect(preview.stdout).toContain("CustomResourceDefinition httproutes.gateway.networking.k8s.io (0 HTTPRoute objects)");
    const removed = await world.gatewayApi(["uninstall", "-y"]);
    expect(removed.exitCode).toBe(0);
    expect(world.crds()).toEqual([]);
    expect(world.cluster.server.objects({ kind: "ValidatingAdmissionPolicy" })).toEqual([]);
  });
});

describe("mesh install --with-gateway-api", () => {
  it("installs the default Gateway API bundle before Istio, and leaves it alone the second time", async () => {
    const { gatewaysOnly } = await import("./kube-helpers.js");
    world.publish("v1.5.1", "standard");
    const env = { XDG_CACHE_HOME: world.cacheHome, MESH_GATEWAY_API_BASE_URL: world.mirror.baseUrl };
    const first = await world.cluster.mesh(["install", "--set", "profile=demo", ...gatewaysOnly, "--with-gateway-api", "-y"], { env });
    expect(first.exitCode).toBe(0);
    expect(first.stderr).toContain("✔ Gateway API v1.5.1 (standard) installed: 8 CRDs Established");
    expect(first.stderr.indexOf("Gateway API v1.5.1 (standard) installed")).toBeLessThan(first.stderr.indexOf("✔ Installation complete"));
    expect(world.crds()).toHaveLength(8);
    const again = await world.cluster.mesh(["install", "--set", "profile=demo", ...gatewaysOnly, "--with-gateway-api", "-y"], { env });
    expect(again.exitCode).toBe(0);
    expect(again.stderr).toContain("Gateway API v1.5.1 (standard) is already installed; nothing applied");
  });

  it("stops before Istio when the Gateway API install is refused", async () => {
    const { gatewaysOnly } = await import("./kube-helpers.js");
    world.publish("v1.5.1", "standard");
    world.cluster.server.createObject(syntheticCrd("gateways.gateway.networking.k8s.io", "v1.2.1", "experimental"));
    const env = { XDG_CACHE_HOME: world.cacheHome, MESH_GATEWAY_API_BASE_URL: world.mirror.baseUrl };
    const result = await world.cluster.mesh(["install", "--set", "profile=demo", ...gatewaysOnly, "--with-gateway-api", "-y"], { env });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/installed from the experimental channel/);
    expect(world.cluster.owned()).toEqual([]);
  });
});
