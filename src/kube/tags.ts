/**
 * Revision tags on a cluster (istioctl tag): list them with the namespaces that use them, build and apply a
 * tag from the revision's live injector webhook, remove one. A tag is found by its MutatingWebhookConfiguration
 * (label istio.io/tag); a namespace uses it through its istio.io/rev label.
 */
import { ClusterError, InputError } from "../core/errors.js";
import type { KubeObject } from "../core/objects.js";
import { DEFAULT_TAG, TAG_LABEL } from "../core/render/revision-tags.js";
import { tagManifest } from "../core/render/tag-manifest.js";
import type { Cluster } from "./cluster.js";

const REV_LABEL = "istio.io/rev";
const webhookApi = "admissionregistration.k8s.io/v1";
/** A selector no object carries: how the old default injector is switched off without deleting it (istioctl's). */
export const NEVER_MATCH = { matchLabels: { "istio.io/deactivated": "never-match" } };

export interface TagDescription {
  tag: string;
  revision: string;
  namespaces: string[];
}

type Webhook = KubeObject & { webhooks?: Record<string, any>[] };

const mutatingWebhooks = (cluster: Cluster, labelSelector: string) =>
  cluster.list(webhookApi, "MutatingWebhookConfiguration", { labelSelector }) as Promise<Webhook[]>;

/** The injector webhook an install created for `revision` (not a tag's). */
export function revisionWebhooks(cluster: Cluster, revision: string): Promise<Webhook[]> {
  return mutatingWebhooks(cluster, `${REV_LABEL}=${revision},!${TAG_LABEL}`);
}

export function tagWebhooks(cluster: Cluster, tag: string): Promise<Webhook[]> {
  return mutatingWebhooks(cluster, `${TAG_LABEL}=${tag}`);
}

export async function namespacesUsing(cluster: Cluster, tagOrRevision: string): Promise<string[]> {
  const namespaces = await cluster.list("v1", "Namespace", { labelSelector: `${REV_LABEL}=${tagOrRevision}` });
  return namespaces.map((namespace) => namespace.metadata.name ?? "").sort();
}

