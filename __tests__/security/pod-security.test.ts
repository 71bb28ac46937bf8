/** The langsmith namespace enforces Pod Security baseline and warns/audits restricted, pinned to the cluster minor. */
import { ENVIRONMENTS } from "../../environments";
import { loadEnvironments } from "../../lib/config/load";
import { podSecurityLabels } from "../../lib/pod-security";
import { buildLangsmithValues } from "../../lib/langsmith-values";
import { MAIN_SERVICES } from "../../lib/langsmith-values/sizing";
import { KUBERNETES_VERSION } from "../../versions";
import { resources, shippedStack, testEach } from "../helpers";

test("labels: enforce baseline, warn and audit restricted, versions pinned", () => {
  expect(podSecurityLabels()).toEqual({
    "pod-security.kubernetes.io/enforce": "baseline",
    "pod-security.kubernetes.io/enforce-version": `v${KUBERNETES_VERSION}`,
    "pod-security.kubernetes.io/warn": "restricted",
    "pod-security.kubernetes.io/warn-version": `v${KUBERNETES_VERSION}`,
    "pod-security.kubernetes.io/audit": "restricted",
    "pod-security.kubernetes.io/audit-version": `v${KUBERNETES_VERSION}`,
  });
});

testEach(loadEnvironments(ENVIRONMENTS).map((e) => e.config.name))("%s: every namespace Terraform creates carries them", (name) => {
  const namespaces = resources(shippedStack(`langsmith-${name}`), "kubernetes_namespace_v1");
  expect(namespaces.length).toBeGreaterThan(0);
  for (const [, ns] of namespaces) expect(ns.metadata.labels).toMatchObject(podSecurityLabels());
});

describe("LangSmith pods (chart values)", () => {
  const envs = loadEnvironments(ENVIRONMENTS).map((e) => e.config);
  testEach(envs.map((e) => [e.name, e] as const))("%s: RuntimeDefault seccomp on every pod, no privilege escalation in any main service", (_n, env) => {
    const v = buildLangsmithValues(env, { appRoleArn: "arn:aws:iam::111111111111:role/app", blobStorage: { bucketName: "b", kmsKeyArn: "k" } }) as Record<string, any>;
    expect(v.commonPodSecurityContext).toEqual({ seccompProfile: { type: "RuntimeDefault" } });
    for (const s of MAIN_SERVICES) expect([s, v[s].deployment.securityContext]).toEqual([s, { allowPrivilegeEscalation: false }]);
  });
});
