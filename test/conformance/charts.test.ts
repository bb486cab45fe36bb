// `mesh manifest generate` against Istio 1.30.3's own Helm charts, rendered by ./chart-harness (Go text/template +
// sprig + Helm's functions) with the values istioctl 1.30.3 hands each chart (./chart-harness/istioctl-inputs.ts).
// Objects are compared after the normalisations listed in ./chart-harness/compare.ts.
//
// Covered: the default, demo, minimal, ambient, remote, openshift and openshift-ambient profiles, one variation per knob of the charts'
// values.yaml, and the gateways' component settings. A profile must render identically; a variation must add no
// difference to those of its baseline (the same overlay without the varied setting), so a difference every render
// shares is counted once, on the profiles. Every case must be identical except the ones listed, with
// their reason, in ./chart-harness/known-differences.json (also in docs/design/install.md); a listed case that
// becomes identical fails too, so the list stays exact. The full report is written to
// $MESH_CHARTS_REPORT (default: <tmpdir>/mesh-charts-report.txt).
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseAllDocuments, stringify } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { generateManifest, manifestYaml } from "../../src/core/render/index.js";
import { compareObjectSets, type Comparison, type ObjectSet } from "./chart-harness/compare.js";
import { buildChartHarness, goAvailable, renderCharts, type ChartCase } from "./chart-harness/harness.js";
import { istioctlRenders, istioVersion } from "./chart-harness/istioctl-inputs.js";
import { istioctlRefusal } from "./chart-harness/istioctl-validation.js";
import { gatewayComponentVariations, valueVariations, type Variation } from "./chart-harness/variations.js";
import knownDifferences from "./chart-harness/known-differences.json" with { type: "json" };

type Json = Record<string, unknown>;
const known = knownDifferences as Record<string, string>;

const profileCases: Variation[] = ["default", "demo", "minimal", "ambient", "remote", "openshift", "openshift-ambient"].map((profile) => ({
  id: `profile:${profile}`,
  group: "profiles",
  overlay: { apiVersion: "install.istio.io/v1alpha1", kind: "IstioOperator", spec: { profile } },
}));
const cases = [...profileCases, ...valueVariations(), ...gatewayComponentVariations()];
const baselineId = (overlay: Json) => `baseline:${JSON.stringify(overlay)}`;
const baselineCases: Variation[] = [
  ...new Map(
    cases
      .filter((variation) => variation.baseline)
      .map((variation) => [
        baselineId(variation.baseline!),
        { id: baselineId(variation.baseline!), group: "baselines", overlay: variation.baseline! },
      ]),
  ).values(),
];

const comparesCrds = (variation: Variation) => variation.group === "profiles" || variation.group === "base";

function meshObjects(variation: Variation): ObjectSet {
  try {
    const generated = generateManifest({ files: [{ path: "overlay.yaml", text: stringify(variation.overlay) }], sets: [] });
    const rendered = generated.components.flatMap((component) => component.objects);
    const text = manifestYaml(comparesCrds(variation) ? rendered : rendered.filter((object) => object.kind !== "CustomResourceDefinition"));
    const objects = parseAllDocuments(text, { version: "1.1" })
      .map((document) => document.toJSON() as Json | null)
      .filter((object): object is Json => object !== null);
    return { objects };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error), objects: [] };
  }
}

const haveGo = await goAvailable();
if (!haveGo) console.warn("charts.test.ts skipped: no Go toolchain (apt-get install golang-go golang-github-masterminds-sprig-dev)");

