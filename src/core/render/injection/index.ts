// mesh's own injection templates for the `istio-sidecar-injector` ConfigMap (docs/design/injection.md). The
// manifest renderer wraps these into `data.config`; istiod parses every entry at start-up.
import { agentgatewayTemplate } from "./agentgateway.js";
import { gatewayTemplate } from "./gateway.js";
import { grpcAgentTemplate } from "./grpc-agent.js";
import { grpcSimpleTemplate } from "./grpc-simple.js";
import { kubeGatewayTemplate, waypointTemplate } from "./gateway-controller.js";
import { sidecarTemplate } from "./sidecar.js";

export { scanInjectionTemplate, type TemplateProblem, type TemplateScan } from "./template-syntax.js";

export interface InjectionConfigDefaults {
  policy: string;
  defaultTemplates: string[];
  alwaysInjectSelector: unknown[];
  neverInjectSelector: unknown[];
  injectedAnnotations: Record<string, string>;
}

/** Template name → Go text/template source, in the order they are written into the ConfigMap. */
export function injectionTemplates(): Record<string, string> {
  return {
    sidecar: sidecarTemplate,
    gateway: gatewayTemplate,
    "kube-gateway": kubeGatewayTemplate,
    waypoint: waypointTemplate,
    "grpc-simple": grpcSimpleTemplate,
    "grpc-agent": grpcAgentTemplate,
    agentgateway: agentgatewayTemplate,
  };
}

export function injectionConfigDefaults(): InjectionConfigDefaults {
  return {
    policy: "enabled",
    defaultTemplates: ["sidecar"],
    alwaysInjectSelector: [],
    neverInjectSelector: [],
    injectedAnnotations: {},
  };
}
