import type { KubeObject } from "../objects.js";
import { helmLabels } from "./labels.js";
import { istiodOwnerLabels, object, revisioned, value, type IstiodContext } from "./istiod-context.js";

export const admissionApi = "admissionregistration.k8s.io/v1";
export type Expression = { key: string; operator: string; values?: string[] };
export const exists = (key: string, present: boolean): Expression => ({ key, operator: present ? "Exists" : "DoesNotExist" });
export const inList = (key: string, values: string[]): Expression => ({ key, operator: "In", values });
export const notIn = (key: string, values: string[]): Expression => ({ key, operator: "NotIn", values });

/** One pod-injection webhook entry (the chart writes four per revision and two per tag). */
export function injectionHook(
  context: IstiodContext,
  name: string,
  clientConfig: Record<string, unknown>,
  namespaceSelector: Expression[],
  objectSelector: Expression[],
) {
  return {
    name,
    clientConfig,
    sideEffects: "None",
    rules: [{ operations: ["CREATE"], apiGroups: [""], apiVersions: ["v1"], resources: ["pods"] }],
    failurePolicy: "Fail",
    reinvocationPolicy: value<string>(context, "sidecarInjectorWebhook.reinvocationPolicy") || "Never",
    admissionReviewVersions: ["v1"],
    namespaceSelector: { matchExpressions: namespaceSelector },
    objectSelector: { matchExpressions: objectSelector },
  };
}

/** MutatingWebhookConfiguration `istio-sidecar-injector[-rev][-ns]` (docs/design/install.md §7.2.5). */
export function sidecarInjectorWebhook(context: IstiodContext): KubeObject | undefined {
  // With global.operatorManageWebhooks an operator owns the webhook; the chart leaves it out.
  if (value(context, "global.operatorManageWebhooks") === true) return undefined;
  const rev = context.revision || "default";
  const injectionUrl = value<string>(context, "istiodRemote.injectionURL");
  const caBundle = value<string>(context, "istiodRemote.injectionCABundle");
  const clientConfig: Record<string, unknown> = injectionUrl
    ? { url: injectionUrl }
    : {
        service: {
          name: revisioned(context, "istiod"),
          namespace: context.namespace,
          path: value<string>(context, "istiodRemote.injectionPath") || "/inject",
          port: 443,
        },
      };
  if (caBundle) clientConfig.caBundle = caBundle;
  const hook = (name: string, namespaceSelector: Expression[], objectSelector: Expression[]) =>
    injectionHook(context, name, clientConfig, namespaceSelector, objectSelector);
  const optOut = notIn("sidecar.istio.io/inject", ["false"]);
  const webhooks = [
    hook("rev.namespace.sidecar-injector.istio.io", [inList("istio.io/rev", [rev]), exists("istio-injection", false)], [optOut]),
    hook(
      "rev.object.sidecar-injector.istio.io",
      [exists("istio.io/rev", false), exists("istio-injection", false)],
      [optOut, inList("istio.io/rev", [rev])],
    ),
  ];
  if (!context.revision) {
    webhooks.push(
      hook("namespace.sidecar-injector.istio.io", [inList("istio-injection", ["enabled"])], [optOut]),
      hook(
        "object.sidecar-injector.istio.io",
        [exists("istio-injection", false), exists("istio.io/rev", false)],
        [inList("sidecar.istio.io/inject", ["true"]), exists("istio.io/rev", false)],
      ),
    );
    if (value<boolean>(context, "sidecarInjectorWebhook.enableNamespacesByDefault") === true)
      webhooks.push(
        hook(
          "auto.sidecar-injector.istio.io",
          [
            exists("istio-injection", false),
            exists("istio.io/rev", false),
            notIn("kubernetes.io/metadata.name", ["kube-system", "kube-public", "kube-node-lease", "local-path-storage"]),
          ],
          [exists("sidecar.istio.io/inject", false), exists("istio.io/rev", false)],
        ),
      );
  }
  const name = `${revisioned(context, "istio-sidecar-injector")}${context.namespace === "istio-system" ? "" : `-${context.namespace}`}`;
  const annotations = value<Record<string, string>>(context, "pilot.sidecarInjectorWebhookAnnotations") ?? {};
  return object(
    admissionApi,
    "MutatingWebhookConfiguration",
    {
      name,
      labels: {
        app: "sidecar-injector",
        ...istiodOwnerLabels(context),
        "app.kubernetes.io/name": "istiod",
        release: "istio",
        ...helmLabels("istiod"),
      },
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
    },
    { webhooks },
  );
}

/** ValidatingWebhookConfiguration `istio-validator[-rev]-<istioNs>`, rendered when global.configValidation is on. */
export function configValidationWebhook(context: IstiodContext): KubeObject | undefined {
  if (value<boolean>(context, "global.configValidation") === false) return undefined;
  const rev = context.revision || "default";
  const caBundle = value<string>(context, "base.validationCABundle");
  const url = value<string>(context, "base.validationURL");
  const clientConfig: Record<string, unknown> = url
    ? { url }
    : { service: { name: revisioned(context, "istiod"), namespace: context.istioNamespace, path: "/validate" } };
  if (caBundle) clientConfig.caBundle = caBundle;
  const failurePolicy = value<string>(context, "base.validationFailurePolicy") || (caBundle ? "Fail" : "Ignore");
  return object(
    admissionApi,
    "ValidatingWebhookConfiguration",
    {
      name: `${revisioned(context, "istio-validator")}-${context.istioNamespace}`,
      labels: {
        app: "istiod",
        istio: "istiod",
        "istio.io/rev": rev,
        "app.kubernetes.io/name": "istiod",
        release: "istio",
        ...helmLabels("istiod"),
      },
    },
    {
      webhooks: [
        {
          name: "rev.validation.istio.io",
          clientConfig,
          rules: [
            {
              operations: ["CREATE", "UPDATE"],
              apiGroups: ["security.istio.io", "networking.istio.io", "telemetry.istio.io", "extensions.istio.io"],
              apiVersions: ["*"],
              resources: ["*"],
            },
          ],
          failurePolicy,
          sideEffects: "None",
          admissionReviewVersions: ["v1"],
          objectSelector: { matchExpressions: [inList("istio.io/rev", [rev])] },
        },
      ],
    },
  );
}
