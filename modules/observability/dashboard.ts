/**
 * The environment's CloudWatch dashboard: its alarms, then ALB, PostgreSQL, Redis and node graphs,
 * the Route 53 health check and the LangSmith error log query.
 */
import { Construct } from "constructs";
import { CloudwatchDashboard } from "@cdktf/provider-aws/lib/cloudwatch-dashboard";
import type { AlarmDimensions } from "../../lib/observability/alarms";
import type { PostgresKind } from "../../lib/naming";
import { ROUTE53_METRICS_REGION } from "./health-check";

export interface DashboardInput extends AlarmDimensions {
  readonly region: string;
  readonly dbKind: PostgresKind;
  readonly members: readonly string[];
  readonly clusterName: string;
  /** Namespace of the LangSmith release (restart and log queries); absent when LangSmith does not run. */
  readonly namespace?: string;
  readonly healthCheckId?: string;
  /** Alarms of the environment's region (the alarm widget cannot list other regions'). */
  readonly alarmArns: readonly string[];
}

/** The dashboard `dashboardName` with `dashboardWidgets(input)`, created in `scope` as `dashboard`. */
export function dashboard(scope: Construct, dashboardName: string, input: DashboardInput): CloudwatchDashboard {
  return new CloudwatchDashboard(scope, "dashboard", { dashboardName, dashboardBody: JSON.stringify({ widgets: dashboardWidgets(input) }) });
}

/** The widgets, as data. */
export function dashboardWidgets(w: DashboardInput): object[] {
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
      properties: { title: "Alarms", alarms: [...w.alarmArns] },
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
  ];
  if (w.namespace !== undefined) {
    widgets.push(
      graph("LangSmith container restarts", [
        [{
          expression:
            `SELECT MAX(pod_number_of_container_restarts) FROM SCHEMA(ContainerInsights, ClusterName, Namespace, PodName) ` +
            `WHERE ClusterName = '${w.clusterName}' AND Namespace = '${w.namespace}' GROUP BY PodName`,
          label: "restarts",
          id: "restarts",
        }],
      ]),
    );
  }
  if (w.healthCheckId) {
    // Dashboards may mix regions per widget: Route 53 metrics are read from us-east-1.
    widgets.push(graph("Route 53 health check (1 = healthy)", [flat("AWS/Route53", "HealthCheckStatus", { HealthCheckId: w.healthCheckId }, { stat: "Minimum" })], {
      region: ROUTE53_METRICS_REGION,
      period: 60,
    }));
  }
  if (w.namespace === undefined) return widgets;
  widgets.push({
    type: "log",
    width: 24,
    height: 6,
    properties: {
      title: "LangSmith errors (container logs)",
      region: w.region,
      query:
        `SOURCE '/aws/containerinsights/${w.clusterName}/application' | fields @timestamp, kubernetes.pod_name, log ` +
        `| filter kubernetes.namespace_name = '${w.namespace}' and log like /(?i)(error|exception|traceback)/ | sort @timestamp desc | limit 50`,
      view: "table",
    },
  });
  return widgets;
}
