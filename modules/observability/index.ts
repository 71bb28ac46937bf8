import { Construct } from "constructs";
import { Annotations, ITerraformDependable, TerraformProvider } from "cdktf";
import { CloudwatchDashboard } from "@cdktf/provider-aws/lib/cloudwatch-dashboard";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CloudwatchMetricAlarm, CloudwatchMetricAlarmMetricQuery } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import { Route53HealthCheck } from "@cdktf/provider-aws/lib/route53-health-check";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { EnvironmentConfig, protectsData } from "../../lib/config/schema";
import { accountRootArn, policyDocument, policyJson } from "../../lib/iam";
import { RELEASE } from "../../lib/langsmith-values/chart";
import { httpsUrl, Namer } from "../../lib/naming";
import { EKS_ADDONS } from "../../versions";
import { IrsaRole } from "../irsa";
import { CustomerManagedKey } from "../kms";

/** Route 53 publishes health-check metrics only in this region (Route 53 developer guide, "Monitoring health checks"). */
export const ROUTE53_METRICS_REGION = "us-east-1";

/** Log groups the `amazon-cloudwatch-observability` add-on writes (`/aws/containerinsights/<cluster>/<kind>`). */
export const CONTAINER_INSIGHTS_LOG_KINDS = ["application", "dataplane", "host", "performance"] as const;

/** Where the add-on's agent and Fluent Bit run (add-on defaults; the IRSA trust names them exactly). */
export const CLOUDWATCH_AGENT = { namespace: "amazon-cloudwatch", serviceAccount: "cloudwatch-agent" } as const;

/** The LangSmith namespace: pod-restart alarm and log queries are scoped to it. */
const LANGSMITH_NAMESPACE = RELEASE.namespace;

const GIB = 1024 ** 3;

export interface ObservabilityProps {
  readonly namer: Namer;
  /**
   * The environment. Read: `observability.*` (emails, log retention, thresholds), `aws.accountId`,
   * `aws.region`, `dns.hostname`, `exposure` (health check only when `public`), `redis.replicas`.
   */
  readonly env: EnvironmentConfig;
  /** EKS cluster name (the cluster resource's `name`). */
  readonly clusterName: string;
  /** ALB `arn_suffix` (`app/<name>/<id>`), the `LoadBalancer` metric dimension. */
  readonly albArnSuffix: string;
  /** Target group `arn_suffix` (`targetgroup/<name>/<id>`), the `TargetGroup` metric dimension. */
  readonly targetGroupArnSuffix: string;
  /** PostgreSQL: the RDS instance identifier, or the Aurora cluster identifier. */
  readonly database: { readonly identifier: string; readonly kind: "instance" | "cluster" };
  /** ElastiCache replication group id (cluster mode disabled). */
  readonly redisReplicationGroupId: string;
  /**
   * Member cache cluster ids of the replication group (ElastiCache metrics have no replication-group
   * dimension, only `CacheClusterId`).
   * @default `<redisReplicationGroupId>-001` … `-00<replicas + 1>`, the names ElastiCache gives the
   * members of a cluster-mode-disabled group
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
}

const DEFAULTS = { healthCheckPath: "/health", addonDependsOn: [] as readonly ITerraformDependable[] } as const;

type Comparison = "GreaterThanThreshold" | "LessThanThreshold";

/** One alarm, as data: the table below is the list operators read. */
interface AlarmSpec {
  /** Name component: the alarm is `<prefix>-<env>-<key>`. */
  readonly key: string;
  /** What fired and the first place to look (shown in the notification email). */
  readonly description: string;
  readonly comparison: Comparison;
  readonly threshold: number;
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm?: number;
  readonly treatMissingData: "missing" | "notBreaching" | "breaching";
  /** A single metric … */
  readonly metric?: {
    readonly namespace: string;
    readonly name: string;
    readonly dimensions: Readonly<Record<string, string>>;
    /** `Average`, `Sum`, `Maximum`, `Minimum`, or a percentile like `p95`. */
    readonly stat: string;
  };
  /** … or metric math / a Metrics Insights query (the query with `returnData` is the alarm's value). */
  readonly query?: readonly CloudwatchMetricAlarmMetricQuery[];
}

/**
 * Alarms, dashboard, log shipping and health monitoring of one environment:
 * an encrypted SNS topic with the configured email subscribers; CloudWatch alarms on the ALB,
 * RDS, ElastiCache and EKS (thresholds from `observability.thresholds`); a dashboard; the
 * `amazon-cloudwatch-observability` add-on (Container Insights metrics and container logs) with
 * its log groups pre-created for retention and KMS; a Route 53 HTTPS health check of the public
 * hostname with an alarm in us-east-1.
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

  private readonly namer: Namer;
  private readonly env: EnvironmentConfig;
  /** Alarms of the environment's region (the dashboard's alarm widget cannot list other regions'). */
  private readonly alarmArns: string[] = [];

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const p = { ...DEFAULTS, ...props };
    const { env, namer } = p;
    this.namer = namer;
    this.env = env;
    const t = env.observability.thresholds;

