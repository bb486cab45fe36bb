// `mesh install` against the in-process Kubernetes API test server with instant readiness (CRDs Established and
// Deployments rolled out at once), so the time is mesh's own work: render, discovery, apply, waits, prune.
// Goals: install ≤ 400 ms and status ≤ 150 ms of CLI time (the whole mesh process). The server runs in a child process (the harness times commands with spawnSync, which blocks).
import { execFileSync, spawn } from "node:child_process";
import { cpSync, mkdirSync } from "node:fs";
import path from "node:path";

async function startServer(root, workDir) {
  // Inside the repository (.bench/ is ignored) so that the compiled server resolves `yaml` from node_modules.
  const out = path.join(root, ".bench", "kube-api-server");
  mkdirSync(out, { recursive: true });
  execFileSync(
    process.execPath,
    [
      path.join(root, "node_modules", "typescript", "bin", "tsc"),
      "--outDir",
      out,
      "--rootDir",
      path.join(root, "test", "kube-api-server"),
      "--module",
      "NodeNext",
      "--moduleResolution",
      "NodeNext",
      "--target",
      "ES2022",
      "--skipLibCheck",
      path.join(root, "test", "kube-api-server", "index.ts"),
    ],
    { cwd: root },
  );
  cpSync(path.join(root, "test", "kube-api-server", "certs"), path.join(out, "certs"), { recursive: true });
  const child = spawn(process.execPath, [path.join(root, "bench", "support", "kube-api-server.mjs"), path.join(out, "index.js"), workDir], {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const kubeconfig = await new Promise((resolve, reject) => {
    child.stdout.once("data", (data) => resolve(String(data).trim()));
    child.once("exit", (code) => reject(new Error(`test API server exited ${code}`)));
  });
  // Nothing of the child may keep the harness alive; the child also exits by itself once the harness is gone.
  child.removeAllListeners("exit");
  child.stdout.destroy();
  child.unref();
  process.once("exit", () => child.kill());
  return kubeconfig;
}

export async function rows({ root, mesh, node, workDir }) {
  const kubeconfig = await startServer(root, workDir);
  let profile = ["--set", "profile=demo"];
  let label = "demo, 42 objects";
  try {
    execFileSync(node, [mesh, "manifest", "generate", ...profile], { cwd: root, stdio: "ignore" });
  } catch {
    // Builds whose base/istiod renderers are not wired yet: time the gateways only.
    profile = [...profile, "--set", "components.base.enabled=false", "--set", "components.pilot.enabled=false"];
    label = "demo gateways only, 10 objects";
  }
  const flags = ["--kubeconfig", kubeconfig];
  // On a loaded machine absolute times inflate; the ratio to a bare Node start shows mesh's own share.
  const baseline = { name: "node -e 0", command: node, args: ["-e", "0"] };
  return [
    {
      name: `mesh install (${label}; converged)`,
      command: node,
      args: [mesh, "install", ...profile, "-y", ...flags],
      baseline,
      goalMs: 400,
    },
    { name: `mesh install --dry-run (${label}; server-side)`, command: node, args: [mesh, "install", ...profile, "--dry-run", ...flags] },
    { name: "mesh status", command: node, args: [mesh, "status", ...flags], goalMs: 150 },
  ];
}
