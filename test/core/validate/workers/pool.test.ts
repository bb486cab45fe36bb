import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readArguments, type ReadArgument } from "../../../../src/core/documents/load.js";
import type { FindingsReport } from "../../../../src/core/findings.js";
import { analyzeChecked, defaultValidateOptions, type ValidateOptions } from "../../../../src/core/validate/index.js";
import { checkReadArguments, threadCount } from "../../../../src/core/validate/workers/pool.js";

// Worker threads run the built worker (dist/core/validate/workers/worker.js), as `npm test` builds first.

const route = (name: string, extra = "") =>
  `apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: ${name}\nspec:\n  parentRefs:\n  - name: gw\n${extra}`;
const virtualService = (name: string, gateway: string) =>
  `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: ${name}\nspec:\n  hosts: [a.example]\n  gateways: [${gateway}]\n  http:\n  - route:\n    - destination:\n        host: reviews\n`;

/** Files that exercise every per-file and per-document rule: each cut into units of three documents. */
function corpus(): string {
  const root = mkdtempSync(join(tmpdir(), "mesh-pool-"));
  const documents: string[] = [];
  for (let i = 0; i < 20; i++) {
    if (i === 4) documents.push("metadata: {name: [unclosed\n");
    else if (i === 7) documents.push(route(`bad-${i}`, "  hostnames: [7]\n"));
    else if (i === 9) documents.push(virtualService(`vs-${i}`, "missing-gateway"));
    else if (i === 11) documents.push("jobs: {}\nsteps: []\n");
    else if (i === 17) documents.push("stages: [build]\n");
    else if (i === 13) documents.push(`apiVersion: v1\nkind: List\nitems:\n- ${route(`item-${i}`).replaceAll("\n", "\n  ").trimEnd()}\n`);
    else if (i === 15) documents.push(`${route(`dup-${i}`)}metadata:\n  name: again\n`);
    else documents.push(route(`r-${i}`));
  }
  writeFileSync(join(root, "big.yaml"), documents.join("---\n") + "--- trailing\n" + route("after"));
  writeFileSync(join(root, "chart.yaml"), `${route("t")}---\nspec: {{ .Values.spec }}\n`);
  writeFileSync(join(root, "values.yaml"), "replicas: 3\n---\nimage: x\n");
  writeFileSync(
    join(root, "stream.json"),
    `{"apiVersion":"v1","kind":"Service","metadata":{"name":"s"},"spec":{"ports":[{"port":"x"}]}}\n`,
  );
  writeFileSync(join(root, "binary.yaml"), Buffer.from([0x61, 0, 0x62]));
  writeFileSync(join(root, "skipped.tmpl.yaml"), route("never-read", "  hostnames: [7]\n"));
  return root;
}

/** An argument that yields nothing: a directory whose only file holds comments. */
function emptyArgument(): string {
  const directory = mkdtempSync(join(tmpdir(), "mesh-pool-empty-"));
  writeFileSync(join(directory, "comments.yaml"), "# nothing here\n---\n# nor here\n");
  return directory;
}

/** `mainThreadChecks` false keeps every unit on worker threads; by default this thread takes units too. */
async function report(root: string, empty: string, threads: number, options: ValidateOptions, mainThreadChecks = true) {
  const read = await readArguments([root, empty], { readStdin: () => Promise.resolve(Buffer.alloc(0)), exclude: ["*.tmpl.yaml"] });
  const checked = await checkReadArguments(read, options, threads, undefined, 3, mainThreadChecks);
  const validated: FindingsReport = analyzeChecked(checked.documents, checked.documentAt, options);
  for (const resource of validated.resources) delete resource.durationMs;
  return {
    files: checked.files,
    emptyArguments: checked.emptyArguments,
    report: { ...validated, findings: [...checked.findings, ...validated.findings] },
  };
}

describe("checking on worker threads", () => {
  const root = corpus();
  const empty = emptyArgument();

  it("gives the single-thread report on two and three threads, whatever the options", async () => {
    for (const options of [
      defaultValidateOptions,
      { ...defaultValidateOptions, strict: true, analyzeRefs: true, fieldValidation: "Warn" as const },
      { ...defaultValidateOptions, analyze: false, skipKinds: ["VirtualService"] },
    ]) {
      const single = await report(root, empty, 1, options);
      // The corpus holds what the comparison must cover.
      const codes = new Set([
        ...single.report.findings.map((finding) => finding.code),
        ...single.report.resources.flatMap((resource) => resource.findings.map((finding) => finding.code)),
      ]);
      expect([...codes]).toEqual(expect.arrayContaining(["yaml-syntax", "helm-template", "not-kubernetes", "binary-input"]));
      expect(single.emptyArguments).toEqual([empty]);
      expect(single.report.resources.length).toBeGreaterThan(15);
      for (const threads of [2, 3]) {
        expect(await report(root, empty, threads, options)).toEqual(single);
        expect(await report(root, empty, threads, options, false)).toEqual(single);
      }
    }
  }, 120_000);

  it("places analyser findings of documents read on a worker in their file", async () => {
    const parallel = await report(root, empty, 2, defaultValidateOptions, false);
    const service = parallel.report.resources.find((resource) => resource.resource.name === "vs-9")!;
    const analysis = service.findings.filter((finding) => finding.origin === "analyzer");
    expect(analysis.length).toBeGreaterThan(0);
    for (const finding of analysis) {
      expect(finding.file).toBe(join(root, "big.yaml"));
      expect(finding.line).toBeGreaterThan(service.line);
    }
  }, 60_000);

  it("uses one thread for small inputs and the requested count when given", async () => {
    const read = await readArguments([join(root, "values.yaml")], { readStdin: () => Promise.resolve(Buffer.alloc(0)) });
    expect(threadCount(read)).toBe(1);
    expect(threadCount(read, 3)).toBe(3);
  });

  it("uses one thread on two cores up to the size where workers are needed for memory, every core on more", () => {
    const manifest = (documents: number): ReadArgument[] => {
      const text = Array.from({ length: documents }, (_, i) => route(`r-${i}`, "  hostnames: [a-long-enough-name.example.com]\n")).join(
        "---\n",
      );
      return [{ argument: "big.yaml", findings: [], inputs: [{ file: "big.yaml", text }], repeated: 0 }];
    };
    const medium = manifest(5_000);
    const large = manifest(25_000);
    expect(threadCount(medium, undefined, 1)).toBe(1);
    expect(threadCount(medium, undefined, 2)).toBe(1);
    expect(threadCount(medium, undefined, 4)).toBe(4);
    expect(threadCount(large, undefined, 2)).toBe(2);
    expect(threadCount(large, undefined, 3)).toBe(3);
    expect(threadCount(medium, 2, 2)).toBe(2);
  });
});
