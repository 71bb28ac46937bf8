/**
 * The alarm table of an environment, as data: every CloudWatch alarm with its metric (or query),
 * threshold and the first place to look. Plain TypeScript (no CDKTF): modules/observability turns
 * each entry into an `aws_cloudwatch_metric_alarm`; tests and runbooks read the table directly.
 */
import { runs, type AlarmThresholds, type EnvironmentConfig } from "../config/schema";
import { httpsUrl, postgresKind, type PostgresKind } from "../naming";
import { LANGFUSE_WEB_SERVICE } from "../langfuse-values/chart";
import { RELEASE } from "../langsmith-values/chart";

const GIB = 1024 ** 3;

export type Comparison = "GreaterThanThreshold" | "LessThanThreshold";

/** One query of a metric-math or Metrics Insights alarm (the shape of `metric_query`). */
export interface AlarmQuery {
  readonly id: string;
  readonly expression?: string;
  readonly label?: string;
  readonly period?: number;
  readonly returnData?: boolean;
  readonly metric?: {
    readonly namespace: string;
    readonly metricName: string;
    readonly dimensions: Readonly<Record<string, string>>;
    readonly stat: string;
    readonly period: number;
  };
}

/** One alarm, as data: the table below is the list operators read. */
export interface AlarmSpec {
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
  readonly query?: readonly AlarmQuery[];
}

/** The CloudWatch dimensions the alarms and the dashboard share. */
export interface AlarmDimensions {
  /** `{ LoadBalancer }` */
  readonly alb: Readonly<Record<string, string>>;
  /** `{ LoadBalancer, TargetGroup }` */
  readonly tg: Readonly<Record<string, string>>;
  /** `{ DBInstanceIdentifier }` or `{ DBClusterIdentifier }` */
  readonly db: Readonly<Record<string, string>>;
  /** `{ ClusterName }` */
  readonly cluster: Readonly<Record<string, string>>;
}

export interface AlarmTableInput {
  readonly thresholds: AlarmThresholds;
  readonly dimensions: AlarmDimensions;
  readonly database: { readonly kind: PostgresKind };
  /** Member cache cluster ids of the Redis replication group (`redisMemberClusterIds`). */
  readonly redisMembers: readonly string[];
  readonly clusterName: string;
  /**
   * Namespace of the LangSmith release. Absent when LangSmith does not run: no alarm on its pods or
   * on the target group's health (modules/langfuse-release alarms on Langfuse's own target group).
   */
  readonly namespace?: string;
}

/** CloudWatch dimensions of the ALB, target group, database and cluster. */
export function alarmDimensions(i: {
  readonly albArnSuffix: string;
  readonly targetGroupArnSuffix: string;
  readonly database: { readonly identifier: string; readonly kind: PostgresKind };
  readonly clusterName: string;
}): AlarmDimensions {
  return {
    alb: { LoadBalancer: i.albArnSuffix },
    tg: { LoadBalancer: i.albArnSuffix, TargetGroup: i.targetGroupArnSuffix },
    db: { [i.database.kind === "instance" ? "DBInstanceIdentifier" : "DBClusterIdentifier"]: i.database.identifier },
    cluster: { ClusterName: i.clusterName },
  };
}

/**
 * Member cache cluster ids of a cluster-mode-disabled replication group: `<group>-001` …
 * `-00<replicas + 1>`, the names ElastiCache gives them (its metrics have no group dimension).
 */
export function redisMemberClusterIds(replicationGroupId: string, replicas: number): string[] {
  return Array.from({ length: replicas + 1 }, (_, i) => `${replicationGroupId}-${String(i + 1).padStart(3, "0")}`);
}

const metric = (namespace: string, name: string, dimensions: Readonly<Record<string, string>>, stat: string) => ({ namespace, name, dimensions, stat });

/** What an application's target-group alarms say: where to look when each fires. */
export interface TargetGroupAlarmText {
  readonly latency: string;
  readonly unhealthy: string;
  readonly noHealthy: string;
}

/**
 * The health and latency alarms of one application's target group (`<keyPrefix>-latency-p95`,
 * `-unhealthy-targets`, `-no-healthy-targets`): the same signals, periods and thresholds for every
 * application behind the ALB (LangSmith's in the table below, Langfuse's in modules/langfuse-release);
 * only the names and the descriptions differ.
 */
