/**
 * The controllers a real cluster runs, reduced to what clients observe: CRDs become Established after a delay,
 * Deployments roll out after a number of reads (or never, with pods stuck in ImagePullBackOff), LoadBalancer
 * Services get an ingress address, Endpoints follow ready pods, owned objects are garbage-collected and
 * terminating namespaces are emptied. Everything runs synchronously before each request: no timers.
 */
import { createHash, randomUUID } from "node:crypto";
import { builtinResources, type ResourceType } from "./resources.js";
import { ObjectStore, type StoredRecord } from "./store.js";

type Json = any;

export type Readiness = number | "never";

export interface SimulationBehaviour {
  /** Milliseconds after creation before a CRD reports Established=True. */
  crdEstablishDelayMs: number;
  /** Reads of a Deployment (GET or LIST) before its current generation is rolled out; "never" = image pull failure. */
  deploymentReadyAfterReads: Readiness;
  /** Per Deployment (`namespace/name`) overrides of `deploymentReadyAfterReads`. */
  deployments: Record<string, Readiness>;
  /** The address LoadBalancer Services get; null leaves them pending. */
  loadBalancerIngress: { ip?: string; hostname?: string } | null;
}

const typeOf = (kind: string): ResourceType => builtinResources.find((type) => type.kind === kind)!;

function timestamp(now: number): string {
  return new Date(now).toISOString().replace(/\.\d+Z$/, "Z");
}

export class Simulation {
  private readonly reads = new Map<string, { generation: number; count: number }>();
  /** When each CRD was first seen; creationTimestamp has only second precision. */
  private readonly crdSeen = new Map<string, number>();
  private nextClusterIp = 10;
  private nextNodePort = 30100;

  constructor(
    private readonly store: ObjectStore,
    private readonly behaviour: () => SimulationBehaviour,
  ) {}

  /** Counts a client's read of a Deployment; rollouts progress with reads, as a real rollout progresses with time. */
  noteRead(record: StoredRecord): void {
    if (record.type.kind !== "Deployment") return;
    const key = record.object.metadata.uid as string;
    const generation = record.object.metadata.generation as number;
    const entry = this.reads.get(key);
    if (!entry || entry.generation !== generation) this.reads.set(key, { generation, count: 1 });
    else entry.count++;
  }

  reconcile(now: number): void {
    this.terminateNamespaces();
    this.collectGarbage();
    for (const record of [...this.store.records.values()]) {
      if (record.type.kind === "CustomResourceDefinition") this.establish(record, now);
      if (record.type.kind === "Deployment") this.rollOut(record, now);
      if (record.type.kind === "Service") this.serve(record);
    }
  }

  private establish(record: StoredRecord, now: number): void {
    const uid = record.object.metadata.uid as string;
    if (!this.crdSeen.has(uid)) this.crdSeen.set(uid, now);
    const created = this.crdSeen.get(uid)!;
    const names = record.object.spec?.names ?? {};
    const accepted = {
      type: "NamesAccepted",
      status: "True",
      reason: "NoConflicts",
      message: "no conflicts found",
      lastTransitionTime: record.object.metadata.creationTimestamp,
    };
    const established =
      now - created >= this.behaviour().crdEstablishDelayMs
        ? {
            type: "Established",
            status: "True",
            reason: "InitialNamesAccepted",
            message: "the initial names have been accepted",
            lastTransitionTime: timestamp(now),
          }
        : {
            type: "Established",
            status: "False",
            reason: "Installing",
            message: "the initial names are being accepted",
            lastTransitionTime: record.object.metadata.creationTimestamp,
          };
    const previous = (record.object.status?.conditions ?? []).find((condition: Json) => condition.type === "Established");
    if (previous?.status === "True") established.lastTransitionTime = previous.lastTransitionTime;
    const storedVersions = (record.object.spec?.versions ?? [])
      .filter((version: Json) => version.storage)
      .map((version: Json) => version.name);
    const previousStored: string[] = record.object.status?.storedVersions ?? [];
    this.store.updateStatus(record, {
      conditions: [accepted, established],
      acceptedNames: {
        kind: names.kind,
        listKind: names.listKind ?? `${names.kind}List`,
        plural: names.plural,
        singular: names.singular,
        ...(names.shortNames ? { shortNames: names.shortNames } : {}),
        ...(names.categories ? { categories: names.categories } : {}),
      },
      storedVersions: [...new Set([...previousStored, ...storedVersions])],
    });
  }

