/**
 * Cluster admins are explicit: the creator gets no entry EKS makes on its own; the CI apply role
 * (which runs the helm/kubernetes providers) gets a managed cluster-admin entry, and every
 * in-cluster resource waits for it.
 */
import { ENVIRONMENTS } from "../../environments";
import { loadEnvironments } from "../../lib/config/load";
import { ciArns } from "../../lib/ci";
import { Json, resource, resources, shippedStack, describeEach } from "../helpers";

const envs = loadEnvironments(ENVIRONMENTS).map((e) => e.config);

describeEach(envs.map((e) => [e.name, e] as const))("environment %s", (_name, env) => {
  const json = shippedStack(`langsmith-${env.name}`);

  test("the cluster creator gets no implicit admin entry; existing clusters are not replaced for it", () => {
    const cluster = resource(json, "aws_eks_cluster");
    expect(cluster.access_config).toMatchObject({ authentication_mode: "API", bootstrap_cluster_creator_admin_permissions: false });
    expect(cluster.lifecycle.ignore_changes).toContain("access_config[0].bootstrap_cluster_creator_admin_permissions");
  });

  const admins = [...(env.ci ? [ciArns(env).applyRole] : []), ...env.eks.adminPrincipalArns];
  test.each(admins)("%s has an explicit cluster-admin access entry", (arn) => {
    const [[name]] = resources(json, "aws_eks_access_entry").filter(([, e]) => e.principal_arn === arn);
    const association = resources(json, "aws_eks_access_policy_association").find(([, a]) => String(a.principal_arn).includes(`aws_eks_access_entry.${name}.`));
    expect(association?.[1]).toMatchObject({ policy_arn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy", access_scope: { type: "cluster" } });
  });

  test("every helm release waits for the admin entries (directly or through another release)", () => {
    const releases = resources(json, "helm_release");
    const dependsOnEntry = (r: Json) => (r.depends_on ?? []).some((d: string) => /aws_eks_access_policy_association\./.test(d));
    const direct = new Set(releases.filter(([, r]) => dependsOnEntry(r)).map(([n]) => n));
    expect(direct.size).toBeGreaterThan(0);
    for (const [name, r] of releases) {
      const waits = direct.has(name) || (r.depends_on ?? []).some((d: string) => [...direct].some((n) => d === `helm_release.${n}`) || /kubernetes_namespace_v1\./.test(d));
      expect([name, waits]).toEqual([name, true]);
    }
  });
});
