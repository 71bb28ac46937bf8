import { Construct } from "constructs";
import { ITerraformDependable, TerraformProvider, Token } from "cdktf";
import { Release } from "@cdktf/provider-helm/lib/release";
import { encodeValues, RELEASE, RenderedValues } from "../../lib/langsmith-values";
import { CHARTS, LANGSMITH_CHART_DIGEST } from "../../versions";

/**
 * What must exist in the cluster before the chart is installed, by name, so none can be
 * forgotten. Each is an `ITerraformDependable` (a helm_release, aws_eks_addon, resource, ...);
 * the release `depends_on` all of them because the values reference them only by name.
 */
export interface LangsmithReleasePrerequisites {
  /**
   * AWS Load Balancer Controller release. Its mutating webhooks intercept Service and Pod
   * creation; before its pods are ready the API server rejects the chart's Services
   * ("no endpoints available for service aws-load-balancer-webhook-service").
   */
  readonly loadBalancerController: ITerraformDependable;
  /** External Secrets Operator release (CRDs and controller) that syncs the app secrets. */
  readonly externalSecrets: ITerraformDependable;
  /**
   * The release of the ClusterSecretStore and ExternalSecrets that create `langsmith-config`,
   * `langsmith-postgres`, `langsmith-redis`, `langsmith-clickhouse` (and the Insights / Polly
   * ones): without them every pod fails with CreateContainerConfigError and the release rolls back.
   */
  readonly appSecrets: ITerraformDependable;
  /** EBS CSI driver add-on: provisions the in-cluster ClickHouse volume. */
  readonly ebsCsiDriver: ITerraformDependable;
  /** The StorageClass the values name for ClickHouse (`clickhouseStorageClassName`, default gp3). */
  readonly storageClass: ITerraformDependable;
  /** metrics-server: the HPAs of every service read CPU and memory from it. */
  readonly metricsServer: ITerraformDependable;
  /**
   * RDS PostgreSQL and ElastiCache (replication group, IAM user and user group): the chart's
   * migration Jobs connect to them during install.
   */
  readonly dataStores: readonly ITerraformDependable[];
}

export interface LangsmithReleaseProps {
  /** The helm provider configured for this environment's EKS cluster. */
  readonly provider: TerraformProvider;
  /**
   * The namespace, from the kubernetes_namespace resource that also holds the secrets (pass its
   * `metadata.name` so the release depends on it). Must be `langsmith` (the
   * IRSA trust names `system:serviceaccount:langsmith:*` subjects).
   */
  readonly namespace: string;
  /**
   * The chart values, built in layers from the environment and the infrastructure outputs by
   * `buildLangsmithValues(env, outputs)` (lib/langsmith-values); encoded once here.
   */
  readonly values: RenderedValues;
  readonly prerequisites: LangsmithReleasePrerequisites;
  /**
   * Seconds Helm waits for every Deployment, StatefulSet and Job.
   * @default 1200
   */
  readonly timeoutSeconds?: number;
}

const DEFAULTS = { timeoutSeconds: 1200 } as const;

/**
 * The LangSmith Helm release (chart pinned in versions.ts) with values built from the environment
 * and the infrastructure outputs (lib/langsmith-values), encoded once as JSON.
 */
export class LangsmithRelease extends Construct {
  readonly release: Release;
  /** The values the release was built with (for outputs, policy checks and tests). */
  readonly values: RenderedValues;
  readonly releaseName: string;
  readonly namespace: string;
  readonly chartVersion: string;

  constructor(scope: Construct, id: string, props: LangsmithReleaseProps) {
    super(scope, id);
    const p = { ...DEFAULTS, ...props };
    if (!Token.isUnresolved(p.namespace) && p.namespace !== RELEASE.namespace) {
      throw new Error(`LangsmithRelease ${id}: namespace must be "${RELEASE.namespace}" (the IRSA trust and ESO secrets live there), got "${p.namespace}"`);
    }
    const pre = p.prerequisites;
    if (pre.dataStores.length === 0) throw new Error(`LangsmithRelease ${id}: prerequisites.dataStores must list the RDS and ElastiCache resources`);
    this.values = p.values;
    const chart = CHARTS.langsmith;

    this.release = new Release(this, "release", {
      provider: p.provider,
      name: RELEASE.name,
      namespace: p.namespace,
      // The namespace is Terraform's (it holds the ESO secrets before the chart exists).
      createNamespace: false,
      repository: chart.repository,
      chart: chart.chart,
      version: chart.version,
      // Recorded in the release (helm history); the archive is checked against it before a bump:
      // `node dist/scripts/verify-chart-digest.js langsmith-<version>.tgz` (see the README).
      description: `${chart.chart} ${chart.version} ${LANGSMITH_CHART_DIGEST}`,
      // helm --verify needs a .prov provenance file and the signer's keyring; the repository's
      // index.yaml publishes a sha256 digest instead, which verify-chart-digest checks.
      verify: false,
      values: [encodeValues(this.values)],
      // upgrade --install: adopts a release of this name that already exists (idempotent).
      upgradeInstall: true,
      // A failed install or upgrade rolls itself back (and implies wait).
      atomic: true,
      // Success means every Deployment is ready, so the plan that follows sees a working LangSmith.
      wait: true,
      // Migrations and the e2e trace run as post-install/upgrade hooks, which Helm awaits anyway;
      // this also awaits plain Jobs, so a finished apply leaves nothing of the release running.
      waitForJobs: true,
      // First install pulls ~10 images, runs PostgreSQL and ClickHouse migrations and may wait for
      // the autoscaler; 20 minutes covers it, while a stuck upgrade still rolls back the same day.
      timeout: p.timeoutSeconds,
      // Delete resources a failed upgrade created, so the retry starts clean.
      cleanupOnFail: true,
      // Each revision is a Secret in the namespace; 10 keeps rollback targets without unbounded growth.
      maxHistory: 10,
      dependsOn: [pre.loadBalancerController, pre.externalSecrets, pre.appSecrets, pre.ebsCsiDriver, pre.storageClass, pre.metricsServer, ...pre.dataStores],
    });
    this.releaseName = RELEASE.name;
    this.namespace = p.namespace;
    this.chartVersion = chart.version;
  }
}