  private readiness(record: StoredRecord): Readiness {
    const behaviour = this.behaviour();
    const key = `${record.object.metadata.namespace}/${record.object.metadata.name}`;
    return behaviour.deployments[key] ?? behaviour.deploymentReadyAfterReads;
  }

  private rollOut(record: StoredRecord, now: number): void {
    const object = record.object;
    const replicas: number = object.spec?.replicas ?? 1;
    const generation: number = object.metadata.generation;
    const readiness = this.readiness(record);
    const reads = this.reads.get(object.metadata.uid);
    const readCount = reads && reads.generation === generation ? reads.count : 0;
    const ready = readiness !== "never" && readCount >= readiness;
    const replicaSet = this.ensureReplicaSet(record, replicas, ready, now);
    this.ensurePods(replicaSet, record, replicas, ready ? "running" : readiness === "never" ? "imagePullBackOff" : "creating", now);
    const time = timestamp(now);
    this.store.updateStatus(record, {
      observedGeneration: generation,
      replicas,
      updatedReplicas: replicas,
      readyReplicas: ready ? replicas : 0,
      availableReplicas: ready ? replicas : 0,
      ...(ready ? {} : { unavailableReplicas: replicas }),
      conditions: [
        ready
          ? {
              type: "Available",
              status: "True",
              reason: "MinimumReplicasAvailable",
              message: "Deployment has minimum availability.",
              lastUpdateTime: time,
              lastTransitionTime: time,
            }
          : {
              type: "Available",
              status: "False",
              reason: "MinimumReplicasUnavailable",
              message: "Deployment does not have minimum availability.",
              lastUpdateTime: time,
              lastTransitionTime: time,
            },
        {
          type: "Progressing",
          status: "True",
          reason: ready ? "NewReplicaSetAvailable" : "ReplicaSetUpdated",
          message: ready
            ? `ReplicaSet "${replicaSet.object.metadata.name}" has successfully progressed.`
            : `ReplicaSet "${replicaSet.object.metadata.name}" is progressing.`,
          lastUpdateTime: time,
          lastTransitionTime: time,
        },
      ].map((condition) => keepTransitionTimes(condition, object.status?.conditions)),
    });
  }

  private ensureReplicaSet(deployment: StoredRecord, replicas: number, ready: boolean, now: number): StoredRecord {
    const template = deployment.object.spec?.template ?? {};
    const hash = createHash("sha256").update(JSON.stringify(template)).digest("hex").slice(0, 10);
    const name = `${deployment.object.metadata.name}-${hash}`;
    const namespace = deployment.object.metadata.namespace;
    const type = typeOf("ReplicaSet");
    for (const old of this.store.list(type, namespace)) {
      if (ownedBy(old, deployment) && old.object.metadata.name !== name)
        this.store.records.delete(ObjectStore.key(type, namespace, old.object.metadata.name));
    }
    let record = this.store.get(type, namespace, name);
    if (!record) {
      record = this.systemCreate(
        type,
        {
          metadata: {
            name,
            namespace,
            labels: { ...(template.metadata?.labels ?? {}), "pod-template-hash": hash },
            ownerReferences: [ownerReference(deployment)],
          },
          spec: { replicas, selector: deployment.object.spec?.selector, template },
        },
        now,
      );
    }
    this.store.updateStatus(record, {
      replicas,
      readyReplicas: ready ? replicas : 0,
      availableReplicas: ready ? replicas : 0,
      observedGeneration: 1,
    });
    return record;
  }