describe.skipIf(!haveGo)(`mesh manifest generate against Istio ${istioVersion}'s charts`, () => {
  const comparisons = new Map<string, Comparison>();

  beforeAll(async () => {
    const binary = await buildChartHarness();
    const chartCases: ChartCase[] = [];
    const rendersOf = new Map<string, string[]>();
    const refusals = new Map<string, string>();
    for (const variation of [...cases, ...baselineCases]) {
      const refusal = istioctlRefusal([variation.overlay]);
      if (refusal !== undefined) {
        refusals.set(variation.id, refusal);
        rendersOf.set(variation.id, []);
        continue;
      }
      const ids = istioctlRenders([variation.overlay]).map((render, index) => {
        const id = `${variation.id}#${index}`;
        const omitKinds = comparesCrds(variation) ? [] : ["CustomResourceDefinition"];
        chartCases.push({ id, chart: render.chart, version: istioVersion, namespace: render.namespace, values: render.values, omitKinds });
        return id;
      });
      rendersOf.set(variation.id, ids);
    }
    const results = await renderCharts(binary, chartCases);
    const compare = (variation: Variation) => {
      const refusal = refusals.get(variation.id);
      if (refusal !== undefined) return compareObjectSets({ error: refusal, objects: [] }, meshObjects(variation));
      const renders = rendersOf.get(variation.id)!.map((id) => results.get(id)!);
      const failed = renders.find((render) => render.error !== undefined);
      const istioctl: ObjectSet = failed
        ? { error: failed.error, objects: [] }
        : { objects: renders.flatMap((render) => render.documents) };
      return compareObjectSets(istioctl, meshObjects(variation));
    };
    const baselines = new Map<string, Comparison>();
    for (const variation of baselineCases) baselines.set(variation.id, compare(variation));
    const report: string[] = [];
    for (const variation of cases) {
      const full = compare(variation);
      const baseline = variation.baseline ? baselines.get(baselineId(variation.baseline)) : undefined;
      const inherited = new Set(baseline?.differences ?? []);
      const own = full.differences.filter((difference) => !inherited.has(difference));
      const comparison = { identical: own.length === 0, differences: own };
      comparisons.set(variation.id, comparison);
      if (!comparison.identical)
        report.push(`== ${variation.id}\n${stringify(variation.overlay.spec)}${comparison.differences.join("\n")}\n`);
    }
    const groups = [...new Set(cases.map((variation) => variation.group))];
    const summary = groups.map((group) => {
      const members = cases.filter((variation) => variation.group === group);
      const identical = members.filter((variation) => comparisons.get(variation.id)!.identical).length;
      return `${group}: ${identical}/${members.length} identical`;
    });
    const identical = [...comparisons.values()].filter((comparison) => comparison.identical).length;
    summary.push(`all: ${identical}/${cases.length} identical`);
    const reportPath = process.env.MESH_CHARTS_REPORT ?? path.join(tmpdir(), "mesh-charts-report.txt");
    writeFileSync(reportPath, `${summary.join("\n")}\n\n${report.join("\n")}`);
    console.log(`${summary.join("\n")}\n(differences: ${reportPath})`);
    // MESH_CHARTS_WRITE_KNOWN=<file> writes the differing cases with their first difference, to help review the list.
    if (process.env.MESH_CHARTS_WRITE_KNOWN)
      writeFileSync(
        process.env.MESH_CHARTS_WRITE_KNOWN,
        JSON.stringify(
          Object.fromEntries(
            cases
              .filter((variation) => !comparisons.get(variation.id)!.identical)
              .map((variation) => [variation.id, known[variation.id] ?? comparisons.get(variation.id)!.differences[0]!.split("\n")[0]]),
          ),
          null,
          2,
        ),
      );
  });

  it("covers the seven profiles and at least 150 value variations", () => {
    expect(cases.filter((variation) => variation.group !== "profiles").length).toBeGreaterThanOrEqual(150);
  });

  it("renders every case as istioctl does, except the documented differences", () => {
    const differing = cases.filter((variation) => !comparisons.get(variation.id)!.identical).map((variation) => variation.id);
    expect(differing.filter((id) => !(id in known))).toEqual([]);
    expect(Object.keys(known).filter((id) => !differing.includes(id))).toEqual([]);
  });
});
