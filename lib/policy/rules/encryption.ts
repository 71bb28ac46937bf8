/** Encryption at rest (reference architecture section 10: "no plaintext secrets"; AWS FSBP). */
import type { PolicyResource, RuleContext } from "../types";
import { block, blocks, isSet, isTrue, list, pointsAt, policyStatements, unresolved } from "../values";
import { ALL_TIERS, each, rule } from "./rule";

const KMS_ALGORITHMS = ["aws:kms", "aws:kms:dsse"];

/** `true`, or a reference that only apply can resolve: neither is a violation. */
const trueOrUnknown = (v: unknown) => isTrue(v) || unresolved(v);

/** The SSE algorithm a bucket ends up with: from a separate configuration resource, or the legacy inline block. */
function bucketAlgorithms(ctx: RuleContext, bucket: PolicyResource): unknown[] {
  const fromConfig = ctx
    .pointingAt(bucket, "aws_s3_bucket_server_side_encryption_configuration", "bucket")
    .flatMap((c) => blocks(c.values.rule))
    .map((r) => block(r.apply_server_side_encryption_by_default)?.sse_algorithm);
  const inline = blocks(bucket.values.server_side_encryption_configuration)
    .flatMap((c) => blocks(c.rule))
    .map((r) => block(r.apply_server_side_encryption_by_default)?.sse_algorithm);
  return [...fromConfig, ...inline];
}

