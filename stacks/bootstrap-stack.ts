import { Construct } from "constructs";
import { LocalBackend, TerraformOutput } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { EnvironmentConfig, langfuseHostname, protectsData } from "../lib/config/schema";
import { ciNames, GITHUB_OIDC_HOST, githubSubjects } from "../lib/ci";
import { denyInsecureTransport, policyDocument, policyJson, PolicyStatement } from "../lib/iam";
import { CiRoles, GithubOidcProvider } from "../modules/ci-role";
import { CustomerManagedKey, KEY_SERVICES } from "../modules/kms";
import { projectTags, requireTerraformVersion } from "./providers";
import { enforcePolicy, stateStackPolicy } from "../lib/policy/enforce";
import { IsolatedStack } from "./isolated-stack";
import { stateKeyAlias, stateKeyAliasArn } from "./backend";

/** An environment whose GitHub Actions roles this bootstrap stack creates (its `ci` block). */
export interface CiTarget {
  readonly environment: string;
  readonly names: ReturnType<typeof ciNames>;
  /** Exact OIDC subjects of the plan and apply jobs. */
  readonly subjects: { readonly plan: string; readonly apply: string };
  readonly stateKey: string;
  /** The environment's DynamoDB lock table (absent with the S3 lockfile). */
  readonly lockTable?: string;
  readonly hostname: string;
  readonly hostedZoneId: string;
  /** Langfuse's name beside LangSmith, and the certificate validation zone (CiScope). */
  readonly otherHostnames?: readonly string[];
  readonly validationZoneId?: string;
  /** `protectsData(env)`: the apply role may not delete data stores, buckets, secrets or keys. */
  readonly protectData: boolean;
}

/** Environments that keep state in S3, grouped by the account and region of their bucket. */
export interface BootstrapTarget {
  readonly accountId: string;
  readonly region: string;
  readonly bucket: string;
  readonly lockTables: readonly string[];
  readonly environments: readonly string[];
  /** State object keys of those environments (`state.key`): uploads must name the state CMK. */
  readonly stateKeys: readonly string[];
  readonly owner: string;
  readonly costCenter: string;
  /** CI roles to create, one set per environment with a `ci` block. */
  readonly ci: readonly CiTarget[];
  /** Whether this stack creates the account's GitHub OIDC provider (`ci.oidcProvider: "create"`). */
  readonly createsGithubOidcProvider: boolean;
}

export function bootstrapTargets(envs: readonly EnvironmentConfig[]): BootstrapTarget[] {
  const byKey = new Map<string, BootstrapTarget>();
  for (const env of envs) {
    if (env.state.backend !== "s3") continue;
    const key = `${env.aws.accountId}/${env.aws.region}/${env.state.bucket}`;
    const prior = byKey.get(key);
    const tables = env.state.locking === "dynamodb" && env.state.lockTable ? [env.state.lockTable] : [];
    const ci: CiTarget[] = env.ci
      ? [{
          environment: env.name,
          names: ciNames(env),
          subjects: githubSubjects(env),
          stateKey: env.state.key,
          lockTable: tables[0],
          hostname: env.dns.hostname,
          hostedZoneId: env.dns.hostedZoneId,
          ...(env.langfuse && langfuseHostname(env) !== env.dns.hostname ? { otherHostnames: [langfuseHostname(env)] } : {}),
          ...(env.dns.certificateValidationZoneId ? { validationZoneId: env.dns.certificateValidationZoneId } : {}),
          protectData: protectsData(env),
        }]
      : [];
    byKey.set(key, {
      accountId: env.aws.accountId,
      region: env.aws.region,
      bucket: env.state.bucket,
      lockTables: [...new Set([...(prior?.lockTables ?? []), ...tables])].sort(),
      environments: [...(prior?.environments ?? []), env.name],
      stateKeys: [...(prior?.stateKeys ?? []), env.state.key],
      owner: prior?.owner ?? env.owner,
      costCenter: prior?.costCenter ?? env.costCenter,
      ci: [...(prior?.ci ?? []), ...ci],
      createsGithubOidcProvider: (prior?.createsGithubOidcProvider ?? false) || env.ci?.oidcProvider === "create",
    });
  }
  return [...byKey.values()];
}

export function bootstrapStackName(t: Pick<BootstrapTarget, "accountId" | "region" | "bucket">, all: readonly BootstrapTarget[]): string {
  const sameAccountRegion = all.filter((o) => o.accountId === t.accountId && o.region === t.region);
  return sameAccountRegion.length > 1 ? `bootstrap-${t.bucket}` : `bootstrap-${t.accountId}-${t.region}`;
}

/**
 * Bucket-policy statement: a state upload that does not name the state CMK is refused. Terraform's
 * S3 backend with `encrypt` and no `kms_key_id` sends `x-amz-server-side-encryption: AES256`,
 * which overrides the bucket's default key; an absent header fails `StringNotEquals` too. Only the
 * state objects: lock files (`<key>.tflock`) hold no state.
 */
