/**
 * The cluster layer's public API. Import it lazily (`await import("../../kube/index.js")`): it loads
 * @kubernetes/client-node, which only commands that talk to a cluster should pay for.
 */
export { connectCluster, warmUp, type Cluster, type ListOptions, type ServerVersion } from "./cluster.js";
export type { ClusterAccessOptions } from "./config.js";
export { KubeApiError, type ApiStatus } from "./client.js";
export {
  ApplyConflictError,
  FIELD_MANAGER,
  type AppliedObject,
  type ApplyOptions,
  type ApplyOutcome,
  type FieldConflict,
} from "./apply.js";
export {
  waitForReady,
  waitForEstablished,
  readinessOf,
  ReadinessTimeoutError,
  formatDuration,
  type NotReady,
  type WaitOptions,
} from "./wait.js";
export {
  OwnerLabel,
  withOwnerLabels,
  isOwnedByMesh,
  OWNER_ANNOTATION,
  ownerSelector,
  identityOf,
  findOwned,
  pruneKinds,
  purgeKinds,
  type Ownership,
  type KindRef,
} from "./ownership.js";
export {
  installPlan,
  type InstallPlan,
  type ComponentPlan,
  type InstallEvent,
  type InstallOptions,
  type InstallResult,
} from "./install.js";
export {
  findUninstallTargets,
  deleteObjects,
  countCustomResources,
  type UninstallSelection,
  type DeletionReport,
  type CustomResourceCount,
} from "./uninstall.js";
export { verifyPlan, driftedFields, type VerifyEntry, type VerifyState } from "./verify.js";
export { readInstallStatus, type InstallStatus, type ComponentStatus, type GatewayService } from "./status.js";
export { withInstallLock, acquireInstallLock, describeHolder, LOCK_NAME, type LockOptions, type LockHolder } from "./lock.js";

/** Applies objects concurrently (CRDs first) with field manager `mesh`; the gateway-api installer's entry point. */
export { applyObjects } from "./apply-objects.js";
