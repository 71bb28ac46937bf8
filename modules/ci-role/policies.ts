/**
 * The IAM policies of an environment's CI roles, as typed documents (docs/ci-role.md explains
 * each statement). Pure data: the construct in index.ts attaches them.
 *
 * What can be scoped, is: IAM, EKS, RDS, ElastiCache, S3, Secrets Manager, ELB, WAF, Logs,
 * CloudWatch and SNS ARNs carry the resource name, so they are limited to `{prefix}-{env}-*`;
 * KMS, ACM and DLM resources get random ids, so they are limited by the `environment` tag the
 * provider's default_tags put on them; EC2 ARNs carry ids and Terraform manages some untagged
 * EC2 objects (routes, associations, the VPC's default security group), so EC2 writes are
 * limited to a list of actions in the environment's region. IAM role creation requires the
 * environment's permissions boundary, so the apply role cannot mint a role stronger than it.
 */
import { PolicyDocument, policyDocument, PolicyStatement } from "../../lib/iam";

/** Everything the policies need to know about one environment. */
export interface CiScope {
  readonly accountId: string;
  readonly region: string;
  /** `ls-dev-`: every resource name of the environment starts with it. */
  readonly resourcePrefix: string;
  /** `ls-dev-ci-`: the CI roles' own names and policies (never writable by the apply role). */
  readonly ciPrefix: string;
  /** ARN of the permissions boundary every role the apply role creates must carry. */
  readonly boundaryPolicyArn: string;
  /** Value of the `environment` tag (provider default_tags) on the environment's resources. */
  readonly environmentTag: string;
  /**
   * The environment protects its data (`protectsData(env)`, production): the apply role is then
   * denied deleting databases, caches, buckets, secrets and scheduling key deletion.
   * @default false
   */
  readonly protectData?: boolean;
  /** The LangSmith hostname and its Route 53 zone (ACM validation and the alias record). */
  readonly hostname: string;
  readonly hostedZoneId: string;
  /**
   * The other names on the environment's ALB and certificate (Langfuse's `langfuse.hostname`),
   * in the same zones. @default none
   */
  readonly otherHostnames?: readonly string[];
  /** The zone of the certificate's validation records when it is not `hostedZoneId` (`dns.certificateValidationZoneId`). @default hostedZoneId */
  readonly validationZoneId?: string;
  readonly state: {
    /** State bucket name: DynamoDB lock items are keyed `<bucket>/<key>` (LockID). */
    readonly bucket: string;
    readonly bucketArn: string;
    readonly key: string;
    readonly kmsKeyArn: string;
    /** DynamoDB lock table ARN, when the environment locks with DynamoDB. */
    readonly lockTableArn?: string;
  };
}

/**
 * Read-only actions for `terraform plan` (refresh) of every resource type the stack manages.
 * Describe/List/Get calls mostly do not support resource-level permissions, hence `*`.
 */
export const READ_ACTIONS = [
  "acm:DescribeCertificate", "acm:ListCertificates", "acm:ListTagsForCertificate",
  "autoscaling:Describe*",
  "cloudwatch:DescribeAlarms", "cloudwatch:GetDashboard", "cloudwatch:ListDashboards", "cloudwatch:ListTagsForResource",
  "dlm:GetLifecyclePolicies", "dlm:GetLifecyclePolicy", "dlm:ListTagsForResource",
  "ec2:Describe*", "ec2:GetLaunchTemplateData",
  "eks:Describe*", "eks:List*",
  "elasticache:Describe*", "elasticache:ListTagsForResource",
  "elasticloadbalancing:Describe*",
  "iam:GetInstanceProfile", "iam:GetOpenIDConnectProvider", "iam:GetPolicy", "iam:GetPolicyVersion", "iam:GetRole", "iam:GetRolePolicy",
  "iam:ListAttachedRolePolicies", "iam:ListInstanceProfilesForRole", "iam:ListOpenIDConnectProviders", "iam:ListPolicyVersions", "iam:ListRolePolicies",
  "kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListAliases", "kms:ListResourceTags",
  "logs:DescribeLogGroups", "logs:DescribeResourcePolicies", "logs:ListTagsForResource", "logs:ListTagsLogGroup",
  "rds:Describe*", "rds:ListTagsForResource",
  "route53:GetChange", "route53:GetHealthCheck", "route53:GetHostedZone", "route53:ListResourceRecordSets", "route53:ListTagsForResource",
  "s3:GetAccelerateConfiguration", "s3:GetBucket*", "s3:GetEncryptionConfiguration", "s3:GetLifecycleConfiguration", "s3:GetReplicationConfiguration",
  // ListSecretVersionIds: the release preconditions check a secret has a value (metadata only, modules/langsmith-release).
  "secretsmanager:DescribeSecret", "secretsmanager:GetResourcePolicy", "secretsmanager:ListSecretVersionIds",
  "sns:GetSubscriptionAttributes", "sns:GetTopicAttributes", "sns:ListSubscriptionsByTopic", "sns:ListTagsForResource",
  "sts:GetCallerIdentity",
  "wafv2:Get*", "wafv2:List*",
] as const;

