/**
 * Pod Security Admission labels of the namespaces this project creates (Kubernetes docs,
 * "Pod Security Admission"; levels from "Pod Security Standards"). `restricted` is enforced,
 * warned and audited: non-root, no privilege escalation, every capability dropped, RuntimeDefault
 * seccomp, only the restricted volume types (and baseline's controls: no privileged containers,
 * host namespaces, hostPath or host ports). Every pod the LangSmith and Langfuse releases render
 * meets it, on the pinned and the next chart, for every environment and for forks unlike them
 * (`__tests__/render`: pods.test.ts, langsmith-wiring.test.ts, langfuse.test.ts): a chart bump
 * or a values change that renders a pod outside it fails there before Kubernetes refuses the pod.
 */
import { KUBERNETES_VERSION } from "../versions";

export const POD_SECURITY_LEVELS = ["privileged", "baseline", "restricted"] as const;
export type PodSecurityLevel = (typeof POD_SECURITY_LEVELS)[number];

/** The labels: enforce, warn and audit `restricted`, each pinned to the cluster's minor. */
export function podSecurityLabels(enforce: PodSecurityLevel = "restricted", warn: PodSecurityLevel = "restricted"): Record<string, string> {
  // Pinned versions: a control-plane upgrade does not change what is admitted until this pin moves.
  const version = `v${KUBERNETES_VERSION}`;
  return {
    "pod-security.kubernetes.io/enforce": enforce,
    "pod-security.kubernetes.io/enforce-version": version,
    "pod-security.kubernetes.io/warn": warn,
    "pod-security.kubernetes.io/warn-version": version,
    "pod-security.kubernetes.io/audit": warn,
    "pod-security.kubernetes.io/audit-version": version,
  };
}
