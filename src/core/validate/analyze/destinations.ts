import type { FieldPath } from "../../findings.js";
import type { Json } from "./values.js";
import { record, records, specOf, text } from "./values.js";

/** One destination of a VirtualService with where it sits (Istio's `AnnotatedDestination`). */
export interface RouteDestination {
  destination: Json;
  host: string;
  /** Path of the destination object, e.g. `spec.http[0].route[1].destination`. */
  path: FieldPath;
  kind: "http" | "tcp" | "tls" | "mirror";
}

/** Route destinations of every tcp, tls and http rule, in that order (as Istio lists them). */
export function routeDestinations(virtualService: Json): RouteDestination[] {
  const spec = specOf(virtualService);
  const out: RouteDestination[] = [];
  for (const kind of ["tcp", "tls", "http"] as const) {
    records(spec[kind]).forEach((rule, ruleIndex) =>
      records(rule.route).forEach((route, routeIndex) => {
        const destination = record(route.destination);
        out.push({
          destination,
          host: text(destination.host) ?? "",
          path: ["spec", kind, ruleIndex, "route", routeIndex, "destination"],
          kind,
        });
      }),
    );
  }
  return out;
}

/** `mirror` and `mirrors[].destination` of every http rule. */
export function mirrorDestinations(virtualService: Json): RouteDestination[] {
  const out: RouteDestination[] = [];
  records(specOf(virtualService).http).forEach((rule, ruleIndex) => {
    if (rule.mirror !== undefined && rule.mirror !== null) {
      const destination = record(rule.mirror);
      out.push({ destination, host: text(destination.host) ?? "", path: ["spec", "http", ruleIndex, "mirror"], kind: "mirror" });
    }
    records(rule.mirrors).forEach((mirror, mirrorIndex) => {
      const destination = record(mirror.destination);
      out.push({
        destination,
        host: text(destination.host) ?? "",
        path: ["spec", "http", ruleIndex, "mirrors", mirrorIndex, "destination"],
        kind: "mirror",
      });
    });
  });
  return out;
}