/** Every tag, sorted by revision then tag (as istioctl prints them). */
export async function listTags(cluster: Cluster): Promise<TagDescription[]> {
  const webhooks = await mutatingWebhooks(cluster, TAG_LABEL);
  const byTag = new Map<string, TagDescription>();
  for (const webhook of webhooks) {
    const tag = webhook.metadata.labels?.[TAG_LABEL] ?? "";
    const revision = webhook.metadata.labels?.[REV_LABEL];
    if (revision === undefined) throw new ClusterError(`MutatingWebhookConfiguration ${webhook.metadata.name} has no ${REV_LABEL} label`);
    byTag.set(`${revision}/${tag}`, { tag, revision, namespaces: await namespacesUsing(cluster, tag) });
  }
  return [...byTag.values()].sort((a, b) => compare(a.revision, b.revision) || compare(a.tag, b.tag));
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export interface TagOptions {
  tag: string;
  revision: string;
  istioNamespace: string;
  overwrite?: boolean;
  /** Only print (generate): the name checks against existing revisions and tags are skipped. */
  generate?: boolean;
  autoInjectNamespaces?: boolean;
  webhookName?: string;
}

/** The tag's objects, checked against the cluster as istioctl checks them. */
export async function buildTag(cluster: Cluster, options: TagOptions): Promise<KubeObject[]> {
  const { tag, revision } = options;
  if (!options.generate && !options.overwrite && tag !== DEFAULT_TAG && (await revisionWebhooks(cluster, tag)).length > 0)
    throw new InputError(`cannot create revision tag "${tag}": found existing control plane revision with same name`, {
      hint: "choose another tag name",
    });
  const canonical = await revisionWebhooks(cluster, revision);
  if (canonical.length === 0)
    throw new InputError(`cannot modify tag: cannot find MutatingWebhookConfiguration with revision "${revision}"`, {
      hint: "install that revision first (mesh install --revision …), or check the name with mesh tag list",
    });
  if (canonical.length > 1)
    throw new ClusterError(`cannot modify tag: found multiple canonical webhooks with revision "${revision}"`, {
      hint: canonical.map((webhook) => webhook.metadata.name).join(", "),
    });
  if (!options.overwrite && (await tagWebhooks(cluster, tag)).length > 0)
    throw new InputError(`revision tag "${tag}" already exists, and --overwrite is false`, { hint: "pass --overwrite to repoint it" });
  const webhook = canonical[0]!;
  const injector = (webhook.webhooks ?? []).find((hook) => String(hook.name).endsWith("sidecar-injector.istio.io"));
  if (!injector) throw new ClusterError(`could not find sidecar-injector webhook in canonical webhook "${webhook.metadata.name}"`);
  const clientConfig = injector.clientConfig ?? {};
  let validatorFailurePolicy: string | null | undefined;
  if (tag === DEFAULT_TAG) {
    const live: Webhook | undefined = await cluster.get({
      apiVersion: webhookApi,
      kind: "ValidatingWebhookConfiguration",
      metadata: { name: "istiod-default-validator" },
    });
    const policy = live?.webhooks?.[0]?.failurePolicy as string | undefined;
    // istiod switches the validator to Fail once it serves; a new tag must not switch it back to Ignore.
    if (live) validatorFailurePolicy = policy === "Fail" ? null : policy;
  }
  return tagManifest({
    tag,
    revision: webhook.metadata.labels?.[REV_LABEL] ?? revision,
    istioNamespace: options.istioNamespace,
    ...(clientConfig.url ? { injectionUrl: String(clientConfig.url) } : {}),
    ...(clientConfig.service?.path !== undefined ? { injectionPath: String(clientConfig.service.path) } : {}),
    ...(clientConfig.service?.name ? { serviceName: String(clientConfig.service.name) } : {}),
    ...(clientConfig.caBundle ? { caBundle: String(clientConfig.caBundle) } : {}),
    ...(injector.reinvocationPolicy ? { reinvocationPolicy: String(injector.reinvocationPolicy) } : {}),
    labels: webhook.metadata.labels ?? {},
    ...(webhook.metadata.annotations ? { annotations: webhook.metadata.annotations } : {}),
    autoInjectNamespaces: options.autoInjectNamespaces ?? false,
    ...(options.webhookName ? { webhookName: options.webhookName } : {}),
    ...(validatorFailurePolicy !== undefined ? { validatorFailurePolicy } : {}),
    ambient: await runsAmbient(cluster, revision, options.istioNamespace),
  });
}

/** Whether the revision's istiod has ambient enabled (then the tag also gets a Service for ztunnel and waypoints). */
async function runsAmbient(cluster: Cluster, revision: string, istioNamespace: string): Promise<boolean> {
  const name = revision === DEFAULT_TAG ? "istiod" : `istiod-${revision}`;
  const deployment = (await cluster.get({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: istioNamespace },
  })) as any;
  const containers: any[] = deployment?.spec?.template?.spec?.containers ?? [];
  return containers.some((container) =>
    (container.env ?? []).some((env: any) => env.name === "PILOT_ENABLE_AMBIENT" && String(env.value) === "true"),
  );
}

/**
 * Applies a tag. Pointing `default` elsewhere first switches off the default revision's own injector
 * (its webhooks get a selector nothing matches), so that istio-injection=enabled has one injector.
 */
export async function applyTag(cluster: Cluster, objects: readonly KubeObject[], tag: string): Promise<void> {
  if (tag === DEFAULT_TAG) await deactivateDefaultInjector(cluster);
  for (const object of objects) await cluster.apply(object, { force: true });
}

export async function deactivateDefaultInjector(cluster: Cluster): Promise<void> {
  const webhooks = await revisionWebhooks(cluster, DEFAULT_TAG);
  if (webhooks.length === 0) return;
  if (webhooks.length > 1) throw new ClusterError("expected a single webhook for the default revision");
  const live = webhooks[0]!;
  await cluster.client.request({
    method: "PUT",
    path: `/apis/${webhookApi}/mutatingwebhookconfigurations/${encodeURIComponent(live.metadata.name ?? "")}`,
    body: {
      ...live,
      apiVersion: webhookApi,
      kind: "MutatingWebhookConfiguration",
      webhooks: (live.webhooks ?? []).map((hook) => ({ ...hook, namespaceSelector: NEVER_MATCH, objectSelector: NEVER_MATCH })),
    },
    action: `update mutatingwebhookconfigurations ${live.metadata.name}`,
  });
}

/** Deletes the tag's webhooks and Services. */
export async function removeTag(cluster: Cluster, tag: string, istioNamespace: string): Promise<string[]> {
  const webhooks = await tagWebhooks(cluster, tag);
  const services = await cluster.list("v1", "Service", { namespace: istioNamespace, labelSelector: `${TAG_LABEL}=${tag}` });
  const removed: string[] = [];
  for (const object of [...webhooks, ...services]) {
    if (await cluster.delete(object)) removed.push(`${object.kind}/${object.metadata.name}`);
  }
  return removed;
}
