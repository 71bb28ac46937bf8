import { Testing } from "cdktf";
import { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { envWith, Json, resource, resources } from "../../helpers";
import { EnvironmentConfig, protectsData } from "../../../lib/config/schema";
import { Namer } from "../../../lib/naming";
import { EKS_ADDONS } from "../../../versions";
import { Observability, ObservabilityProps } from "../../../modules/observability";

const ALB = "app/ls-dev-alb/0123456789abcdef";
const TG = "targetgroup/ls-dev-frontend/fedcba9876543210";

interface Built {
  json: Json;
  obs: Observability;
}

function build(env: EnvironmentConfig, overrides: Partial<ObservabilityProps> = {}, withUsEast1 = true): Built {
  let obs!: Observability;
  const json = JSON.parse(
    Testing.synthScope((scope: Construct) => {
      new AwsProvider(scope, "aws", { region: env.aws.region });
      const usEast1 = withUsEast1 ? new AwsProvider(scope, "aws-us-east-1", { region: "us-east-1", alias: "us_east_1" }) : undefined;
      obs = new Observability(scope, "obs", {
        // As the stack maps the environment (stacks/langsmith-stack.ts).
        namer: new Namer(env.prefix, env.name),
        environment: env,
        settings: env.observability,
        publicHostname: env.exposure === "public" ? env.dns.hostname : undefined,
        preventDestroy: protectsData(env),
        redisReplicas: env.redis.replicas,
        clusterName: `ls-${env.name}-eks`,
        albArnSuffix: ALB,
        targetGroupArnSuffix: TG,
        database: { identifier: `ls-${env.name}-postgres`, kind: "instance" },
        redisReplicationGroupId: `ls-${env.name}-redis`,
        oidcProviderArn: `arn:aws:iam::${env.aws.accountId}:oidc-provider/oidc.eks.${env.aws.region}.amazonaws.com/id/ABC`,
        oidcIssuer: `oidc.eks.${env.aws.region}.amazonaws.com/id/ABC`,
        logsKmsKeyArn: `arn:aws:kms:${env.aws.region}:${env.aws.accountId}:key/logs`,
        usEast1Provider: usEast1,
        ...overrides,
      });
    }),
  ) as Json;
  return { json, obs };
}

function alarm(json: Json, name: string): Json {
  const found = resources(json, "aws_cloudwatch_metric_alarm").filter(([, a]) => a.alarm_name === name);
  if (found.length !== 1) throw new Error(`expected one alarm ${name}, found ${found.length}`);
  return found[0][1];
}

const dev = envWith("dev");
const devBuilt = build(dev);

describe("alarm topic", () => {
  test("is encrypted with a CMK that CloudWatch may use, and only CloudWatch alarms of this account publish", () => {
    const topic = resource(devBuilt.json, "aws_sns_topic", "alarms-topic");
    expect(topic.name).toBe("ls-dev-alarms");
    expect(topic.kms_master_key_id).toMatch(/^\$\{aws_kms_key\.obs_alarms-key_.*\.arn\}$/);
    const keyPolicy = JSON.parse(resource(devBuilt.json, "aws_kms_key", "alarms-key").policy);
    const cw = keyPolicy.Statement.find((s: Json) => s.Principal?.Service === "cloudwatch.amazonaws.com");
    // SNS docs (event sources and encrypted topics): a data key to publish, for this account's alarms only.
    expect(cw.Action).toEqual(["kms:Decrypt", "kms:GenerateDataKey*"]);
    expect(cw.Condition).toEqual({ StringEquals: { "aws:SourceAccount": dev.aws.accountId }, ArnLike: { "aws:SourceArn": `arn:aws:cloudwatch:us-west-2:${dev.aws.accountId}:alarm:*` } });
    expect(resource(devBuilt.json, "aws_kms_key", "alarms-key").enable_key_rotation).toBe(true);
    const policy = JSON.parse(resource(devBuilt.json, "aws_sns_topic_policy", "alarms-topic-policy").policy);
    const publish = policy.Statement.find((s: Json) => s.Sid === "CloudWatchAlarmsPublish");
    expect(publish.Principal).toEqual({ Service: "cloudwatch.amazonaws.com" });
    expect(publish.Condition.ArnLike["aws:SourceArn"]).toBe(`arn:aws:cloudwatch:us-west-2:${dev.aws.accountId}:alarm:*`);
  });

  test.each([
    [[], 0],
    [["oncall@example.com", "platform@example.com"], 2],
  ])("subscribes observability.alarmEmails %j", (emails, count) => {
    const { json } = build(envWith("dev", { observability: { alarmEmails: emails } }));
    const subs = resources(json, "aws_sns_topic_subscription").map(([, s]) => s);
    // Both topics (the environment's and the us-east-1 one of the health-check alarm) reach the same people.
    const local = subs.filter((s) => s.provider === undefined);
    const global = subs.filter((s) => s.provider === "aws.us_east_1");
    expect(local).toHaveLength(count);
    expect(global).toHaveLength(count);
    local.forEach((s, i) => expect(s).toMatchObject({ protocol: "email", endpoint: emails[i] }));
  });
});

describe("alarms", () => {
  const t = dev.observability.thresholds;
  test.each([
    ["ls-dev-alb-latency-p95", "AWS/ApplicationELB", "TargetResponseTime", { LoadBalancer: ALB, TargetGroup: TG }, t.targetResponseTimeP95Seconds, "GreaterThanThreshold"],
    ["ls-dev-alb-unhealthy-targets", "AWS/ApplicationELB", "UnHealthyHostCount", { LoadBalancer: ALB, TargetGroup: TG }, t.unhealthyTargets, "GreaterThanThreshold"],
    ["ls-dev-alb-no-healthy-targets", "AWS/ApplicationELB", "HealthyHostCount", { LoadBalancer: ALB, TargetGroup: TG }, 1, "LessThanThreshold"],
    ["ls-dev-rds-cpu", "AWS/RDS", "CPUUtilization", { DBInstanceIdentifier: "ls-dev-postgres" }, t.rdsCpuPercent, "GreaterThanThreshold"],
    ["ls-dev-rds-free-storage", "AWS/RDS", "FreeStorageSpace", { DBInstanceIdentifier: "ls-dev-postgres" }, t.rdsFreeStorageGib * 1024 ** 3, "LessThanThreshold"],
    ["ls-dev-rds-connections", "AWS/RDS", "DatabaseConnections", { DBInstanceIdentifier: "ls-dev-postgres" }, t.rdsConnections, "GreaterThanThreshold"],
    ["ls-dev-redis-001-memory", "AWS/ElastiCache", "DatabaseMemoryUsagePercentage", { CacheClusterId: "ls-dev-redis-001" }, t.redisMemoryPercent, "GreaterThanThreshold"],
    ["ls-dev-redis-001-evictions", "AWS/ElastiCache", "Evictions", { CacheClusterId: "ls-dev-redis-001" }, t.redisEvictions, "GreaterThanThreshold"],
    ["ls-dev-redis-001-engine-cpu", "AWS/ElastiCache", "EngineCPUUtilization", { CacheClusterId: "ls-dev-redis-001" }, t.redisEngineCpuPercent, "GreaterThanThreshold"],
    ["ls-dev-eks-failed-nodes", "ContainerInsights", "cluster_failed_node_count", { ClusterName: "ls-dev-eks" }, 0, "GreaterThanThreshold"],
    ["ls-dev-eks-node-cpu", "ContainerInsights", "node_cpu_utilization", { ClusterName: "ls-dev-eks" }, t.nodeCpuPercent, "GreaterThanThreshold"],
    ["ls-dev-eks-node-memory", "ContainerInsights", "node_memory_utilization", { ClusterName: "ls-dev-eks" }, t.nodeMemoryPercent, "GreaterThanThreshold"],
  ])("%s watches %s %s with the configured threshold", (name, namespace, metric, dimensions, threshold, comparison) => {
    const a = alarm(devBuilt.json, name);
    expect(a).toMatchObject({ namespace, metric_name: metric, dimensions, threshold, comparison_operator: comparison });
  });

  test("p95 latency uses an extended statistic, not a plain one", () => {
    const a = alarm(devBuilt.json, "ls-dev-alb-latency-p95");
    expect(a.extended_statistic).toBe("p95");
    expect(a.statistic).toBeUndefined();
  });

  test("5xx sums ALB-generated and target 5xx with metric math", () => {
    const a = alarm(devBuilt.json, "ls-dev-alb-5xx");
    expect(a.threshold).toBe(t.alb5xxCount);
    const byId = Object.fromEntries(a.metric_query.map((q: Json) => [q.id, q]));
    expect(byId.elb.metric).toMatchObject({ metric_name: "HTTPCode_ELB_5XX_Count", dimensions: { LoadBalancer: ALB } });
    expect(byId.target.metric).toMatchObject({ metric_name: "HTTPCode_Target_5XX_Count", dimensions: { LoadBalancer: ALB, TargetGroup: TG } });
    expect(byId.total).toMatchObject({ expression: "FILL(elb, 0) + FILL(target, 0)", return_data: true });
  });

  test("pod restarts: one Metrics Insights query over the langsmith namespace of this cluster", () => {
    const a = alarm(devBuilt.json, "ls-dev-langsmith-pod-restarts");
    expect(a.threshold).toBe(t.podRestarts);
    expect(a.metric_query).toHaveLength(1);
    expect(a.metric_query[0].expression).toContain("FROM SCHEMA(ContainerInsights, ClusterName, Namespace, PodName)");
    expect(a.metric_query[0].expression).toContain("WHERE ClusterName = 'ls-dev-eks' AND Namespace = 'langsmith'");
  });

  test("every alarm notifies the topic on ALARM and OK", () => {
    const all = resources(devBuilt.json, "aws_cloudwatch_metric_alarm").map(([, a]) => a);
    expect(all.length).toBe(devBuilt.obs.alarmNames.length);
    for (const a of all) {
      expect(a.alarm_actions).toHaveLength(1);
      expect(a.ok_actions).toEqual(a.alarm_actions);
      expect(a.alarm_description.length).toBeGreaterThan(20);
    }
  });

  test("thresholds come from observability.thresholds", () => {
    const { json } = build(envWith("dev", { observability: { thresholds: { rdsCpuPercent: 42, alb5xxCount: 7 } } }));
    expect(alarm(json, "ls-dev-rds-cpu").threshold).toBe(42);
    expect(alarm(json, "ls-dev-alb-5xx").threshold).toBe(7);
  });

  test("an Aurora cluster is watched by DBClusterIdentifier and has no free-storage alarm", () => {
    const { json, obs } = build(dev, { database: { identifier: "ls-dev-aurora", kind: "cluster" } });
    expect(alarm(json, "ls-dev-rds-cpu").dimensions).toEqual({ DBClusterIdentifier: "ls-dev-aurora" });
    expect(obs.alarmNames).not.toContain("ls-dev-rds-free-storage");
  });

  test.each([
    [0, ["ls-dev-redis-001"]],
    [2, ["ls-dev-redis-001", "ls-dev-redis-002", "ls-dev-redis-003"]],
  ])("redis.replicas %i: memory, evictions and engine CPU alarms on each member %j", (replicas, members) => {
    const { json } = build(envWith("dev", { redis: { replicas } }));
    const redisAlarms = resources(json, "aws_cloudwatch_metric_alarm").filter(([, a]) => a.namespace === "AWS/ElastiCache");
    expect(redisAlarms).toHaveLength(3 * members.length);
    expect([...new Set(redisAlarms.map(([, a]) => a.dimensions.CacheClusterId))].sort()).toEqual(members);
  });
});

describe("health endpoint", () => {
  test("public exposure: an HTTPS Route 53 health check of the hostname's /health", () => {
    const hc = resource(devBuilt.json, "aws_route53_health_check");
    expect(hc).toMatchObject({ fqdn: dev.dns.hostname, type: "HTTPS", port: 443, resource_path: "/health", enable_sni: true });
  });

  test("outside us-east-1 its alarm, topic and key live in us-east-1 (the only region with Route 53 metrics)", () => {
    const a = alarm(devBuilt.json, "ls-dev-health-check");
    expect(a).toMatchObject({ namespace: "AWS/Route53", metric_name: "HealthCheckStatus", provider: "aws.us_east_1", comparison_operator: "LessThanThreshold" });
    const globalTopic = resource(devBuilt.json, "aws_sns_topic", "alarms-us-east-1-topic");
    expect(globalTopic.provider).toBe("aws.us_east_1");
    expect(a.alarm_actions[0]).toContain("alarms-us-east-1-topic");
    expect(resource(devBuilt.json, "aws_kms_key", "alarms-us-east-1-key").provider).toBe("aws.us_east_1");
  });

  test("in us-east-1 the alarm uses the environment's own topic", () => {
    const prod = envWith("prod");
    const { json } = build(prod, {}, false);
    const a = alarm(json, "ls-prod-health-check");
    expect(a.provider).toBeUndefined();
    expect(a.alarm_actions[0]).toMatch(/aws_sns_topic\.obs_alarms-topic_/);
    expect(resources(json, "aws_sns_topic")).toHaveLength(1);
  });

  test("without a us-east-1 provider elsewhere: the check exists, no alarm, and a warning says why", () => {
    const { json, obs } = build(dev, {}, false);
    expect(resources(json, "aws_route53_health_check")).toHaveLength(1);
    expect(obs.alarmNames).not.toContain("ls-dev-health-check");
    const warnings = obs.node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => String(m.data));
    expect(warnings.join("\n")).toMatch(/only in us-east-1; pass usEast1Provider/);
  });

  test("private exposure: no Route 53 health check (checkers cannot reach an internal ALB)", () => {
    const { json, obs } = build(envWith("dev", { exposure: "private" }));
    expect(resources(json, "aws_route53_health_check")).toHaveLength(0);
    expect(obs.healthCheckId).toBeUndefined();
    expect(obs.alarmNames).toContain("ls-dev-alb-no-healthy-targets");
  });
});