  private ensurePods(
    replicaSet: StoredRecord,
    deployment: StoredRecord,
    replicas: number,
    state: "running" | "creating" | "imagePullBackOff",
    now: number,
  ): void {
    const type = typeOf("Pod");
    const namespace = replicaSet.object.metadata.namespace;
    const pods = this.store.list(type, namespace).filter((pod) => ownedBy(pod, replicaSet));
    for (let index = pods.length; index < replicas; index++) {
      const name = `${replicaSet.object.metadata.name}-${randomUUID().replace(/-/g, "").slice(0, 5)}`;
      const template = replicaSet.object.spec.template ?? {};
      pods.push(
        this.systemCreate(
          type,
          {
            metadata: {
              name,
              namespace,
              labels: { ...(template.metadata?.labels ?? {}), "pod-template-hash": replicaSet.object.metadata.labels["pod-template-hash"] },
              ownerReferences: [ownerReference(replicaSet)],
            },
            spec: { ...(template.spec ?? {}), nodeName: "mesh-test-control-plane" },
          },
          now,
        ),
      );
    }
    const containers: Json[] = deployment.object.spec?.template?.spec?.containers ?? [];
    pods.forEach((pod, index) => {
      const podIp = `10.244.0.${(index % 200) + 10}`;
      const containerStatuses = containers.map((container) => ({
        name: container.name,
        image: container.image,
        ready: state === "running",
        restartCount: 0,
        started: state === "running",
        state:
          state === "running"
            ? { running: { startedAt: pod.object.metadata.creationTimestamp } }
            : state === "creating"
              ? { waiting: { reason: "ContainerCreating" } }
              : { waiting: { reason: "ImagePullBackOff", message: `Back-off pulling image "${container.image}"` } },
      }));
      this.store.updateStatus(pod, {
        phase: state === "running" ? "Running" : "Pending",
        conditions: [
          { type: "PodScheduled", status: "True" },
          {
            type: "Ready",
            status: state === "running" ? "True" : "False",
            ...(state === "running"
              ? {}
              : { reason: "ContainersNotReady", message: `containers with unready status: [${containers.map((c) => c.name).join(" ")}]` }),
          },
        ],
        ...(state === "running" ? { podIP: podIp, podIPs: [{ ip: podIp }] } : {}),
        containerStatuses,
        startTime: pod.object.metadata.creationTimestamp,
      });
      if (state === "imagePullBackOff") this.recordPullFailure(pod, containers[0]?.image, now);
    });
  }

  private recordPullFailure(pod: StoredRecord, image: string | undefined, now: number): void {
    const type = typeOf("Event");
    const namespace = pod.object.metadata.namespace;
    const name = `${pod.object.metadata.name}.pull-failed`;
    const message = `Failed to pull image "${image}": rpc error: code = NotFound desc = failed to pull and unpack image "${image}": not found`;
    const existing = this.store.get(type, namespace, name);
    if (existing) return;
    this.systemCreate(
      type,
      {
        metadata: { name, namespace },
        involvedObject: {
          kind: "Pod",
          namespace,
          name: pod.object.metadata.name,
          uid: pod.object.metadata.uid,
          apiVersion: "v1",
          fieldPath: "spec.containers{istio-proxy}",
        },
        reason: "Failed",
        message,
        type: "Warning",
        count: 3,
        source: { component: "kubelet", host: "mesh-test-control-plane" },
        firstTimestamp: timestamp(now),
        lastTimestamp: timestamp(now),
      },
      now,
    );
  }

  private serve(record: StoredRecord): void {
    const object = record.object;
    let changedSpec = false;
    if (object.spec && object.spec.clusterIP === undefined && object.spec.type !== "ExternalName") {
      object.spec.clusterIP = `10.96.0.${this.nextClusterIp++}`;
      object.spec.clusterIPs = [object.spec.clusterIP];
      changedSpec = true;
    }
    if (object.spec?.type === "LoadBalancer" || object.spec?.type === "NodePort") {
      for (const port of object.spec.ports ?? []) {
        if (port.nodePort === undefined) {
          port.nodePort = this.nextNodePort++;
          changedSpec = true;
        }
      }
    }
    if (changedSpec) object.metadata.resourceVersion = this.store.nextResourceVersion();
    const ingress = this.behaviour().loadBalancerIngress;
    const status =
      object.spec?.type === "LoadBalancer" && ingress
        ? { loadBalancer: { ingress: [{ ...ingress, ipMode: "VIP" }] } }
        : { loadBalancer: {} };
    this.store.updateStatus(record, status);
    this.syncEndpoints(record);
  }

