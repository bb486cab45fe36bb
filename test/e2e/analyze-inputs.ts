/** Input files the analyze e2e tests write. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Writes vs.yaml in a fresh directory: the Service shop/cart (port 80) and a VirtualService `vs` in `namespace`
 * routing to `host`. Returns the directory and the file.
 */
export function writeRouteToHost(namespace: string, host: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), "mesh-analyze-"));
  const file = join(dir, "vs.yaml");
  writeFileSync(
    file,
    [
      "apiVersion: v1",
      "kind: Service",
      "metadata: {name: cart, namespace: shop}",
      "spec: {ports: [{port: 80, name: http}]}",
      "---",
      "apiVersion: networking.istio.io/v1",
      "kind: VirtualService",
      `metadata: {name: vs, namespace: ${namespace}}`,
      "spec:",
      "  hosts: [vs]",
      "  http:",
      "  - route:",
      `    - destination: {host: ${host}}`,
      "",
    ].join("\n"),
  );
  return { dir, file };
}