export function readPolicy(s: Pick<CiScope, "resourcePrefix">): PolicyDocument {
  return policyDocument(
    { Sid: "ReadForRefresh", Effect: "Allow", Action: READ_ACTIONS, Resource: "*" },
    // HeadBucket (every S3 bucket refresh) needs s3:ListBucket: the environment's buckets only.
    { Sid: "HeadOwnBuckets", Effect: "Allow", Action: "s3:ListBucket", Resource: `arn:aws:s3:::${s.resourcePrefix}*` },
  );
}

/**
 * The environment's state: its key (read; write too for apply), the lock (`<key>.tflock`
 * object or DynamoDB items), the state CMK. Terraform's S3 backend documents these actions.
 */
export function statePolicy(s: CiScope, access: "plan" | "apply"): PolicyDocument {
  const { bucket, bucketArn, key, kmsKeyArn, lockTableArn } = s.state;
  const statements: PolicyStatement[] = [
    { Sid: "ListStateBucket", Effect: "Allow", Action: "s3:ListBucket", Resource: bucketArn },
    // A plan reads the state and never writes it; only apply may replace the state object.
    { Sid: "StateObject", Effect: "Allow", Action: access === "apply" ? ["s3:GetObject", "s3:PutObject"] : "s3:GetObject", Resource: `${bucketArn}/${key}` },
    { Sid: "StateLockfile", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource: `${bucketArn}/${key}.tflock` },
    // The state CMK through S3 (state and lockfile objects) and DynamoDB (the lock table) only: the
    // backend names it by alias ARN in `kms_key_id` (stacks/backend.ts), S3 calls KMS as the caller.
    {
      Sid: "StateKeyThroughS3AndDynamodb",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey"],
      Resource: kmsKeyArn,
      Condition: { StringEquals: { "kms:ViaService": [`s3.${s.region}.amazonaws.com`, `dynamodb.${s.region}.amazonaws.com`] } },
    },
  ];
  if (lockTableArn) {
    // One lock table serves every environment of the account: an environment's roles touch only
    // its own items, the lock (`<bucket>/<key>`) and the state digest (`<bucket>/<key>-md5`), the
    // LockIDs of Terraform's S3 backend. DescribeTable names no item (ForAllValues of no key holds).
    statements.push({
      Sid: "StateLockItems",
      Effect: "Allow",
      Action: ["dynamodb:DeleteItem", "dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem"],
      Resource: lockTableArn,
      Condition: { "ForAllValues:StringEquals": { "dynamodb:LeadingKeys": [`${bucket}/${key}`, `${bucket}/${key}-md5`] } },
    });
  }
  return policyDocument(...statements);
}

