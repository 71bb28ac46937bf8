import { Construct } from "constructs";
import { Annotations, ITerraformDependable, TerraformProvider } from "cdktf";
import { EnvironmentConfig, EnvironmentIdentity } from "../../lib/config/schema";
import { FRONTEND_SERVICE, RELEASE } from "../../lib/langsmith-values/chart";
import { httpsUrl, Namer, PostgresKind } from "../../lib/naming";
import { alarmDimensions, alarmTable, healthCheckAlarm, redisMemberClusterIds } from "../../lib/observability/alarms";
import { alarmTopic, metricAlarm } from "./alarms";
import { dashboard } from "./dashboard";
import { healthCheck, ROUTE53_METRICS_REGION } from "./health-check";
import { logShipping } from "./log-shipping";

export { ROUTE53_METRICS_REGION } from "./health-check";
export { CLOUDWATCH_AGENT, CONTAINER_INSIGHTS_LOG_KINDS } from "./log-shipping";
export { dashboardWidgets } from "./dashboard";
export { alarmTable } from "../../lib/observability/alarms";
export { metricAlarm } from "./alarms";
export type { AlarmSpec } from "../../lib/observability/alarms";

/** The LangSmith namespace: pod-restart alarm and log queries are scoped to it. */
const LANGSMITH_NAMESPACE = RELEASE.namespace;

/** `observability.*` of an environment file (lib/config/schema.ts documents each field). */
export type ObservabilitySettings = EnvironmentConfig["observability"];

export interface ObservabilityProps {
  readonly namer: Namer;
  /** The environment: name (descriptions), account and region (topics, keys, dashboard). */
  readonly environment: EnvironmentIdentity;
  /** `observability.*` of the environment file: alarm emails, log retention, thresholds. */
  readonly settings: ObservabilitySettings;
  /**
   * The hostname the Route 53 health check requests over HTTPS (a public ALB: `exposure` `public`).
   * @default undefined: no health check (an internal ALB cannot be checked from the internet)
   */
  readonly publicHostname?: string;
  /** `prevent_destroy` on the alarm topics' keys. @default false */
  readonly preventDestroy?: boolean;
  /** EKS cluster name (the cluster resource's `name`). */
  readonly clusterName: string;
  /** ALB `arn_suffix` (`app/<name>/<id>`), the `LoadBalancer` metric dimension. */
  readonly albArnSuffix: string;
  /** Target group `arn_suffix` (`targetgroup/<name>/<id>`), the `TargetGroup` metric dimension. */
  readonly targetGroupArnSuffix: string;
  /** PostgreSQL: the RDS instance identifier, or the Aurora cluster identifier. */
  readonly database: { readonly identifier: string; readonly kind: PostgresKind };
  /** ElastiCache replication group id (cluster mode disabled). */
  readonly redisReplicationGroupId: string;
  /** Read replicas of the group (`redis.replicas`): the group has `redisReplicas + 1` members. */
  readonly redisReplicas: number;
  /**
   * Member cache cluster ids of the replication group (ElastiCache metrics have no replication-group
   * dimension, only `CacheClusterId`).
   * @default `<redisReplicationGroupId>-001` … `-00<redisReplicas + 1>`, the names ElastiCache gives the
   * members of a cluster-mode-disabled group (lib/observability/alarms.ts redisMemberClusterIds)
   */
  readonly redisMemberClusterIds?: readonly string[];
  /** ARN of the cluster's IAM OIDC provider (IRSA for the CloudWatch agent). */
  readonly oidcProviderArn: string;
  /** OIDC issuer without `https://`. */
  readonly oidcIssuer: string;
  /** CMK of the environment's CloudWatch log groups (its policy must let `logs.<region>` use it). */
  readonly logsKmsKeyArn: string;
  /**
   * An AWS provider for us-east-1, where Route 53 health-check metrics (and so the health-check
   * alarm, its topic and that topic's key) must live. Not needed when the environment is in
   * us-east-1; without it elsewhere, the health check is created but has no alarm (a warning says so).
   * @default undefined
   */
  readonly usEast1Provider?: TerraformProvider;
  /**
   * What the add-on must wait for besides its log groups, e.g. the node groups (its DaemonSets
   * need nodes, or the add-on stays DEGRADED and the apply times out).
   * @default []
   */
  readonly addonDependsOn?: readonly ITerraformDependable[];
  /**
   * Path the Route 53 health check requests over HTTPS. The frontend answers `/health` itself
   * (chart nginx `location = /health`), the path the target group also checks.
   * @default "/health"
   */
  readonly healthCheckPath?: string;
  /**
   * LangSmith runs (`applications`): the alarms on its pods and on the target group's health, and
   * the dashboard's restart and error-log widgets of its namespace. false in a Langfuse-only
   * environment, whose release alarms on its own target group (modules/langfuse-release): no alarm
   * on a namespace nothing runs in, none doubling Langfuse's.
   * @default true
   */
  readonly langsmith?: boolean;
}

