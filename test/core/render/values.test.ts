import { describe, expect, it } from "vitest";
import { composeOperator } from "../../../src/core/operator/compose.js";
import { readOperatorFiles } from "../../../src/core/operator/read-files.js";
import { istiodChartValues, operatorValues } from "../../../src/core/render/values.js";

const valuesFor = (sets: string[], files: { path: string; text: string }[] = []) => {
  const { operator, user } = composeOperator({ documents: readOperatorFiles(files), sets });
  return operatorValues(operator, user) as any;
};

describe("IstioOperator → chart values (docs/design/install.md §1 steps 7–10)", () => {
  it("moves hub, tag, revision and compatibilityVersion under values; tags stay strings", () => {
    const values = valuesFor(["hub=spec.example/istio", "tag=1.30", "revision=canary", "compatibilityVersion=1.29"]);
    expect(values.global).toMatchObject({ hub: "spec.example/istio", tag: "1.30" });
    expect(values.revision).toBe("canary");
    expect(values.compatibilityVersion).toBe("1.29");
  });

  it("keeps a numeric values.global.tag from a file a number, as istioctl passes it (original-values shows it so)", () => {
    const values = valuesFor([], [{ path: "iop.yaml", text: "spec:\n  values:\n    global:\n      tag: 130\n" }]);
    expect(values.global.tag).toBe(130);
    expect(valuesFor([], [{ path: "iop.yaml", text: "spec:\n  tag: 130\n" }]).global.tag).toBe("130");
  });

  it("lets the user's own values.global.hub beat spec.hub, whatever the order of the flags", () => {
    expect(valuesFor(["values.global.hub=values.example/istio", "hub=spec.example/istio"]).global.hub).toBe("values.example/istio");
  });

  it("merges spec.meshConfig into values.meshConfig (meshConfig wins), then re-applies the user's values.meshConfig", () => {
    const values = valuesFor([
      "values.meshConfig.accessLogFile=/from/values",
      "meshConfig.accessLogFile=/from/meshconfig",
      "meshConfig.enableTracing=true",
    ]);
    expect(values.meshConfig).toEqual({ accessLogFile: "/from/values", enableTracing: true });
    expect(valuesFor(["meshConfig.accessLogFile=/only/meshconfig"]).meshConfig).toEqual({ accessLogFile: "/only/meshconfig" });
  });

  it("mirrors components into values.pilot.enabled and values.pilot.cni.enabled", () => {
    expect(valuesFor([]).pilot).toEqual({ enabled: true, cni: { enabled: false } });
    expect(valuesFor(["profile=empty"]).pilot.enabled).toBe(false);
  });

  it("merges unvalidatedValues last, without validation", () => {
    const overlay = { path: "u.yaml", text: "spec:\n  unvalidatedValues:\n    global:\n      anything: goes\n" };
    expect(valuesFor([], [overlay]).global.anything).toBe("goes");
  });
});

describe("chart values: defaults < chart profile < IstioOperator values (docs/design/install.md §1.1)", () => {
  it("keeps a default when the user gives an empty string or an empty map", () => {
    const chart = istiodChartValues(valuesFor(["values.pilot.image=", "values.global.logging.level=default:debug"])) as any;
    expect(chart.pilot.image).toBe("pilot");
    expect(chart.global.logging.level).toBe("default:debug");
  });

  it("applies the demo chart profile below the user's values and replaces lists", () => {
    const chart = istiodChartValues(
      valuesFor(["profile=demo", "values.pilot.traceSampling=5", "meshConfig.extensionProviders[0].name=only"]),
    ) as any;
    expect(chart.pilot.traceSampling).toBe(5);
    expect(chart.pilot.autoscaleEnabled).toBe(false);
    expect(chart.meshConfig.extensionProviders).toEqual([{ name: "only" }]);
  });

  it("refuses an unknown values.profile", () => {
    expect(() => istiodChartValues(valuesFor(["values.profile=bogus"]))).toThrow('unknown profile "bogus" in values.profile');
  });
});