/** EC2 writes of the network module and the node launch templates, in the environment's region. */
export const EC2_WRITE_ACTIONS = [
  "ec2:AllocateAddress", "ec2:AssociateAddress", "ec2:DisassociateAddress", "ec2:ReleaseAddress",
  "ec2:CreateVpc", "ec2:DeleteVpc", "ec2:ModifyVpcAttribute",
  "ec2:CreateSubnet", "ec2:DeleteSubnet", "ec2:ModifySubnetAttribute",
  "ec2:CreateInternetGateway", "ec2:DeleteInternetGateway", "ec2:AttachInternetGateway", "ec2:DetachInternetGateway",
  "ec2:CreateNatGateway", "ec2:DeleteNatGateway",
  "ec2:CreateRouteTable", "ec2:DeleteRouteTable", "ec2:AssociateRouteTable", "ec2:DisassociateRouteTable", "ec2:ReplaceRouteTableAssociation",
  "ec2:CreateRoute", "ec2:DeleteRoute", "ec2:ReplaceRoute",
  "ec2:CreateSecurityGroup", "ec2:DeleteSecurityGroup", "ec2:ModifySecurityGroupRules",
  "ec2:AuthorizeSecurityGroupEgress", "ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupEgress", "ec2:RevokeSecurityGroupIngress",
  "ec2:UpdateSecurityGroupRuleDescriptionsEgress", "ec2:UpdateSecurityGroupRuleDescriptionsIngress",
  "ec2:CreateLaunchTemplate", "ec2:CreateLaunchTemplateVersion", "ec2:DeleteLaunchTemplate", "ec2:DeleteLaunchTemplateVersions", "ec2:ModifyLaunchTemplate",
  "ec2:CreateVpcEndpoint", "ec2:DeleteVpcEndpoints", "ec2:ModifyVpcEndpoint",
  "ec2:CreateFlowLogs", "ec2:DeleteFlowLogs",
  "ec2:CreateTags", "ec2:DeleteTags",
] as const;

export function networkPolicy(s: CiScope): PolicyDocument {
  return policyDocument({
    Sid: "Ec2WritesInRegion",
    Effect: "Allow",
    Action: EC2_WRITE_ACTIONS,
    Resource: "*",
    Condition: { StringEquals: { "aws:RequestedRegion": s.region } },
  });
}

/** Services whose service-linked roles the first apply of an account may have to create. */
export const SERVICE_LINKED_ROLES = [
  "eks.amazonaws.com",
  "eks-nodegroup.amazonaws.com",
  "autoscaling.amazonaws.com",
  "elasticloadbalancing.amazonaws.com",
  "rds.amazonaws.com",
  "elasticache.amazonaws.com",
  "wafv2.amazonaws.com",
] as const;

/** Services the environment's roles are passed to (cluster, nodes, flow logs, RDS monitoring, DLM). */
export const PASS_ROLE_SERVICES = ["eks.amazonaws.com", "ec2.amazonaws.com", "vpc-flow-logs.amazonaws.com", "monitoring.rds.amazonaws.com", "dlm.amazonaws.com"] as const;