const DEFAULTS = { healthCheckPath: FRONTEND_SERVICE.healthCheckPath, addonDependsOn: [] as readonly ITerraformDependable[], preventDestroy: false, langsmith: true } as const;

/**
 * Alarms, dashboard, log shipping and health monitoring of one environment:
 * an encrypted SNS topic with the configured email subscribers; CloudWatch alarms on the ALB,
 * RDS, ElastiCache and EKS (thresholds from `observability.thresholds`, the table in
 * lib/observability/alarms.ts); a dashboard; the `amazon-cloudwatch-observability` add-on
 * (Container Insights metrics and container logs) with its log groups pre-created for retention
 * and KMS; a Route 53 HTTPS health check of the public hostname with an alarm in us-east-1.
 */
export class Observability extends Construct {
  /** Alarm topic (environment region). */
  readonly topicArn: string;
  /** Every alarm's name, in the order of the table (for the dashboard, runbooks and tests). */
  readonly alarmNames: string[] = [];
  readonly dashboardName: string;
  /** Route 53 health check id (public exposure only). */
  readonly healthCheckId?: string;
  /** IRSA role of the CloudWatch agent and Fluent Bit. */
  readonly agentRoleArn: string;
  /** Container Insights log groups, created here so retention and encryption are ours. */
  readonly logGroupNames: string[];

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const p = { ...DEFAULTS, ...props };
    const { environment: env, settings, namer } = p;
    /** Alarms of the environment's region (the dashboard's alarm widget cannot list other regions'). */
    const alarmArns: string[] = [];
    const topicOf = (key: string, region: string, provider?: TerraformProvider) =>
      alarmTopic(this, { namer, environment: env, key, region, emails: settings.alarmEmails, preventDestroy: p.preventDestroy, provider });
    const alarm = (spec: Parameters<typeof metricAlarm>[2], topicArn: string, provider?: TerraformProvider) => {
      const a = metricAlarm(this, namer, spec, topicArn, provider);
      this.alarmNames.push(namer.name(spec.key));
      if (!provider) alarmArns.push(a.arn);
    };

    // --- Notifications -----------------------------------------------------------------
    const topic = topicOf("alarms", env.aws.region);
    this.topicArn = topic.arn;

    // --- Alarms ------------------------------------------------------------------------
    const dimensions = alarmDimensions(p);
    const members = p.redisMemberClusterIds ?? redisMemberClusterIds(p.redisReplicationGroupId, p.redisReplicas);
    const specs = alarmTable({
      thresholds: settings.thresholds,
      dimensions,
      database: p.database,
      redisMembers: members,
      clusterName: p.clusterName,
      namespace: p.langsmith ? LANGSMITH_NAMESPACE : undefined,
    });
    for (const spec of specs) alarm(spec, topic.arn);

    // --- Health endpoint ---------------------------------------------------------------
    if (p.publicHostname !== undefined) {
      const hc = healthCheck(this, { namer, hostname: p.publicHostname, path: p.healthCheckPath });
      this.healthCheckId = hc.id;
      const spec = healthCheckAlarm(hc.id, `${httpsUrl(p.publicHostname)}${p.healthCheckPath}`);
      // An alarm and its SNS action must share a region, and these metrics exist only in us-east-1.
      if (env.aws.region === ROUTE53_METRICS_REGION) {
        alarm(spec, topic.arn);
      } else if (p.usEast1Provider) {
        const globalTopic = topicOf("alarms-us-east-1", ROUTE53_METRICS_REGION, p.usEast1Provider);
        alarm(spec, globalTopic.arn, p.usEast1Provider);
      } else {
        Annotations.of(this).addWarning(
          `Observability ${id}: the Route 53 health check of ${p.publicHostname} has no alarm: its metrics exist only in ${ROUTE53_METRICS_REGION}; pass usEast1Provider`,
        );
      }
    }

    // --- Container Insights: metrics, container logs ------------------------------------
    const shipping = logShipping(this, {
      namer,
      region: env.aws.region,
      accountId: env.aws.accountId,
      clusterName: p.clusterName,
      logRetentionDays: settings.logRetentionDays,
      logsKmsKeyArn: p.logsKmsKeyArn,
      oidcProviderArn: p.oidcProviderArn,
      oidcIssuer: p.oidcIssuer,
      addonDependsOn: p.addonDependsOn,
    });
    this.logGroupNames = shipping.logGroupNames;
    this.agentRoleArn = shipping.agentRoleArn;

    // --- Dashboard ---------------------------------------------------------------------
    this.dashboardName = namer.name("langsmith");
    dashboard(this, this.dashboardName, {
      region: env.aws.region,
      ...dimensions,
      dbKind: p.database.kind,
      members,
      clusterName: p.clusterName,
      namespace: p.langsmith ? LANGSMITH_NAMESPACE : undefined,
      healthCheckId: this.healthCheckId,
      alarmArns,
    });
  }
}
