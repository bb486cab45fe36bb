/**
 * Revision tags: aliases a namespace's `istio.io/rev` label can name instead of a revision. A tag is a
 * MutatingWebhookConfiguration `istio-revision-tag-<tag>` whose webhooks select on the tag and call the
 * revision's istiod, plus a Service `istiod-revision-tag-<tag>`. The `default` tag also answers
 * `istio-injection=enabled` and brings the cluster-wide validator `istiod-default-validator`.
 * Rendered from values.revisionTags by the istiod chart and by `mesh tag generate|set`.
 */
import type { KubeObject } from "../objects.js";
import { helmLabels } from "./labels.js";
import { istiodOwnerLabels, object, revisioned, value, type IstiodContext } from "./istiod-context.js";
import { istiodService } from "./istiod-workload.js";

export const DEFAULT_TAG = "default";
export const TAG_LABEL = "istio.io/tag";
const admissionApi = "admissionregistration.k8s.io/v1";

type Expression = { key: string; operator: string; values?: string[] };
const absent = (key: string): Expression => ({ key, operator: "DoesNotExist" });
const inList = (key: string, values: string[]): Expression => ({ key, operator: "In", values });
const notIn = (key: string, values: string[]): Expression => ({ key, operator: "NotIn", values });

/** Where the tag's webhooks send pods: the revision's istiod Service, or values.istiodRemote.injectionURL. */
function injectionClientConfig(context: IstiodContext): Record<string, unknown> {
  const url = value<string>(context, "istiodRemote.injectionURL");
  if (url) return { url };
  return {
    service: {
      name: revisioned(context, "istiod"),
      namespace: context.namespace,
      path: value<string>(context, "istiodRemote.injectionPath") || "/inject",
      port: 443,
    },
  };
}

export function tagWebhookName(tag: string, namespace: string): string {
  return namespace === "istio-system" ? `istio-revision-tag-${tag}` : `istio-revision-tag-${tag}-${namespace}`;
}

/** MutatingWebhookConfiguration of one tag, as the istiod chart's revision-tag template renders it. */
export function tagInjectionWebhook(context: IstiodContext, tag: string): KubeObject {
  const clientConfig = injectionClientConfig(context);
  const hook = (prefix: string, namespaceSelector: Expression[], objectSelector: Expression[]) => ({
    name: `${prefix}sidecar-injector.istio.io`,
    clientConfig,
    sideEffects: "None",
    rules: [{ operations: ["CREATE"], apiGroups: [""], apiVersions: ["v1"], resources: ["pods"] }],
    failurePolicy: "Fail",
    reinvocationPolicy: value<string>(context, "sidecarInjectorWebhook.reinvocationPolicy") || "Never",
    admissionReviewVersions: ["v1"],
    namespaceSelector: { matchExpressions: namespaceSelector },
    objectSelector: { matchExpressions: objectSelector },
  });
  const optOut = notIn("sidecar.istio.io/inject", ["false"]);
  const webhooks = [
    hook("rev.namespace.", [inList("istio.io/rev", [tag]), absent("istio-injection")], [optOut]),
    hook("rev.object.", [absent("istio.io/rev"), absent("istio-injection")], [optOut, inList("istio.io/rev", [tag])]),
  ];
  if (tag === DEFAULT_TAG) {
    webhooks.push(
      hook("namespace.", [inList("istio-injection", ["enabled"])], [optOut]),
      hook(
        "object.",
        [absent("istio-injection"), absent("istio.io/rev")],
        [inList("sidecar.istio.io/inject", ["true"]), absent("istio.io/rev")],
      ),
    );
    if (value<boolean>(context, "sidecarInjectorWebhook.enableNamespacesByDefault") === true)
      webhooks.push(
        hook(
          "auto.",
          [
            absent("istio-injection"),
            absent("istio.io/rev"),
            notIn("kubernetes.io/metadata.name", ["kube-system", "kube-public", "kube-node-lease", "local-path-storage"]),
          ],
          [absent("sidecar.istio.io/inject"), absent("istio.io/rev")],
        ),
      );
  }
  const annotations = value<Record<string, string>>(context, "pilot.sidecarInjectorWebhookAnnotations") ?? {};
  return object(
    admissionApi,
    "MutatingWebhookConfiguration",
    {
      name: tagWebhookName(tag, context.namespace),
      labels: {
        [TAG_LABEL]: tag,
        ...istiodOwnerLabels(context),
        app: "sidecar-injector",
        release: "istio",
        "app.kubernetes.io/name": "istiod",
        ...helmLabels("istiod"),
      },
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
    },
    { webhooks },
  );
}