    // --- Notifications -----------------------------------------------------------------
    const topic = this.alarmTopic("alarms", env.aws.region);
    this.topicArn = topic.arn;

    // --- Alarms ------------------------------------------------------------------------
    const alb = { LoadBalancer: p.albArnSuffix };
    const tg = { LoadBalancer: p.albArnSuffix, TargetGroup: p.targetGroupArnSuffix };
    const db: Record<string, string> = { [p.database.kind === "instance" ? "DBInstanceIdentifier" : "DBClusterIdentifier"]: p.database.identifier };
    const members = p.redisMemberClusterIds ?? Array.from({ length: env.redis.replicas + 1 }, (_, i) => `${p.redisReplicationGroupId}-${String(i + 1).padStart(3, "0")}`);
    const cluster = { ClusterName: p.clusterName };
    const metric = (namespace: string, name: string, dimensions: Record<string, string>, stat: string) => ({ namespace, name, dimensions, stat });

    const specs: AlarmSpec[] = [
      {
        key: "alb-5xx",
        description: `More than ${t.alb5xxCount} 5xx responses (ALB + targets) in 5 minutes. Look at: ALB target health, langsmith-frontend/backend logs (Container Insights application log group).`,
        comparison: "GreaterThanThreshold",
        threshold: t.alb5xxCount,
        periodSeconds: 300,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        treatMissingData: "notBreaching",
        // 502/503 come from the ALB itself when no target answers; 500s from the app: count both.
        query: [
          { id: "elb", metric: { namespace: "AWS/ApplicationELB", metricName: "HTTPCode_ELB_5XX_Count", dimensions: alb, stat: "Sum", period: 300 }, returnData: false },
          { id: "target", metric: { namespace: "AWS/ApplicationELB", metricName: "HTTPCode_Target_5XX_Count", dimensions: tg, stat: "Sum", period: 300 }, returnData: false },
          { id: "total", expression: "FILL(elb, 0) + FILL(target, 0)", label: "5xx responses", returnData: true },
        ],
      },
      {
        key: "alb-latency-p95",
        description: `p95 target response time above ${t.targetResponseTimeP95Seconds}s for 15 minutes. Look at: backend CPU/memory, RDS and ClickHouse load.`,
        comparison: "GreaterThanThreshold",
        threshold: t.targetResponseTimeP95Seconds,
        periodSeconds: 300,
        evaluationPeriods: 3,
        treatMissingData: "notBreaching",
        metric: metric("AWS/ApplicationELB", "TargetResponseTime", tg, "p95"),
      },
      {
        key: "alb-unhealthy-targets",
        description: `More than ${t.unhealthyTargets} unhealthy target(s) in the LangSmith target group. Look at: target health reasons, TargetGroupBinding, langsmith-frontend pods.`,
        comparison: "GreaterThanThreshold",
        threshold: t.unhealthyTargets,
        periodSeconds: 60,
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
        treatMissingData: "notBreaching",
        metric: metric("AWS/ApplicationELB", "UnHealthyHostCount", tg, "Maximum"),
      },
      {
        // The target group checks the frontend's /health: no healthy target = the UI is down.
        key: "alb-no-healthy-targets",
        description: "No healthy target behind the ALB: LangSmith is unreachable. Look at: langsmith-frontend pods, TargetGroupBinding, AWS Load Balancer Controller logs.",
        comparison: "LessThanThreshold",
        threshold: 1,
        periodSeconds: 60,
        evaluationPeriods: 3,
        treatMissingData: "breaching",
        metric: metric("AWS/ApplicationELB", "HealthyHostCount", tg, "Minimum"),
      },
      {
        key: "rds-cpu",
        description: `PostgreSQL CPU above ${t.rdsCpuPercent}% for 15 minutes. Look at: Performance Insights top SQL.`,
        comparison: "GreaterThanThreshold",
        threshold: t.rdsCpuPercent,
        periodSeconds: 300,
        evaluationPeriods: 3,
        treatMissingData: "missing",
        metric: metric("AWS/RDS", "CPUUtilization", db, "Average"),
      },
      // Aurora storage grows on its own (no FreeStorageSpace); instances need the alarm.
      ...(p.database.kind === "instance"
        ? [{
            key: "rds-free-storage",
            description: `PostgreSQL free storage below ${t.rdsFreeStorageGib} GiB. Look at: storage autoscaling limit (postgres.maxAllocatedStorageGib), table bloat.`,
            comparison: "LessThanThreshold" as const,
            threshold: t.rdsFreeStorageGib * GIB,
            periodSeconds: 300,
            evaluationPeriods: 2,
            treatMissingData: "missing" as const,
            metric: metric("AWS/RDS", "FreeStorageSpace", db, "Minimum"),
          }]
        : []),
      {
        key: "rds-connections",
        description: `More than ${t.rdsConnections} PostgreSQL connections. Look at: backend/queue replica counts and their pool sizes.`,
        comparison: "GreaterThanThreshold",
        threshold: t.rdsConnections,
        periodSeconds: 300,
        evaluationPeriods: 3,
        treatMissingData: "missing",
        metric: metric("AWS/RDS", "DatabaseConnections", db, "Maximum"),
      },
      ...members.flatMap((member, i): AlarmSpec[] => {
        const node = { CacheClusterId: member };
        const n = String(i + 1).padStart(3, "0");
        return [
          {
            key: `redis-${n}-memory`,
            description: `Redis node ${member}: memory above ${t.redisMemoryPercent}%. Look at: queue depth (stuck workers), redis.nodeType.`,
            comparison: "GreaterThanThreshold",
            threshold: t.redisMemoryPercent,
            periodSeconds: 300,
            evaluationPeriods: 3,
            treatMissingData: "missing",
            metric: metric("AWS/ElastiCache", "DatabaseMemoryUsagePercentage", node, "Maximum"),
          },
          {
            key: `redis-${n}-evictions`,
            description: `Redis node ${member}: more than ${t.redisEvictions} evictions in 5 minutes; queued work is being dropped. Look at: memory, redis.nodeType.`,
            comparison: "GreaterThanThreshold",
            threshold: t.redisEvictions,
            periodSeconds: 300,
            evaluationPeriods: 1,
            treatMissingData: "notBreaching",
            metric: metric("AWS/ElastiCache", "Evictions", node, "Sum"),
          },
          {
            key: `redis-${n}-engine-cpu`,
            description: `Redis node ${member}: engine CPU above ${t.redisEngineCpuPercent}% for 15 minutes. Look at: ingestion volume, redis.nodeType.`,
            comparison: "GreaterThanThreshold",
            threshold: t.redisEngineCpuPercent,
            periodSeconds: 300,
            evaluationPeriods: 3,
            treatMissingData: "missing",
            metric: metric("AWS/ElastiCache", "EngineCPUUtilization", node, "Average"),
          },
        ];
      }),
      {
        key: "eks-failed-nodes",
        description: "A worker node reports a failing condition (Container Insights cluster_failed_node_count). Look at: kubectl describe node, node group health in the EKS console.",
        comparison: "GreaterThanThreshold",
        threshold: 0,
        periodSeconds: 300,
        evaluationPeriods: 2,
        treatMissingData: "missing",
        metric: metric("ContainerInsights", "cluster_failed_node_count", cluster, "Maximum"),
      },
      {
        key: "eks-node-cpu",
        description: `Node CPU above ${t.nodeCpuPercent}% (cluster average) for 15 minutes. Look at: cluster-autoscaler logs, nodePools.general.maxSize.`,
        comparison: "GreaterThanThreshold",
        threshold: t.nodeCpuPercent,
        periodSeconds: 300,
        evaluationPeriods: 3,
        treatMissingData: "missing",
        metric: metric("ContainerInsights", "node_cpu_utilization", cluster, "Average"),
      },
      {
        key: "eks-node-memory",
        description: `Node memory above ${t.nodeMemoryPercent}% (cluster average) for 15 minutes. Look at: OOMKills (kubectl get events), nodePools.general.`,
        comparison: "GreaterThanThreshold",
        threshold: t.nodeMemoryPercent,
        periodSeconds: 300,
        evaluationPeriods: 3,
        treatMissingData: "missing",
        metric: metric("ContainerInsights", "node_memory_utilization", cluster, "Average"),
      },
      {
        // pod_number_of_container_restarts has PodName/Namespace/ClusterName dimensions only, so one
        // Metrics Insights query covers every LangSmith workload, including ones added by a chart bump.
        key: "langsmith-pod-restarts",
        description: `A LangSmith pod restarted more than ${t.podRestarts} times. Look at: kubectl -n ${LANGSMITH_NAMESPACE} describe pod, logs --previous, ExternalSecrets status.`,
        comparison: "GreaterThanThreshold",
        threshold: t.podRestarts,
        periodSeconds: 300,
        evaluationPeriods: 1,
        treatMissingData: "notBreaching",
        query: [
          {
            id: "restarts",
            expression:
              `SELECT MAX(pod_number_of_container_restarts) FROM SCHEMA(ContainerInsights, ClusterName, Namespace, PodName) ` +
              `WHERE ClusterName = '${p.clusterName}' AND Namespace = '${LANGSMITH_NAMESPACE}'`,
            period: 300,
            label: "max container restarts",
            returnData: true,
          },
        ],
      },
    ];
    for (const spec of specs) this.alarm(spec, topic.arn);

