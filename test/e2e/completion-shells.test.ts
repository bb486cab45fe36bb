import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { meshBin, runMesh } from "./run-mesh.js";

// The scripts of `mesh completion bash|zsh|fish`, sourced into the real shells, with `mesh` on PATH calling back
// into bin/mesh.js. CI installs the shells (.ci/run); elsewhere a missing shell skips its tests.

const root = mkdtempSync(join(tmpdir(), "mesh-completion-"));
const bin = join(root, "bin");
const work = join(root, "work");
const home = join(root, "home");
const kubeconfig = join(root, "kubeconfig");
const env = () => ({ ...process.env, PATH: `${bin}:${process.env.PATH ?? ""}`, HOME: home, KUBECONFIG: kubeconfig, NO_COLOR: "1" });

const available = (shell: string) => spawnSync(shell, ["-c", "exit 0"]).status === 0;
const skipUnlessInstalled = (shell: string) => !available(shell) && process.env.CI !== "1";

beforeAll(async () => {
  for (const dir of [bin, work, home, join(work, "manifests"), join(home, "fpath")]) mkdirSync(dir, { recursive: true });
  writeFileSync(join(bin, "mesh"), `#!/bin/sh\nexec "${process.execPath}" "${meshBin}" "$@"\n`);
  chmodSync(join(bin, "mesh"), 0o755);
  writeFileSync(join(work, "route.yaml"), "kind: HTTPRoute\n");
  writeFileSync(join(work, "manifests", "gateway.yaml"), "kind: Gateway\n");
  writeFileSync(
    kubeconfig,
    "apiVersion: v1\nkind: Config\ncontexts:\n- name: kind-dev\n  context: {cluster: dev, user: dev}\n- name: prod-eu\n  context: {cluster: prod, user: prod}\nclusters: []\nusers: []\n",
  );
  for (const shell of ["bash", "zsh", "fish"]) {
    const script = await runMesh(["completion", shell]);
    expect(script.exitCode).toBe(0);
    writeFileSync(join(root, `mesh.${shell}`), script.stdout);
  }
  writeFileSync(join(home, "fpath", "_mesh"), (await runMesh(["completion", "zsh"])).stdout);
});

/** What each shell offers for `line` (cursor at its end). */
interface Offer {
  candidates: string[];
  /** The command line after a single TAB (zsh only). */
  line?: string;
}

/** bash splits the words at = and : (COMP_WORDBREAKS); the script receives them split like that. */
function bashWords(line: string): string[] {
  const words = line
    .split(/\s+/)
    .filter(Boolean)
    .flatMap((word) => word.split(/([=:])/).filter(Boolean));
  if (/\s$/.test(line)) words.push("");
  return words;
}

function bash(line: string): Offer {
  const words = bashWords(line);
  const program = [
    `source ${join(root, "mesh.bash")}`,
    'compopt() { printf "compopt %s\\n" "$*" >&2; }',
    `COMP_LINE=${JSON.stringify(line)}; COMP_POINT=\${#COMP_LINE}`,
    `COMP_WORDS=(${words.map((word) => JSON.stringify(word)).join(" ")}); COMP_CWORD=${words.length - 1}`,
    "__mesh_complete",
    'printf "%s\\n" "${COMPREPLY[@]}"',
  ].join("\n");
  const out = execFileSync("bash", ["--norc", "-c", program], { cwd: work, env: env(), encoding: "utf8" });
  return { candidates: out.split("\n").filter(Boolean) };
}

function fish(line: string): Offer {
  const out = execFileSync("fish", ["--no-config", "-c", `source ${join(root, "mesh.fish")}; complete -C ${JSON.stringify(line)}`], {
    cwd: work,
    env: env(),
    encoding: "utf8",
  });
  return {
    candidates: out
      .split("\n")
      .filter(Boolean)
      .map((entry) => entry.split("\t")[0]!),
  };
}

/** An interactive zsh (compinit, the script autoloaded from $fpath) on a zpty: type the line and one TAB. */
function zsh(line: string): Offer {
  const dumped = join(root, "zsh-buffer");
  writeFileSync(
    join(home, ".zshrc"),
    [
      "PS1='PROMPT> '",
      `fpath=(${join(home, "fpath")} $fpath)`,
      "autoload -U compinit && compinit -u -D",
      `__dump() { print -r -- "$BUFFER" > ${dumped}; zle -M DUMPED }`,
      "zle -N __dump",
      "bindkey '^X^B' __dump",
    ].join("\n"),
  );
  const driver = [
    "zmodload zsh/zpty",
    `zpty -b z "cd ${work} && ZDOTDIR=${home} TERM=dumb zsh -i"`,
    "zpty -r z out '*PROMPT> '",
    `zpty -w -n z ${JSON.stringify(line)}$'\\t\\x18\\x02'`,
    "zpty -r z out '*DUMPED*'",
    "print -r -- $out",
  ].join("\n");
  const out = execFileSync("zsh", ["-f", "-c", driver], { env: env(), encoding: "utf8", timeout: 30_000 }).replace(/\r/g, "");
  const buffer = readFileSync(dumped, "utf8").replace(/\n$/, "");
  // A listing appears between the typed line and the redrawn prompt.
  const listing = out.split("\n").slice(1, -2).join("\n");
  const candidates = listing
    .split(/\n|\s{2,}/)
    .map((entry) => entry.split(" -- ")[0]!.trim())
    .filter(Boolean);
  return { candidates, line: buffer };
}

