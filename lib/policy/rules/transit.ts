/** Encryption in transit (reference architecture section 10: "TLS enabled"). */
import type { PolicyResource, RuleContext } from "../types";
import { block, blocks, isTrue, policyStatements, unresolved } from "../values";
import { ALL_TIERS, each, rule } from "./rule";

/** ALB security policies that allow only TLS 1.2 and newer. */
const TLS12_POLICY = /^ELBSecurityPolicy-(TLS13-1-[23]-|TLS-1-2-|FS-1-2-)/;

/** A statement that denies requests made without TLS (`aws:SecureTransport = false`). */
function deniesInsecureTransport(policy: unknown): boolean | undefined {
  const statements = policyStatements(policy);
  if (!statements) return undefined;
  return statements.some((s) => {
    if (s.Effect !== "Deny") return false;
    const bool = s.Condition.Bool ?? {};
    return [bool["aws:SecureTransport"]].flat().some((v) => v === false || v === "false");
  });
}

/** The parameter group a database uses, and whether it sets rds.force_ssl = 1. */
function forceSsl(ctx: RuleContext, db: PolicyResource, attr: string, groupType: string): "on" | "off" | "default" | "unknown" {
  const name = db.values[attr];
  if (name === undefined || name === null || (typeof name === "string" && name.startsWith("default."))) return "default";
  const group = ctx.resolve(name, groupType);
  if (!group) return "unknown";
  if (unresolved(group.values.parameter)) return "unknown";
  const p = blocks(group.values.parameter).find((x) => x.name === "rds.force_ssl");
  if (!p) return "off";
  return String(p.value) === "1" ? "on" : unresolved(p.value) ? "unknown" : "off";
}

export const TRANSIT_RULES = [
  rule({
    id: "LS-TLS-001",
    title: "ElastiCache replication groups encrypt traffic in transit",
    severity: "high",
    tiers: ALL_TIERS,
    rationale: "Without TLS, Redis commands (and IAM auth tokens) cross the VPC in clear text; IAM auth requires TLS.",
    source: "AWS FSBP ElastiCache.5",
    check: (ctx, fail) =>
      each(ctx, ["aws_elasticache_replication_group"], (r) =>
        isTrue(r.values.transit_encryption_enabled) || unresolved(r.values.transit_encryption_enabled)
          ? undefined
          : fail(r, "Redis accepts unencrypted connections (transit_encryption_enabled is not true)", "set transit_encryption_enabled = true (and transit_encryption_mode = \"required\")"),
      ),
  }),
  rule({
    id: "LS-TLS-002",
    title: "PostgreSQL forces TLS (rds.force_ssl = 1 in its parameter group)",
    severity: "high",
    tiers: ALL_TIERS,
    rationale: "Clients default to sslmode=prefer and silently fall back to clear text unless the server refuses it.",
    source: "AWS Config rds-postgres-instance-encrypted-in-transit; reference architecture section 10",
    check: (ctx, fail) => [
      ...each(ctx, ["aws_db_instance"], (r) => {
        if (r.values.engine !== "postgres") return undefined;
        const state = forceSsl(ctx, r, "parameter_group_name", "aws_db_parameter_group");
        return state === "on" || state === "unknown"
          ? undefined
          : fail(r, state === "default" ? "database uses a default parameter group (rds.force_ssl not set explicitly)" : "the database's parameter group does not set rds.force_ssl = 1", 'use an aws_db_parameter_group with parameter { name = "rds.force_ssl", value = "1" }');
      }),
      ...each(ctx, ["aws_rds_cluster"], (r) => {
        if (r.values.engine !== "aurora-postgresql") return undefined;
        const state = forceSsl(ctx, r, "db_cluster_parameter_group_name", "aws_rds_cluster_parameter_group");
        return state === "on" || state === "unknown"
          ? undefined
          : fail(r, state === "default" ? "cluster uses a default cluster parameter group (rds.force_ssl not set explicitly)" : "the cluster's parameter group does not set rds.force_ssl = 1", 'use an aws_rds_cluster_parameter_group with parameter { name = "rds.force_ssl", value = "1" }');
      }),
    ],
  }),
  rule({
    id: "LS-TLS-003",
    title: "HTTP listeners only redirect to HTTPS",
    severity: "high",
    tiers: ALL_TIERS,
    rationale: "Anything served over plain HTTP (logins, API keys in headers) can be read and altered on the way.",
    source: "AWS FSBP ELB.1",
    check: (ctx, fail) =>
      each(ctx, ["aws_lb_listener", "aws_alb_listener"], (r) => {
        const protocol = r.values.protocol ?? "HTTP";
        if (protocol !== "HTTP") return undefined;
        const actions = blocks(r.values.default_action);
        const redirects = actions.length > 0 && actions.every((a) => a.type === "redirect" && block(a.redirect)?.protocol === "HTTPS");
        return redirects ? undefined : fail(r, "HTTP listener serves traffic instead of redirecting to HTTPS", 'make its default_action { type = "redirect", redirect { protocol = "HTTPS", port = "443", status_code = "HTTP_301" } }');
      }),
  }),
  rule({
    id: "LS-TLS-004",
    title: "HTTPS/TLS listeners use a TLS 1.2+ security policy",
    severity: "high",
    tiers: ALL_TIERS,
    rationale: "Without an explicit policy the ALB uses ELBSecurityPolicy-2016-08, which still accepts TLS 1.0 and 1.1.",
    source: "AWS FSBP ELB.17",
    check: (ctx, fail) =>
      each(ctx, ["aws_lb_listener", "aws_alb_listener"], (r) => {
        if (!["HTTPS", "TLS"].includes(String(r.values.protocol))) return undefined;
        const policy = r.values.ssl_policy;
        if (unresolved(policy) || (typeof policy === "string" && TLS12_POLICY.test(policy))) return undefined;
        return fail(r, `listener allows TLS older than 1.2 (ssl_policy ${policy ? policy : "unset, so ELBSecurityPolicy-2016-08"})`, "set ssl_policy from ingress.sslPolicy, e.g. ELBSecurityPolicy-TLS13-1-2-2021-06");
      }),
  }),
  rule({
    id: "LS-TLS-005",
    title: "S3 bucket policies deny requests without TLS",
    severity: "high",
    tiers: ALL_TIERS,
    rationale: "S3 accepts plain HTTP unless the bucket policy refuses aws:SecureTransport = false.",
    source: "AWS FSBP S3.5",
    check: (ctx, fail) =>
      each(ctx, ["aws_s3_bucket"], (r) => {
        // The bucket's own (legacy) `policy` counts only where it is written out; in a plan it is computed.
        const inline = policyStatements(r.values.policy) ? [r.values.policy] : [];
        const policies = [...ctx.pointingAt(r, "aws_s3_bucket_policy", "bucket").map((p) => p.values.policy), ...inline];
        const verdicts = policies.map(deniesInsecureTransport);
        if (verdicts.some((v) => v !== false)) return undefined;
        return fail(r, policies.length === 0 ? "S3 bucket has no bucket policy denying non-TLS requests" : "S3 bucket policy does not deny non-TLS requests", 'add a statement { Effect = "Deny", Principal = "*", Action = "s3:*", Resource = [bucket arn, "<arn>/*"], Condition = { Bool = { "aws:SecureTransport" = "false" } } }');
      }),
  }),
];
