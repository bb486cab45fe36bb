import { writeFileSync } from "node:fs";
import path from "node:path";

// `mesh --version` must cost about as much as starting Node itself. Other commands run the bundle with its compiled
// code kept from the harness's warm-up run (src/cli/bundle-loader.ts); the last row shows a run that compiles it.
export function rows({ mesh, node, workDir }) {
  const nodeBaseline = { name: "node -e 0", command: node, args: ["-e", "0"] };
  const route = path.join(workDir, "startup-route.yaml");
  writeFileSync(
    route,
    "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: web\nspec:\n  parentRefs:\n  - name: gw\n",
  );
  return [
    { name: "mesh --version", command: node, args: [mesh, "--version"], baseline: nodeBaseline, goal: 1.3 },
    { name: "mesh version -o json", command: node, args: [mesh, "version", "-o", "json"], baseline: nodeBaseline },
    {
      name: "mesh validate route.yaml, compiling (MESH_COMPILE_CACHE=0)",
      command: node,
      args: [mesh, "validate", route],
      env: { MESH_COMPILE_CACHE: "0" },
      baseline: nodeBaseline,
    },
    { name: "mesh validate route.yaml, compiled code kept", command: node, args: [mesh, "validate", route], baseline: nodeBaseline },
  ];
}