    // --- Health endpoint ---------------------------------------------------------------
    if (env.exposure === "public") {
      const hc = new Route53HealthCheck(this, "health-check", {
        fqdn: env.dns.hostname,
        type: "HTTPS",
        port: 443,
        resourcePath: p.healthCheckPath,
        enableSni: true,
        failureThreshold: 3,
        requestInterval: 30,
        measureLatency: true,
        tags: { Name: namer.name("health") },
      });
      this.healthCheckId = hc.id;
      const spec: AlarmSpec = {
        key: "health-check",
        description: `Route 53 health checkers cannot load ${httpsUrl(env.dns.hostname)}${p.healthCheckPath}. Look at: DNS record, ACM certificate, WAF, ALB target health.`,
        comparison: "LessThanThreshold",
        threshold: 1,
        periodSeconds: 60,
        evaluationPeriods: 3,
        treatMissingData: "breaching",
        metric: metric("AWS/Route53", "HealthCheckStatus", { HealthCheckId: hc.id }, "Minimum"),
      };
      // An alarm and its SNS action must share a region, and these metrics exist only in us-east-1.
      if (env.aws.region === ROUTE53_METRICS_REGION) {
        this.alarm(spec, topic.arn);
      } else if (p.usEast1Provider) {
        const globalTopic = this.alarmTopic("alarms-us-east-1", ROUTE53_METRICS_REGION, p.usEast1Provider);
        this.alarm(spec, globalTopic.arn, p.usEast1Provider);
      } else {
        Annotations.of(this).addWarning(
          `Observability ${id}: the Route 53 health check of ${env.dns.hostname} has no alarm: its metrics exist only in ${ROUTE53_METRICS_REGION}; pass usEast1Provider`,
        );
      }
    }