describe("container logs", () => {
  test.each(["application", "dataplane", "host", "performance"])("log group %s is pre-created with retention and KMS", (kind) => {
    const g = resource(devBuilt.json, "aws_cloudwatch_log_group", `log-group-${kind}`);
    expect(g).toMatchObject({
      name: `/aws/containerinsights/ls-dev-eks/${kind}`,
      retention_in_days: dev.observability.logRetentionDays,
      kms_key_id: `arn:aws:kms:us-west-2:${dev.aws.accountId}:key/logs`,
    });
  });

  test("the amazon-cloudwatch-observability add-on is pinned, uses its IRSA role and waits for the log groups", () => {
    const addon = resource(devBuilt.json, "aws_eks_addon");
    expect(addon).toMatchObject({ addon_name: "amazon-cloudwatch-observability", addon_version: EKS_ADDONS.cloudwatchObservability, cluster_name: "ls-dev-eks" });
    expect(addon.service_account_role_arn).toMatch(/aws_iam_role\.obs_cloudwatch-agent_role_.*\.arn/);
    const groups = resources(devBuilt.json, "aws_cloudwatch_log_group").map(([n]) => `aws_cloudwatch_log_group.${n}`);
    expect(addon.depends_on).toEqual(expect.arrayContaining(groups));
  });

  test("the agent role trusts exactly amazon-cloudwatch:cloudwatch-agent; no AWS-managed policy (CloudWatchAgentServerPolicy writes every log group)", () => {
    const trust = JSON.parse(resource(devBuilt.json, "aws_iam_role", "cloudwatch-agent").assume_role_policy);
    expect(trust.Statement[0].Condition.StringEquals["oidc.eks.us-west-2.amazonaws.com/id/ABC:sub"]).toBe("system:serviceaccount:amazon-cloudwatch:cloudwatch-agent");
    expect(resources(devBuilt.json, "aws_iam_role_policy_attachment")).toEqual([]);
  });

  test("the agent writes only this cluster's Container Insights log groups (and Application Signals'), never sets retention, reads no SSM parameter", () => {
    const statements = JSON.parse(resource(devBuilt.json, "aws_iam_role_policy", "cloudwatch-agent").policy).Statement as Json[];
    const logs = `arn:aws:logs:us-west-2:${dev.aws.accountId}:log-group:`;
    const writes = statements.filter((s) => [s.Action].flat().some((a: string) => /^logs:(Create|Put)/.test(a)));
    expect(writes).toEqual([
      expect.objectContaining({
        Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
        Resource: [`${logs}/aws/containerinsights/ls-dev-eks/*`, `${logs}/aws/application-signals/data`, `${logs}/aws/application-signals/data:*`],
      }),
    ]);
    const actions = statements.flatMap((s) => [s.Action].flat());
    expect(actions).not.toContain("logs:PutRetentionPolicy");
    expect(actions.filter((a: string) => a.startsWith("ssm:") || a.startsWith("logs:*"))).toEqual([]);
    // `*` only where the action has no resource-level permission.
    const star = statements.filter((s) => s.Resource === "*").flatMap((s) => [s.Action].flat());
    expect(star.filter((a: string) => !/^(cloudwatch:PutMetricData|ec2:Describe\w+|xray:\w+)$/.test(a))).toEqual([]);
  });

  test("retention follows observability.logRetentionDays", () => {
    const { json } = build(envWith("dev", { observability: { logRetentionDays: 7 } }));
    resources(json, "aws_cloudwatch_log_group").forEach(([, g]) => expect(g.retention_in_days).toBe(7));
  });
});

