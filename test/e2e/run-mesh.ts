import { execa, type Options } from "execa";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
export const meshBin = fileURLToPath(new URL("../../bin/mesh.js", import.meta.url));

/** Runs `bin/mesh.js` (built by `npm test`) and never throws on a non-zero exit. */
export async function runMesh(args: string[], options: Options = {}) {
  const result = await execa(process.execPath, [meshBin, ...args], {
    reject: false,
    cwd: repoRoot,
    env: { NO_COLOR: "1", ...options.env },
    extendEnv: true,
    timeout: 60_000,
    ...options,
  });
  return {
    exitCode: result.exitCode ?? -1,
    stdout: String(result.stdout ?? ""),
    stderr: String(result.stderr ?? ""),
  };
}