/** IAM for the environment's roles (always with the boundary), the EKS cluster and its OIDC provider. */
export function iamEksPolicy(s: CiScope): PolicyDocument {
  const iam = `arn:aws:iam::${s.accountId}`;
  const eks = `arn:aws:eks:${s.region}:${s.accountId}`;
  const p = s.resourcePrefix;
  const withBoundary = { StringEquals: { "iam:PermissionsBoundary": s.boundaryPolicyArn } };
  return policyDocument(
    {
      Sid: "RolesOnlyWithBoundary",
      Effect: "Allow",
      Action: ["iam:CreateRole", "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:PutRolePermissionsBoundary"],
      Resource: `${iam}:role/${p}*`,
      Condition: withBoundary,
    },
    {
      Sid: "AttachOnlyOwnOrAwsManagedPolicies",
      Effect: "Allow",
      Action: ["iam:AttachRolePolicy", "iam:DetachRolePolicy"],
      Resource: `${iam}:role/${p}*`,
      Condition: { ...withBoundary, ArnLike: { "iam:PolicyARN": ["arn:aws:iam::aws:policy/*", `${iam}:policy/${p}*`] } },
    },
    {
      Sid: "ManageOwnRoles",
      Effect: "Allow",
      Action: ["iam:DeleteRole", "iam:TagRole", "iam:UntagRole", "iam:UpdateAssumeRolePolicy", "iam:UpdateRole", "iam:UpdateRoleDescription"],
      Resource: `${iam}:role/${p}*`,
    },
    {
      Sid: "ManageOwnPoliciesAndInstanceProfiles",
      Effect: "Allow",
      Action: [
        "iam:CreatePolicy", "iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion", "iam:TagPolicy", "iam:UntagPolicy",
        "iam:AddRoleToInstanceProfile", "iam:CreateInstanceProfile", "iam:DeleteInstanceProfile", "iam:RemoveRoleFromInstanceProfile", "iam:TagInstanceProfile",
      ],
      Resource: [`${iam}:policy/${p}*`, `${iam}:instance-profile/${p}*`],
    },
    {
      Sid: "PassOwnRolesToTheirServices",
      Effect: "Allow",
      Action: "iam:PassRole",
      Resource: `${iam}:role/${p}*`,
      Condition: { StringEquals: { "iam:PassedToService": PASS_ROLE_SERVICES } },
    },
    {
      // The cluster's issuer id is unknown before the cluster exists: scoped to EKS issuers of the region.
      Sid: "ClusterOidcProvider",
      Effect: "Allow",
      Action: ["iam:CreateOpenIDConnectProvider", "iam:DeleteOpenIDConnectProvider", "iam:TagOpenIDConnectProvider", "iam:UntagOpenIDConnectProvider", "iam:UpdateOpenIDConnectProviderThumbprint"],
      Resource: `${iam}:oidc-provider/oidc.eks.${s.region}.amazonaws.com/id/*`,
    },
    {
      Sid: "ServiceLinkedRoles",
      Effect: "Allow",
      Action: "iam:CreateServiceLinkedRole",
      Resource: `${iam}:role/aws-service-role/*`,
      Condition: { StringEquals: { "iam:AWSServiceName": SERVICE_LINKED_ROLES } },
    },
    {
      Sid: "OwnCluster",
      Effect: "Allow",
      Action: "eks:*",
      Resource: [
        `${eks}:cluster/${p}*`,
        `${eks}:nodegroup/${p}*/*/*`,
        `${eks}:addon/${p}*/*/*`,
        `${eks}:access-entry/${p}*/*`,
        `${eks}:podidentityassociation/${p}*/*`,
        "arn:aws:eks::aws:cluster-access-policy/*",
      ],
    },
    {
      Sid: "NeverTheCiRolesOrTheBoundary",
      Effect: "Deny",
      Action: ["iam:Add*", "iam:Attach*", "iam:Create*", "iam:Delete*", "iam:Detach*", "iam:PassRole", "iam:Put*", "iam:Remove*", "iam:SetDefaultPolicyVersion", "iam:Tag*", "iam:Untag*", "iam:Update*"],
      Resource: [`${iam}:role/${s.ciPrefix}*`, `${iam}:policy/${s.ciPrefix}*`],
    },
    { Sid: "NeverDropABoundary", Effect: "Deny", Action: "iam:DeleteRolePermissionsBoundary", Resource: "*" },
    // A role it created could name it in its trust policy; same-account trust needs no identity grant.
    { Sid: "NoRoleHopping", Effect: "Deny", Action: "sts:AssumeRole", Resource: "*" },
  );
}

