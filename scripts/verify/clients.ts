/**
 * The clients the gates use, each with an injectable endpoint so tests (and port-forwards) can
 * point them elsewhere: AWS SDK v3 `endpoint`, the Kubernetes API server URL, the LangSmith URL.
 * Credentials come from the default AWS chain; the kubeconfig from `--kubeconfig` or the default
 * location (`aws eks update-kubeconfig` writes it). The packages load when the clients are made
 * (./sdk.ts), not when this module is imported.
 */
import type { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import type { ConfigServiceClient } from "@aws-sdk/client-config-service";
import type { EC2Client } from "@aws-sdk/client-ec2";
import type { GuardDutyClient } from "@aws-sdk/client-guardduty";
import type { EKSClient } from "@aws-sdk/client-eks";
import type { ElastiCacheClient } from "@aws-sdk/client-elasticache";
import type { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { RDSClient } from "@aws-sdk/client-rds";
import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { AppsV1Api, CoreV1Api, CustomObjectsApi, KubeConfig } from "@kubernetes/client-node";
import { sdk } from "./sdk";
import { quietSdkNodeVersionWarning } from "../../lib/aws-sdk-node";

export interface Endpoints {
  /** One endpoint for every AWS API (tests: the fake; otherwise the regional public endpoints). */
  readonly aws?: string;
  /** S3 endpoint for the anonymous bucket probe, path-style (`<endpoint>/<bucket>`). */
  readonly s3?: string;
  /** Kubernetes API server URL replacing the kubeconfig's (e.g. a port-forward). */
  readonly kubeServer?: string;
  /** LangSmith base URL replacing `https://<hostname>` (e.g. private exposure through a tunnel). */
  readonly langsmithUrl?: string;
}

export interface Kube {
  readonly config: KubeConfig;
  readonly core: CoreV1Api;
  readonly apps: AppsV1Api;
  readonly custom: CustomObjectsApi;
  /** API server URL of the current context. */
  readonly server: string;
}

export interface VerifyClients {
  readonly eks: EKSClient;
  readonly ec2: EC2Client;
  readonly rds: RDSClient;
  readonly elasticache: ElastiCacheClient;
  readonly elbv2: ElasticLoadBalancingV2Client;
  readonly secrets: SecretsManagerClient;
  /** Account-level services (gate account-services). */
  readonly cloudtrail: CloudTrailClient;
  readonly guardduty: GuardDutyClient;
  readonly config: ConfigServiceClient;
  /** Built on first use: gates 1-4 need no kubeconfig. */
  kube(): Kube;
  destroy(): void;
}

export interface ClientOptions {
  readonly region: string;
  readonly endpoints: Endpoints;
  readonly kubeconfig?: string;
  readonly context?: string;
  /** AWS SDK attempts per call. @default 3 */
  readonly maxAttempts?: number;
}

export function makeClients(o: ClientOptions): VerifyClients {
  quietSdkNodeVersionWarning();
  const aws = { region: o.region, maxAttempts: o.maxAttempts ?? 3, ...(o.endpoints.aws ? { endpoint: o.endpoints.aws } : {}) };
  const clients = {
    eks: new sdk.eks.EKSClient(aws),
    ec2: new sdk.ec2.EC2Client(aws),
    rds: new sdk.rds.RDSClient(aws),
    elasticache: new sdk.elasticache.ElastiCacheClient(aws),
    elbv2: new sdk.elbv2.ElasticLoadBalancingV2Client(aws),
    secrets: new sdk.secrets.SecretsManagerClient(aws),
    cloudtrail: new sdk.cloudtrail.CloudTrailClient(aws),
    guardduty: new sdk.guardduty.GuardDutyClient(aws),
    config: new sdk.config.ConfigServiceClient(aws),
  };
  let kube: Kube | undefined;
  return {
    ...clients,
    kube: () => (kube ??= makeKube(o)),
    destroy: () => Object.values(clients).forEach((c) => c.destroy()),
  };
}

function makeKube(o: ClientOptions): Kube {
  const config = new sdk.kube.KubeConfig();
  if (o.kubeconfig) config.loadFromFile(o.kubeconfig);
  else config.loadFromDefault();
  if (o.context) config.setCurrentContext(o.context);
  if (o.endpoints.kubeServer) {
    const exported = JSON.parse(config.exportConfig()) as { clusters: { name: string; cluster: { server: string } }[] };
    const current = config.getCurrentCluster()?.name;
    exported.clusters.filter((c) => c.name === current).forEach((c) => (c.cluster.server = o.endpoints.kubeServer as string));
    config.loadFromString(JSON.stringify(exported));
    if (o.context) config.setCurrentContext(o.context);
  }
  const cluster = config.getCurrentCluster();
  if (!cluster) throw new Error("no current cluster in the kubeconfig: run `aws eks update-kubeconfig --region <region> --name <cluster>` or pass --kubeconfig/--context");
  return {
    config,
    core: config.makeApiClient(sdk.kube.CoreV1Api),
    apps: config.makeApiClient(sdk.kube.AppsV1Api),
    custom: config.makeApiClient(sdk.kube.CustomObjectsApi),
    server: cluster.server,
  };
}

/** A short, secret-free description of an AWS SDK, Kubernetes client or fetch error. */
export function describeError(e: unknown): string {
  if (e && typeof e === "object") {
    const err = e as { name?: string; message?: string; statusCode?: number; body?: { message?: string }; cause?: { code?: string; message?: string }; code?: string };
    if (typeof err.statusCode === "number") return `HTTP ${err.statusCode}${err.body?.message ? `: ${err.body.message}` : ""}`;
    if (err.cause?.code || err.cause?.message) return `${err.message ?? "error"} (${err.cause.code ?? err.cause.message})`;
    if (err.code && err.message) return `${err.code}: ${err.message}`;
    if (err.name && err.message) return err.name === "Error" ? err.message : `${err.name}: ${err.message}`;
  }
  return String(e);
}