export function targetGroupAlarms(keyPrefix: string, tg: Readonly<Record<string, string>>, t: AlarmThresholds, text: TargetGroupAlarmText): { latency: AlarmSpec; unhealthy: AlarmSpec; noHealthy: AlarmSpec } {
  return {
    latency: {
      key: `${keyPrefix}-latency-p95`,
      description: text.latency,
      comparison: "GreaterThanThreshold",
      threshold: t.targetResponseTimeP95Seconds,
      periodSeconds: 300,
      evaluationPeriods: 3,
      treatMissingData: "notBreaching",
      metric: metric("AWS/ApplicationELB", "TargetResponseTime", tg, "p95"),
    },
    unhealthy: {
      key: `${keyPrefix}-unhealthy-targets`,
      description: text.unhealthy,
      comparison: "GreaterThanThreshold",
      threshold: t.unhealthyTargets,
      periodSeconds: 60,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      treatMissingData: "notBreaching",
      metric: metric("AWS/ApplicationELB", "UnHealthyHostCount", tg, "Maximum"),
    },
    // The target group checks the application's health path: no healthy target = it is down.
    noHealthy: {
      key: `${keyPrefix}-no-healthy-targets`,
      description: text.noHealthy,
      comparison: "LessThanThreshold",
      threshold: 1,
      periodSeconds: 60,
      evaluationPeriods: 3,
      treatMissingData: "breaching",
      metric: metric("AWS/ApplicationELB", "HealthyHostCount", tg, "Minimum"),
    },
  };
}

/** Langfuse's alarms: the same signals as LangSmith's target group, on Langfuse's (modules/langfuse-release). */
export function langfuseAlarms(dims: Readonly<Record<string, string>>, t: AlarmThresholds): AlarmSpec[] {
  const tg = targetGroupAlarms("langfuse", dims, t, {
    unhealthy: `More than ${t.unhealthyTargets} unhealthy target(s) in the Langfuse target group. Look at: target health reasons, TargetGroupBinding, langfuse-web pods.`,
    noHealthy: `No healthy Langfuse target behind the ALB: Langfuse is unreachable. Look at: langfuse-web pods (${LANGFUSE_WEB_SERVICE.healthCheckPath}), TargetGroupBinding.`,
    latency: `p95 Langfuse response time above ${t.targetResponseTimeP95Seconds}s for 15 minutes. Look at: langfuse-web CPU/memory, PostgreSQL, ClickHouse, Redis.`,
  });
  return [
    tg.unhealthy,
    tg.noHealthy,
    tg.latency,
    {
      key: "langfuse-target-5xx",
      description: `Langfuse answered more than ${t.alb5xxCount} 5xx responses per 5 minutes for 15 minutes. Look at: langfuse-web logs, PostgreSQL, ClickHouse.`,
      comparison: "GreaterThanThreshold",
      threshold: t.alb5xxCount,
      periodSeconds: 300,
      evaluationPeriods: 3,
      treatMissingData: "notBreaching",
      metric: { namespace: "AWS/ApplicationELB", name: "HTTPCode_Target_5XX_Count", dimensions: dims, stat: "Sum" },
    },
  ];
}