/** RDS, ElastiCache, S3 buckets (not their objects), KMS keys and Secrets Manager secrets. */
export function dataPolicy(s: CiScope): PolicyDocument {
  const rds = `arn:aws:rds:${s.region}:${s.accountId}`;
  const cache = `arn:aws:elasticache:${s.region}:${s.accountId}`;
  // Any region: the Route 53 health-check alarm, its topic and the topic's key live in us-east-1.
  const kms = `arn:aws:kms:*:${s.accountId}`;
  const secret = `arn:aws:secretsmanager:${s.region}:${s.accountId}:secret`;
  const p = s.resourcePrefix;
  const base = p.replace(/-$/, "");
  const tagged = { StringEquals: { "aws:ResourceTag/environment": s.environmentTag } };
  return policyDocument(
    {
      Sid: "OwnDatabases",
      Effect: "Allow",
      Action: "rds:*",
      Resource: [
        `${rds}:db:${p}*`, `${rds}:cluster:${p}*`, `${rds}:subgrp:${p}*`, `${rds}:pg:${p}*`, `${rds}:cluster-pg:${p}*`,
        `${rds}:snapshot:${p}*`, `${rds}:cluster-snapshot:${p}*`, `${rds}:og:default:*`,
      ],
    },
    {
      // manage_master_user_password: RDS creates the master secret (`rds!db-...`) as the caller.
      Sid: "RdsManagedMasterSecret",
      Effect: "Allow",
      Action: ["secretsmanager:CreateSecret", "secretsmanager:DeleteSecret", "secretsmanager:RotateSecret", "secretsmanager:TagResource"],
      Resource: `${secret}:rds!*`,
    },
    {
      Sid: "OwnCaches",
      Effect: "Allow",
      Action: "elasticache:*",
      Resource: [
        `${cache}:replicationgroup:${p}*`, `${cache}:cluster:${p}*`, `${cache}:subnetgroup:${p}*`, `${cache}:parametergroup:${p}*`,
        `${cache}:user:${p}*`, `${cache}:usergroup:${p}*`, `${cache}:snapshot:${p}*`, `${cache}:parametergroup:default.*`,
      ],
    },
    {
      // Bucket configuration only: no object read, write or delete (blob payloads stay out of CI's reach).
      Sid: "OwnBucketsConfiguration",
      Effect: "Allow",
      Action: [
        "s3:CreateBucket", "s3:DeleteBucket", "s3:DeleteBucketPolicy", "s3:DeleteBucketOwnershipControls", "s3:ListBucket", "s3:ListBucketVersions",
        "s3:PutBucket*", "s3:PutEncryptionConfiguration", "s3:PutLifecycleConfiguration",
      ],
      Resource: `arn:aws:s3:::${p}*`,
    },
    { Sid: "CreateTaggedKeys", Effect: "Allow", Action: "kms:CreateKey", Resource: "*", Condition: { StringEquals: { "aws:RequestTag/environment": s.environmentTag } } },
    {
      Sid: "ManageTaggedKeys",
      Effect: "Allow",
      Action: [
        "kms:CancelKeyDeletion", "kms:CreateAlias", "kms:CreateGrant", "kms:Decrypt", "kms:DeleteAlias", "kms:EnableKeyRotation", "kms:Encrypt",
        "kms:GenerateDataKey*", "kms:ListGrants", "kms:PutKeyPolicy", "kms:ReEncrypt*", "kms:RetireGrant", "kms:ScheduleKeyDeletion",
        "kms:TagResource", "kms:UntagResource", "kms:UpdateKeyDescription",
      ],
      Resource: `${kms}:key/*`,
      Condition: tagged,
    },
    { Sid: "OwnAliases", Effect: "Allow", Action: ["kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"], Resource: `${kms}:alias/${p}*` },
    {
      // Secrets are created without a value: no GetSecretValue or PutSecretValue for CI.
      Sid: "OwnSecretsWithoutValues",
      Effect: "Allow",
      Action: [
        "secretsmanager:CreateSecret", "secretsmanager:DeleteResourcePolicy", "secretsmanager:DeleteSecret", "secretsmanager:PutResourcePolicy",
        "secretsmanager:RestoreSecret", "secretsmanager:TagResource", "secretsmanager:UntagResource", "secretsmanager:UpdateSecret",
      ],
      // Secrets are named `<prefix>-<env>/langsmith/<id>` (lib/secrets/catalog.ts).
      Resource: [`${secret}:${base}/*`, `${secret}:${p}*`],
    },
  );
}

/**
 * What the apply role of an environment that protects its data may never do, whatever else it is
 * allowed: delete a database, cache, bucket or secret, or schedule a key's deletion. Removing one
 * is a break-glass act by an administrator (docs/ci-role.md), never a reviewed `apply`.
 */
