/** Nodes (IMDSv2), logging and retention, backups and deletion protection. */
import { block, blocks, isSet, isTrue, list, unresolved } from "../values";
import { ALL_TIERS, each, PRODUCTION, rule } from "./rule";

const trueOrUnknown = (v: unknown) => isTrue(v) || unresolved(v);

const CONTROL_PLANE_LOGS = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

/** Why a launch template's metadata options fall short of IMDSv2-only with hop limit <= 2, if they do. */
function imdsProblem(options: Record<string, unknown> | undefined): string | undefined {
  if (!options || (options.http_tokens !== "required" && !unresolved(options.http_tokens))) return "does not require IMDSv2 (metadata_options.http_tokens is not \"required\")";
  const hops = options.http_put_response_hop_limit;
  if (hops === undefined || hops === null) return "leaves the IMDS hop limit to the AMI default (set http_put_response_hop_limit = 1)";
  if (!unresolved(hops) && Number(hops) > 1) return `lets IMDS responses travel ${hops} hops (pods on the pod network reach the node role's credentials)`;
  return undefined;
}

/** Pod Security levels from the least to the most restrictive. */
const PSS_ORDER = ["privileged", "baseline", "restricted"];

export const NODE_RULES = [
  rule({
    id: "LS-NODE-001",
    title: "Nodes require IMDSv2 with a hop limit of 1 (node groups use launch templates)",
    severity: "high",
    tiers: ALL_TIERS,
    rationale:
      "IMDSv1 answers any SSRF with the node role's credentials; IMDSv2 needs a session token a forwarded request cannot get. With a hop limit of 2 every pod on the pod network still gets that token and the node role's credentials; 1 keeps IMDS to the node and host-network pods (add-ons get their region and VPC explicitly).",
    source: "AWS FSBP EC2.8, EC2.170; EKS Best Practices Guide (restrict access to the instance profile)",
    check: (ctx, fail) => [
      ...each(ctx, ["aws_eks_node_group"], (r) =>
        block(r.values.launch_template) || unresolved(r.values.launch_template)
          ? undefined
          : fail(r, "node group has no launch template, so IMDS settings are EKS defaults", "give the node group a launch template with metadata_options { http_tokens = \"required\", http_put_response_hop_limit = 1 }"),
      ),
      ...each(ctx, ["aws_launch_template", "aws_instance"], (r) => {
        const problem = imdsProblem(block(r.values.metadata_options));
        return problem ? fail(r, `${r.type === "aws_instance" ? "instance" : "launch template"} ${problem}`, 'set metadata_options { http_endpoint = "enabled", http_tokens = "required", http_put_response_hop_limit = 1 }') : undefined;
      }),
    ],
  }),
  rule({
    id: "LS-NODE-002",
    title: "Namespaces Terraform creates enforce Pod Security baseline or stricter",
    severity: "high",
    tiers: ALL_TIERS,
    rationale:
      "Without an enforce label any pod with namespace access can run privileged, share the node's network or PID namespace or mount the host: a path from one compromised workload to the node and every secret on it.",
    source: "Kubernetes Pod Security Standards; CIS EKS Benchmark 4.2 (pod security policies)",
    check: (ctx, fail) =>
      each(ctx, ["kubernetes_namespace_v1", "kubernetes_namespace"], (r) => {
        const labels = block(r.values.metadata)?.labels;
        if (unresolved(labels)) return undefined;
        const level = (labels as Record<string, unknown> | undefined)?.["pod-security.kubernetes.io/enforce"];
        return PSS_ORDER.indexOf(String(level)) >= 1
          ? undefined
          : fail(r, `namespace does not enforce Pod Security baseline (enforce label: ${level ?? "none"})`, "add labels from podSecurityLabels() (lib/pod-security.ts): enforce restricted");
      }),
  }),
];