export function denyStateWithoutKey(bucketArn: string, t: Pick<BootstrapTarget, "accountId" | "region" | "bucket" | "stateKeys">, keyArn: string): PolicyStatement {
  return {
    Sid: "DenyStateWithoutStateKey",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:PutObject",
    Resource: t.stateKeys.map((k) => `${bucketArn}/${k}`),
    // The backend names the key by its alias ARN (stacks/backend.ts); S3 may report either form.
    Condition: { StringNotEquals: { "s3:x-amz-server-side-encryption-aws-kms-key-id": [stateKeyAliasArn(t), keyArn] } },
  };
}

/**
 * The state bucket and lock table of one account/region. It keeps its own state locally
 * (chicken and egg: the bucket cannot hold the state that creates it); see the README's
 * "State and bootstrap" section for the order and for moving this state into the bucket afterwards.
 */
export class BootstrapStack extends IsolatedStack {
  constructor(scope: Construct, id: string, t: BootstrapTarget) {
    super(scope, id);
    requireTerraformVersion(this);
    new LocalBackend(this, { path: `${id}.tfstate` });
    new AwsProvider(this, "aws", {
      region: t.region,
      allowedAccountIds: [t.accountId],
      defaultTags: [{ tags: projectTags(t, { component: "terraform-state" }) }],
    });

    const key = new CustomerManagedKey(this, "state-key", {
      alias: stateKeyAlias(t.bucket),
      description: `Terraform state of LangSmith environments ${t.environments.join(", ")}`,
      accountId: t.accountId,
      region: t.region,
      preventDestroy: true,
      // The state objects (S3) and the lock table (DynamoDB); the CI roles' grants say the same.
      usedThrough: KEY_SERVICES.state,
    });
    // State outlives every environment: never destroyed by Terraform.
    const bucket = new S3Bucket(this, "state-bucket", { bucket: t.bucket, lifecycle: { preventDestroy: true } });
    new S3BucketOwnershipControls(this, "state-ownership", { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } });
    new S3BucketVersioningA(this, "state-versioning", { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } });
    new S3BucketServerSideEncryptionConfigurationA(this, "state-sse", {
      bucket: bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.keyArn }, bucketKeyEnabled: true }],
    });
    new S3BucketPublicAccessBlock(this, "state-public-access", {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketPolicy(this, "state-policy", {
      bucket: bucket.id,
      policy: policyJson(policyDocument(denyInsecureTransport(bucket.arn), denyStateWithoutKey(bucket.arn, t, key.keyArn))),
    });
    new S3BucketLifecycleConfiguration(this, "state-lifecycle", {
      bucket: bucket.id,
      rule: [
        {
          id: "expire-old-state-versions",
          status: "Enabled",
          filter: [{ prefix: "" }],
          noncurrentVersionExpiration: [{ noncurrentDays: 90, newerNoncurrentVersions: 10 }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
    });
    const tables = new Map<string, DynamodbTable>();
    for (const table of t.lockTables) {
      tables.set(table, new DynamodbTable(this, `lock-${table}`, {
        name: table,
        billingMode: "PAY_PER_REQUEST",
        hashKey: "LockID",
        attribute: [{ name: "LockID", type: "S" }],
        pointInTimeRecovery: { enabled: true },
        serverSideEncryption: { enabled: true, kmsKeyArn: key.keyArn },
        deletionProtectionEnabled: true,
        lifecycle: { preventDestroy: true },
      }));
    }
    new TerraformOutput(this, "state_bucket", { value: bucket.bucket });
    new TerraformOutput(this, "state_kms_key_arn", { value: key.keyArn });
    enforcePolicy(this, stateStackPolicy(id));

    // GitHub Actions: the account's OIDC provider (once per account) and each environment's roles.
    if (t.ci.length === 0) return;
    const oidcProviderArn = t.createsGithubOidcProvider
      ? new GithubOidcProvider(this, "github-oidc").arn
      : // Created by another bootstrap stack or outside Terraform: not in this state, so named by its fixed ARN.
        `arn:aws:iam::${t.accountId}:oidc-provider/${GITHUB_OIDC_HOST}`;
    for (const c of t.ci) {
      const roles = new CiRoles(this, `ci-${c.environment}`, {
        oidcProviderArn,
        names: c.names,
        subjects: c.subjects,
        scope: {
          accountId: t.accountId,
          region: t.region,
          resourcePrefix: c.names.resourcePrefix,
          ciPrefix: c.names.policyPrefix,
          environmentTag: c.environment,
          hostname: c.hostname,
          hostedZoneId: c.hostedZoneId,
          otherHostnames: c.otherHostnames,
          validationZoneId: c.validationZoneId,
          protectData: c.protectData,
          state: { bucket: t.bucket, bucketArn: bucket.arn, key: c.stateKey, kmsKeyArn: key.keyArn, lockTableArn: c.lockTable ? tables.get(c.lockTable)?.arn : undefined },
        },
      });
      new TerraformOutput(this, `ci_${c.environment}_plan_role_arn`, { value: roles.planRoleArn, description: `repository variable AWS_PLAN_ROLE_ARN_${c.environment.toUpperCase()}` });
      new TerraformOutput(this, `ci_${c.environment}_apply_role_arn`, { value: roles.applyRoleArn, description: "variable AWS_APPLY_ROLE_ARN of the GitHub environment" });
    }
  }
}