export function protectDataPolicy(s: CiScope): PolicyDocument {
  const cache = `arn:aws:elasticache:${s.region}:${s.accountId}`;
  const secret = `arn:aws:secretsmanager:${s.region}:${s.accountId}:secret`;
  const p = s.resourcePrefix;
  return policyDocument(
    { Sid: "NeverScheduleKeyDeletion", Effect: "Deny", Action: "kms:ScheduleKeyDeletion", Resource: "*" },
    {
      Sid: "NeverDeleteDatabases",
      Effect: "Deny",
      Action: ["rds:DeleteDBCluster", "rds:DeleteDBClusterSnapshot", "rds:DeleteDBInstance", "rds:DeleteDBInstanceAutomatedBackup", "rds:DeleteDBSnapshot"],
      Resource: "*",
    },
    {
      // Replication groups, clusters, snapshots and serverless caches; users and parameter groups may be replaced.
      Sid: "NeverDeleteCaches",
      Effect: "Deny",
      Action: ["elasticache:DeleteCacheCluster", "elasticache:DeleteReplicationGroup", "elasticache:DeleteServerlessCache", "elasticache:DeleteSnapshot"],
      Resource: [`${cache}:replicationgroup:*`, `${cache}:cluster:*`, `${cache}:snapshot:*`, `${cache}:serverlesscache:*`],
    },
    { Sid: "NeverDeleteBuckets", Effect: "Deny", Action: "s3:DeleteBucket", Resource: `arn:aws:s3:::${p}*` },
    { Sid: "NeverDeleteSecrets", Effect: "Deny", Action: "secretsmanager:DeleteSecret", Resource: `${secret}:*` },
  );
}

