/**
 * Pod Security Admission labels of the namespaces this project creates (Kubernetes docs,
 * "Pod Security Admission"; levels from "Pod Security Standards"). `baseline` is enforced: no
 * privileged containers, host namespaces, hostPath or added capabilities. `restricted` is only
 * warned and audited: the LangSmith chart's images do not declare a non-root user, so enforcing
 * it could stop pods; the warnings show on every `helm upgrade` and in the audit log.
 */
import { KUBERNETES_VERSION } from "../versions";

export const POD_SECURITY_LEVELS = ["privileged", "baseline", "restricted"] as const;
export type PodSecurityLevel = (typeof POD_SECURITY_LEVELS)[number];

/** The labels: enforce `baseline`, warn and audit `restricted`, each pinned to the cluster's minor. */
export function podSecurityLabels(enforce: PodSecurityLevel = "baseline", warn: PodSecurityLevel = "restricted"): Record<string, string> {
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
