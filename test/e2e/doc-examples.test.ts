import { execa } from "execa";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGatewayApiWorld, type GatewayApiWorld } from "./gateway-api-helpers.js";
import { meshBin, repoRoot } from "./run-mesh.js";
import { releaseArchive } from "../cli/release-fixture.js";
import { seedStorefront } from "./storefront-cluster.js";
import { runCommandOnTerminal } from "./terminal.js";

// Every `mesh …` line in a fenced block of README.md and docs/*.md runs here, in order, against the Kubernetes API
// test server (and a loopback Gateway API release mirror), so that an example can never drift from what mesh does.
// `npx mesh-cli …`, `npx mesh …` and `node bin/mesh.js …` are the same command. Each must exit 0; one that would
// ask for confirmation runs on a pseudo-terminal and is answered "y". A transcript (`$ mesh …` and the lines it
// prints) runs in the repository and must print exactly what the page shows.

interface Example {
  file: string;
  line: number;
  command: string;
  /** For a transcript (`$ mesh …` followed by what it prints): the output shown; it runs in the repository. */
  output?: string;
}

const meshCommand = /^(?:npx mesh-cli|npx mesh|node bin\/mesh\.js|mesh)(?=\s|$)/;

export function docExamples(file: string, text: string): Example[] {
  const examples: Example[] = [];
  let fenced = false;
  let transcript: Example | undefined;
  text.split("\n").forEach((raw, index) => {
    if (/^\s*```/.test(raw)) {
      fenced = !fenced;
      transcript = undefined;
      return;
    }
    if (!fenced) return;
    if (transcript && !raw.startsWith("$ ")) {
      transcript.output = `${transcript.output ?? ""}${raw}\n`;
      return;
    }
    const prompted = raw.startsWith("$ ");
    const withoutPrompt = raw.trim().replace(/^\$\s+/, "");
    // `npm ci && npx mesh …`: the mesh part is the example.
    for (const part of withoutPrompt.split(/\s*&&\s*/)) {
      if (!meshCommand.test(part)) continue;
      const command = part.replace(meshCommand, "mesh").replace(/\s+#.*$/, "");
      const example: Example = { file, line: index + 1, command, ...(prompted ? { output: "" } : {}) };
      examples.push(example);
      if (prompted) transcript = example;
    }
  });
  return examples;
}

const documents = [
  "README.md",
  ...readdirSync(join(repoRoot, "docs"))
    .filter((name) => name.endsWith(".md"))
    .map((name) => `docs/${name}`),
];

/** Files the examples name, in a scratch directory per document. */
async function sandbox(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "mesh-doc-examples-"));
  mkdirSync(join(dir, "bin"));
  writeFileSync(join(dir, "bin", "mesh"), `#!/bin/sh\nexec "${process.execPath}" "${meshBin}" "$@"\n`);
  chmodSync(join(dir, "bin", "mesh"), 0o755);
  // The storefront fixture converts cleanly only with its Services and DestinationRules, as a real migration would.
  const storefront = ["networking.yaml", "platform.yaml", "destination-rules.yaml"].map((name) => {
    copyFileSync(join(repoRoot, "test/fixtures/convert/storefront", name), join(dir, name));
    return readFileSync(join(repoRoot, "test/fixtures/convert/storefront", name), "utf8");
  });
  for (const name of ["istio.yaml", "gateways.yaml"]) writeFileSync(join(dir, name), storefront.join("---\n"));
  const converted = await execa(process.execPath, [meshBin, "convert", "gateway-to-httproute", join(dir, "istio.yaml")], {
    env: { NO_COLOR: "1" },
  });
  writeFileSync(join(dir, "routes.yaml"), converted.stdout);
  mkdirSync(join(dir, "manifests"));
  writeFileSync(join(dir, "manifests", "routes.yaml"), converted.stdout);
  // An Istio 1.30.3 release as `--manifests` examples name it: istio-1.30.3/manifests and the archive with its .sha256.
  await releaseArchive("1.30.3", true, dir);
  writeFileSync(join(dir, "my-operator.yaml"), "apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nspec:\n  profile: minimal\n");
  return dir;
}

describe.each(documents)("examples in %s", (document) => {
  const examples = docExamples(document, readFileSync(join(repoRoot, document), "utf8"));
  let world: GatewayApiWorld;
  let dir: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    world = await startGatewayApiWorld();
    for (const version of ["v1.2.1", "v1.5.1"]) world.publish(version, "standard");
    if (document === "docs/convert.md") await seedStorefront(world.cluster);
    dir = await sandbox();
    env = {
      PATH: `${join(dir, "bin")}:${process.env.PATH ?? ""}`,
      KUBECONFIG: world.cluster.kubeconfig,
      MESH_GATEWAY_API_BASE_URL: world.mirror.baseUrl,
      XDG_CACHE_HOME: world.cacheHome,
      NO_COLOR: "1",
    };
  });
  afterAll(() => world.stop());

  it("has examples, or none to check", () => {
    expect(examples.every((example) => example.command.startsWith("mesh"))).toBe(true);
  });

  it.each(examples.map((example) => [`${example.file}:${example.line}: ${example.command}`, example] as const))(
    "%s",
    async (_title, example) => {
      const prompts =
        /^mesh (install|uninstall|gateway-api (install|uninstall))\b/.test(example.command) &&
        !/\s(-y|--skip-confirmation|--dry-run)\b/.test(example.command);
      if (prompts) {
        const run = await runCommandOnTerminal(`cd ${dir} && ${example.command}`, { env, prompt: "(y/N) ", keys: "y\n" });
        expect(run.output).not.toMatch(/Error:/);
        expect(run.exitCode).toBe(0);
        return;
      }
      if (example.output !== undefined) {
        // A transcript shows its output (findings included, so any exit code): it must print exactly that.
        const shown = await execa("bash", ["-c", example.command], { cwd: repoRoot, env, reject: false, extendEnv: true });
        expect(shown.stdout.trimEnd()).toBe(example.output.trimEnd());
        return;
      }
      const run = await execa("bash", ["-c", example.command], { cwd: dir, env, reject: false, extendEnv: true });
      expect(run.stderr).not.toMatch(/Error:/);
      // `manifest diff`, like diff(1), exits 1 when the two sides differ, which is what its examples show.
      const allowedExitCodes = /^mesh manifest diff\b/.test(example.command) ? [0, 1] : [0];
      expect(allowedExitCodes).toContain(run.exitCode);
    },
    120_000,
  );
});