/** ALB, WAF, certificate, DNS records of the hostname, log groups, alarms, dashboards, SNS, DLM. */
export function edgePolicy(s: CiScope): PolicyDocument {
  const elb = `arn:aws:elasticloadbalancing:${s.region}:${s.accountId}`;
  const waf = `arn:aws:wafv2:${s.region}:${s.accountId}:regional`;
  const p = s.resourcePrefix;
  const requestTagged = { StringEquals: { "aws:RequestTag/environment": s.environmentTag } };
  const tagged = { StringEquals: { "aws:ResourceTag/environment": s.environmentTag } };
  return policyDocument(
    {
      Sid: "OwnLoadBalancer",
      Effect: "Allow",
      Action: "elasticloadbalancing:*",
      Resource: [`${elb}:loadbalancer/app/${p}*/*`, `${elb}:targetgroup/${p}*/*`, `${elb}:listener/app/${p}*/*/*`, `${elb}:listener-rule/app/${p}*/*/*/*`],
    },
    {
      Sid: "OwnWebAcl",
      Effect: "Allow",
      Action: "wafv2:*",
      Resource: [`${waf}/webacl/${p}*/*`, `${waf}/ipset/${p}*/*`, `${waf}/rulegroup/${p}*/*`, `${waf}/managedruleset/*/*`],
    },
    { Sid: "RequestTaggedCertificate", Effect: "Allow", Action: ["acm:AddTagsToCertificate", "acm:RequestCertificate"], Resource: "*", Condition: requestTagged },
    {
      Sid: "ManageTaggedCertificate",
      Effect: "Allow",
      Action: ["acm:AddTagsToCertificate", "acm:DeleteCertificate", "acm:RemoveTagsFromCertificate", "acm:UpdateCertificateOptions"],
      Resource: `arn:aws:acm:${s.region}:${s.accountId}:certificate/*`,
      Condition: tagged,
    },
    {
      // Only the environment's names and names under them (ACM validation records are `_<token>.<hostname>`).
      Sid: "RecordsOfTheHostname",
      Effect: "Allow",
      Action: "route53:ChangeResourceRecordSets",
      Resource: oneOrMany([...new Set([s.hostedZoneId, s.validationZoneId ?? s.hostedZoneId])].map((z) => `arn:aws:route53:::hostedzone/${z}`)),
      Condition: { "ForAllValues:StringLike": { "route53:ChangeResourceRecordSetsNormalizedRecordNames": [s.hostname, ...(s.otherHostnames ?? [])].flatMap((h) => [h, `*.${h}`]) } },
    },
    {
      // Health-check ids are random and Route 53 has no tag conditions: any health check of the account.
      Sid: "HealthChecks",
      Effect: "Allow",
      Action: ["route53:ChangeTagsForResource", "route53:DeleteHealthCheck", "route53:UpdateHealthCheck"],
      Resource: "arn:aws:route53:::healthcheck/*",
    },
    { Sid: "CreateHealthChecks", Effect: "Allow", Action: "route53:CreateHealthCheck", Resource: "*" },
    {
      Sid: "OwnLogGroups",
      Effect: "Allow",
      Action: [
        "logs:AssociateKmsKey", "logs:CreateLogGroup", "logs:DeleteLogGroup", "logs:DeleteRetentionPolicy", "logs:DisassociateKmsKey",
        "logs:PutRetentionPolicy", "logs:TagLogGroup", "logs:TagResource", "logs:UntagLogGroup", "logs:UntagResource",
      ],
      // Log group names are fixed by their services (/aws/eks/<cluster>/cluster, aws-waf-logs-*), so the prefix is matched anywhere.
      Resource: `arn:aws:logs:${s.region}:${s.accountId}:log-group:*${p}*`,
    },
    {
      // WAF logging to CloudWatch Logs goes through vended-log deliveries, which have no resource ARN.
      Sid: "VendedLogDelivery",
      Effect: "Allow",
      Action: ["logs:CreateLogDelivery", "logs:DeleteLogDelivery", "logs:DeleteResourcePolicy", "logs:GetLogDelivery", "logs:ListLogDeliveries", "logs:PutResourcePolicy", "logs:UpdateLogDelivery"],
      Resource: "*",
      Condition: { StringEquals: { "aws:RequestedRegion": s.region } },
    },
    {
      Sid: "OwnAlarmsAndDashboards",
      Effect: "Allow",
      Action: ["cloudwatch:DeleteAlarms", "cloudwatch:DeleteDashboards", "cloudwatch:PutDashboard", "cloudwatch:PutMetricAlarm", "cloudwatch:TagResource", "cloudwatch:UntagResource"],
      // Any region: the Route 53 health-check alarm must be in us-east-1, where its metrics are.
      Resource: [`arn:aws:cloudwatch:*:${s.accountId}:alarm:${p}*`, `arn:aws:cloudwatch::${s.accountId}:dashboard/${p}*`],
    },
    {
      Sid: "OwnTopics",
      Effect: "Allow",
      Action: ["sns:CreateTopic", "sns:DeleteTopic", "sns:SetTopicAttributes", "sns:Subscribe", "sns:TagResource", "sns:Unsubscribe", "sns:UntagResource"],
      Resource: `arn:aws:sns:*:${s.accountId}:${p}*`,
    },
    { Sid: "CreateTaggedSnapshotPolicies", Effect: "Allow", Action: ["dlm:CreateLifecyclePolicy", "dlm:TagResource"], Resource: "*", Condition: requestTagged },
    {
      Sid: "ManageTaggedSnapshotPolicies",
      Effect: "Allow",
      Action: ["dlm:DeleteLifecyclePolicy", "dlm:TagResource", "dlm:UntagResource", "dlm:UpdateLifecyclePolicy"],
      Resource: `arn:aws:dlm:${s.region}:${s.accountId}:policy/*`,
      Condition: tagged,
    },
  );
}

/**
 * The permissions boundary of every role the environment stack creates: the most its
 * workloads (cluster, nodes, add-ons, LangSmith, flow logs, RDS monitoring, DLM) may ever do.
 * No IAM beyond service-linked roles and server-certificate reads, no Systems Manager sessions,
 * no WAF or Shield (the load balancer controller's WAF features are off), no Route 53 (Terraform
 * owns the only record), KMS only on the environment's tagged keys, CloudWatch Logs only on the
 * environment's log groups, load balancer writes only on its target groups.
 */
/**
 * S3 a workload role may ever be granted on the environment's buckets: what the LangSmith and
 * Langfuse roles use (objects, listing, multipart), nothing on the bucket's configuration or policy
 * and no `s3:DeleteObjectVersion`, so no pod can purge the versions that are the buckets' recovery.
 */
export const BOUNDARY_S3_ACTIONS = [
  "s3:AbortMultipartUpload", "s3:DeleteObject", "s3:GetBucketLocation", "s3:GetObject", "s3:ListBucket",
  "s3:ListBucketMultipartUploads", "s3:ListMultipartUploadParts", "s3:PutObject",
] as const;