export const ENCRYPTION_RULES = [
  rule({
    id: "LS-ENC-001",
    title: "EKS encrypts Kubernetes secrets with a KMS key (envelope encryption)",
    severity: "critical",
    tiers: ALL_TIERS,
    rationale: "Secrets in etcd are otherwise readable by anyone with access to etcd or its backups.",
    source: "CIS EKS Benchmark 5.3.1; AWS FSBP EKS.3",
    check: (ctx, fail) =>
      each(ctx, ["aws_eks_cluster"], (r) => {
        if (unresolved(r.values.encryption_config)) return undefined;
        const ok = blocks(r.values.encryption_config).some(
          (e) => (list(e.resources).includes("secrets") || unresolved(e.resources)) && isSet(block(e.provider)?.key_arn),
        );
        return ok
          ? undefined
          : fail(r, "EKS cluster does not encrypt Kubernetes secrets with a KMS key", 'add encryption_config { resources = ["secrets"], provider { key_arn = <CustomerManagedKey>.keyArn } }');
      }),
  }),
  rule({
    id: "LS-ENC-002",
    title: "RDS instances and Aurora clusters have encrypted storage",
    severity: "critical",
    tiers: ALL_TIERS,
    rationale: "Database storage, snapshots and replicas inherit the encryption of the instance; it cannot be turned on later.",
    source: "AWS FSBP RDS.3, RDS.27",
    check: (ctx, fail) =>
      each(ctx, ["aws_db_instance", "aws_rds_cluster"], (r) =>
        trueOrUnknown(r.values.storage_encrypted)
          ? undefined
          : fail(r, "database storage is not encrypted (storage_encrypted is not true)", "set storage_encrypted = true and kms_key_id to a customer-managed key (this replaces an existing database: restore from an encrypted snapshot copy)"),
      ),
  }),
  rule({
    id: "LS-ENC-003",
    title: "ElastiCache replication groups are encrypted at rest",
    severity: "critical",
    tiers: ALL_TIERS,
    rationale: "Redis holds queued traces and sessions; its snapshots and swap must not be plaintext.",
    source: "AWS FSBP ElastiCache.4",
    check: (ctx, fail) =>
      each(ctx, ["aws_elasticache_replication_group"], (r) =>
        trueOrUnknown(r.values.at_rest_encryption_enabled)
          ? undefined
          : fail(r, "Redis data is not encrypted at rest (at_rest_encryption_enabled is not true)", "set at_rest_encryption_enabled = true and kms_key_id to a customer-managed key"),
      ),
  }),
  rule({
    id: "LS-ENC-004",
    title: "S3 buckets use SSE-KMS default encryption (ALB and S3 access-log buckets: SSE-S3)",
    severity: "critical",
    tiers: ALL_TIERS,
    rationale: "SSE-KMS adds key-policy control and CloudTrail records of every decrypt to the S3 default (SSE-S3).",
    source: "AWS FSBP S3.17; ELB access logs accept only SSE-S3 (ELB user guide, access log bucket requirements)",
    check: (ctx, fail) =>
      each(ctx, ["aws_s3_bucket"], (r) => {
        const algorithms = bucketAlgorithms(ctx, r);
        if (algorithms.some((a) => unresolved(a) || KMS_ALGORITHMS.includes(String(a)))) return undefined;
        // Load balancers cannot write access logs to an SSE-KMS bucket: there, an explicit SSE-S3 configuration is the requirement.
        // Likewise S3 server access logs (S3 user guide: the target bucket must not use SSE-KMS by default).
        const albLogs = ctx.ofType("aws_lb", "aws_alb").some((lb) => blocks(lb.values.access_logs).some((l) => pointsAt(l.bucket, r)));
        const s3Logs = ctx.ofType("aws_s3_bucket_logging").some((l) => pointsAt(l.values.target_bucket, r));
        if (albLogs || s3Logs) {
          const what = albLogs ? "ALB access-log bucket" : "S3 server access-log bucket";
          return algorithms.includes("AES256")
            ? undefined
            : fail(r, `${what} has no server-side encryption configuration`, 'add aws_s3_bucket_server_side_encryption_configuration with sse_algorithm = "AES256" (load balancers and S3 log delivery cannot write to SSE-KMS buckets)');
        }
        const fix = "add aws_s3_bucket_server_side_encryption_configuration for this bucket with sse_algorithm = \"aws:kms\", kms_master_key_id = <CMK arn>, bucket_key_enabled = true";
        return algorithms.length === 0
          ? fail(r, "S3 bucket has no server-side encryption configuration with a KMS key", fix)
          : fail(r, `S3 bucket is encrypted with ${algorithms.map(String).join(", ")}, not a KMS key`, fix);
      }),
  }),
  rule({
    id: "LS-ENC-005",
    title: "EBS volumes are encrypted (node launch templates, volumes, EBS StorageClasses)",
    severity: "high",
    tiers: ALL_TIERS,
    rationale: "Node root volumes hold container images, logs and emptyDir data; ClickHouse volumes hold all traces.",
    source: "AWS FSBP EC2.3, EC2.7; CIS EKS Benchmark 5.3 (encryption)",
    check: (ctx, fail) => [
      ...each(ctx, ["aws_launch_template"], (r) => {
        if (unresolved(r.values.block_device_mappings)) return undefined;
        const ebs = blocks(r.values.block_device_mappings).map((m) => block(m.ebs)).filter((e) => e !== undefined);
        if (ebs.length === 0) {
          return fail(r, "launch template does not define its root volume, so its encryption depends on the AMI and the account default", 'add block_device_mappings { device_name = "/dev/xvda", ebs { encrypted = "true", volume_type = "gp3" } }');
        }
        return ebs.some((e) => !trueOrUnknown(e?.encrypted))
          ? fail(r, "launch template has an unencrypted EBS volume", 'set ebs { encrypted = "true" } on every block_device_mappings entry')
          : undefined;
      }),
      ...each(ctx, ["aws_ebs_volume"], (r) =>
        trueOrUnknown(r.values.encrypted) ? undefined : fail(r, "EBS volume is not encrypted", "set encrypted = true and kms_key_id"),
      ),
      ...each(ctx, ["kubernetes_storage_class", "kubernetes_storage_class_v1"], (r) => {
        const provisioner = String(r.values.storage_provisioner ?? "");
        if (!["ebs.csi.aws.com", "kubernetes.io/aws-ebs"].includes(provisioner)) return undefined;
        const encrypted = r.values.parameters?.encrypted;
        return trueOrUnknown(encrypted) ? undefined : fail(r, "EBS StorageClass provisions unencrypted volumes", 'set parameters.encrypted = "true" (and kmsKeyId for a CMK)');
      }),
    ],
  }),
  rule({
    id: "LS-ENC-006",
    title: "CloudWatch log groups are encrypted with a KMS key",
    severity: "medium",
    tiers: ALL_TIERS,
    rationale: "Flow logs, control-plane and container logs reveal topology, identities and request data.",
    source: "Reference architecture section 10; CloudWatch Logs: encrypt log data with AWS KMS",
    check: (ctx, fail) =>
      each(ctx, ["aws_cloudwatch_log_group"], (r) =>
        isSet(r.values.kms_key_id) ? undefined : fail(r, "log group is not encrypted with a KMS key", "set kms_key_id to a key whose policy admits logs.<region>.amazonaws.com (CustomerManagedKey with logsServiceUse)"),
      ),
  }),
  rule({
    id: "LS-ENC-007",
    title: "Secrets Manager secrets use a customer-managed KMS key",
    severity: "high",
    tiers: ALL_TIERS,
    rationale: "With a CMK, the key policy (not only IAM) decides who can decrypt, and ESO's role can be scoped to that key.",
    source: "Reference architecture section 8 (secrets in Secrets Manager under a CMK)",
    check: (ctx, fail) =>
      each(ctx, ["aws_secretsmanager_secret"], (r) =>
        isSet(r.values.kms_key_id) ? undefined : fail(r, "secret is encrypted with the AWS-managed key aws/secretsmanager", "set kms_key_id to the environment's secrets CMK"),
      ),
  }),
  rule({
    id: "LS-ENC-008",
    title: "Symmetric KMS keys rotate automatically",
    severity: "high",
    tiers: ALL_TIERS,
    rationale: "Rotation limits the data protected by any one key version.",
    source: "AWS FSBP KMS.4; CIS AWS Foundations 3.6",
    check: (ctx, fail) =>
      each(ctx, ["aws_kms_key"], (r) => {
        const spec = r.values.customer_master_key_spec ?? "SYMMETRIC_DEFAULT";
        const usage = r.values.key_usage ?? "ENCRYPT_DECRYPT";
        if (spec !== "SYMMETRIC_DEFAULT" || usage !== "ENCRYPT_DECRYPT") return undefined;
        return trueOrUnknown(r.values.enable_key_rotation) ? undefined : fail(r, "KMS key does not rotate", "set enable_key_rotation = true (CustomerManagedKey does)");
      }),
  }),
  rule({
    id: "LS-ENC-009",
    title: "DynamoDB tables use KMS server-side encryption",
    severity: "medium",
    tiers: ALL_TIERS,
    rationale: "The lock table is part of the state's trust boundary; a CMK keeps it under the state key's policy.",
    source: "AWS FSBP DynamoDB (encryption at rest); reference architecture section 10",
    check: (ctx, fail) =>
      each(ctx, ["aws_dynamodb_table"], (r) =>
        trueOrUnknown(block(r.values.server_side_encryption)?.enabled)
          ? undefined
          : fail(r, "table is encrypted with an AWS-owned key", "add server_side_encryption { enabled = true, kms_key_arn = <CMK arn> }"),
      ),
  }),
  rule({
    id: "LS-ENC-010",
    title: "SNS topics are encrypted with a KMS key",
    severity: "medium",
    tiers: ALL_TIERS,
    rationale: "Alarm notifications name resources and can carry log excerpts.",
    source: "AWS FSBP SNS.1",
    check: (ctx, fail) =>
      each(ctx, ["aws_sns_topic"], (r) =>
        isSet(r.values.kms_master_key_id) ? undefined : fail(r, "SNS topic is not encrypted", "set kms_master_key_id to a CMK whose policy admits cloudwatch.amazonaws.com"),
      ),
  }),
  rule({
    id: "LS-ENC-012",
    title: "KMS key policies separate administration from use: no kms:* to a principal",
    severity: "medium",
    tiers: ALL_TIERS,
    rationale:
      "A key policy that gives the account kms:* lets every IAM principal with a kms:Decrypt grant on * decrypt directly; with administration (no Decrypt) and use (through the services that encrypt with the key, kms:ViaService) apart, a key admin cannot read the data and a leaked role cannot decrypt outside the service.",
    source: "AWS KMS best practices (least privilege, kms:ViaService; separate key administrators from users); AWS FSBP KMS.1/KMS.2",
    check: (ctx, fail) =>
      each(ctx, ["aws_kms_key"], (r) => {
        const statements = policyStatements(r.values.policy);
        if (!statements) return undefined;
        const broad = statements.findIndex((s) => s.Effect === "Allow" && s.Action.some((a) => a === "kms:*" || a === "*"));
        return broad < 0 ? undefined : fail(r, `key policy statement ${broad + 1} allows kms:* (administration and use together)`, "use CustomerManagedKey (modules/kms): admin actions without Decrypt, use only through kms:ViaService");
      }),
  }),
  rule({
    id: "LS-ENC-011",
    title: "The S3 state backend encrypts with the state CMK (encrypt and kms_key_id)",
    severity: "critical",
    tiers: ALL_TIERS,
    // The backend block is in the synthesized configuration; plan JSON does not carry it.
    views: ["synth"],
    rationale:
      "With encrypt = true and no kms_key_id, Terraform's S3 backend uploads with x-amz-server-side-encryption: AES256, which overrides the bucket's default CMK: the state (database endpoints, every resource attribute) is then protected by no key policy.",
    source: "hashicorp/terraform internal/backend/remote-state/s3/client.go (put); AWS FSBP S3.17",
    check: (ctx, fail) =>
      each(ctx, ["backend"], (r) => {
        if (r.address !== "terraform.backend.s3") return undefined;
        return isTrue(r.values.encrypt) && isSet(r.values.kms_key_id)
          ? undefined
          : fail(r, "the S3 state backend does not name the state CMK (encrypt and kms_key_id)", "set encrypt: true and kmsKeyId: stateKeyAliasArn(...) (stacks/backend.ts)");
      }),
  }),
];
