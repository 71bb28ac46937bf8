import { Construct } from "constructs";
import { ITerraformDependable, TerraformProvider } from "cdktf";
import { Release } from "@cdktf/provider-helm/lib/release";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { AlarmThresholds } from "../../lib/config/schema";
import { LANGFUSE_RELEASE, LANGFUSE_WEB_SERVICE, LangfuseValues } from "../../lib/langfuse-values";
import { Namer } from "../../lib/naming";
import { langfuseAlarms } from "../../lib/observability/alarms";
import { langfuseDatabaseJob, langfuseEsoManifests, LangfuseEsoInput } from "../../lib/secrets/langfuse";
import { targetGroupBinding } from "../../lib/target-group-binding";
import { CHARTS, LANGFUSE_CHART_DIGEST } from "../../versions";
import { K8sManifests } from "../k8s-manifests";
import { metricAlarm } from "../observability";
import { IrsaRole } from "../irsa";
import { podSecurityLabels } from "../../lib/pod-security";
import { networkPolicies } from "../../lib/network-policies";
import { esoReadPolicy } from "../secrets";
import { LANGFUSE_SECRET_STORE_SERVICE_ACCOUNT } from "../../lib/secrets/langfuse";

/** What must exist before the Langfuse chart installs (as LangsmithReleasePrerequisites). */
export interface LangfuseReleasePrerequisites {
  /** AWS Load Balancer Controller: its webhooks admit Services and Pods; it owns TargetGroupBinding. */
  readonly loadBalancerController: ITerraformDependable;
  /** External Secrets Operator (CRDs and controller). */
  readonly externalSecrets: ITerraformDependable;
  /** metrics-server: the web and worker HPAs read CPU from it. */
  readonly metricsServer: ITerraformDependable;
  /** PostgreSQL (instance or cluster) and ElastiCache (group, Langfuse user): migrations run at start. */
  readonly dataStores: readonly ITerraformDependable[];
}

export interface LangfuseReleaseProps {
  /** AWS region (the store's Secrets Manager endpoint, the read policy's kms:ViaService). */
  readonly region: string;
  /** psql client image of the database Job: `resolvePostgresEngine(env.postgres).clientImage`. */
  readonly psqlImage: string;
  /** Alarm thresholds of the environment (`observability.thresholds`). */
  readonly thresholds: AlarmThresholds;
  /** Ports Langfuse reaches outside the cluster besides 443 (its ClickHouse's HTTP and native ports). */
  readonly egressPorts: readonly number[];
  readonly namer: Namer;
  /** The helm provider of this environment's EKS cluster. */
  readonly provider: TerraformProvider;
  /** The Helm values (`buildLangfuseValues(env, { roleArn, bucketName })`, lib/langfuse-values). */
  readonly values: LangfuseValues;
  /** What ESO composes the secrets from (lib/secrets/langfuse.ts), without the store and its role. */
  readonly secrets: Omit<LangfuseEsoInput, "storeName" | "namespace" | "storeRoleArn">;
  /**
   * What the store's IRSA role may read: Langfuse's secrets (and the shared OIDC client secret),
   * the master secret of its PostgreSQL, and the keys that encrypt them (via Secrets Manager only).
   */
  readonly readable: { readonly secretArns: readonly string[]; readonly kmsKeyArns: readonly string[] };
  readonly oidcProviderArn: string;
  /** Issuer host and path without `https://`. */
  readonly oidcIssuer: string;
  /** The Langfuse target group of the ALB (Ingress.targetGroups.langfuse). */
  readonly targetGroup: { readonly arn: string; readonly arnSuffix: string };
  /** The ALB's ARN suffix (CloudWatch `LoadBalancer` dimension of the target group alarms). */
  readonly albArnSuffix: string;
  /** SNS topic of the environment's alarms (Observability.topicArn). */
  readonly alarmTopicArn: string;
  readonly prerequisites: LangfuseReleasePrerequisites;
  /**
   * The namespace's NetworkPolicies (lib/network-policies.ts, as LangSmith's): the ALB's subnets
   * to the web pods' port, the data stores' ports in the data subnets, and egress to ClickHouse and 443.
   */
  readonly network: { readonly albSourceCidrs: readonly string[]; readonly dataStoreCidrs: readonly string[]; readonly dataStorePorts: readonly number[] };
  /** Seconds Helm waits for the Deployments. @default 900 */
  readonly timeoutSeconds?: number;
  /** @default "langfuse-secrets-manager" */
  readonly storeName?: string;
}

const DEFAULTS = { timeoutSeconds: 900, storeName: "langfuse-secrets-manager" } as const;

/**
 * Langfuse in its own namespace: the namespace (pod readiness gates on), the ESO store,
 * ExternalSecrets and database Job (local manifests chart), the TargetGroupBinding of the web
 * Service to the Terraform-owned target group, the Langfuse Helm release (values from
 * lib/langfuse-values, encoded once as JSON), and target-group alarms on the environment's topic.
 */