export const LOGGING_RULES = [
  rule({
    id: "LS-LOG-001",
    title: "EKS sends all control-plane log types to CloudWatch",
    severity: "high",
    tiers: ALL_TIERS,
    rationale: "Audit and authenticator logs are the only record of who did what through the Kubernetes API.",
    source: "CIS EKS Benchmark 2.1.1; AWS FSBP EKS.8",
    check: (ctx, fail) =>
      each(ctx, ["aws_eks_cluster"], (r) => {
        if (unresolved(r.values.enabled_cluster_log_types)) return undefined;
        const missing = CONTROL_PLANE_LOGS.filter((t) => !list(r.values.enabled_cluster_log_types).includes(t));
        return missing.length === 0 ? undefined : fail(r, `EKS control-plane logs missing: ${missing.join(", ")}`, `set enabled_cluster_log_types = ${JSON.stringify(CONTROL_PLANE_LOGS)}`);
      }),
  }),
  rule({
    id: "LS-LOG-002",
    title: "Every VPC has flow logs of all traffic",
    severity: "high",
    tiers: ALL_TIERS,
    rationale: "Flow logs are the evidence for network investigations and for verifying the isolation rules.",
    source: "AWS FSBP EC2.6; CIS AWS Foundations 3.9",
    check: (ctx, fail) =>
      each(ctx, ["aws_vpc"], (r) =>
        ctx.pointingAt(r, "aws_flow_log", "vpc_id").some((f) => f.values.traffic_type === "ALL" || unresolved(f.values.traffic_type))
          ? undefined
          : fail(r, "VPC has no flow log of ALL traffic", 'add aws_flow_log { vpc_id = <vpc>.id, traffic_type = "ALL" } to a KMS-encrypted log group (the network module does)'),
      ),
  }),
  rule({
    id: "LS-LOG-003",
    title: "Log groups have a retention period",
    severity: "medium",
    tiers: ALL_TIERS,
    rationale: "Without retention, logs are kept (and billed) forever; the retention is an explicit, per-environment decision.",
    source: "AWS FSBP CloudWatch.16",
    check: (ctx, fail) =>
      each(ctx, ["aws_cloudwatch_log_group"], (r) => {
        const days = r.values.retention_in_days;
        return isSet(days) && Number(days) !== 0 ? undefined : fail(r, "log group keeps logs forever (retention_in_days unset or 0)", "set retention_in_days from the environment (e.g. observability.logRetentionDays)");
      }),
  }),
  rule({
    id: "LS-LOG-004",
    title: "Application load balancers write access logs (production)",
    severity: "medium",
    tiers: PRODUCTION,
    rationale: "Access logs are the request-level record for incident response and WAF tuning.",
    source: "AWS FSBP ELB.5",
    check: (ctx, fail) =>
      each(ctx, ["aws_lb", "aws_alb"], (r) => {
        if ((r.values.load_balancer_type ?? "application") !== "application") return undefined;
        const logs = block(r.values.access_logs);
        return logs && trueOrUnknown(logs.enabled) && isSet(logs.bucket) ? undefined : fail(r, "load balancer writes no access logs", "set access_logs { enabled = true, bucket = <access-log bucket> } (ingress.accessLogs)");
      }),
  }),
  rule({
    id: "LS-LOG-005",
    title: "WAF web ACLs log requests",
    severity: "medium",
    tiers: ALL_TIERS,
    rationale: "Without logs, blocked and rate-limited requests cannot be investigated or the rules tuned.",
    source: "AWS FSBP WAF.11",
    check: (ctx, fail) =>
      each(ctx, ["aws_wafv2_web_acl"], (r) =>
        ctx.pointingAt(r, "aws_wafv2_web_acl_logging_configuration", "resource_arn").length > 0
          ? undefined
          : fail(r, "web ACL has no logging configuration", "add aws_wafv2_web_acl_logging_configuration { resource_arn = <acl>.arn, log_destination_configs = [<aws-waf-logs-* log group arn>] }"),
      ),
  }),
  rule({
    id: "LS-LOG-006",
    title: "PostgreSQL exports its logs to CloudWatch",
    severity: "medium",
    tiers: ALL_TIERS,
    rationale: "Connection failures, slow queries and errors are otherwise visible only in the RDS console, briefly.",
    source: "AWS FSBP RDS.36, RDS.37",
    check: (ctx, fail) =>
      each(ctx, ["aws_db_instance", "aws_rds_cluster"], (r) => {
        if (!["postgres", "aurora-postgresql"].includes(String(r.values.engine))) return undefined;
        const exports = r.values.enabled_cloudwatch_logs_exports;
        return unresolved(exports) || list(exports).includes("postgresql") ? undefined : fail(r, "database does not export its postgresql log", 'set enabled_cloudwatch_logs_exports = ["postgresql"]');
      }),
  }),
  rule({
    id: "LS-LOG-008",
    title: "Production log groups keep logs at least 365 days",
    severity: "medium",
    tiers: PRODUCTION,
    rationale: "An incident is often found months later: application, WAF, database, VPC and control-plane logs must cover a year (development may keep less).",
    source: "AWS FSBP CloudWatch.16 (retention of at least 365 days); CIS AWS Foundations Benchmark (log retention)",
    check: (ctx, fail) =>
      each(ctx, ["aws_cloudwatch_log_group"], (r) => {
        const days = r.values.retention_in_days;
        if (!isSet(days) || unresolved(days) || Number(days) === 0) return undefined;
        return Number(days) >= 365 ? undefined : fail(r, `production log group keeps logs ${days} days (fewer than 365)`, "set observability.logRetentionDays (and the flow-log / control-plane retentions) to 365 or more");
      }),
  }),
  rule({
    id: "LS-LOG-007",
    title: "PostgreSQL parameter groups log connections and disconnections",
    severity: "low",
    tiers: ALL_TIERS,
    rationale: "Without log_connections/log_disconnections the exported log cannot say who connected from where, or how long a session lasted.",
    source: "CIS PostgreSQL Benchmark 3.1.20, 3.1.21; AWS FSBP RDS (PostgreSQL logging)",
    check: (ctx, fail) =>
      each(ctx, ["aws_db_parameter_group", "aws_rds_cluster_parameter_group"], (r) => {
        if (!/postgres/.test(String(r.values.family))) return undefined;
        if (unresolved(r.values.parameter)) return undefined;
        const set = new Map(blocks(r.values.parameter).map((p) => [String(p.name), String(p.value)]));
        const missing = ["log_connections", "log_disconnections"].filter((n) => set.get(n) !== "1");
        return missing.length === 0 ? undefined : fail(r, `PostgreSQL parameter group does not set ${missing.join(", ")} = 1`, "add parameter { name = \"log_connections\", value = \"1\" } and log_disconnections likewise");
      }),
  }),
];

