import { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { EnvironmentConfig } from "../lib/config/schema";
import { TERRAFORM_REQUIRED_VERSION } from "../versions";
import { Fn, TerraformStack } from "cdktf";
import { DataAwsEksClusterAuth } from "@cdktf/provider-aws/lib/data-aws-eks-cluster-auth";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";

/**
 * The tags every AWS resource of this project carries (provider `default_tags`): the app, what
 * the resources are for (`scope`, e.g. the environment and tier), the tool, and who owns and pays.
 */
export function projectTags(o: Pick<EnvironmentConfig, "owner" | "costCenter">, scope: Readonly<Record<string, string>>): Record<string, string> {
  return { app: "langsmith", ...scope, "managed-by": "cdktf", owner: o.owner, "cost-center": o.costCenter };
}

/** The tags every AWS resource of an environment carries (provider `default_tags`). */
export function defaultTags(env: EnvironmentConfig): Record<string, string> {
  return projectTags(env, { environment: env.name, tier: env.tier });
}

/** AWS provider locked to the environment's account and region. */
export function awsProvider(scope: Construct, env: EnvironmentConfig, id = "aws", region?: string): AwsProvider {
  return new AwsProvider(scope, id, {
    // A second, aliased provider serves the few resources that must live in another region.
    ...(region ? { alias: id, region } : { region: env.aws.region }),
    allowedAccountIds: [env.aws.accountId],
    defaultTags: [{ tags: defaultTags(env) }],
  });
}

export function requireTerraformVersion(stack: TerraformStack): void {
  stack.addOverride("terraform.required_version", TERRAFORM_REQUIRED_VERSION);
}

/** What the kubernetes and helm providers need from the cluster. */
export interface ClusterConnection {
  readonly clusterName: string;
  readonly clusterEndpoint: string;
  /** Base64 PEM of the cluster CA. */
  readonly clusterCertificateAuthority: string;
}

/**
 * Where Helm keeps release records: ConfigMaps, not the default Secrets, so the CI plan role can
 * refresh every helm_release without any Secret read (modules/ci-role/cluster-access.ts). Values
 * hold no secrets here (policy rule LS-SEC-001), so a record holds none either. Changing the
 * driver of an existing cluster needs its records moved first (README, upgrade notes).
 */
export const HELM_DRIVER = "configmap";

/**
 * The kubernetes and helm providers of the same stack, configured from the cluster's outputs.
 * `exec`: `aws eks get-token` at each call (local and CI runs, which have the AWS CLI).
 * `token`: the `aws_eks_cluster_auth` data source (Terraform Cloud remote runs have no AWS CLI).
 * It only presigns an STS request with the run's credentials (no API call, so the offline plan
 * works); the token is valid for 15 minutes, so an apply must start within 15 minutes of its plan.
 */
export function clusterProviders(scope: Construct, env: EnvironmentConfig, cluster: ClusterConnection): { kubernetes: KubernetesProvider; helm: HelmProvider } {
  const host = cluster.clusterEndpoint;
  const clusterCaCertificate = Fn.base64decode(cluster.clusterCertificateAuthority);
  if (env.eks.clusterAuth === "token") {
    const token = new DataAwsEksClusterAuth(scope, "cluster-auth", { name: cluster.clusterName }).token;
    return {
      kubernetes: new KubernetesProvider(scope, "kubernetes", { host, clusterCaCertificate, token }),
      helm: new HelmProvider(scope, "helm", { helmDriver: HELM_DRIVER, kubernetes: { host, clusterCaCertificate, token } }),
    };
  }
  const exec = {
    apiVersion: "client.authentication.k8s.io/v1beta1",
    command: "aws",
    args: ["eks", "get-token", "--cluster-name", cluster.clusterName, "--region", env.aws.region, "--output", "json"],
  };
  return {
    kubernetes: new KubernetesProvider(scope, "kubernetes", { host, clusterCaCertificate, exec: [exec] }),
    helm: new HelmProvider(scope, "helm", { helmDriver: HELM_DRIVER, kubernetes: { host, clusterCaCertificate, exec } }),
  };
}
