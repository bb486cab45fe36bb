/** Layering and cycle rules for src/: the pure core never reaches the CLI or the cluster, and no module imports itself back. */
module.exports = {
  forbidden: [
    { name: "no-cycle", severity: "error", from: { path: "^src/" }, to: { circular: true } },
    {
      name: "core-is-pure",
      severity: "error",
      comment: "src/core must not import src/cli or src/kube",
      from: { path: "^src/core/" },
      to: { path: "^src/(cli|kube)/" },
    },
    {
      name: "kube-below-cli",
      severity: "error",
      comment: "src/kube must not import src/cli",
      from: { path: "^src/kube/" },
      to: { path: "^src/cli/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    exclude: { path: "^(dist|node_modules)/" },
  },
};
