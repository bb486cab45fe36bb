import { writeFileSync } from "node:fs";
import path from "node:path";

// `mesh manifest generate` is the offline main job: profile in, ~40 objects (590 KB of YAML) out.
export function rows({ mesh, node, workDir }) {
  const nodeBaseline = { name: "node -e 0", command: node, args: ["-e", "0"] };
  const overlay = path.join(workDir, "overlay.yaml");
  writeFileSync(
    overlay,
    "apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nspec:\n  components:\n    pilot:\n      k8s:\n        resources:\n          requests:\n            cpu: 250m\n",
  );
  return [
    {
      name: "mesh manifest generate --set profile=demo",
      command: node,
      args: [mesh, "manifest", "generate", "--set", "profile=demo"],
      baseline: nodeBaseline,
      goal: 1.8,
    },
    {
      name: "mesh manifest generate -f overlay.yaml (loads the YAML parser)",
      command: node,
      args: [mesh, "manifest", "generate", "-f", overlay],
      baseline: nodeBaseline,
    },
  ];
}
