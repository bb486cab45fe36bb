// `mesh --version` must cost about as much as starting Node itself.
export function rows({ mesh, node }) {
  const nodeBaseline = { name: "node -e 0", command: node, args: ["-e", "0"] };
  return [
    { name: "mesh --version", command: node, args: [mesh, "--version"], baseline: nodeBaseline, goal: 1.3 },
    { name: "mesh version -o json", command: node, args: [mesh, "version", "-o", "json"], baseline: nodeBaseline },
  ];
}