    // --- Container Insights: metrics, container logs ------------------------------------
    const logGroups = CONTAINER_INSIGHTS_LOG_KINDS.map(
      (kind) =>
        new CloudwatchLogGroup(this, `log-group-${kind}`, {
          name: `/aws/containerinsights/${p.clusterName}/${kind}`,
          retentionInDays: env.observability.logRetentionDays,
          kmsKeyId: p.logsKmsKeyArn,
        }),
    );
    this.logGroupNames = logGroups.map((g) => g.name);
    const agent = new IrsaRole(this, "cloudwatch-agent", {
      roleName: namer.name("irsa-cloudwatch-agent", "iamRole"),
      oidcProviderArn: p.oidcProviderArn,
      oidcIssuer: p.oidcIssuer,
      namespace: CLOUDWATCH_AGENT.namespace,
      serviceAccounts: [CLOUDWATCH_AGENT.serviceAccount],
      // AWS-maintained: metrics (PutMetricData), EMF/container logs, EC2/EKS describe calls of the agent.
      managedPolicyArns: ["arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy"],
    });
    this.agentRoleArn = agent.roleArn;
    new EksAddon(this, "cloudwatch-observability", {
      clusterName: p.clusterName,
      addonName: "amazon-cloudwatch-observability",
      addonVersion: EKS_ADDONS.cloudwatchObservability,
      serviceAccountRoleArn: agent.roleArn,
      resolveConflictsOnCreate: "OVERWRITE",
      resolveConflictsOnUpdate: "OVERWRITE",
      // The agent creates missing log groups itself, without retention or KMS: ours must exist first.
      dependsOn: [...logGroups, ...p.addonDependsOn],
    });