const shells = { bash, zsh, fish } as const;

describe.each(Object.keys(shells) as (keyof typeof shells)[])("%s", (shell) => {
  const offer = shells[shell];
  const skip = skipUnlessInstalled(shell);

  it.skipIf(skip)("completes commands", () => {
    if (shell === "zsh") expect(offer("mesh valid").line).toBe("mesh validate ");
    else expect(offer("mesh valid").candidates).toEqual(["validate"]);
    expect(offer("mesh v").candidates).toEqual(expect.arrayContaining(["validate", "verify-install", "version"]));
  });

  it.skipIf(skip)("completes subcommands and flags of the command on the line", () => {
    expect(offer("mesh profile ").candidates).toEqual(expect.arrayContaining(["list", "dump", "diff"]));
    if (shell === "zsh") expect(offer("mesh validate --gateway-api-v").line).toBe("mesh validate --gateway-api-version ");
    else expect(offer("mesh validate --gateway-api-v").candidates).toEqual(["--gateway-api-version"]);
  });

  it.skipIf(skip)("completes flag values: profiles, -o formats of the command, --channel, contexts", () => {
    if (shell === "zsh") {
      expect(offer("mesh manifest generate --set profile=mi").line).toBe("mesh manifest generate --set profile=minimal ");
      expect(offer("mesh profile dump am").line).toBe("mesh profile dump ambient ");
      expect(offer("mesh validate -o sa").line).toBe("mesh validate -o sarif ");
      expect(offer("mesh convert --channel exp").line).toBe("mesh convert --channel experimental ");
      expect(offer("mesh status --context pr").line).toBe("mesh status --context prod-eu ");
      expect(offer("mesh completion fi").line).toBe("mesh completion fish ");
      return;
    }
    const sorted = (line: string) => offer(line).candidates.sort();
    const values = (line: string) => offer(line).candidates.map((candidate) => candidate.replace(/^.*=/, ""));
    expect(values("mesh manifest generate --set profile=")).toEqual(expect.arrayContaining(["default", "demo", "minimal", "ambient"]));
    expect(offer("mesh profile dump ").candidates).toContain("demo");
    expect(sorted("mesh validate -o ")).toEqual(["github", "json", "junit", "sarif", "text"]);
    expect(sorted("mesh manifest generate -o ")).toEqual(["json", "yaml"]);
    expect(sorted("mesh convert --channel ")).toEqual(["experimental", "standard"]);
    expect(sorted("mesh status --context ")).toEqual(["kind-dev", "prod-eu"]);
    expect(sorted("mesh completion ")).toEqual(["bash", "fish", "zsh"]);
    expect(offer("mesh convert ").candidates).toEqual(expect.arrayContaining(["gateway-to-httproute", "httproute-to-virtualservice"]));
  });

  it.skipIf(skip)("completes file names for positional paths and -f, directories with a trailing /", () => {
    if (shell === "zsh") {
      expect(offer("mesh validate ro").line).toBe("mesh validate route.yaml ");
      expect(offer("mesh validate man").line).toBe("mesh validate manifests/");
      expect(offer("mesh install -f ro").line).toBe("mesh install -f route.yaml ");
      return;
    }
    expect(offer("mesh validate ").candidates).toEqual(expect.arrayContaining(["route.yaml", "manifests/"]));
    expect(offer("mesh validate man").candidates).toEqual(["manifests/"]);
    expect(offer("mesh install -f ro").candidates).toEqual(["route.yaml"]);
    expect(offer("mesh convert gateway-to-httproute man").candidates).toEqual(["manifests/"]);
  });

  it.skipIf(skip)("offers no file names where a flag takes another kind of value", () => {
    if (shell === "zsh") {
      expect(offer("mesh validate --channel ro").line).toBe("mesh validate --channel ro");
      return;
    }
    expect(offer("mesh validate --channel ro").candidates).toEqual([]);
  });
});