/** Every alarm of the environment's region, in the order operators read them. */
export function alarmTable(d: AlarmTableInput): AlarmSpec[] {
  const t = d.thresholds;
  const { alb, tg, db, cluster } = d.dimensions;
  const members = d.redisMembers;
  const langsmith = d.namespace !== undefined;
  const app = targetGroupAlarms("alb", tg, t, {
    latency: `p95 target response time above ${t.targetResponseTimeP95Seconds}s for 15 minutes. Look at: backend CPU/memory, RDS and ClickHouse load.`,
    unhealthy: `More than ${t.unhealthyTargets} unhealthy target(s) in the LangSmith target group. Look at: target health reasons, TargetGroupBinding, langsmith-frontend pods.`,
    noHealthy: "No healthy target behind the ALB: LangSmith is unreachable. Look at: langsmith-frontend pods, TargetGroupBinding, AWS Load Balancer Controller logs.",
  });
  const table: (AlarmSpec & { langsmithOnly?: boolean })[] = [
    {
      key: "alb-5xx",
      description:
        `More than ${t.alb5xxCount} 5xx responses (ALB + targets) in 5 minutes. Look at: ALB target health, ` +
        `${langsmith ? "langsmith-frontend/backend" : "the application's"} logs (Container Insights application log group).`,
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
    // Langfuse's target group has its own (modules/langfuse-release), so a Langfuse-only
    // environment has no second alarm on the same metric.
    { ...app.latency, langsmithOnly: true },
    { ...app.unhealthy, langsmithOnly: true },
    { ...app.noHealthy, langsmithOnly: true },
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
    ...(d.database.kind === "instance"
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
      langsmithOnly: true,
      description: `A LangSmith pod restarted more than ${t.podRestarts} times. Look at: kubectl -n ${d.namespace} describe pod, logs --previous, ExternalSecrets status.`,
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
            `WHERE ClusterName = '${d.clusterName}' AND Namespace = '${d.namespace}'`,
          period: 300,
          label: "max container restarts",
          returnData: true,
        },
      ],
    },
  ];
  return table.filter((a) => langsmith || !a.langsmithOnly).map(({ langsmithOnly: _, ...spec }) => spec);
}

/** The alarm on the Route 53 health check of `url` (its metrics exist only in us-east-1). */
export function healthCheckAlarm(healthCheckId: string, url: string): AlarmSpec {
  return {
    key: "health-check",
    description: `Route 53 health checkers cannot load ${url}. Look at: DNS record, ACM certificate, WAF, ALB target health.`,
    comparison: "LessThanThreshold",
    threshold: 1,
    periodSeconds: 60,
    evaluationPeriods: 3,
    treatMissingData: "breaching",
    metric: metric("AWS/Route53", "HealthCheckStatus", { HealthCheckId: healthCheckId }, "Minimum"),
  };
}

/** What decides which alarms an environment has (`alarmSet`). */
export interface AlarmSetInput {
  readonly thresholds: AlarmThresholds;
  readonly postgresEngine: EnvironmentConfig["postgres"]["engine"];
  readonly redisReplicas: number;
  readonly langsmith: boolean;
  readonly langfuse: boolean;
  /** The Route 53 health check's URL, where the environment is public. */
  readonly healthCheckUrl?: string;
}

/**
 * Every CloudWatch alarm of an environment, with placeholder dimensions: the table above with its
 * database kind, Redis nodes and applications, the Route 53 health check's where it is public, and
 * Langfuse's where it runs. The cost model prices them (`environmentAlarms`), docs/operations.md
 * lists a tier's (lib/docs/alarms-table.ts); a test compares the count with synthesized stacks.
 */
export function alarmSet(i: AlarmSetInput): AlarmSpec[] {
  const alb = { LoadBalancer: "app/alb" };
  const tg = { ...alb, TargetGroup: "targetgroup/tg" };
  return [
    ...alarmTable({
      thresholds: i.thresholds,
      dimensions: { alb, tg, db: { DBInstanceIdentifier: "db" }, cluster: { ClusterName: "eks" } },
      database: { kind: postgresKind(i.postgresEngine) },
      redisMembers: redisMemberClusterIds("redis", i.redisReplicas),
      clusterName: "eks",
      namespace: i.langsmith ? RELEASE.namespace : undefined,
    }),
    ...(i.healthCheckUrl !== undefined ? [healthCheckAlarm("hc", i.healthCheckUrl)] : []),
    ...(i.langfuse ? langfuseAlarms(tg, i.thresholds) : []),
  ];
}

/** `alarmSet` of an environment file: the alarms its stack creates. */
export function environmentAlarms(env: EnvironmentConfig): AlarmSpec[] {
  return alarmSet({
    thresholds: env.observability.thresholds,
    postgresEngine: env.postgres.engine,
    redisReplicas: env.redis.replicas,
    langsmith: runs(env, "langsmith"),
    langfuse: runs(env, "langfuse"),
    healthCheckUrl: env.exposure === "public" ? httpsUrl(env.dns.hostname) : undefined,
  });
}