/** Minimum automated-backup retention per tier (agrees with lib/config/rules.ts). */
const MIN_BACKUP_DAYS = { development: 7, production: 14 } as const;

export const BACKUP_RULES = [
  rule({
    id: "LS-BAK-001",
    title: "Databases keep automated backups (7 days; production 14)",
    severity: "high",
    tiers: ALL_TIERS,
    rationale: "Point-in-time recovery is the only undo for a bad migration or a deleted organisation.",
    source: "AWS FSBP RDS.11; reference architecture section 6",
    check: (ctx, fail) =>
      each(ctx, ["aws_db_instance", "aws_rds_cluster"], (r) => {
        const days = r.values.backup_retention_period;
        if (unresolved(days) || (r.type === "aws_db_instance" && isSet(r.values.replicate_source_db))) return undefined;
        const min = MIN_BACKUP_DAYS[ctx.tier];
        return isSet(days) && Number(days) >= min ? undefined : fail(r, `backup_retention_period is ${isSet(days) ? days : "unset"}, below ${min} days for tier ${ctx.tier}`, `set backup_retention_period >= ${min} (postgres.backupRetentionDays)`);
      }),
  }),
  rule({
    id: "LS-BAK-002",
    title: "Databases, tables, buckets and KMS keys resist deletion: deletion protection, no force_destroy, 30-day key window (production)",
    severity: "high",
    tiers: PRODUCTION,
    rationale: "A stray `terraform destroy` or console click must fail (or stay recoverable) instead of deleting production data.",
    source: "AWS FSBP RDS.7, RDS.8, DynamoDB.6; AWS KMS (deletion waiting period)",
    check: (ctx, fail) => [
      ...each(ctx, ["aws_db_instance", "aws_rds_cluster"], (r) =>
        trueOrUnknown(r.values.deletion_protection) ? undefined : fail(r, "database has no deletion protection", "set deletion_protection = true (postgres.deletionProtection)"),
      ),
      ...each(ctx, ["aws_dynamodb_table"], (r) =>
        trueOrUnknown(r.values.deletion_protection_enabled) ? undefined : fail(r, "table has no deletion protection", "set deletion_protection_enabled = true"),
      ),
      ...each(ctx, ["aws_s3_bucket"], (r) =>
        isTrue(r.values.force_destroy) ? fail(r, "bucket has force_destroy, so a destroy deletes every object", "remove force_destroy") : undefined,
      ),
      ...each(ctx, ["aws_kms_key"], (r) => {
        const days = r.values.deletion_window_in_days;
        return isSet(days) && !unresolved(days) && Number(days) < 30
          ? fail(r, `key can be deleted ${days} days after scheduling (production keeps the 30-day maximum)`, "set deletion_window_in_days = 30 (CustomerManagedKey's default)")
          : undefined;
      }),
    ],
  }),
  rule({
    id: "LS-BAK-003",
    title: "Databases take a final snapshot when deleted (production)",
    severity: "high",
    tiers: PRODUCTION,
    rationale: "The final snapshot is the last copy of the data after a deletion.",
    source: "Reference architecture section 6 (production deletion safeguards)",
    check: (ctx, fail) =>
      each(ctx, ["aws_db_instance", "aws_rds_cluster"], (r) =>
        !isTrue(r.values.skip_final_snapshot) && isSet(r.values.final_snapshot_identifier)
          ? undefined
          : fail(r, "database is deleted without a final snapshot", "set skip_final_snapshot = false and final_snapshot_identifier (postgres.finalSnapshot)"),
      ),
  }),
  rule({
    id: "LS-BAK-004",
    title: "ElastiCache keeps automatic snapshots",
    severity: "medium",
    tiers: ALL_TIERS,
    rationale: "Snapshots let Redis (queues in flight) be restored after a failure or a bad change.",
    source: "AWS FSBP ElastiCache.1",
    check: (ctx, fail) =>
      each(ctx, ["aws_elasticache_replication_group"], (r) => {
        const days = r.values.snapshot_retention_limit;
        return unresolved(days) || (isSet(days) && Number(days) >= 1) ? undefined : fail(r, "Redis keeps no automatic snapshots", "set snapshot_retention_limit >= 1 (redis.snapshotRetentionDays)");
      }),
  }),
  rule({
    id: "LS-BAK-005",
    title: "S3 buckets are versioned",
    severity: "medium",
    tiers: ALL_TIERS,
    rationale: "Versioning turns an overwrite or delete (including of Terraform state) into a recoverable event.",
    source: "AWS FSBP S3.14",
    check: (ctx, fail) =>
      each(ctx, ["aws_s3_bucket"], (r) => {
        const viaResource = ctx
          .pointingAt(r, "aws_s3_bucket_versioning", "bucket")
          .some((v) => ["Enabled"].includes(block(v.values.versioning_configuration)?.status) || unresolved(block(v.values.versioning_configuration)?.status));
        const inline = blocks(r.values.versioning).some((v) => isTrue(v.enabled));
        return viaResource || inline ? undefined : fail(r, "S3 bucket is not versioned", 'add aws_s3_bucket_versioning { versioning_configuration { status = "Enabled" } } and a noncurrent-version expiry');
      }),
  }),
  rule({
    id: "LS-BAK-006",
    title: "DynamoDB tables have point-in-time recovery",
    severity: "medium",
    tiers: ALL_TIERS,
    rationale: "PITR restores the table to any second of the last 35 days.",
    source: "AWS FSBP DynamoDB.2",
    check: (ctx, fail) =>
      each(ctx, ["aws_dynamodb_table"], (r) =>
        trueOrUnknown(block(r.values.point_in_time_recovery)?.enabled) ? undefined : fail(r, "table has no point-in-time recovery", "set point_in_time_recovery { enabled = true }"),
      ),
  }),
  rule({
    id: "LS-BAK-007",
    title: "Load balancers have deletion protection (production)",
    severity: "low",
    tiers: PRODUCTION,
    rationale: "Recreating the ALB changes its DNS name and drops every connection.",
    source: "AWS FSBP ELB.6",
    check: (ctx, fail) =>
      each(ctx, ["aws_lb", "aws_alb"], (r) =>
        trueOrUnknown(r.values.enable_deletion_protection) ? undefined : fail(r, "load balancer has no deletion protection", "set enable_deletion_protection = true"),
      ),
  }),
];

