/**
 * Scheduling both node agents' charts (istio-cni and ztunnel) give their DaemonSet pods by default: critical to the
 * node, on every Linux node whatever its taints.
 */
export const nodeAgentScheduling = {
  priorityClassName: "system-node-critical",
  terminationGracePeriodSeconds: 30,
  nodeSelector: { "kubernetes.io/os": "linux" },
  tolerations: [
    { effect: "NoSchedule", operator: "Exists" },
    { key: "CriticalAddonsOnly", operator: "Exists" },
    { effect: "NoExecute", operator: "Exists" },
  ],
};