  private syncEndpoints(service: StoredRecord): void {
    const selector: Record<string, string> | undefined = service.object.spec?.selector;
    if (!selector) return;
    const namespace = service.object.metadata.namespace;
    const pods = this.store
      .list(typeOf("Pod"), namespace)
      .filter((pod) => Object.entries(selector).every(([key, value]) => pod.object.metadata.labels?.[key] === value));
    const address = (pod: StoredRecord) => ({
      ip: pod.object.status?.podIP ?? "",
      targetRef: { kind: "Pod", name: pod.object.metadata.name, namespace, uid: pod.object.metadata.uid },
    });
    const ready = pods.filter((pod) => pod.object.status?.phase === "Running" && pod.object.status?.podIP);
    const notReady = pods.filter((pod) => !ready.includes(pod));
    const ports = (service.object.spec?.ports ?? []).map((port: Json) => ({
      name: port.name,
      port: typeof port.targetPort === "number" ? port.targetPort : port.port,
      protocol: port.protocol ?? "TCP",
    }));
    const subsets =
      pods.length === 0
        ? []
        : [
            {
              ...(ready.length ? { addresses: ready.map(address) } : {}),
              ...(notReady.length ? { notReadyAddresses: notReady.map(() => ({ ip: "" })) } : {}),
              ports,
            },
          ];
    const type = typeOf("Endpoints");
    const name = service.object.metadata.name;
    const existing =
      this.store.get(type, namespace, name) ??
      this.systemCreate(type, { metadata: { name, namespace, labels: service.object.metadata.labels ?? {} } }, Date.now());
    if (JSON.stringify(existing.object.subsets ?? []) !== JSON.stringify(subsets)) {
      existing.object.subsets = subsets;
      existing.object.metadata.resourceVersion = this.store.nextResourceVersion();
    }
    const sliceType = typeOf("EndpointSlice");
    const sliceName = `${name}-slice`;
    const slice =
      this.store.get(sliceType, namespace, sliceName) ??
      this.systemCreate(
        sliceType,
        {
          metadata: {
            name: sliceName,
            namespace,
            labels: { "kubernetes.io/service-name": name, "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io" },
            ownerReferences: [ownerReference(service)],
          },
          addressType: "IPv4",
        },
        Date.now(),
      );
    const endpoints = pods.map((pod) => ({
      addresses: [pod.object.status?.podIP ?? "10.244.0.1"],
      conditions: { ready: ready.includes(pod) },
      targetRef: { kind: "Pod", name: pod.object.metadata.name, namespace },
    }));
    if (JSON.stringify(slice.object.endpoints ?? []) !== JSON.stringify(endpoints)) {
      slice.object.endpoints = endpoints;
      slice.object.ports = ports;
      slice.object.metadata.resourceVersion = this.store.nextResourceVersion();
    }
  }

  private collectGarbage(): void {
    let removed = true;
    while (removed) {
      removed = false;
      const uids = new Set([...this.store.records.values()].map((record) => record.object.metadata.uid));
      for (const [key, record] of this.store.records) {
        const owners: Json[] = record.object.metadata.ownerReferences ?? [];
        const orphanedService =
          record.type.kind === "Endpoints" &&
          !this.store.get(typeOf("Service"), record.object.metadata.namespace, record.object.metadata.name);
        if ((owners.length > 0 && owners.every((owner) => !uids.has(owner.uid))) || orphanedService) {
          this.store.records.delete(key);
          removed = true;
        }
      }
    }
  }

  private terminateNamespaces(): void {
    for (const namespace of this.store.list(typeOf("Namespace"), undefined)) {
      if (!namespace.object.metadata.deletionTimestamp) continue;
      const name = namespace.object.metadata.name;
      for (const [key, record] of this.store.records)
        if (record.type.namespaced && record.object.metadata.namespace === name) this.store.records.delete(key);
      this.store.records.delete(ObjectStore.key(namespace.type, undefined, name));
    }
  }

  private systemCreate(type: ResourceType, body: Json, now: number): StoredRecord {
    return this.store.create(
      type,
      type.versions[0]!,
      body.metadata.namespace,
      { apiVersion: type.group ? `${type.group}/${type.versions[0]}` : type.versions[0], kind: type.kind, ...body },
      {
        manager: `${type.kind.toLowerCase()}-controller`,
        dryRun: false,
        now: timestamp(now),
      },
    );
  }
}

function ownerReference(owner: StoredRecord) {
  return {
    apiVersion: owner.object.apiVersion,
    kind: owner.type.kind,
    name: owner.object.metadata.name,
    uid: owner.object.metadata.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

function ownedBy(record: StoredRecord, owner: StoredRecord): boolean {
  return (record.object.metadata.ownerReferences ?? []).some((reference: Json) => reference.uid === owner.object.metadata.uid);
}

function keepTransitionTimes(condition: Json, previous: Json[] | undefined): Json {
  const before = (previous ?? []).find((candidate) => candidate.type === condition.type);
  if (before && before.status === condition.status && before.reason === condition.reason) {
    return { ...condition, lastUpdateTime: before.lastUpdateTime, lastTransitionTime: before.lastTransitionTime };
  }
  return condition;
}
