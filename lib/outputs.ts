/**
 * The outputs contract of an environment stack: the Terraform output names, declared once.
 * `stacks/langsmith-stack.ts` declares each `TerraformOutput` under one of these names, and
 * `verify` reads them back (from cdktf.out or `terraform output -json`), so renaming an output
 * here renames both sides; nobody else writes an output name by hand (a hygiene test checks).
 */
export const STACK_OUTPUTS = {
  vpcId: "vpc_id",
  privateSubnetIds: "private_subnet_ids",
  region: "region",
  hostname: "hostname",
  clusterName: "cluster_name",
  clusterEndpoint: "cluster_endpoint",
  oidcIssuer: "oidc_issuer",
  oidcProviderArn: "oidc_provider_arn",
  nodeSecurityGroupId: "node_security_group_id",
  postgresIdentifier: "postgres_identifier",
  /** `instance` (RDS) or `cluster` (Aurora): lib/naming.ts postgresKind. */
  postgresKind: "postgres_kind",
  redisReplicationGroupId: "redis_replication_group_id",
  /** Absent when blob storage is off. */
  blobBucketName: "blob_bucket_name",
  /** Absent when LangSmith does not run. */
  appRoleArn: "langsmith_app_role_arn",
  targetGroupArn: "alb_target_group_arn",
  albDnsName: "alb_dns_name",
  url: "url",
  alarmTopicArn: "alarm_topic_arn",
  secretNames: "secret_names",
  kubeconfigCommand: "kubeconfig_command",
  /** Present only when Langfuse runs (`applications` includes "langfuse"): its URL, bucket, IRSA role and target group. */
  langfuseUrl: "langfuse_url",
  langfuseBucketName: "langfuse_bucket_name",
  langfuseRoleArn: "langfuse_role_arn",
  langfuseTargetGroupArn: "langfuse_target_group_arn",
} as const;

export type StackOutput = keyof typeof STACK_OUTPUTS;
