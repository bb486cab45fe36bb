/**
 * The objects `mesh tag generate|set` writes for a revision tag, as istioctl 1.30 builds them: the tag's
 * MutatingWebhookConfiguration rendered by the istiod chart (values.revisionTags), adjusted to the revision's
 * live injector webhook (its CA bundle, URL or service path and name, labels and annotations); for the `default`
 * tag also the cluster-wide validator; for a revision running ambient also the tag's Service.
 */
import type { KubeObject } from "../objects.js";
import { generateFromDocuments } from "./generate.js";
import { DEFAULT_TAG, defaultTagValidator, TAG_LABEL } from "./revision-tags.js";

export interface TagSource {
  tag: string;
  /** The revision the tag points at; "default" for the default revision. */
  revision: string;
  istioNamespace: string;
  /** From the revision's injector webhook. */
  injectionUrl?: string;
  injectionPath?: string;
  serviceName?: string;
  caBundle?: string;
  reinvocationPolicy?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** --auto-inject-namespaces: inject into every namespace without a label. */
  autoInjectNamespaces?: boolean;
  /** --webhook-name: another name for the MutatingWebhookConfiguration. */
  webhookName?: string;
  /** Failure policy of the live `istiod-default-validator` webhook, kept so that istiod's `Fail` is not undone; null leaves it to the API default. */
  validatorFailurePolicy?: string | null;
  /** The revision runs ambient (its istiod has PILOT_ENABLE_AMBIENT): the tag also gets a Service. */
  ambient?: boolean;
}

/** Labels of installer-managed objects; a user-set tag drops them so that installs and prunes leave it alone. */
const installerLabelPart = "operator.istio.io";

function userManagedLabels(...sets: (Record<string, string> | undefined)[]): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const set of sets) Object.assign(merged, set ?? {});
  for (const key of Object.keys(merged)) if (key.includes(installerLabelPart)) delete merged[key];
  return merged;
}

export function tagManifest(source: TagSource): KubeObject[] {
  const revision = source.revision === DEFAULT_TAG ? "" : source.revision;
  const sets = [
    "profile=empty",
    "components.pilot.enabled=true",
    `values.revisionTags[0]=${source.tag}`,
    `values.sidecarInjectorWebhook.enableNamespacesByDefault=${source.autoInjectNamespaces === true}`,
    `values.global.istioNamespace=${source.istioNamespace}`,
    ...(revision ? [`revision=${revision}`] : []),
    ...(source.injectionUrl ? [`values.istiodRemote.injectionURL=${source.injectionUrl}`] : []),
    ...(source.reinvocationPolicy ? [`values.sidecarInjectorWebhook.reinvocationPolicy=${source.reinvocationPolicy}`] : []),
  ];
  const rendered = generateFromDocuments({ documents: [], sets, components: ["istiod"] }).components.flatMap(
    (component) => component.objects,
  );
  const canonicalLabels = { ...(source.labels ?? {}) };
  delete canonicalLabels.app;
  const webhook = rendered.find((object) => object.kind === "MutatingWebhookConfiguration" && object.metadata.labels?.[TAG_LABEL]);
  if (!webhook) throw new Error("the istiod renderer produced no revision-tag webhook");
  type ClientConfig = { service?: Record<string, unknown>; url?: string; caBundle?: string };
  const hooks = (webhook as unknown as { webhooks: { clientConfig: ClientConfig }[] }).webhooks.map((hook) => {
    const clientConfig: ClientConfig = { ...hook.clientConfig };
    if (clientConfig.service) {
      clientConfig.service = {
        ...clientConfig.service,
        ...(source.injectionPath !== undefined ? { path: source.injectionPath } : {}),
        ...(source.serviceName ? { name: source.serviceName } : {}),
      };
    }
    if (source.caBundle) clientConfig.caBundle = source.caBundle;
    return { ...hook, clientConfig };
  });
  const annotations = { ...(webhook.metadata.annotations ?? {}), ...(source.annotations ?? {}) };
  const objects: KubeObject[] = [
    {
      ...webhook,
      metadata: {
        name: source.webhookName || webhook.metadata.name,
        labels: userManagedLabels(webhook.metadata.labels, canonicalLabels),
        ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
      },
      webhooks: hooks,
    },
  ];
  if (source.tag === DEFAULT_TAG) {
    const url = source.injectionUrl ? validationUrl(source.injectionUrl) : undefined;
    const validator = defaultTagValidator({
      revision,
      istioNamespace: source.istioNamespace,
      ...(url ? { url } : {}),
      ...(source.caBundle ? { caBundle: source.caBundle } : {}),
    }) as KubeObject & { webhooks: Record<string, unknown>[] };
    if (source.validatorFailurePolicy === null) for (const hook of validator.webhooks) delete hook.failurePolicy;
    else if (source.validatorFailurePolicy) for (const hook of validator.webhooks) hook.failurePolicy = source.validatorFailurePolicy;
    validator.metadata.labels = userManagedLabels(validator.metadata.labels, canonicalLabels);
    if (source.annotations && Object.keys(source.annotations).length > 0) validator.metadata.annotations = { ...source.annotations };
    objects.push(validator);
  }
  if (source.ambient) {
    const service = rendered.find((object) => object.kind === "Service" && object.metadata.labels?.[TAG_LABEL] === source.tag);
    if (service) objects.push(service);
  }
  return objects;
}

/** The validation endpoint next to an injection URL: same host, path /validate. */
function validationUrl(injectionUrl: string): string {
  try {
    const url = new URL(injectionUrl);
    url.pathname = "/validate";
    return url.toString();
  } catch {
    return injectionUrl;
  }
}
