/**
 * One install at a time: a coordination.k8s.io/v1 Lease in the install namespace, held while `mesh install` or
 * `mesh uninstall` changes the cluster. The holder renews it; a holder that died stops renewing, and once
 * renewTime + leaseDurationSeconds has passed, the next run takes the lease over. Writes carry the
 * resourceVersion they read, so two runs racing for the same lease cannot both win (409 for the loser).
 */
import { hostname, userInfo } from "node:os";
import { ClusterError } from "../core/errors.js";
import { KubeApiError } from "./client.js";
import type { Cluster } from "./cluster.js";

export const LOCK_NAME = "mesh-install-lock";
const LEASE_API_VERSION = "coordination.k8s.io/v1";
/** What the holder is doing, for the message a waiting run prints. */
export const LOCK_OPERATION_ANNOTATION = "mesh/operation";

export interface LockOptions {
  namespace: string;
  /** `install profile=demo`, `uninstall --purge`: shown to whoever waits for the lock. */
  operation: string;
  /** How long to wait for another holder to finish before giving up; 0 fails at once. */
  waitMs: number;
  /** How long the lease lasts without renewal (a crashed holder blocks others at most this long). */
  leaseDurationSeconds?: number;
  /** Called once when the lock is held by someone else and this run starts waiting. */
  onWaiting?: (holder: LockHolder) => void;
  /** Poll interval while waiting (tests shorten it). */
  pollMs?: number;
  identity?: string;
}

export interface LockHolder {
  identity: string;
  operation: string | undefined;
  /** When the lease expires unless renewed. */
  expiresAt: Date;
}

export interface InstallLock {
  readonly identity: string;
  release(): Promise<void>;
}

type Lease = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; resourceVersion?: string; annotations?: Record<string, string> };
  spec?: { holderIdentity?: string; leaseDurationSeconds?: number; acquireTime?: string; renewTime?: string; leaseTransitions?: number };
};

/** MicroTime as the API serialises it: RFC 3339 with six fractional digits. */
function microTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

export function holderOf(lease: Lease): LockHolder | undefined {
  const spec = lease.spec ?? {};
  if (!spec.holderIdentity) return undefined;
  const renewed = Date.parse(spec.renewTime ?? spec.acquireTime ?? "");
  const duration = spec.leaseDurationSeconds ?? 0;
  return {
    identity: spec.holderIdentity,
    operation: lease.metadata.annotations?.[LOCK_OPERATION_ANNOTATION],
    expiresAt: new Date((Number.isNaN(renewed) ? 0 : renewed) + duration * 1000),
  };
}

export function describeHolder(holder: LockHolder, now = Date.now()): string {
  const seconds = Math.max(0, Math.ceil((holder.expiresAt.getTime() - now) / 1000));
  return `${holder.identity}${holder.operation ? ` (${holder.operation})` : ""}, lease expires in ${seconds}s unless renewed`;
}

function defaultIdentity(): string {
  let user = "unknown";
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (containers): the host and pid still tell runs apart.
  }
  return `mesh/${user}@${hostname()}/pid-${process.pid}`;
}

function isConflict(error: unknown): boolean {
  return error instanceof KubeApiError && error.code === 409;
}

function isTransient(error: unknown): boolean {
  if (!(error instanceof ClusterError)) return false;
  return !(error instanceof KubeApiError) || error.code === 429 || error.code >= 500;
}

/** Runs `work` holding the install lock; dry runs change nothing and take no lock. */
export async function withInstallLock<T>(cluster: Cluster, options: LockOptions | undefined, work: () => Promise<T>): Promise<T> {
  if (!options) return work();
  const lock = await acquireInstallLock(cluster, options);
  try {
    return await work();
  } finally {
    await lock.release();
  }
}

export async function acquireInstallLock(cluster: Cluster, options: LockOptions): Promise<InstallLock> {
  const identity = options.identity ?? defaultIdentity();
  const duration = options.leaseDurationSeconds ?? 60;
  const ref = { apiVersion: LEASE_API_VERSION, kind: "Lease", metadata: { name: LOCK_NAME, namespace: options.namespace } };
  const deadline = Date.now() + options.waitMs;
  const desired = (previous: Lease | undefined): Lease => {
    const now = microTime(new Date());
    const transitions = previous?.spec?.leaseTransitions ?? 0;
    return {
      ...ref,
      metadata: {
        ...ref.metadata,
        ...(previous?.metadata.resourceVersion ? { resourceVersion: previous.metadata.resourceVersion } : {}),
        annotations: { [LOCK_OPERATION_ANNOTATION]: options.operation },
      },
      spec: {
        holderIdentity: identity,
        leaseDurationSeconds: duration,
        acquireTime: now,
        renewTime: now,
        leaseTransitions: previous?.spec?.holderIdentity ? transitions + 1 : transitions,
      },
    };
  };
  let announced = false;
  let transientFailures = 0;
  for (;;) {
    const live = (await cluster.get(ref)) as Lease | undefined;
    const holder = live ? holderOf(live) : undefined;
    const free = !holder || holder.identity === identity || holder.expiresAt.getTime() <= Date.now();
    if (free) {
      try {
        const written = live ? await cluster.replace(desired(live)) : await cluster.create(desired(undefined));
        return heldLock(cluster, identity, written as Lease, duration);
      } catch (error) {
        // Someone else wrote the lease between our read and write (409), or the write's answer was lost (a create
        // is not retried by the client): read again, which shows who holds it now — possibly us.
        if (isConflict(error) || (isTransient(error) && ++transientFailures <= 5)) continue;
        throw error;
      }
    }
    if (Date.now() >= deadline) {
      throw new ClusterError(
        `another mesh run holds the install lock (Lease ${options.namespace}/${LOCK_NAME}): ${describeHolder(holder)}`,
        {
          hint:
            "wait for it to finish and run the command again; if that run was killed, its lock expires by itself " +
            `(or delete it: kubectl delete lease -n ${options.namespace} ${LOCK_NAME})`,
        },
      );
    }
    if (!announced) {
      announced = true;
      options.onWaiting?.(holder);
    }
    const sleep = Math.min(
      options.pollMs ?? 1000,
      Math.max(0, deadline - Date.now()),
      Math.max(50, holder.expiresAt.getTime() - Date.now()),
    );
    await new Promise((resolve) => setTimeout(resolve, sleep));
  }
}

function heldLock(cluster: Cluster, identity: string, lease: Lease, duration: number): InstallLock {
  let current = lease;
  let released = false;
  const renew = async () => {
    try {
      const now = microTime(new Date());
      current = (await cluster.replace({ ...current, spec: { ...current.spec, renewTime: now } })) as Lease;
    } catch {
      // A missed renewal is retried at the next tick; the lease outlives a few of them.
    }
  };
  const timer = setInterval(() => void renew(), (duration * 1000) / 3);
  timer.unref();
  return {
    identity,
    async release() {
      if (released) return;
      released = true;
      clearInterval(timer);
      const live = (await cluster.get(current).catch(() => undefined)) as Lease | undefined;
      if (live && live.spec?.holderIdentity === identity) await cluster.delete(live).catch(() => false);
    },
  };
}
