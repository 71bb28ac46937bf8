/** The namespaces Terraform creates enforce, warn and audit Pod Security restricted, pinned to the cluster minor. */
import { ENVIRONMENTS } from "../../environments";
import { loadEnvironments } from "../../lib/config/load";
import { podSecurityLabels } from "../../lib/pod-security";
import { buildLangsmithValues, LANGSMITH_UID, RESTRICTED_CONTAINER, restrictedPod } from "../../lib/langsmith-values";
import { MAIN_SERVICES } from "../../lib/langsmith-values/sizing";
import { KUBERNETES_VERSION } from "../../versions";
import { resources, shippedStack, testEach } from "../helpers";

test("labels: enforce, warn and audit restricted, versions pinned", () => {
  expect(podSecurityLabels()).toEqual({
    "pod-security.kubernetes.io/enforce": "restricted",
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
  testEach(envs.map((e) => [e.name, e] as const))("%s: RuntimeDefault seccomp on every pod; every main service restricted, non-root, read-only root", (_n, env) => {
    const v = buildLangsmithValues(env, { appRoleArn: "arn:aws:iam::111111111111:role/app", blobStorage: { bucketName: "b", kmsKeyArn: "k" } }) as Record<string, any>;
    expect(v.commonPodSecurityContext).toEqual({ seccompProfile: { type: "RuntimeDefault" } });
    for (const s of MAIN_SERVICES) {
      expect([s, v[s].deployment.securityContext]).toEqual([s, RESTRICTED_CONTAINER]);
      expect([s, v[s].deployment.podSecurityContext]).toEqual([s, restrictedPod(LANGSMITH_UID)]);
      // Every writable path of a read-only root is an emptyDir volume mounted by name.
      const volumes = new Set(v[s].deployment.volumes.map((x: { name: string; emptyDir?: object }) => x.emptyDir && x.name));
      for (const m of v[s].deployment.volumeMounts) expect([s, volumes.has(m.name)]).toEqual([s, true]);
    }
  });
});
