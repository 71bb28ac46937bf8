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
}

/** CloudWatch Logs of this account and region may use the key for its log groups. */
export function logsServiceUse(region: string, accountId: string): ServiceUse {
  return {
    principal: `logs.${region}.amazonaws.com`,
    condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${region}:${accountId}:*` } },
  };
}

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
    // Key policies name the key itself as "*"; the account root statement delegates use to IAM.
    const statements: PolicyStatement[] = [
      {
        Sid: "AccountAdministers",
        Effect: "Allow",
        Principal: { AWS: accountRootArn(partition, props.accountId) },
        Action: "kms:*",
        Resource: "*",
      },
    ];
    for (const service of props.services ?? []) {
      statements.push({
        Sid: `Service${service.principal.split(".")[0].replace(/[^A-Za-z0-9]/g, "")}`,
        Effect: "Allow",
        Principal: { Service: service.principal },
        Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
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
  });
}