export class LangfuseRelease extends Construct {
  readonly namespace: NamespaceV1;
  readonly secrets: K8sManifests;
  /** The namespace's NetworkPolicies (default deny, explicit allows). */
  readonly networkPolicies: K8sManifests;
  /** IRSA role of the SecretStore's service account. */
  readonly storeRole: IrsaRole;
  readonly binding: K8sManifests;
  readonly release: Release;
  /** The values the release was built with (for the render tier, policy checks and tests). */
  readonly values: LangfuseValues;
  readonly alarmNames: readonly string[];

  constructor(scope: Construct, id: string, props: LangfuseReleaseProps) {
    super(scope, id);
    const p = { ...DEFAULTS, ...props };
    const pre = p.prerequisites;
    if (pre.dataStores.length === 0) throw new Error(`LangfuseRelease ${id}: prerequisites.dataStores must list the PostgreSQL and ElastiCache resources`);
    const ns = LANGFUSE_RELEASE.namespace;

    this.namespace = new NamespaceV1(this, "namespace", {
      // Readiness gates (as LangSmith's namespace) and Pod Security Admission: baseline enforced, restricted warned.
      metadata: { name: ns, labels: { "elbv2.k8s.aws/pod-readiness-gate-inject": "enabled", ...podSecurityLabels() } },
      // The readiness-gate webhook the label enables belongs to the load balancer controller.
      dependsOn: [pre.loadBalancerController],
    });

    // Default deny with explicit allows, enforced by the VPC CNI's agent (as LangSmith's namespace).
    this.networkPolicies = new K8sManifests(this, "network-policies", {
      releaseName: "langfuse-network-policies",
      namespace: ns,
      manifests: networkPolicies({
        namespace: ns,
        albSourceCidrs: p.network.albSourceCidrs,
        frontendPort: LANGFUSE_WEB_SERVICE.containerPort,
        dataStoreCidrs: p.network.dataStoreCidrs,
        dataStorePorts: p.network.dataStorePorts,
        egressPorts: [443, ...p.egressPorts],
      }),
      dependsOn: [this.namespace],
    });

    // The store's own identity, trusted by exactly its service account in namespace langfuse.
    this.storeRole = new IrsaRole(this, "secret-store-role", {
      roleName: p.namer.name("irsa-langfuse-secrets", "iamRole"),
      oidcProviderArn: p.oidcProviderArn,
      oidcIssuer: p.oidcIssuer,
      namespace: ns,
      serviceAccounts: [LANGFUSE_SECRET_STORE_SERVICE_ACCOUNT],
      policies: { "read-langfuse-secrets": esoReadPolicy({ ...p.readable, region: p.region }) },
    });

    this.secrets = new K8sManifests(this, "secrets", {
      releaseName: "langfuse-secrets",
      namespace: ns,
      manifests: [
        ...langfuseEsoManifests({ ...p.secrets, storeName: p.storeName, storeRoleArn: this.storeRole.roleArn, namespace: ns }),
        langfuseDatabaseJob({ namespace: ns, image: p.psqlImage }),
      ],
      dependsOn: [pre.externalSecrets, this.namespace, ...pre.dataStores, ...this.storeRole.policyResources],
    });

    this.binding = new K8sManifests(this, "target-group-binding", {
      releaseName: "langfuse-target-group-binding",
      namespace: ns,
      manifests: [
        {
          ...targetGroupBinding({ targetGroupArn: p.targetGroup.arn, namespace: ns, service: { name: LANGFUSE_WEB_SERVICE.name, port: LANGFUSE_WEB_SERVICE.port } }),
          metadata: { name: LANGFUSE_WEB_SERVICE.name, namespace: ns, labels: { "app.kubernetes.io/part-of": LANGFUSE_RELEASE.name } },
        },
      ],
      dependsOn: [pre.loadBalancerController, this.namespace],
    });

    this.values = p.values;
    const chart = CHARTS.langfuse;
    this.release = new Release(this, "release", {
      provider: p.provider,
      name: LANGFUSE_RELEASE.name,
      namespace: this.namespace.metadata.name,
      createNamespace: false,
      repository: chart.repository,
      chart: chart.chart,
      version: chart.version,
      description: `${chart.chart} ${chart.version}${LANGFUSE_CHART_DIGEST ? ` ${LANGFUSE_CHART_DIGEST}` : ""}`,
      // As LangSmith's: no provenance file is published; the digest is checked out of band.
      verify: false,
      values: [JSON.stringify(this.values)],
      upgradeInstall: true,
      // A failed install or upgrade rolls itself back (and implies wait): Langfuse migrates
      // PostgreSQL and ClickHouse at start, additively (docs/langfuse.md "Change control").
      atomic: true,
      wait: true,
      timeout: p.timeoutSeconds,
      cleanupOnFail: true,
      maxHistory: 10,
      dependsOn: [pre.loadBalancerController, pre.externalSecrets, this.secrets.release, this.binding.release, pre.metricsServer, ...pre.dataStores],
    });

    // Langfuse's target group: lib/observability/alarms.ts (the cost model counts them there too).
    const alarms = langfuseAlarms({ LoadBalancer: p.albArnSuffix, TargetGroup: p.targetGroup.arnSuffix }, p.thresholds);
    this.alarmNames = alarms.map((a) => {
      metricAlarm(this, p.namer, a, p.alarmTopicArn);
      return p.namer.name(a.key);
    });
  }
}
