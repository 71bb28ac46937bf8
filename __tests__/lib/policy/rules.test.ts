/**
 * Every rule, on small synth-shaped fixtures: a passing input and a failing one with its
 * message. Most resources these rules judge do not exist in the stacks yet; the rules apply
 * to them as soon as they appear.
 */
import { fromSynth } from "../../../lib/policy/adapters";
import { evaluate } from "../../../lib/policy/engine";
import { RULES } from "../../../lib/policy/rules";
import type { Json } from "../../../lib/policy/types";
import type { Tier } from "../../../lib/config/schema";

/** Messages of one rule over a `resource` block, for a tier. */
function check(ruleId: string, resource: Json, tier: Tier = "development", extra: Json = {}): string[] {
  const rule = RULES.find((r) => r.id === ruleId);
  if (!rule) throw new Error(`no rule ${ruleId}`);
  return evaluate(fromSynth({ resource, ...extra }), { name: "test", tier, policy: { waivers: [] } }, [rule]).violations.map((v) => `${v.address}: ${v.message}`);
}

const ref = (address: string, attr = "id") => `\${${address}.${attr}}`;
const doc = (...Statement: Json[]) => JSON.stringify({ Version: "2012-10-17", Statement });

// Reusable, compliant building blocks.
const sse = (bucket: string, algorithm = "aws:kms") => ({
  bucket: ref(`aws_s3_bucket.${bucket}`),
  rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: algorithm, kms_master_key_id: ref("aws_kms_key.k", "arn") }, bucket_key_enabled: true }],
});
const tlsOnly = (bucket: string) => ({
  bucket: ref(`aws_s3_bucket.${bucket}`),
  policy: doc({ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [ref(`aws_s3_bucket.${bucket}`, "arn")], Condition: { Bool: { "aws:SecureTransport": "false" } } }),
});
const pab = (bucket: string, over: Json = {}) => ({
  bucket: ref(`aws_s3_bucket.${bucket}`),
  block_public_acls: true,
  block_public_policy: true,
  ignore_public_acls: true,
  restrict_public_buckets: true,
  ...over,
});
const eks = (over: Json = {}, vpc: Json = {}) => ({
  name: "ls-dev-eks",
  version: "1.33",
  role_arn: ref("aws_iam_role.cluster", "arn"),
  vpc_config: { subnet_ids: [ref("aws_subnet.private")], endpoint_private_access: true, endpoint_public_access: false, ...vpc },
  encryption_config: { resources: ["secrets"], provider: { key_arn: ref("aws_kms_key.k", "arn") } },
  enabled_cluster_log_types: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
  ...over,
});
const lt = (over: Json = {}) => ({
  block_device_mappings: [{ device_name: "/dev/xvda", ebs: { encrypted: "true", volume_type: "gp3" } }],
  metadata_options: { http_endpoint: "enabled", http_tokens: "required", http_put_response_hop_limit: 1 },
  ...over,
});
const db = (over: Json = {}) => ({
  identifier: "ls-dev-postgres",
  engine: "postgres",
  engine_version: "16.10",
  storage_encrypted: true,
  parameter_group_name: ref("aws_db_parameter_group.pg", "name"),
  vpc_security_group_ids: [ref("aws_security_group.db")],
  backup_retention_period: 14,
  deletion_protection: true,
  skip_final_snapshot: false,
  final_snapshot_identifier: "ls-dev-postgres-final",
  enabled_cloudwatch_logs_exports: ["postgresql"],
  manage_master_user_password: true,
  ...over,
});
const redis = (over: Json = {}) => ({
  replication_group_id: "ls-dev-redis",
  engine_version: "7.1",
  at_rest_encryption_enabled: true,
  transit_encryption_enabled: true,
  user_group_ids: [ref("aws_elasticache_user_group.g")],
  snapshot_retention_limit: 1,
  security_group_ids: [ref("aws_security_group.redis")],
  ...over,
});
const alb = (over: Json = {}) => ({ name: "ls-dev", internal: false, load_balancer_type: "application", security_groups: [ref("aws_security_group.alb")], ...over });
const irsaTrust = (cond: Json) =>
  doc({ Effect: "Allow", Principal: { Federated: ref("aws_iam_openid_connect_provider.oidc", "arn") }, Action: "sts:AssumeRoleWithWebIdentity", Condition: cond });
const ISSUER = "oidc.eks.us-west-2.amazonaws.com/id/ABC";
const helm = (values: Json | string, over: Json = {}) => ({
  name: "langsmith",
  repository: "https://langchain-ai.github.io/helm",
  chart: "langsmith",
  version: "0.16.11",
  values: [typeof values === "string" ? values : JSON.stringify(values)],
  ...over,
});

interface Case {
  readonly rule: string;
  readonly title: string;
  readonly tier?: Tier;
  readonly input: Json;
  /** Expected message fragments, one per violation; [] = passes. */
  readonly expect: string[];
}

const pass = (rule: string, title: string, input: Json, tier?: Tier): Case => ({ rule, title: `passes: ${title}`, input, tier, expect: [] });
const fail = (rule: string, title: string, input: Json, expect: string | string[], tier?: Tier): Case => ({ rule, title: `fails: ${title}`, input, tier, expect: [expect].flat() });

