import { readdirSync, readFileSync } from "node:fs";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";

const reference = new URL("../../../shared/reference/istio/1.30.3/profiles/", import.meta.url);
const ours = new URL("../../profiles/", import.meta.url);
const read = (directory: URL, name: string) =>
  parse(readFileSync(new URL(name, directory), "utf8"), { version: "1.1" }) as Record<string, any>;
// Upstream's repository files carry development hub/tag; a release build stamps docker.io/istio and the version.
const released = (profile: Record<string, any>) =>
  profile.spec?.hub === "registry.istio.io/testing"
    ? { ...profile, spec: { ...profile.spec, hub: "docker.io/istio", tag: "1.30.3" } }
    : profile;
const notShipped: string[] = [];

describe("profiles/ against Istio 1.30.3's profiles", () => {
  const upstream = readdirSync(reference)
    .filter((file) => file.endsWith(".yaml"))
    .sort();

  it("ships every upstream profile", () => {
    const shipped = readdirSync(ours)
      .filter((file) => file.endsWith(".yaml"))
      .sort();
    expect(shipped).toEqual(upstream.filter((file) => !notShipped.includes(file)));
  });

  it.each(upstream.filter((file) => !notShipped.includes(file)))("%s says the same as upstream", (file) => {
    expect(read(ours, file)).toEqual(released(read(reference, file)));
  });
});