    // --- Dashboard ---------------------------------------------------------------------
    this.dashboardName = namer.name("langsmith");
    new CloudwatchDashboard(this, "dashboard", {
      dashboardName: this.dashboardName,
      dashboardBody: JSON.stringify({
        widgets: this.widgets({
          region: env.aws.region,
          alb,
          tg,
          db,
          dbKind: p.database.kind,
          members,
          cluster,
          clusterName: p.clusterName,
          healthCheckId: this.healthCheckId,
        }),
      }),
    });
  }

  /** An encrypted topic that CloudWatch alarms of this account may publish to, with the email subscribers. */
  private alarmTopic(key: string, region: string, provider?: TerraformProvider): SnsTopic {
    const { namer, env } = this;
    const account = env.aws.accountId;
    // SNS-managed keys (alias/aws/sns) cannot be used by CloudWatch: alarms need a CMK that allows it.
    const cmk = new CustomerManagedKey(this, `${key}-key`, {
      alias: namer.name(key),
      description: `LangSmith ${env.name}: alarm notifications (SNS) in ${region}`,
      accountId: account,
      region,
      services: [{ principal: "cloudwatch.amazonaws.com", condition: { StringEquals: { "aws:SourceAccount": account } } }],
      preventDestroy: protectsData(env),
      provider,
    });
    const topic = new SnsTopic(this, `${key}-topic`, { name: namer.name(key), kmsMasterKeyId: cmk.keyArn, provider });
    new SnsTopicPolicy(this, `${key}-topic-policy`, {
      arn: topic.arn,
      provider,
      policy: policyJson(
        policyDocument(
          {
            Sid: "AccountManages",
            Effect: "Allow",
            Principal: { AWS: accountRootArn("aws", account) },
            Action: ["sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:Subscribe", "sns:ListSubscriptionsByTopic", "sns:Publish"],
            Resource: topic.arn,
          },
          {
            Sid: "CloudWatchAlarmsPublish",
            Effect: "Allow",
            Principal: { Service: "cloudwatch.amazonaws.com" },
            Action: "sns:Publish",
            Resource: topic.arn,
            Condition: {
              StringEquals: { "aws:SourceAccount": account },
              ArnLike: { "aws:SourceArn": `arn:aws:cloudwatch:${region}:${account}:alarm:*` },
            },
          },
        ),
      ),
    });
    env.observability.alarmEmails.forEach(
      (email, i) => new SnsTopicSubscription(this, `${key}-email-${i}`, { topicArn: topic.arn, protocol: "email", endpoint: email, provider }),
    );
    return topic;
  }

  private alarm(spec: AlarmSpec, topicArn: string, provider?: TerraformProvider): string {
    const name = this.namer.name(spec.key);
    const m = spec.metric;
    const percentile = m && /^p\d+(\.\d+)?$/.test(m.stat);
    const alarm = new CloudwatchMetricAlarm(this, `alarm-${spec.key}`, {
      alarmName: name,
      alarmDescription: spec.description,
      comparisonOperator: spec.comparison,
      threshold: spec.threshold,
      evaluationPeriods: spec.evaluationPeriods,
      datapointsToAlarm: spec.datapointsToAlarm,
      treatMissingData: spec.treatMissingData,
      alarmActions: [topicArn],
      okActions: [topicArn],
      ...(m
        ? {
            namespace: m.namespace,
            metricName: m.name,
            dimensions: { ...m.dimensions },
            period: spec.periodSeconds,
            ...(percentile ? { extendedStatistic: m.stat } : { statistic: m.stat }),
          }
        : { metricQuery: [...(spec.query ?? [])] }),
      provider,
    });
    this.alarmNames.push(name);
    if (!provider) this.alarmArns.push(alarm.arn);
    return alarm.arn;
  }

  private widgets(w: {
    region: string;
    alb: Record<string, string>;
    tg: Record<string, string>;
    db: Record<string, string>;
    dbKind: "instance" | "cluster";
    members: readonly string[];
    cluster: Record<string, string>;
    clusterName: string;
    healthCheckId?: string;
  }): object[] {
    const flat = (namespace: string, name: string, dims: Record<string, string>, opts: object = {}) => [
      namespace,
      name,
      ...Object.entries(dims).flat(),
      opts,
    ];
    const graph = (title: string, metrics: unknown[], opts: object = {}) => ({
      type: "metric",
      width: 8,
      height: 6,
      properties: { title, region: w.region, view: "timeSeries", stacked: false, period: 300, metrics, ...opts },
    });
    const widgets: object[] = [
      {
        type: "alarm",
        width: 24,
        height: 3,
        properties: { title: "Alarms", alarms: [...this.alarmArns] },
      },
      graph("ALB requests and 5xx", [
        flat("AWS/ApplicationELB", "RequestCount", w.alb, { stat: "Sum" }),
        flat("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", w.alb, { stat: "Sum" }),
        flat("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", w.tg, { stat: "Sum" }),
      ]),
      graph("Target response time (s)", [
        flat("AWS/ApplicationELB", "TargetResponseTime", w.tg, { stat: "Average", label: "average" }),
        flat("AWS/ApplicationELB", "TargetResponseTime", w.tg, { stat: "p95", label: "p95" }),
      ]),
      graph("Targets", [
        flat("AWS/ApplicationELB", "HealthyHostCount", w.tg, { stat: "Minimum" }),
        flat("AWS/ApplicationELB", "UnHealthyHostCount", w.tg, { stat: "Maximum" }),
      ], { period: 60 }),
      graph("PostgreSQL CPU (%)", [flat("AWS/RDS", "CPUUtilization", w.db, { stat: "Average" })]),
      graph("PostgreSQL connections", [flat("AWS/RDS", "DatabaseConnections", w.db, { stat: "Maximum" })]),
      w.dbKind === "instance"
        ? graph("PostgreSQL free storage (bytes)", [flat("AWS/RDS", "FreeStorageSpace", w.db, { stat: "Minimum" })])
        : graph("PostgreSQL freeable memory (bytes)", [flat("AWS/RDS", "FreeableMemory", w.db, { stat: "Minimum" })]),
      graph("Redis memory (%)", w.members.map((m) => flat("AWS/ElastiCache", "DatabaseMemoryUsagePercentage", { CacheClusterId: m }, { stat: "Maximum" }))),
      graph("Redis evictions", w.members.map((m) => flat("AWS/ElastiCache", "Evictions", { CacheClusterId: m }, { stat: "Sum" }))),
      graph("Redis engine CPU (%)", w.members.map((m) => flat("AWS/ElastiCache", "EngineCPUUtilization", { CacheClusterId: m }, { stat: "Average" }))),
      graph("Nodes", [
        flat("ContainerInsights", "cluster_node_count", w.cluster, { stat: "Minimum" }),
        flat("ContainerInsights", "cluster_failed_node_count", w.cluster, { stat: "Maximum" }),
      ]),
      graph("Node CPU / memory (%)", [
        flat("ContainerInsights", "node_cpu_utilization", w.cluster, { stat: "Average" }),
        flat("ContainerInsights", "node_memory_utilization", w.cluster, { stat: "Average" }),
      ]),
      graph("LangSmith container restarts", [
        [{
          expression:
            `SELECT MAX(pod_number_of_container_restarts) FROM SCHEMA(ContainerInsights, ClusterName, Namespace, PodName) ` +
            `WHERE ClusterName = '${w.clusterName}' AND Namespace = '${LANGSMITH_NAMESPACE}' GROUP BY PodName`,
          label: "restarts",
          id: "restarts",
        }],
      ]),
    ];
    if (w.healthCheckId) {
      // Dashboards may mix regions per widget: Route 53 metrics are read from us-east-1.
      widgets.push(graph("Route 53 health check (1 = healthy)", [flat("AWS/Route53", "HealthCheckStatus", { HealthCheckId: w.healthCheckId }, { stat: "Minimum" })], {
        region: ROUTE53_METRICS_REGION,
        period: 60,
      }));
    }
    widgets.push({
      type: "log",
      width: 24,
      height: 6,
      properties: {
        title: "LangSmith errors (container logs)",
        region: w.region,
        query:
          `SOURCE '/aws/containerinsights/${w.clusterName}/application' | fields @timestamp, kubernetes.pod_name, log ` +
          `| filter kubernetes.namespace_name = '${LANGSMITH_NAMESPACE}' and log like /(?i)(error|exception|traceback)/ | sort @timestamp desc | limit 50`,
        view: "table",
      },
    });
    return widgets;
  }
}
