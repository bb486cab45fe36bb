import type { Command } from "commander";
import type { CliContext } from "./context.js";
import { readOverlayFiles, writeWarnings } from "./commands/manifest.js";
import { wantsRelease } from "./options.js";

/** Renders the plan for install, uninstall -f and verify-install. */
export async function renderPlan(
  flags: { set: string[]; filename: string[]; revision?: string; force?: boolean; manifests?: string; manifestsSha256?: string },
  context: CliContext,
  command: Command,
) {
  const files = await readOverlayFiles(flags.filename, context);
  const { generateManifest } = await import("../core/render/index.js");
  const { ISTIO_VERSION } = await import("../core/versions.js");
  const { planFromManifest } = await import("../kube/plan.js");
  const releaseCrds = wantsRelease(flags) ? await (await import("./istio-release.js")).releaseCrdsFlag(flags) : undefined;
  const generated = generateManifest({
    files,
    ...(releaseCrds ? { releaseCrds } : {}),
    sets: flags.set,
    force: flags.force,
    ...(flags.revision !== undefined ? { revision: flags.revision } : {}),
  });
  writeWarnings(generated.findings, context, command);
  return { generated, plan: planFromManifest(generated, ISTIO_VERSION), version: ISTIO_VERSION };
}