/** Service `istiod-revision-tag-<tag>`: the revision's istiod under the tag's name. */
export function tagService(context: IstiodContext, tag: string): KubeObject {
  const service = istiodService(context);
  return {
    ...service,
    metadata: {
      ...service.metadata,
      name: `istiod-revision-tag-${tag}`,
      labels: { ...service.metadata.labels, [TAG_LABEL]: tag },
    },
  };
}

/** The objects values.revisionTags adds to the istiod chart (webhooks unless istiod manages them itself). */
export function revisionTagObjects(context: IstiodContext): KubeObject[] {
  const tags = (value<unknown[]>(context, "revisionTags") ?? []).map(String);
  const manageWebhooks = value<boolean>(context, "global.operatorManageWebhooks") === true;
  return tags.flatMap((tag) => [...(manageWebhooks ? [] : [tagInjectionWebhook(context, tag)]), tagService(context, tag)]);
}

export interface ValidatorInput {
  /** The revision the validator calls ("" or "default" for istiod). */
  revision: string;
  istioNamespace: string;
  url?: string;
  caBundle?: string;
  failurePolicy?: string;
}

const validationRules = [
  {
    operations: ["CREATE", "UPDATE"],
    apiGroups: ["security.istio.io", "networking.istio.io", "telemetry.istio.io", "extensions.istio.io"],
    apiVersions: ["*"],
    resources: ["*"],
  },
];

function validatorClientConfig(input: ValidatorInput): Record<string, unknown> {
  const rev = input.revision === DEFAULT_TAG ? "" : input.revision;
  const config: Record<string, unknown> = input.url
    ? { url: input.url }
    : { service: { name: rev ? `istiod-${rev}` : "istiod", namespace: input.istioNamespace, path: "/validate" } };
  if (input.caBundle) config.caBundle = input.caBundle;
  return config;
}

/**
 * ValidatingWebhookConfiguration `istiod-default-validator` as the base chart renders it for a non-empty
 * values.defaultRevision: validates Istio config of every revision-less object.
 */
export function baseDefaultValidator(input: ValidatorInput): KubeObject {
  const failurePolicy = input.caBundle ? "Fail" : input.failurePolicy || "Ignore";
  return object(
    admissionApi,
    "ValidatingWebhookConfiguration",
    {
      name: "istiod-default-validator",
      labels: defaultValidatorLabels(input.revision),
    },
    {
      webhooks: [
        {
          name: "validation.istio.io",
          clientConfig: validatorClientConfig(input),
          rules: validationRules,
          failurePolicy,
          sideEffects: "None",
          admissionReviewVersions: ["v1"],
        },
      ],
    },
  );
}

/**
 * `istiod-default-validator` as `tag set default` renders it: like the base chart's, but labelled with the
 * tag and limited to objects without an `istio.io/rev` label.
 */
export function defaultTagValidator(input: ValidatorInput): KubeObject {
  return object(
    admissionApi,
    "ValidatingWebhookConfiguration",
    {
      name: "istiod-default-validator",
      labels: {
        app: "istiod",
        istio: "istiod",
        "istio.io/rev": input.revision || DEFAULT_TAG,
        [TAG_LABEL]: DEFAULT_TAG,
        "operator.istio.io/component": "Pilot",
        "app.kubernetes.io/name": "istiod",
        ...helmLabels("istio-default"),
      },
    },
    {
      webhooks: [
        {
          name: "validation.istio.io",
          clientConfig: validatorClientConfig(input),
          rules: validationRules,
          failurePolicy: input.failurePolicy || "Ignore",
          sideEffects: "None",
          admissionReviewVersions: ["v1"],
          objectSelector: { matchExpressions: [absent("istio.io/rev")] },
        },
      ],
    },
  );
}

function defaultValidatorLabels(revision: string): Record<string, string> {
  return {
    app: "istiod",
    release: "istio",
    istio: "istiod",
    "istio.io/rev": revision || DEFAULT_TAG,
    "app.kubernetes.io/name": "istiod",
    ...helmLabels("base"),
  };
}