const CASES: Case[] = [
  // Encryption at rest
  pass("LS-ENC-001", "secrets envelope encryption", { aws_eks_cluster: { c: eks() } }),
  fail("LS-ENC-001", "no encryption_config", { aws_eks_cluster: { c: eks({ encryption_config: undefined }) } }, "aws_eks_cluster.c: EKS cluster does not encrypt Kubernetes secrets with a KMS key"),
  pass("LS-ENC-002", "encrypted instance", { aws_db_instance: { d: db() } }),
  fail("LS-ENC-002", "unencrypted instance and cluster", { aws_db_instance: { d: db({ storage_encrypted: false }) }, aws_rds_cluster: { a: { engine: "aurora-postgresql" } } }, [
    "aws_db_instance.d: database storage is not encrypted",
    "aws_rds_cluster.a: database storage is not encrypted",
  ]),
  pass("LS-ENC-003", "at-rest encryption", { aws_elasticache_replication_group: { r: redis() } }),
  fail("LS-ENC-003", "no at-rest encryption", { aws_elasticache_replication_group: { r: redis({ at_rest_encryption_enabled: false }) } }, "aws_elasticache_replication_group.r: Redis data is not encrypted at rest"),
  pass("LS-ENC-004", "SSE-KMS configuration resource", { aws_s3_bucket: { b: { bucket: "x" } }, aws_s3_bucket_server_side_encryption_configuration: { s: sse("b") } }),
  pass("LS-ENC-004", "configuration naming the bucket literally", { aws_s3_bucket: { b: { bucket: "ls-x" } }, aws_s3_bucket_server_side_encryption_configuration: { s: { ...sse("b"), bucket: "ls-x" } } }),
  pass("LS-ENC-004", "ALB access-log bucket with SSE-S3 (load balancers cannot write to SSE-KMS)", {
    aws_lb: { alb: alb({ access_logs: { enabled: true, bucket: ref("aws_s3_bucket.logs", "bucket") } }) },
    aws_s3_bucket: { logs: { bucket: "ls-dev-alb-logs" } },
    aws_s3_bucket_server_side_encryption_configuration: { s: sse("logs", "AES256") },
  }),
  fail("LS-ENC-004", "ALB access-log bucket without SSE configuration", {
    aws_lb: { alb: alb({ access_logs: { enabled: true, bucket: "ls-dev-alb-logs" } }) },
    aws_s3_bucket: { logs: { bucket: "ls-dev-alb-logs" } },
  }, "aws_s3_bucket.logs: ALB access-log bucket has no server-side encryption configuration"),
  fail("LS-ENC-004", "no SSE configuration", { aws_s3_bucket: { b: { bucket: "x" } } }, "aws_s3_bucket.b: S3 bucket has no server-side encryption configuration with a KMS key"),
  fail("LS-ENC-004", "SSE-S3 only", { aws_s3_bucket: { b: { bucket: "x" } }, aws_s3_bucket_server_side_encryption_configuration: { s: sse("b", "AES256") } }, "aws_s3_bucket.b: S3 bucket is encrypted with AES256, not a KMS key"),
  fail("LS-ENC-004", "the configuration belongs to another bucket", { aws_s3_bucket: { b: { bucket: "x" }, other: { bucket: "y" } }, aws_s3_bucket_server_side_encryption_configuration: { s: sse("other") } }, "aws_s3_bucket.b: S3 bucket has no server-side encryption"),
  pass("LS-ENC-005", "encrypted root volume, EBS StorageClass with encrypted=true", {
    aws_launch_template: { n: lt() },
    aws_ebs_volume: { v: { encrypted: true } },
    kubernetes_storage_class_v1: { gp3: { storage_provisioner: "ebs.csi.aws.com", parameters: { type: "gp3", encrypted: "true" } } },
  }),
  fail("LS-ENC-005", "unencrypted and undefined root volumes, volume, StorageClass", {
    aws_launch_template: { n: lt({ block_device_mappings: [{ device_name: "/dev/xvda", ebs: { encrypted: "false" } }] }), m: lt({ block_device_mappings: undefined }) },
    aws_ebs_volume: { v: { size: 10 } },
    kubernetes_storage_class_v1: { gp3: { storage_provisioner: "ebs.csi.aws.com", parameters: { type: "gp3" } } },
  }, [
    "aws_ebs_volume.v: EBS volume is not encrypted",
    "aws_launch_template.m: launch template does not define its root volume",
    "aws_launch_template.n: launch template has an unencrypted EBS volume",
    "kubernetes_storage_class_v1.gp3: EBS StorageClass provisions unencrypted volumes",
  ]),
  pass("LS-ENC-006", "log group with a CMK", { aws_cloudwatch_log_group: { g: { name: "/x", kms_key_id: ref("aws_kms_key.k", "arn") } } }),
  fail("LS-ENC-006", "log group without a CMK", { aws_cloudwatch_log_group: { g: { name: "/x" } } }, "aws_cloudwatch_log_group.g: log group is not encrypted with a KMS key"),
  pass("LS-ENC-007", "secret with a CMK", { aws_secretsmanager_secret: { s: { name: "x", kms_key_id: ref("aws_kms_key.k", "arn") } } }),
  fail("LS-ENC-007", "secret with the AWS-managed key", { aws_secretsmanager_secret: { s: { name: "x" } } }, "aws_secretsmanager_secret.s: secret is encrypted with the AWS-managed key"),
  pass("LS-ENC-008", "rotating key; asymmetric keys cannot rotate", { aws_kms_key: { k: { enable_key_rotation: true }, sign: { customer_master_key_spec: "RSA_2048", key_usage: "SIGN_VERIFY" } } }),
  fail("LS-ENC-008", "no rotation", { aws_kms_key: { k: { description: "x" } } }, "aws_kms_key.k: KMS key does not rotate"),
  pass("LS-ENC-009", "table with KMS SSE", { aws_dynamodb_table: { t: { server_side_encryption: { enabled: true, kms_key_arn: ref("aws_kms_key.k", "arn") } } } }),
  fail("LS-ENC-009", "table with an AWS-owned key", { aws_dynamodb_table: { t: { name: "x" } } }, "aws_dynamodb_table.t: table is encrypted with an AWS-owned key"),
  pass("LS-ENC-010", "encrypted topic", { aws_sns_topic: { t: { kms_master_key_id: ref("aws_kms_key.k", "arn") } } }),
  fail("LS-ENC-010", "plain topic", { aws_sns_topic: { t: { name: "alarms" } } }, "aws_sns_topic.t: SNS topic is not encrypted"),
  pass("LS-ENC-012", "admin and use apart", {
    aws_kms_key: { k: { enable_key_rotation: true, policy: doc({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: ["kms:DescribeKey", "kms:PutKeyPolicy"], Resource: "*" }, { Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: ["kms:Decrypt"], Resource: "*", Condition: { StringEquals: { "kms:ViaService": "s3.us-west-2.amazonaws.com" } } }) } },
  }),
  fail("LS-ENC-012", "kms:* to the account", {
    aws_kms_key: { k: { enable_key_rotation: true, policy: doc({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "kms:*", Resource: "*" }) } },
  }, "aws_kms_key.k: key policy statement 1 allows kms:* (administration and use together)"),
  // The backend blocks come from EXTRA (they are not resources).
  pass("LS-ENC-011", "S3 backend with the state key's alias ARN; a Terraform Cloud workspace", {}),
  fail("LS-ENC-011", "S3 backend with encrypt and no kms_key_id", {}, "terraform.backend.s3: the S3 state backend does not name the state CMK"),

  // Encryption in transit
  pass("LS-TLS-001", "TLS on", { aws_elasticache_replication_group: { r: redis() } }),
  fail("LS-TLS-001", "TLS off", { aws_elasticache_replication_group: { r: redis({ transit_encryption_enabled: false }) } }, "aws_elasticache_replication_group.r: Redis accepts unencrypted connections"),
  pass("LS-TLS-002", "force_ssl in the instance's and the cluster's groups", {
    aws_db_instance: { d: db() },
    aws_db_parameter_group: { pg: { name: "ls-dev-pg16", family: "postgres16", parameter: [{ name: "rds.force_ssl", value: "1" }] } },
    aws_rds_cluster: { a: { engine: "aurora-postgresql", db_cluster_parameter_group_name: ref("aws_rds_cluster_parameter_group.cpg", "name") } },
    aws_rds_cluster_parameter_group: { cpg: { family: "aurora-postgresql16", parameter: [{ name: "rds.force_ssl", value: "1", apply_method: "pending-reboot" }] } },
  }),
  fail("LS-TLS-002", "default group; a group without force_ssl", {
    aws_db_instance: { d: db({ parameter_group_name: undefined }), e: db({ identifier: "e" }) },
    aws_db_parameter_group: { pg: { name: "ls-dev-pg16", family: "postgres16", parameter: [{ name: "log_min_duration_statement", value: "1000" }] } },
    aws_rds_cluster: { a: { engine: "aurora-postgresql" } },
  }, [
    "aws_db_instance.d: database uses a default parameter group",
    "aws_db_instance.e: the database's parameter group does not set rds.force_ssl = 1",
    "aws_rds_cluster.a: cluster uses a default cluster parameter group",
  ]),
  pass("LS-TLS-003", "HTTP redirects to HTTPS", { aws_lb_listener: { http: { port: 80, protocol: "HTTP", default_action: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", status_code: "HTTP_301" } }] } } }),
  fail("LS-TLS-003", "HTTP forwards", { aws_lb_listener: { http: { port: 80, protocol: "HTTP", default_action: [{ type: "forward", target_group_arn: ref("aws_lb_target_group.t", "arn") }] } } }, "aws_lb_listener.http: HTTP listener serves traffic instead of redirecting to HTTPS"),
  pass("LS-TLS-004", "TLS 1.2+ policy", { aws_lb_listener: { https: { port: 443, protocol: "HTTPS", ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06" } } }),
  fail("LS-TLS-004", "old and unset policies", { aws_lb_listener: { a: { protocol: "HTTPS", ssl_policy: "ELBSecurityPolicy-2016-08" }, b: { protocol: "HTTPS" } } }, [
    "aws_lb_listener.a: listener allows TLS older than 1.2 (ssl_policy ELBSecurityPolicy-2016-08)",
    "aws_lb_listener.b: listener allows TLS older than 1.2 (ssl_policy unset, so ELBSecurityPolicy-2016-08)",
  ]),
  pass("LS-TLS-005", "TLS-only bucket policy", { aws_s3_bucket: { b: { bucket: "x" } }, aws_s3_bucket_policy: { p: tlsOnly("b") } }),
  fail("LS-TLS-005", "no policy; a policy that only allows", {
    aws_s3_bucket: { b: { bucket: "x" }, c: { bucket: "y" } },
    aws_s3_bucket_policy: { p: { bucket: ref("aws_s3_bucket.c"), policy: doc({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "s3:GetObject", Resource: "*" }) } },
  }, ["aws_s3_bucket.b: S3 bucket has no bucket policy denying non-TLS requests", "aws_s3_bucket.c: S3 bucket policy does not deny non-TLS requests"]),

  // Network isolation
  pass("LS-NET-001", "no public IPs", { aws_subnet: { s: { map_public_ip_on_launch: false } }, aws_launch_template: { n: lt() } }),
  fail("LS-NET-001", "public IPs from a subnet, a launch template and an instance", {
    aws_subnet: { s: { map_public_ip_on_launch: true } },
    aws_launch_template: { n: lt({ network_interfaces: [{ associate_public_ip_address: "true" }] }) },
    aws_instance: { i: { associate_public_ip_address: true } },
  }, ["aws_instance.i: instance has a public IP", "aws_launch_template.n: launch template gives instances a public IP", "aws_subnet.s: subnet assigns public IPs"]),
  pass("LS-NET-002", "private database", { aws_db_instance: { d: db({ publicly_accessible: false }) }, aws_rds_cluster_instance: { i: { publicly_accessible: false } } }),
  fail("LS-NET-002", "publicly accessible database", { aws_db_instance: { d: db({ publicly_accessible: true }) } }, "aws_db_instance.d: database is publicly accessible"),
  pass("LS-NET-003", "data stores admit only the node security group", {
    aws_db_instance: { d: db() },
    aws_elasticache_replication_group: { r: redis() },
    aws_security_group: { db: { name: "db" }, redis: { name: "redis", ingress: [{ from_port: 6379, to_port: 6379, protocol: "tcp", security_groups: [ref("aws_security_group.nodes")] }] } },
    aws_vpc_security_group_ingress_rule: { pg: { security_group_id: ref("aws_security_group.db"), referenced_security_group_id: ref("aws_security_group.nodes"), ip_protocol: "tcp", from_port: 5432, to_port: 5432 } },
  }),
  fail("LS-NET-003", "a CIDR rule; no security group at all", {
    aws_db_instance: { d: db(), e: db({ vpc_security_group_ids: undefined }) },
    aws_security_group: { db: { name: "db" } },
    aws_security_group_rule: { pg: { type: "ingress", security_group_id: ref("aws_security_group.db"), cidr_blocks: ["10.10.0.0/16"], protocol: "tcp", from_port: 5432, to_port: 5432 } },
  }, ["aws_db_instance.d: data store is reachable from 10.10.0.0/16 (aws_security_group_rule.pg)", "aws_db_instance.e: data store has no security group of its own"]),
  pass("LS-NET-004", "node group and subnet groups in private subnets", {
    aws_subnet: { private: { map_public_ip_on_launch: false }, public: { map_public_ip_on_launch: false } },
    aws_internet_gateway: { igw: { vpc_id: ref("aws_vpc.v") } },
    aws_route_table: { pub: { vpc_id: ref("aws_vpc.v") }, priv: { vpc_id: ref("aws_vpc.v") } },
    aws_route: { r: { route_table_id: ref("aws_route_table.pub"), destination_cidr_block: "0.0.0.0/0", gateway_id: ref("aws_internet_gateway.igw") } },
    aws_route_table_association: { a: { subnet_id: ref("aws_subnet.public"), route_table_id: ref("aws_route_table.pub") }, b: { subnet_id: ref("aws_subnet.private"), route_table_id: ref("aws_route_table.priv") } },
    aws_eks_node_group: { g: { subnet_ids: [ref("aws_subnet.private")] } },
    aws_db_subnet_group: { d: { subnet_ids: [ref("aws_subnet.private")] } },
  }),
  fail("LS-NET-004", "a node group in a subnet routed to the internet gateway", {
    aws_subnet: { public: { map_public_ip_on_launch: false } },
    aws_internet_gateway: { igw: {} },
    aws_route_table: { pub: { route: [{ cidr_block: "0.0.0.0/0", gateway_id: ref("aws_internet_gateway.igw") }] } },
    aws_route_table_association: { a: { subnet_id: ref("aws_subnet.public"), route_table_id: ref("aws_route_table.pub") } },
    aws_eks_node_group: { g: { subnet_ids: [ref("aws_subnet.public")] } },
    aws_elasticache_subnet_group: { r: { subnet_ids: [ref("aws_subnet.public")] } },
  }, ["aws_eks_node_group.g: uses public subnet aws_subnet.public", "aws_elasticache_subnet_group.r: uses public subnet aws_subnet.public"]),
  pass("LS-NET-005", "private endpoint; public endpoint limited to CIDRs", {
    aws_eks_cluster: { a: eks(), b: eks({}, { endpoint_public_access: true, public_access_cidrs: ["203.0.113.0/24"] }) },
  }, "production"),
  pass("LS-NET-005", "development may open the endpoint (config rules still ask for CIDRs)", { aws_eks_cluster: { a: eks({}, { endpoint_public_access: true, public_access_cidrs: ["0.0.0.0/0"] }) } }, "development"),
  fail("LS-NET-005", "0.0.0.0/0, or no CIDRs, in production", {
    aws_eks_cluster: { a: eks({}, { endpoint_public_access: true, public_access_cidrs: ["0.0.0.0/0"] }), b: eks({}, { endpoint_public_access: undefined }) },
  }, [
    "aws_eks_cluster.a: EKS API endpoint is public and open to the world (public_access_cidrs 0.0.0.0/0)",
    "aws_eks_cluster.b: EKS API endpoint is public and open to the world (public_access_cidrs unset (AWS defaults to 0.0.0.0/0))",
  ], "production"),
  pass("LS-NET-006", "internet-facing ALB on 443 and 80", {
    aws_lb: { alb: alb() },
    aws_security_group: { alb: { name: "alb" } },
    aws_vpc_security_group_ingress_rule: {
      https: { security_group_id: ref("aws_security_group.alb"), cidr_ipv4: "0.0.0.0/0", ip_protocol: "tcp", from_port: 443, to_port: 443 },
      http: { security_group_id: ref("aws_security_group.alb"), cidr_ipv4: "0.0.0.0/0", ip_protocol: "tcp", from_port: 80, to_port: 80 },
    },
  }),
  fail("LS-NET-006", "SSH from the world; an internal ALB; all ports inline", {
    aws_lb: { alb: alb({ internal: true }) },
    aws_security_group: { alb: { name: "alb" }, nodes: { ingress: [{ protocol: "-1", from_port: 0, to_port: 0, cidr_blocks: ["0.0.0.0/0"] }] } },
    aws_vpc_security_group_ingress_rule: {
      https: { security_group_id: ref("aws_security_group.alb"), cidr_ipv4: "0.0.0.0/0", ip_protocol: "tcp", from_port: 443, to_port: 443 },
      ssh: { security_group_id: ref("aws_eks_cluster.c", "vpc_config[0].cluster_security_group_id"), cidr_ipv6: "::/0", ip_protocol: "tcp", from_port: 22, to_port: 22 },
    },
  }, [
    "aws_security_group.nodes: security group admits 0.0.0.0/0 on all ports",
    "aws_vpc_security_group_ingress_rule.https: security group admits 0.0.0.0/0 on port 443",
    "aws_vpc_security_group_ingress_rule.ssh: security group admits ::/0 on port 22",
  ]),
  pass("LS-NET-007", "private endpoint access", { aws_eks_cluster: { c: eks() } }),
  fail("LS-NET-007", "no private endpoint access", { aws_eks_cluster: { c: eks({}, { endpoint_private_access: false }) } }, "aws_eks_cluster.c: EKS API endpoint has no private access"),
  pass("LS-NET-008", "all four public-access blocks", { aws_s3_bucket: { b: { bucket: "x" } }, aws_s3_bucket_public_access_block: { p: pab("b") } }),
  fail("LS-NET-008", "missing; one setting off", {
    aws_s3_bucket: { b: { bucket: "x" }, c: { bucket: "y" } },
    aws_s3_bucket_public_access_block: { p: pab("c", { restrict_public_buckets: false }) },
  }, ["aws_s3_bucket.b: S3 bucket has no public access block", "aws_s3_bucket.c: S3 bucket's public access block leaves a setting off"]),
  pass("LS-NET-009", "closed default group", { aws_default_security_group: { d: { vpc_id: ref("aws_vpc.v"), ingress: [], egress: [] } } }),
  fail("LS-NET-009", "default group with a rule", { aws_default_security_group: { d: { ingress: [{ protocol: "-1", self: true, from_port: 0, to_port: 0 }], egress: [] } } }, "aws_default_security_group.d: default security group has rules"),
  pass("LS-NET-010", "no SSH", { aws_eks_node_group: { g: { launch_template: { id: ref("aws_launch_template.n"), version: "1" } } } }),
  fail("LS-NET-010", "SSH key on nodes", { aws_eks_node_group: { g: { remote_access: { ec2_ssh_key: "ops" } } } }, "aws_eks_node_group.g: node group opens SSH"),
  pass("LS-WAF-001", "ALB with a web ACL; NLBs need none", {
    aws_lb: { alb: alb(), nlb: alb({ load_balancer_type: "network" }) },
    aws_wafv2_web_acl_association: { a: { resource_arn: ref("aws_lb.alb", "arn"), web_acl_arn: ref("aws_wafv2_web_acl.acl", "arn") } },
  }),
  fail("LS-WAF-001", "ALB without a web ACL", { aws_lb: { alb: alb() } }, "aws_lb.alb: load balancer has no WAF web ACL association"),
  pass("LS-WAF-002", "rate-based rule", {
    aws_wafv2_web_acl: { acl: { scope: "REGIONAL", rule: [{ name: "rate", priority: 1, action: { block: {} }, statement: { rate_based_statement: { limit: 2000, aggregate_key_type: "IP" } } }] } },
  }),
  fail("LS-WAF-002", "managed rules only", {
    aws_wafv2_web_acl: { acl: { scope: "REGIONAL", rule: [{ name: "common", statement: { managed_rule_group_statement: { name: "AWSManagedRulesCommonRuleSet", vendor_name: "AWS" } } }] } },
  }, "aws_wafv2_web_acl.acl: web ACL has no rate-based rule"),

  // IAM
  pass("LS-IAM-001", "scoped policy; kms:* in a key policy", {
    aws_iam_role_policy: { p: { policy: doc({ Effect: "Allow", Action: ["s3:GetObject"], Resource: [ref("aws_s3_bucket.b", "arn")] }) } },
    aws_kms_key: { k: { policy: doc({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "kms:*", Resource: "*" }) } },
    aws_iam_role_policy_attachment: { a: { policy_arn: "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy" } },
  }),
  fail("LS-IAM-001", "*:*, NotAction, AdministratorAccess", {
    aws_iam_role_policy: { p: { policy: doc({ Sid: "All", Effect: "Allow", Action: "*", Resource: "*" }) } },
    aws_iam_policy: { q: { policy: doc({ Effect: "Allow", NotAction: ["iam:*"], Resource: "*" }) } },
    aws_iam_role_policy_attachment: { a: { policy_arn: "arn:aws:iam::aws:policy/AdministratorAccess" } },
  }, [
    "aws_iam_policy.q: policy statement 1 allows everything except iam:* (NotAction) on \"*\"",
    "aws_iam_role_policy.p: policy statement \"All\" allows \"*\" on \"*\"",
    "aws_iam_role_policy_attachment.a: attaches AdministratorAccess",
  ]),
  pass("LS-IAM-002", "PassRole on one role", { aws_iam_role_policy: { p: { policy: doc({ Effect: "Allow", Action: "iam:PassRole", Resource: ref("aws_iam_role.nodes", "arn") }) } } }),
  fail("LS-IAM-002", "PassRole, iam:Pass*, iam:* on every role", {
    aws_iam_role_policy: {
      p: { policy: doc({ Effect: "Allow", Action: ["iam:PassRole"], Resource: "*" }) },
      q: { policy: doc({ Effect: "Allow", Action: ["iam:Pass*"], Resource: "arn:aws:iam::111111111111:role/*" }) },
      r: { policy: doc({ Effect: "Allow", Action: ["iam:*"], Resource: "*" }) },
    },
  }, [
    "aws_iam_role_policy.p: policy statement 1 allows iam:PassRole on every role",
    "aws_iam_role_policy.q: policy statement 1 allows iam:Pass* on every role",
    "aws_iam_role_policy.r: policy statement 1 allows iam:* on every role",
  ]),
  pass("LS-IAM-003", "IRSA trust with exact sub and aud (one or several service accounts); service trust", {
    aws_iam_role: {
      one: { assume_role_policy: irsaTrust({ StringEquals: { [`${ISSUER}:sub`]: "system:serviceaccount:langsmith:langsmith-backend", [`${ISSUER}:aud`]: "sts.amazonaws.com" } }) },
      many: {
        assume_role_policy: irsaTrust({
          StringEquals: { [`\${replace(aws_iam_openid_connect_provider.oidc.url, "https://", "")}:sub`]: ["system:serviceaccount:langsmith:a", "system:serviceaccount:langsmith:b"], [`\${replace(aws_iam_openid_connect_provider.oidc.url, "https://", "")}:aud`]: "sts.amazonaws.com" },
        }),
      },
      svc: { assume_role_policy: doc({ Effect: "Allow", Principal: { Service: "eks.amazonaws.com" }, Action: "sts:AssumeRole" }) },
    },
  }),
  fail("LS-IAM-003", "StringLike wildcard sub; no aud; no sub", {
    aws_iam_role: {
      like: { assume_role_policy: irsaTrust({ StringLike: { [`${ISSUER}:sub`]: "system:serviceaccount:langsmith:*" }, StringEquals: { [`${ISSUER}:aud`]: "sts.amazonaws.com" } }) },
      noaud: { assume_role_policy: irsaTrust({ StringEquals: { [`${ISSUER}:sub`]: "system:serviceaccount:langsmith:langsmith-backend" } }) },
      nosub: { assume_role_policy: irsaTrust({ StringEquals: { [`${ISSUER}:aud`]: "sts.amazonaws.com" } }) },
    },
  }, [
    "aws_iam_role.like: trust policy statement 1 matches :sub against a wildcard (system:serviceaccount:langsmith:*)",
    "aws_iam_role.like: trust policy statement 1 matches :sub with StringLike instead of StringEquals",
    "aws_iam_role.noaud: trust policy statement 1 has no exact :aud condition",
    "aws_iam_role.nosub: trust policy statement 1 has no :sub condition",
  ]),
  pass("LS-IAM-004", "conditioned or named principals; Deny * is fine", {
    aws_s3_bucket_policy: { p: tlsOnly("b") },
    aws_sns_topic_policy: { t: { policy: doc({ Effect: "Allow", Principal: { Service: "cloudwatch.amazonaws.com" }, Action: "sns:Publish", Resource: "*", Condition: { StringEquals: { "aws:SourceAccount": "111111111111" } } }) } },
  }),
  fail("LS-IAM-004", "anyone may read the bucket; anyone may assume the role", {
    aws_s3_bucket_policy: { p: { policy: doc({ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::x/*" }) } },
    aws_iam_role: { r: { assume_role_policy: doc({ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }) } },
  }, ["aws_iam_role.r: trust policy statement 1 allows Principal \"*\" without a condition", "aws_s3_bucket_policy.p: policy statement 1 allows Principal \"*\" without a condition"]),
  pass("LS-IAM-005", "Describe* on *, s3:* on one bucket", { aws_iam_role_policy: { p: { policy: doc({ Effect: "Allow", Action: ["ec2:Describe*"], Resource: "*" }, { Effect: "Allow", Action: "s3:*", Resource: ref("aws_s3_bucket.b", "arn") }) } } }),
  pass("LS-IAM-005", "ec2:* in permissions boundaries (named by a role, or by an iam:PermissionsBoundary condition)", {
    aws_iam_policy: { boundary: { policy: doc({ Effect: "Allow", Action: ["ec2:*"], Resource: "*" }) }, ci: { policy: doc({ Effect: "Allow", Action: ["logs:*"], Resource: "*" }) } },
    aws_iam_role: { r: { permissions_boundary: ref("aws_iam_policy.boundary", "arn") } },
    aws_iam_role_policy: {
      apply: { policy: doc({ Effect: "Allow", Action: "iam:CreateRole", Resource: "arn:aws:iam::111111111111:role/ls-*", Condition: { StringEquals: { "iam:PermissionsBoundary": ref("aws_iam_policy.ci", "arn") } } }) },
    },
  }),
  fail("LS-IAM-005", "s3:* on *", { aws_iam_role_policy: { p: { policy: doc({ Effect: "Allow", Action: ["s3:*", "kms:Decrypt"], Resource: "*" }) } } }, "aws_iam_role_policy.p: policy statement 1 allows s3:* on \"*\""),
  pass("LS-IAM-006", "IAM user group", { aws_elasticache_replication_group: { r: redis() } }),
  pass("LS-IAM-007", "a custom group on the entry; cluster admin on purpose", {
    aws_eks_access_entry: { e: { cluster_name: "c", principal_arn: "arn:aws:iam::111111111111:role/ls-dev-ci-plan", kubernetes_groups: ["langsmith:ci-plan-reader"] } },
    aws_eks_access_policy_association: { a: { policy_arn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy", access_scope: { type: "cluster" } } },
  }),
  fail("LS-IAM-007", "admin view for a read-only role", {
    aws_eks_access_policy_association: { a: { policy_arn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy", access_scope: { type: "cluster" } } },
  }, "aws_eks_access_policy_association.a: access policy AmazonEKSAdminViewPolicy lets a read-only principal read every Kubernetes Secret"),
  pass("LS-IAM-009", "IRSA, GitHub OIDC, EKS and flow-logs services", {
    aws_iam_role: {
      irsa: { assume_role_policy: irsaTrust({ StringEquals: { "oidc.eks.us-west-2.amazonaws.com/id/ABC:sub": "system:serviceaccount:a:b" } }) },
      gh: { assume_role_policy: doc({ Effect: "Allow", Principal: { Federated: "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com" }, Action: "sts:AssumeRoleWithWebIdentity" }) },
      eks: { assume_role_policy: doc({ Effect: "Allow", Principal: { Service: ["eks.amazonaws.com"] }, Action: "sts:AssumeRole" }) },
      flow: { assume_role_policy: doc({ Effect: "Allow", Principal: { Service: "vpc-flow-logs.amazonaws.com" }, Action: "sts:AssumeRole" }) },
    },
  }),
  fail("LS-IAM-009", "another account, a foreign IdP, an unlisted service", {
    aws_iam_role: {
      acct: { assume_role_policy: doc({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::999999999999:root" }, Action: "sts:AssumeRole" }) },
      idp: { assume_role_policy: doc({ Effect: "Allow", Principal: { Federated: "arn:aws:iam::111111111111:oidc-provider/accounts.google.com" }, Action: "sts:AssumeRoleWithWebIdentity" }) },
      svc: { assume_role_policy: doc({ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }) },
    },
  }, [
    "aws_iam_role.acct: trust policy statement 1 trusts the AWS principal arn:aws:iam::999999999999:root",
    "aws_iam_role.idp: trust policy statement 1 trusts the identity provider arn:aws:iam::111111111111:oidc-provider/accounts.google.com",
    "aws_iam_role.svc: trust policy statement 1 trusts the service lambda.amazonaws.com",
  ]),
  pass("LS-IAM-010", "flow logs with aws:SourceAccount; EKS without", {
    aws_iam_role: {
      flow: { assume_role_policy: doc({ Effect: "Allow", Principal: { Service: "vpc-flow-logs.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": "111111111111" } } }) },
      eks: { assume_role_policy: doc({ Effect: "Allow", Principal: { Service: "eks.amazonaws.com" }, Action: "sts:AssumeRole" }) },
    },
  }),
  fail("LS-IAM-010", "flow logs without a condition", {
    aws_iam_role: { flow: { assume_role_policy: doc({ Effect: "Allow", Principal: { Service: "vpc-flow-logs.amazonaws.com" }, Action: "sts:AssumeRole" }) } },
  }, "aws_iam_role.flow: trust policy statement 1 trusts vpc-flow-logs.amazonaws.com without aws:SourceAccount"),
  pass("LS-IAM-011", "the account's own principals; no provider accounts known", {
    aws_s3_bucket_policy: { p: { policy: doc({ Effect: "Allow", Principal: { AWS: ["arn:aws:iam::111111111111:role/app", "111111111111"] }, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }) } },
  }),
  fail("LS-IAM-011", "a bucket and a key opened to another account", {
    aws_s3_bucket_policy: { p: { policy: doc({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::999999999999:root" }, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }) } },
    aws_kms_key: { k: { enable_key_rotation: true, policy: doc({ Effect: "Allow", Principal: { AWS: "999999999999" }, Action: "kms:Decrypt", Resource: "*" }) } },
  }, [
    "aws_kms_key.k: policy statement 1 allows 999999999999, outside the stack's accounts (111111111111)",
    "aws_s3_bucket_policy.p: policy statement 1 allows arn:aws:iam::999999999999:root, outside the stack's accounts (111111111111)",
  ]),
  pass("LS-IAM-012", "a secret with a Deny of GetSecretValue to the environment's roles but its reader", {
    aws_secretsmanager_secret: { s: { name: "ls-dev/langsmith/license-key" } },
    aws_secretsmanager_secret_policy: {
      p: {
        secret_arn: ref("aws_secretsmanager_secret.s", "arn"),
        policy: doc({ Effect: "Deny", Principal: "*", Action: "secretsmanager:GetSecretValue", Resource: "*", Condition: { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::111111111111:role/ls-dev-*" }, ArnNotLike: { "aws:PrincipalArn": ["arn:aws:iam::111111111111:role/ls-dev-irsa-external-secrets"] } } }),
      },
    },
  }),
  fail("LS-IAM-012", "a secret without a policy; a policy of another secret; an Allow only", {
    aws_secretsmanager_secret: { bare: { name: "a" }, other: { name: "b" }, allowing: { name: "c" } },
    aws_secretsmanager_secret_policy: {
      p: { secret_arn: "arn:aws:secretsmanager:us-west-2:111111111111:secret:elsewhere-AbCdEf", policy: doc({ Effect: "Deny", Principal: "*", Action: "secretsmanager:*", Resource: "*", Condition: { ArnLike: { "aws:PrincipalArn": "x" } } }) },
      q: { secret_arn: ref("aws_secretsmanager_secret.allowing", "arn"), policy: doc({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "secretsmanager:GetSecretValue", Resource: "*" }) },
    },
  }, [
    "aws_secretsmanager_secret.allowing: no resource policy denies secretsmanager:GetSecretValue to the roles that do not read this secret",
    "aws_secretsmanager_secret.bare: no resource policy denies secretsmanager:GetSecretValue to the roles that do not read this secret",
    "aws_secretsmanager_secret.other: no resource policy denies secretsmanager:GetSecretValue to the roles that do not read this secret",
  ]),
  pass("LS-IAM-013", "the EBS CSI role with its documented managed policy; a GitHub CI role with another", {
    aws_iam_role: {
      csi: { name: "ls-dev-irsa-ebs-csi", assume_role_policy: irsaTrust({ StringEquals: { "oidc.eks.us-west-2.amazonaws.com/id/ABC:sub": "system:serviceaccount:kube-system:ebs-csi-controller-sa" } }) },
      ci: { name: "ls-dev-ci-plan", assume_role_policy: doc({ Effect: "Allow", Principal: { Federated: "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com" }, Action: "sts:AssumeRoleWithWebIdentity" }) },
    },
    aws_iam_role_policy_attachment: {
      a: { role: ref("aws_iam_role.csi", "name"), policy_arn: "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy" },
      b: { role: ref("aws_iam_role.ci", "name"), policy_arn: "arn:aws:iam::aws:policy/ReadOnlyAccess" },
    },
  }),
  fail("LS-IAM-013", "the CloudWatch agent's pod role with CloudWatchAgentServerPolicy", {
    aws_iam_role: { agent: { name: "ls-dev-irsa-cloudwatch-agent", assume_role_policy: irsaTrust({ StringEquals: { "oidc.eks.us-west-2.amazonaws.com/id/ABC:sub": "system:serviceaccount:amazon-cloudwatch:cloudwatch-agent" } }) } },
    aws_iam_role_policy_attachment: { a: { role: ref("aws_iam_role.agent", "name"), policy_arn: "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy" } },
  }, "aws_iam_role_policy_attachment.a: pod role aws_iam_role.agent attaches the AWS-managed arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy"),
  pass("LS-IAM-008", "no creator entry", { aws_eks_cluster: { c: eks({ access_config: { authentication_mode: "API", bootstrap_cluster_creator_admin_permissions: false } }) } }),
  fail("LS-IAM-008", "creator entry", { aws_eks_cluster: { c: eks({ access_config: { authentication_mode: "API", bootstrap_cluster_creator_admin_permissions: true } }) } }, "aws_eks_cluster.c: the cluster creator gets an admin access entry"),
  fail("LS-IAM-006", "no auth", { aws_elasticache_replication_group: { r: redis({ user_group_ids: undefined }) } }, "aws_elasticache_replication_group.r: Redis accepts unauthenticated connections"),

  // Nodes
  pass("LS-NODE-001", "node group with an IMDSv2-only launch template", { aws_eks_node_group: { g: { launch_template: { id: ref("aws_launch_template.n"), version: ref("aws_launch_template.n", "latest_version") } } }, aws_launch_template: { n: lt() } }),
  fail("LS-NODE-001", "no launch template; IMDSv1 allowed; hop limit 2; no hop limit", {
    aws_eks_node_group: { g: { disk_size: 100 } },
    aws_launch_template: {
      v1: lt({ metadata_options: { http_tokens: "optional" } }),
      hops: lt({ metadata_options: { http_tokens: "required", http_put_response_hop_limit: 2 } }),
      unset: lt({ metadata_options: { http_tokens: "required" } }),
    },
  }, [
    "aws_eks_node_group.g: node group has no launch template",
    "aws_launch_template.hops: launch template lets IMDS responses travel 2 hops",
    "aws_launch_template.unset: launch template leaves the IMDS hop limit to the AMI default",
    "aws_launch_template.v1: launch template does not require IMDSv2",
  ]),

  pass("LS-NODE-002", "baseline enforced; restricted enforced", {
    kubernetes_namespace_v1: {
      a: { metadata: { name: "a", labels: { "pod-security.kubernetes.io/enforce": "baseline" } } },
      b: { metadata: { name: "b", labels: { "pod-security.kubernetes.io/enforce": "restricted" } } },
    },
  }),
  fail("LS-NODE-002", "no labels; privileged", {
    kubernetes_namespace_v1: { a: { metadata: { name: "a" } }, b: { metadata: { name: "b", labels: { "pod-security.kubernetes.io/enforce": "privileged" } } } },
  }, [
    "kubernetes_namespace_v1.a: namespace does not enforce Pod Security baseline (enforce label: none)",
    "kubernetes_namespace_v1.b: namespace does not enforce Pod Security baseline (enforce label: privileged)",
  ]),

  // Logging
  pass("LS-LOG-008", "a year; forever is LS-LOG-003's", { aws_cloudwatch_log_group: { a: { name: "a", retention_in_days: 365 }, b: { name: "b", retention_in_days: 0 } } }, "production"),
  fail("LS-LOG-008", "90 days", { aws_cloudwatch_log_group: { a: { name: "a", retention_in_days: 90 } } }, "aws_cloudwatch_log_group.a: production log group keeps logs 90 days (fewer than 365)", "production"),
  pass("LS-LOG-007", "both set; a non-PostgreSQL group", {
    aws_db_parameter_group: {
      pg: { family: "postgres16", parameter: [{ name: "log_connections", value: "1" }, { name: "log_disconnections", value: "1" }] },
      my: { family: "mysql8.0", parameter: [] },
    },
  }),
  fail("LS-LOG-007", "disconnections missing", {
    aws_rds_cluster_parameter_group: { cpg: { family: "aurora-postgresql16", parameter: [{ name: "rds.force_ssl", value: "1" }, { name: "log_connections", value: "1" }] } },
  }, "aws_rds_cluster_parameter_group.cpg: PostgreSQL parameter group does not set log_disconnections = 1"),
  pass("LS-LOG-001", "all control-plane logs", { aws_eks_cluster: { c: eks() } }),
  fail("LS-LOG-001", "audit and authenticator missing", { aws_eks_cluster: { c: eks({ enabled_cluster_log_types: ["api", "controllerManager", "scheduler"] }) } }, "aws_eks_cluster.c: EKS control-plane logs missing: audit, authenticator"),
  pass("LS-LOG-002", "VPC with a flow log of ALL traffic", { aws_vpc: { v: { cidr_block: "10.10.0.0/16" } }, aws_flow_log: { f: { vpc_id: ref("aws_vpc.v"), traffic_type: "ALL" } } }),
  fail("LS-LOG-002", "no flow log; REJECT only", {
    aws_vpc: { v: { cidr_block: "10.10.0.0/16" }, w: { cidr_block: "10.11.0.0/16" } },
    aws_flow_log: { f: { vpc_id: ref("aws_vpc.w"), traffic_type: "REJECT" } },
  }, ["aws_vpc.v: VPC has no flow log of ALL traffic", "aws_vpc.w: VPC has no flow log of ALL traffic"]),
  pass("LS-LOG-003", "retention set", { aws_cloudwatch_log_group: { g: { retention_in_days: 30 } } }),
  fail("LS-LOG-003", "unset; 0 (never expire)", { aws_cloudwatch_log_group: { g: { name: "/x" }, h: { retention_in_days: 0 } } }, ["aws_cloudwatch_log_group.g: log group keeps logs forever", "aws_cloudwatch_log_group.h: log group keeps logs forever"]),
  pass("LS-LOG-004", "access logs on", { aws_lb: { alb: alb({ access_logs: { enabled: true, bucket: ref("aws_s3_bucket.logs") } }) } }, "production"),
  pass("LS-LOG-004", "development need not", { aws_lb: { alb: alb() } }, "development"),
  fail("LS-LOG-004", "no access logs in production", { aws_lb: { alb: alb() } }, "aws_lb.alb: load balancer writes no access logs", "production"),
  pass("LS-LOG-005", "web ACL logging", { aws_wafv2_web_acl: { acl: {} }, aws_wafv2_web_acl_logging_configuration: { l: { resource_arn: ref("aws_wafv2_web_acl.acl", "arn"), log_destination_configs: [ref("aws_cloudwatch_log_group.waf", "arn")] } } }),
  fail("LS-LOG-005", "no web ACL logging", { aws_wafv2_web_acl: { acl: {} } }, "aws_wafv2_web_acl.acl: web ACL has no logging configuration"),
  pass("LS-LOG-006", "postgresql log exported", { aws_db_instance: { d: db() } }),
  fail("LS-LOG-006", "no log export", { aws_db_instance: { d: db({ enabled_cloudwatch_logs_exports: [] }) } }, "aws_db_instance.d: database does not export its postgresql log"),

  // Backups and deletion protection
  pass("LS-BAK-001", "7 days in development", { aws_db_instance: { d: db({ backup_retention_period: 7 }) } }, "development"),
  pass("LS-BAK-001", "14 days in production", { aws_db_instance: { d: db({ backup_retention_period: 14 }) } }, "production"),
  fail("LS-BAK-001", "3 days in development", { aws_db_instance: { d: db({ backup_retention_period: 3 }) } }, "aws_db_instance.d: backup_retention_period is 3, below 7 days for tier development", "development"),
  fail("LS-BAK-001", "7 days in production; unset", { aws_db_instance: { d: db({ backup_retention_period: 7 }) }, aws_rds_cluster: { a: {} } }, [
    "aws_db_instance.d: backup_retention_period is 7, below 14 days for tier production",
    "aws_rds_cluster.a: backup_retention_period is unset, below 14 days for tier production",
  ], "production"),
  pass("LS-BAK-002", "protected database and table, plain bucket, 30-day key", {
    aws_db_instance: { d: db() },
    aws_dynamodb_table: { t: { deletion_protection_enabled: true } },
    aws_s3_bucket: { b: { bucket: "x", force_destroy: false } },
    aws_kms_key: { k: { deletion_window_in_days: 30 }, dflt: {} },
  }, "production"),
  fail("LS-BAK-002", "unprotected database and table, force_destroy bucket, 7-day key", {
    aws_db_instance: { d: db({ deletion_protection: false }) },
    aws_dynamodb_table: { t: { name: "lock" } },
    aws_s3_bucket: { b: { bucket: "x", force_destroy: true } },
    aws_kms_key: { k: { deletion_window_in_days: 7 } },
  }, [
    "aws_db_instance.d: database has no deletion protection",
    "aws_dynamodb_table.t: table has no deletion protection",
    "aws_kms_key.k: key can be deleted 7 days after scheduling",
    "aws_s3_bucket.b: bucket has force_destroy",
  ], "production"),
  pass("LS-BAK-003", "final snapshot", { aws_db_instance: { d: db() } }, "production"),
  fail("LS-BAK-003", "skip_final_snapshot", { aws_db_instance: { d: db({ skip_final_snapshot: true, final_snapshot_identifier: undefined }) } }, "aws_db_instance.d: database is deleted without a final snapshot", "production"),
  pass("LS-BAK-004", "one day of snapshots", { aws_elasticache_replication_group: { r: redis() } }),
  fail("LS-BAK-004", "no snapshots", { aws_elasticache_replication_group: { r: redis({ snapshot_retention_limit: 0 }) } }, "aws_elasticache_replication_group.r: Redis keeps no automatic snapshots"),
  pass("LS-BAK-005", "versioned", { aws_s3_bucket: { b: { bucket: "x" } }, aws_s3_bucket_versioning: { v: { bucket: ref("aws_s3_bucket.b"), versioning_configuration: { status: "Enabled" } } } }),
  fail("LS-BAK-005", "suspended; none", {
    aws_s3_bucket: { b: { bucket: "x" }, c: { bucket: "y" } },
    aws_s3_bucket_versioning: { v: { bucket: ref("aws_s3_bucket.c"), versioning_configuration: { status: "Suspended" } } },
  }, ["aws_s3_bucket.b: S3 bucket is not versioned", "aws_s3_bucket.c: S3 bucket is not versioned"]),
  pass("LS-BAK-006", "PITR", { aws_dynamodb_table: { t: { point_in_time_recovery: { enabled: true } } } }),
  fail("LS-BAK-006", "no PITR", { aws_dynamodb_table: { t: { name: "x" } } }, "aws_dynamodb_table.t: table has no point-in-time recovery"),
  pass("LS-BAK-007", "protected ALB", { aws_lb: { alb: alb({ enable_deletion_protection: true }) } }, "production"),
  fail("LS-BAK-007", "unprotected ALB", { aws_lb: { alb: alb() } }, "aws_lb.alb: load balancer has no deletion protection", "production"),

  // Versions
  pass("LS-VER-001", "exact version; a local chart pins itself", { helm_release: { a: helm({}), local: { name: "manifests", chart: "./assets/k8s-manifests/ABC" } } }),
  fail("LS-VER-001", "no version; a range", { helm_release: { a: helm({}, { version: undefined }), b: helm({}, { version: "~1.13" }), c: { chart: "oci://public.ecr.aws/x/y" } } }, [
    "helm_release.a: chart version is not set, so Helm installs the newest",
    "helm_release.b: chart version \"~1.13\" is not an exact version",
    "helm_release.c: chart version is not set",
  ]),
  pass("LS-VER-002", "chart default tags, pinned overrides, tagged images", {
    helm_release: { a: helm({ backend: { image: { repository: "x/backend", tag: "0.16.45" } }, sidecar: { image: "busybox:1.36" } }) },
    kubernetes_deployment_v1: { d: { spec: { template: { spec: { container: [{ name: "c", image: "nginx:1.27" }, { name: "d", image: "x/y@sha256:abc" }] } } } } },
  }),
  fail("LS-VER-002", "latest in values, in set, untagged in a Deployment", {
    helm_release: { a: helm("backend:\n  image:\n    tag: latest\n"), b: helm({}, { set: [{ name: "frontend.image.tag", value: "latest" }] }) },
    kubernetes_deployment_v1: { d: { spec: { template: { spec: { container: [{ name: "c", image: "nginx" }] } } } } },
  }, [
    "helm_release.a: image tag \"latest\" at values[0].backend.image.tag",
    "helm_release.b: image tag \"latest\" at set frontend.image.tag",
    "kubernetes_deployment_v1.d: image without a pinned tag at spec.template.spec.container[0].image",
  ]),
  pass("LS-VER-003", "pinned cluster, add-on and engines", { aws_eks_cluster: { c: eks() }, aws_eks_addon: { a: { addon_name: "vpc-cni", addon_version: "v1.20.4-eksbuild.1" } }, aws_db_instance: { d: db() }, aws_elasticache_replication_group: { r: redis() } }),
  fail("LS-VER-003", "floating cluster, add-on and Redis", { aws_eks_cluster: { c: eks({ version: undefined }) }, aws_eks_addon: { a: { addon_name: "vpc-cni" } }, aws_elasticache_replication_group: { r: redis({ engine_version: undefined }) } }, [
    "aws_eks_addon.a: addon_version is not set",
    "aws_eks_cluster.c: version is not set",
    "aws_elasticache_replication_group.r: engine_version is not set",
  ]),

  // Secrets
  pass("LS-SEC-003", "a namespaced store with jwt auth; other manifests", {
    helm_release: {
      s: { values: [JSON.stringify({ manifests: [
        { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "reader" } },
        { apiVersion: "external-secrets.io/v1", kind: "SecretStore", metadata: { name: "st" }, spec: { provider: { aws: { service: "SecretsManager", region: "us-west-2", auth: { jwt: { serviceAccountRef: { name: "reader" } } } } } } },
      ] })] },
    },
  }),
  fail("LS-SEC-003", "a ClusterSecretStore; a store without auth", {
    helm_release: {
      s: { values: [JSON.stringify({ manifests: [
        { kind: "ClusterSecretStore", metadata: { name: "all" }, spec: { provider: { aws: { service: "SecretsManager", region: "us-west-2" } } } },
        { kind: "SecretStore", metadata: { name: "st" }, spec: { provider: { aws: { service: "SecretsManager", region: "us-west-2" } } } },
      ] })] },
    },
  }, [
    "helm_release.s: values[0].manifests[0] ClusterSecretStore all is cluster-wide",
    "helm_release.s: values[0].manifests[1] SecretStore st has no auth of its own",
  ]),
  pass("LS-NET-011", "namespace with default deny; CNI enforcing", {
    kubernetes_namespace_v1: { ns: { metadata: { name: "app" } } },
    helm_release: { np: { namespace: "app", values: [JSON.stringify({ manifests: [{ kind: "NetworkPolicy", metadata: { name: "default-deny", namespace: "app" }, spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] } }] })] } },
    aws_eks_addon: { cni: { addon_name: "vpc-cni", configuration_values: JSON.stringify({ enableNetworkPolicy: "true" }) } },
  }),
  fail("LS-NET-011", "only an allow policy; CNI without network policy", {
    kubernetes_namespace_v1: { ns: { metadata: { name: "app" } } },
    helm_release: { np: { namespace: "app", values: [JSON.stringify({ manifests: [{ kind: "NetworkPolicy", metadata: { name: "allow", namespace: "app" }, spec: { podSelector: {}, policyTypes: ["Ingress"], ingress: [{}] } }] })] } },
    aws_eks_addon: { cni: { addon_name: "vpc-cni", configuration_values: "{}" } },
  }, ["aws_eks_addon.cni: the VPC CNI does not enforce NetworkPolicies", "kubernetes_namespace_v1.ns: namespace app has no default-deny NetworkPolicy"]),
  pass("LS-SEC-004", "IAM auth; another chart", {
    helm_release: {
      ls: { chart: "langsmith", values: [JSON.stringify({ postgres: { external: { enabled: true, existingSecretName: "s", iamAuthProvider: "aws" } } })] },
      other: { chart: "x", values: [JSON.stringify({ postgres: { external: { enabled: true } } })] },
    },
  }),
  fail("LS-SEC-004", "password URL", {
    helm_release: { ls: { chart: "langsmith", values: [JSON.stringify({ postgres: { external: { enabled: true, existingSecretName: "s" } } })] } },
  }, "helm_release.ls: values[0].postgres.external has no iamAuthProvider"),
  pass("LS-SEC-001", "references to secrets only", {
    helm_release: {
      a: helm({
        config: { existingSecretName: "langsmith-config", authType: "oauth", oauth: { enabled: true, oauthClientId: "langsmith-dev" } },
        clickhouse: { external: { passwordSecretKey: "clickhouse_password", existingSecretName: "langsmith-clickhouse" } },
        redis: { external: { iamAuthProvider: "aws" } },
        manifests: [{ kind: "ExternalSecret", spec: { data: [{ secretKey: "jwt_secret", remoteRef: { key: ref("aws_secretsmanager_secret.jwt", "arn") } }], target: { template: { data: { connection_url: "{{ .username }}:{{ .password }}@host:5432/db" } } } } }],
      }),
      b: helm({}, { set_sensitive: [{ name: "config.apiKeySalt", value: ref("aws_secretsmanager_secret_version.salt", "secret_string") }] }),
    },
  }),
  fail("LS-SEC-001", "a password in values, in YAML, in set_sensitive", {
    helm_release: {
      a: helm({ config: { initialOrgAdminPassword: "hunter2", existingSecretName: "x" } }),
      b: helm("postgres:\n  external:\n    connectionUrl: postgres://langsmith:s3cret@db:5432/langsmith\n"),
      c: helm({}, { set_sensitive: [{ name: "config.jwtSecret", value: "abc" }] }),
    },
  }, [
    "helm_release.a: Helm values: values[0].config.initialOrgAdminPassword: a secret-looking key holds a literal value",
    "helm_release.b: Helm values: values[0].postgres.external.connectionUrl: looks like credentials inside a URL",
    "helm_release.c: Helm values: set_sensitive config.jwtSecret: set_sensitive holds a literal value",
  ]),
  pass("LS-SEC-002", "RDS-managed password, references, pointers", {
    aws_db_instance: { d: db() },
    aws_elasticache_replication_group: { r: redis({ auth_token: ref("random_password.p", "result") }) },
    aws_secretsmanager_secret: { s: { name: "ls-dev-license", kms_key_id: ref("aws_kms_key.k", "arn") } },
    kubernetes_secret_v1: { t: { metadata: { name: "x" }, data: { token: ref("aws_iam_access_key.k", "secret") } } },
  }, "development"),
  fail("LS-SEC-002", "literal password, secret string, provider key, Kubernetes Secret data, access key id in a tag", {
    aws_db_instance: { d: db({ manage_master_user_password: undefined, password: "postgres" }) },
    aws_secretsmanager_secret_version: { v: { secret_id: ref("aws_secretsmanager_secret.s"), secret_string: "my-license" } },
    kubernetes_secret_v1: { t: { metadata: { name: "x" }, data: { host: "db.internal" } } },
    aws_iam_user: { u: { name: "ci", tags: { note: "AKIAABCDEFGHIJKLMNOP" } } },
  }, [
    "aws_db_instance.d: password: a secret-looking key holds a literal value",
    "aws_iam_user.u: tags.note: looks like an AWS access key id",
    "aws_secretsmanager_secret_version.v: secret_string: a secret-looking key holds a literal value",
    "kubernetes_secret_v1.t: data.host: a Kubernetes Secret holds a literal value",
    "provider.aws: secret_key: a secret-looking key holds a literal value",
  ]),
  pass("LS-STATE-001", "prevent_destroy on production data", {
    aws_db_instance: { d: { ...db(), lifecycle: { prevent_destroy: true } } },
    aws_kms_key: { k: { enable_key_rotation: true, lifecycle: { prevent_destroy: true } } },
    aws_eks_cluster: { c: eks() },
  }, "production"),
  pass("LS-STATE-001", "development may destroy", { aws_db_instance: { d: db() } }, "development"),
  fail("LS-STATE-001", "production database, bucket and key without prevent_destroy", { aws_db_instance: { d: db() }, aws_s3_bucket: { b: { bucket: "x" } }, aws_kms_key: { k: { lifecycle: { prevent_destroy: false } } } }, [
    "aws_db_instance.d: production aws_db_instance lacks lifecycle.prevent_destroy",
    "aws_kms_key.k: production aws_kms_key lacks lifecycle.prevent_destroy",
    "aws_s3_bucket.b: production aws_s3_bucket lacks lifecycle.prevent_destroy",
  ], "production"),
];

/** The provider block some SEC-002 cases add. */
const EXTRA: Record<string, Json> = {
  "LS-IAM-011 passes: the account's own principals; no provider accounts known": { provider: { aws: [{ region: "us-west-2", allowed_account_ids: ["111111111111"] }] } },
  "LS-IAM-011 fails: a bucket and a key opened to another account": { provider: { aws: [{ region: "us-west-2", allowed_account_ids: ["111111111111"] }] } },
  "LS-ENC-011 passes: S3 backend with the state key's alias ARN; a Terraform Cloud workspace": {
    terraform: { backend: { s3: { bucket: "b", key: "k", encrypt: true, kms_key_id: "arn:aws:kms:us-west-2:111111111111:alias/b-state" } }, cloud: { organization: "o" } },
  },
  "LS-ENC-011 fails: S3 backend with encrypt and no kms_key_id": { terraform: { backend: { s3: { bucket: "b", key: "k", encrypt: true } } } },
  "LS-SEC-002 fails: literal password, secret string, provider key, Kubernetes Secret data, access key id in a tag": { provider: { aws: [{ region: "us-west-2", secret_key: "abc123" }] } },
};

describe.each(RULES.map((r) => [r.id, r] as const))("%s", (id, rule) => {
  const cases = CASES.filter((c) => c.rule === id);

  test("has a passing and a failing case, a title, a rationale and a source", () => {
    expect(cases.some((c) => c.expect.length === 0)).toBe(true);
    expect(cases.some((c) => c.expect.length > 0)).toBe(true);
    expect(rule.title.length).toBeGreaterThan(10);
    expect(rule.rationale.length).toBeGreaterThan(10);
    expect(rule.source.length).toBeGreaterThan(5);
  });

  if (cases.length > 0) {
    test.each(cases.map((c) => [c.title, c] as const))("%s", (_title, c) => {
      const found = check(id, c.input, c.tier ?? (rule.tiers.includes("development") ? "development" : "production"), EXTRA[`${id} ${c.title}`] ?? {});
      expect(found).toHaveLength(c.expect.length);
      c.expect.forEach((fragment, i) => expect(found[i]).toContain(fragment));
    });
  }
});

describe("unknown values are never violations", () => {
  test.each<[string, Json]>([
    ["LS-ENC-002", { aws_db_instance: { d: db({ storage_encrypted: "${var.encrypted}" }) } }],
    ["LS-TLS-002", { aws_db_instance: { d: db({ parameter_group_name: "${var.pg}" }) } }],
    ["LS-NET-005", { aws_eks_cluster: { c: eks({}, { endpoint_public_access: true, public_access_cidrs: "${var.cidrs}" }) } }],
    ["LS-IAM-001", { aws_iam_role_policy: { p: { policy: "${data.aws_iam_policy_document.x.json}" } } }],
    ["LS-VER-001", { helm_release: { a: helm({}, { version: "${var.chart_version}" }) } }],
    ["LS-SEC-002", { aws_db_instance: { d: db({ password: "${random_password.p.result}" }) } }],
    ["LS-BAK-001", { aws_db_instance: { d: db({ backup_retention_period: "${var.days}" }) } }],
  ])("%s", (id, input) => {
    expect(check(id, input, "production")).toEqual([]);
  });
});

describe("the rule table", () => {
  test("ids are unique, well-formed and sorted", () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => /^LS-[A-Z]+-\d{3}$/.test(id))).toBe(true);
    expect([...ids].sort()).toEqual(ids);
  });

  test("covers the issue's areas", () => {
    const areas = new Set(RULES.map((r) => r.id.split("-")[1]));
    expect([...areas].sort()).toEqual(["BAK", "ENC", "IAM", "LOG", "NET", "NODE", "SEC", "STATE", "TLS", "VER", "WAF"]);
  });
});