export function boundaryPolicy(s: Pick<CiScope, "accountId" | "region" | "resourcePrefix" | "environmentTag">): PolicyDocument {
  const p = s.resourcePrefix;
  const logs = `arn:aws:logs:${s.region}:${s.accountId}:log-group`;
  return policyDocument(
    {
      Sid: "WorkloadServices",
      Effect: "Allow",
      Action: [
        "acm:DescribeCertificate", "acm:ListCertificates", "autoscaling:*", "cloudwatch:*", "cognito-idp:DescribeUserPoolClient",
        "ec2:*", "ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:DescribeImages", "ecr:DescribeRepositories",
        "ecr:GetAuthorizationToken", "ecr:GetDownloadUrlForLayer", "eks-auth:AssumeRoleForPodIdentity", "eks:Describe*", "eks:List*",
        "elasticache:Connect", "elasticache:Describe*", "elasticloadbalancing:Describe*", "iam:CreateServiceLinkedRole", "iam:GetServerCertificate",
        "iam:ListServerCertificates", "logs:DescribeLogGroups", "secretsmanager:ListSecrets", "tag:GetResources", "xray:*",
      ],
      Resource: "*",
    },
    {
      // The load balancer controller registers pods into the environment's target group (TargetGroupBinding).
      Sid: "OwnTargetGroups",
      Effect: "Allow",
      Action: ["elasticloadbalancing:DeregisterTargets", "elasticloadbalancing:RegisterTargets"],
      Resource: `arn:aws:elasticloadbalancing:${s.region}:${s.accountId}:targetgroup/${p}*/*`,
    },
    {
      // Flow logs, the CloudWatch agent and Fluent Bit (/aws/containerinsights/<cluster>/...), RDS
      // Enhanced Monitoring (its fixed group RDSOSMetrics). No DeleteLogGroup: Terraform deletes groups.
      Sid: "OwnLogGroups",
      Effect: "Allow",
      Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogStreams", "logs:GetLogEvents", "logs:PutLogEvents", "logs:PutRetentionPolicy"],
      Resource: [`${logs}:*${p}*`, `${logs}:*${p}*:log-stream:*`, `${logs}:RDSOSMetrics`, `${logs}:RDSOSMetrics:log-stream:*`],
    },
    {
      // IAM database authentication (LangSmith's application user): database users of the region.
      Sid: "ConnectAsDatabaseUsers",
      Effect: "Allow",
      Action: "rds-db:connect",
      Resource: `arn:aws:rds-db:${s.region}:${s.accountId}:dbuser:*/*`,
    },
    {
      // The environment's customer-managed keys carry its `environment` tag (provider default_tags).
      Sid: "OwnTaggedKeys",
      Effect: "Allow",
      Action: ["kms:CreateGrant", "kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ListGrants", "kms:ReEncrypt*", "kms:RevokeGrant"],
      Resource: `arn:aws:kms:*:${s.accountId}:key/*`,
      Condition: { StringEquals: { "aws:ResourceTag/environment": s.environmentTag } },
    },
    { Sid: "OwnBucketsObjects", Effect: "Allow", Action: [...BOUNDARY_S3_ACTIONS], Resource: [`arn:aws:s3:::${p}*`, `arn:aws:s3:::${p}*/*`] },
    {
      // Only the secret stores are granted these (and the secrets' own policies deny the rest: modules/secrets).
      Sid: "OwnSecrets",
      Effect: "Allow",
      Action: ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"],
      Resource: [
        `arn:aws:secretsmanager:${s.region}:${s.accountId}:secret:${p}*`,
        `arn:aws:secretsmanager:${s.region}:${s.accountId}:secret:${p.replace(/-$/, "")}/*`,
        `arn:aws:secretsmanager:${s.region}:${s.accountId}:secret:rds!*`,
      ],
    },
  );
}

/** A single resource stays a string (the policy text of an environment with one zone is unchanged). */
function oneOrMany(resources: string[]): string | string[] {
  return resources.length === 1 ? resources[0] : resources;
}
