import type { Analyzer } from "../analyzer.js";
import { ServiceEntryAddressesRequired } from "../messages.js";
import { records, specOf, text, texts } from "../values.js";

/**
 * A ServiceEntry port serving TCP (or no protocol) needs `addresses`: without a VIP, traffic is matched by port only
 * (IST0134, per port) — unless the mesh allocates addresses (DNS capture with auto-allocation in proxyMetadata).
 */
export const serviceEntryAddresses: Analyzer = {
  name: "serviceentry.Analyzer",
  description: "Checks the validity of ServiceEntry",
  codes: [ServiceEntryAddressesRequired.code],
  inputs: ["networking.istio.io/ServiceEntry", "MeshConfig"],
  analyze(context) {
    if (context.mesh.dnsAutoAllocate) return;
    for (const entry of context.of("networking.istio.io/ServiceEntry")) {
      const spec = specOf(entry.object);
      if (texts(spec.addresses).length > 0) continue;
      records(spec.ports).forEach((port, index) => {
        const protocol = (text(port.protocol) ?? "").toUpperCase();
        if (protocol === "" || protocol === "TCP") context.report(entry, ServiceEntryAddressesRequired, ["spec", "ports", index]);
      });
    }
  },
};