describe("dashboard", () => {
  const body = JSON.parse(resource(devBuilt.json, "aws_cloudwatch_dashboard").dashboard_body);
  const metricNames = (body.widgets as Json[])
    .filter((w) => w.type === "metric")
    .flatMap((w) => w.properties.metrics.map((m: unknown[]) => `${m[0]}/${m[1]}`));

  test.each([
    "AWS/ApplicationELB/HTTPCode_Target_5XX_Count",
    "AWS/ApplicationELB/TargetResponseTime",
    "AWS/ApplicationELB/UnHealthyHostCount",
    "AWS/RDS/CPUUtilization",
    "AWS/RDS/FreeStorageSpace",
    "AWS/RDS/DatabaseConnections",
    "AWS/ElastiCache/DatabaseMemoryUsagePercentage",
    "AWS/ElastiCache/Evictions",
    "AWS/ElastiCache/EngineCPUUtilization",
    "ContainerInsights/cluster_failed_node_count",
    "ContainerInsights/node_cpu_utilization",
    "AWS/Route53/HealthCheckStatus",
  ])("graphs %s", (m) => expect(metricNames).toContain(m));

  test("the Route 53 widget reads us-east-1; the others the environment's region", () => {
    const widgets = (body.widgets as Json[]).filter((w) => w.type === "metric");
    const r53 = widgets.find((w) => w.properties.metrics[0][0] === "AWS/Route53");
    expect(r53?.properties.region).toBe("us-east-1");
    widgets.filter((w) => w !== r53).forEach((w) => expect(w.properties.region).toBe("us-west-2"));
  });

  test("the alarm widget lists the alarms of the environment's region", () => {
    const alarms = (body.widgets as Json[]).find((w) => w.type === "alarm")?.properties.alarms as string[];
    expect(alarms).toHaveLength(devBuilt.obs.alarmNames.length - 1); // the us-east-1 health-check alarm cannot be listed
  });

  test("a log widget queries LangSmith errors in the application log group", () => {
    const log = (body.widgets as Json[]).find((w) => w.type === "log");
    expect(log?.properties.query).toContain("SOURCE '/aws/containerinsights/ls-dev-eks/application'");
    expect(log?.properties.query).toContain("kubernetes.namespace_name = 'langsmith'");
  });
});
