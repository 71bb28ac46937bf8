import { Construct } from "constructs";
import { TerraformProvider } from "cdktf";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { accountRootArn, policyDocument, policyJson, PolicyStatement } from "../../lib/iam";
import { EnvironmentIdentity } from "../../lib/config/schema";
import { Namer } from "../../lib/naming";

export interface ServiceUse {
  /** e.g. `logs.us-west-2.amazonaws.com` */
  readonly principal: string;
  readonly condition: NonNullable<PolicyStatement["Condition"]>;
  /**
   * What the service does with the key.
   * @default SERVICE_KEY_ACTIONS (CloudWatch Logs' documented set)
   */
  readonly actions?: readonly string[];
}

/** CloudWatch Logs' documented key-policy actions for a log group's key. */
export const SERVICE_KEY_ACTIONS = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"] as const;

/** CloudWatch Logs of this account and region may use the key for its log groups. */
export function logsServiceUse(region: string, accountId: string): ServiceUse {
  return {
    principal: `logs.${region}.amazonaws.com`,
    condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${region}:${accountId}:*` } },
  };
}

/** Key administration, without any cryptographic use (no Encrypt, Decrypt, GenerateDataKey, CreateGrant). */
export const KEY_ADMIN_ACTIONS = [
  "kms:CancelKeyDeletion", "kms:CreateAlias", "kms:DeleteAlias", "kms:DescribeKey", "kms:DisableKey", "kms:DisableKeyRotation",
  "kms:EnableKey", "kms:EnableKeyRotation", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListAliases", "kms:ListGrants",
  "kms:ListKeyPolicies", "kms:ListKeyRotations", "kms:ListResourceTags", "kms:PutKeyPolicy", "kms:RevokeGrant", "kms:RotateKeyOnDemand",
  "kms:ScheduleKeyDeletion", "kms:TagResource", "kms:UntagResource", "kms:UpdateAlias", "kms:UpdateKeyDescription",
] as const;

/** Cryptographic use of a key. */
export const KEY_USE_ACTIONS = ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"] as const;

/**
 * Services (short names, `kms:ViaService` = `<service>.<region>.amazonaws.com`) that encrypt with
 * each kind of key: a key names only the services of what it encrypts, so a principal with
 * kms:Decrypt cannot use the blob key through Secrets Manager or the secrets key through S3.
 */
export const KEY_SERVICES = {
  /** S3 buckets (SSE-KMS with a bucket key). */
  bucket: ["s3"],
  /** RDS storage and Performance Insights, and the RDS-managed master user secret. */
  postgres: ["rds", "secretsmanager"],
  /** ElastiCache storage and snapshots. */
  redis: ["elasticache"],
  /** Secrets Manager secrets. */
  secrets: ["secretsmanager"],
  /** EBS volumes and snapshots (EC2). */
  ebs: ["ec2"],
  /** CloudWatch Logs log groups (the logs service principal also uses it: logsServiceUse). */
  logs: ["logs"],
  /** SNS topics (CloudWatch alarms publish with their own service statement). */
  topic: ["sns"],
  /** Terraform state: the S3 object and the DynamoDB lock table. */
  state: ["s3", "dynamodb"],
} as const satisfies Record<string, readonly string[]>;

export interface CustomerManagedKeyProps {
  /** Alias without the `alias/` prefix, e.g. `ls-dev-logs`. */
  readonly alias: string;
  readonly description: string;
  readonly accountId: string;
  readonly region: string;
  /**
   * AWS services that use the key directly, each with the condition that scopes it to this
   * account (e.g. CloudWatch Logs with `kms:EncryptionContext:aws:logs:arn`).
   * @default []
   */
  readonly services?: readonly ServiceUse[];
  /**
   * Keep the key through `terraform destroy` (production).
   * @default false
   */
  readonly preventDestroy?: boolean;
  /** @default 30 */
  readonly deletionWindowDays?: number;
  /**
   * Services (short names, e.g. `s3`: a `KEY_SERVICES` entry) through which IAM principals of the
   * account may use the key (`kms:ViaService` = `<service>.<region>.amazonaws.com`): only the
   * services of what the key encrypts. `"direct"`: any call, for a key an AWS service uses with the
   * caller's own role (EKS envelope encryption of secrets with the cluster role). Required: a key
   * usable through every service the stacks use lets a role with kms:Decrypt on it read the data
   * through a service the key was never meant for.
   */
  readonly usedThrough: readonly string[] | "direct";
  /**
   * Provider of another region (KMS keys are regional), e.g. the us-east-1 provider for a key
   * used by global-service alarms.
   * @default the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
}

/**
 * A customer-managed KMS key with rotation on, administered by the account (IAM policies
 * grant use), optionally usable by named AWS services within this account.
 */
export class CustomerManagedKey extends Construct {
  readonly key: KmsKey;
  readonly keyArn: string;
  readonly keyId: string;

  constructor(scope: Construct, id: string, props: CustomerManagedKeyProps) {
    super(scope, id);
    const partition = "aws";
    // Key policies name the key itself as "*". The account root statements delegate to IAM:
    // administration without any cryptographic use, and use only through the AWS services that
    // encrypt with it (kms:ViaService), plus grants for AWS resources (EBS attachments, RDS).
    const root = { AWS: accountRootArn(partition, props.accountId) };
    const through = props.usedThrough;
    if (through !== "direct" && through.length === 0) throw new Error(`kms key ${props.alias}: usedThrough must name at least one service (KEY_SERVICES) or be "direct"`);
    const statements: PolicyStatement[] = [
      { Sid: "AccountAdministersWithoutUse", Effect: "Allow", Principal: root, Action: [...KEY_ADMIN_ACTIONS], Resource: "*" },
      {
        Sid: through === "direct" ? "AccountUses" : "AccountUsesThroughServices",
        Effect: "Allow",
        Principal: root,
        Action: [...KEY_USE_ACTIONS],
        Resource: "*",
        Condition:
          through === "direct"
            ? { StringEquals: { "kms:CallerAccount": props.accountId } }
            : { StringEquals: { "kms:CallerAccount": props.accountId, "kms:ViaService": through.map((s) => `${s}.${props.region}.amazonaws.com`) } },
      },
      {
        Sid: "GrantsForAwsResources",
        Effect: "Allow",
        Principal: root,
        Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
        Resource: "*",
        Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
      },
    ];
    for (const service of props.services ?? []) {
      statements.push({
        Sid: `Service${service.principal.split(".")[0].replace(/[^A-Za-z0-9]/g, "")}`,
        Effect: "Allow",
        Principal: { Service: service.principal },
        Action: [...(service.actions ?? SERVICE_KEY_ACTIONS)],
        Resource: "*",
        Condition: service.condition,
      });
    }
    this.key = new KmsKey(this, "key", {
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays: props.deletionWindowDays ?? 30,
      policy: policyJson(policyDocument(...statements)),
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
      provider: props.provider,
    });
    new KmsAlias(this, "alias", { name: `alias/${props.alias}`, targetKeyId: this.key.keyId, provider: props.provider });
    this.keyArn = this.key.arn;
    this.keyId = this.key.keyId;
  }
}

export interface EnvironmentKeyProps {
  /** The environment the key belongs to: its name, account and region. */
  readonly env: EnvironmentIdentity;
  readonly namer: Namer;
  /** Alias component: `logs` → `alias/{prefix}-{env}-logs`. */
  readonly alias: string;
  /** What the key encrypts; the description is `LangSmith <env>: <purpose>`. */
  readonly purpose: string;
  readonly preventDestroy: boolean;
  /** @default [] */
  readonly services?: readonly ServiceUse[];
  /** The services of what the key encrypts (CustomerManagedKeyProps.usedThrough; `KEY_SERVICES`). */
  readonly usedThrough: readonly string[] | "direct";
}

/** A key of one environment, in its account and region, named by the environment's naming rule. */
export function environmentKey(scope: Construct, id: string, p: EnvironmentKeyProps): CustomerManagedKey {
  return new CustomerManagedKey(scope, id, {
    alias: p.namer.name(p.alias),
    description: `LangSmith ${p.env.name}: ${p.purpose}`,
    accountId: p.env.aws.accountId,
    region: p.env.aws.region,
    services: p.services,
    preventDestroy: p.preventDestroy,
    usedThrough: p.usedThrough,
  });
}
