import { Construct } from "constructs";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration, S3BucketLifecycleConfigurationRule } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { EnvironmentConfig, EnvironmentIdentity } from "../../lib/config/schema";
import { denyInsecureTransport, PolicyDocument, policyDocument, policyJson } from "../../lib/iam";
import { Namer } from "../../lib/naming";
import { MINIMUM_TLS_VERSION } from "../../versions";
import { CustomerManagedKey, environmentKey, KEY_SERVICES } from "../kms";

/**
 * Object-data actions the bucket policy reserves for LangSmith and the admins. Bucket
 * configuration actions (policy, lifecycle, versioning, encryption, tags, ...) are deliberately
 * absent: Terraform manages those and must never be locked out by its own policy. So is plain
 * `s3:ListBucket`: it authorizes HeadBucket, which the provider calls on every refresh of
 * `aws_s3_bucket`. Other principals with IAM `s3:ListBucket` can therefore list object keys
 * (LangSmith's keys are ids under `ttl_s/`, `ttl_l/`), never read or change object contents.
 */
export const BLOB_DATA_ACTIONS = [
  "s3:GetObject*",
  "s3:PutObject*",
  "s3:DeleteObject*",
  "s3:ListBucketVersions",
  "s3:ListBucketMultipartUploads",
  "s3:ListMultipartUploadParts",
  "s3:AbortMultipartUpload",
  "s3:RestoreObject",
  "s3:ReplicateObject",
  "s3:ReplicateDelete",
] as const;

/** The chart's TTL prefixes (LangChain docs "self-host-blob-storage": `ttl_s/` short, `ttl_l/` long). */
export const TTL_PREFIXES = { short: "ttl_s/", long: "ttl_l/" } as const;

export interface PrivateBucketProps {
  readonly env: EnvironmentIdentity;
  readonly namer: Namer;
  /** The bucket's name. */
  readonly bucketName: string;
  /** Alias (`alias/<prefix>-<env>-<alias>`) and purpose of the bucket's own CMK. */
  readonly keyAlias: string;
  readonly keyPurpose: string;
  /** prevent_destroy on the key and the bucket. */
  readonly preventDestroy: boolean;
  /** Rules before the two every bucket gets (noncurrent versions, incomplete uploads). */
  readonly expirationRules: readonly S3BucketLifecycleConfigurationRule[];
  readonly noncurrentVersionExpirationDays: number;
  readonly abortIncompleteUploadDays: number;
}

/**
 * A data bucket with the protections every application bucket shares, created in `scope` (construct
 * ids `key`, `bucket`, `ownership`, `public-access`, `sse`, `versioning`, `lifecycle`): its own CMK
 * with a bucket key (fewer KMS requests for many small objects), all four public-access blocks,
 * owner-enforced objects (no ACLs), versioning, and a lifecycle that removes noncurrent versions
 * and incomplete uploads. Data: Terraform never empties it (force_destroy stays false). The bucket
 * policy is the caller's (it names the principals).
 */
export function privateBucket(scope: Construct, p: PrivateBucketProps): { readonly key: CustomerManagedKey; readonly bucket: S3Bucket } {
  const key = environmentKey(scope, "key", { env: p.env, namer: p.namer, alias: p.keyAlias, purpose: p.keyPurpose, preventDestroy: p.preventDestroy, usedThrough: KEY_SERVICES.bucket });
  const bucket = new S3Bucket(scope, "bucket", {
    bucket: p.bucketName,
    forceDestroy: false,
    lifecycle: p.preventDestroy ? { preventDestroy: true } : undefined,
  });
  new S3BucketOwnershipControls(scope, "ownership", { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } });
  new S3BucketPublicAccessBlock(scope, "public-access", { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
  new S3BucketServerSideEncryptionConfigurationA(scope, "sse", {
    bucket: bucket.id,
    rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.keyArn }, bucketKeyEnabled: true }],
  });
  const versioning = new S3BucketVersioningA(scope, "versioning", { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } });
  new S3BucketLifecycleConfiguration(scope, "lifecycle", {
    bucket: bucket.id,
    // Lifecycle on a versioned bucket must follow versioning (provider docs).
    dependsOn: [versioning],
    rule: [
      ...p.expirationRules,
      {
        // Expiry only adds delete markers in a versioned bucket: this removes the data.
        id: "noncurrent-versions",
        status: "Enabled",
        filter: [{ prefix: "" }],
        noncurrentVersionExpiration: [{ noncurrentDays: p.noncurrentVersionExpirationDays }],
        expiration: [{ expiredObjectDeleteMarker: true }],
      },
      { id: "abort-incomplete-uploads", status: "Enabled", filter: [{ prefix: "" }], abortIncompleteMultipartUpload: [{ daysAfterInitiation: p.abortIncompleteUploadDays }] },
    ],
  });
  return { key, bucket };
}

export interface BlobBucketPolicyInput {
  readonly bucketArn: string;
  /** Principals (IAM role/user ARNs, wildcards allowed) that may touch objects. */
  readonly allowedPrincipalArns: readonly string[];
}

/**
 * The bucket policy: it grants nothing (same-account access comes from IAM policies) and only
 * denies: (1) any request without TLS, (2) TLS older than 1.2, (3) object reads/writes/lists by
 * any principal that is not listed. `aws:PrincipalArn` is the role ARN for assumed-role (IRSA)
 * sessions, so the LangSmith role matches whatever session name the SDK picks.
 */
export function blobBucketPolicy(input: BlobBucketPolicyInput): PolicyDocument {
  const resources = [input.bucketArn, `${input.bucketArn}/*`];
  return policyDocument(
    denyInsecureTransport(input.bucketArn),
    {
      Sid: "DenyOutdatedTls",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: resources,
      Condition: { NumericLessThan: { "s3:TlsVersion": MINIMUM_TLS_VERSION } },
    },
    {
      Sid: "DenyObjectAccessExceptLangsmithAndAdmins",
      Effect: "Deny",
      Principal: "*",
      Action: [...BLOB_DATA_ACTIONS],
      Resource: resources,
      Condition: { ArnNotLike: { "aws:PrincipalArn": [...input.allowedPrincipalArns] } },
    },
  );
}

/** `blobStorage.*` of an environment file (lib/config/schema.ts documents each field). */
export type BlobStorageSettings = EnvironmentConfig["blobStorage"];

export interface BlobStorageProps {
  readonly namer: Namer;
  /** The environment: name (descriptions), account (bucket name) and region (key). */
  readonly environment: EnvironmentIdentity;
  /** TTL expiries, noncurrent-version expiry, admin principals; `enabled` must be true. */
  readonly settings: BlobStorageSettings;
  /** The `langsmith-app` IRSA role: the one workload principal allowed to touch objects. */
  readonly appRoleArn: string;
  /**
   * `lifecycle.prevent_destroy` on the bucket and its key
   * (modules/langsmith-data passes `protectsData(env)`: true in production).
   * @default false
   */
  readonly preventDestroy?: boolean;
  /**
   * Bucket name (global namespace).
   * @default `{prefix}-{env}-blobs-{accountId}`
   */
  readonly bucketName?: string;
  /** Days after which incomplete multipart uploads are aborted. @default 7 */
  readonly abortIncompleteUploadDays?: number;
  /**
   * Days the server access logs are kept (`settings.accessLogs`): the environment's log retention.
   * @default 365
   */
  readonly accessLogRetentionDays?: number;
}

const DEFAULTS = { preventDestroy: false, abortIncompleteUploadDays: 7 } as const;

/**
 * The LangSmith blob bucket (chart `config.blobStorage`, engine S3): SSE-KMS with its own CMK and
 * a bucket key, all four public-access blocks, owner-enforced objects (no ACLs), versioning,
 * lifecycle rules for the chart's TTL prefixes and for old versions, and a deny-only policy
 * (TLS; objects only for the LangSmith role and `blobStorage.adminPrincipalArns`).
 * Construct it only when `blobStorage.enabled`.
 */
export class BlobStorage extends Construct {
  readonly bucketName: string;
  readonly bucketArn: string;
  readonly kmsKeyArn: string;
  readonly bucket: S3Bucket;
  /** The policy document as data (for tests and the policy pack). */
  readonly policy: PolicyDocument;
  /** The server access log bucket (`settings.accessLogs`). */
  readonly accessLogBucketName?: string;
  private readonly props: BlobStorageProps;

  constructor(scope: Construct, id: string, props: BlobStorageProps) {
    super(scope, id);
    const p = { ...DEFAULTS, ...props };
    this.props = props;
    const { environment: env, namer } = p;
    const cfg = p.settings;
    if (!cfg.enabled) throw new Error(`BlobStorage ${id}: blobStorage.enabled is false in environment ${env.name}; do not construct the bucket`);
    const protect = p.preventDestroy;

    const { key, bucket } = privateBucket(this, {
      env,
      namer,
      bucketName: props.bucketName ?? namer.name(`blobs-${env.aws.accountId}`, "s3Bucket"),
      keyAlias: "blobs",
      keyPurpose: "blob storage (S3) encryption",
      preventDestroy: protect,
      // The chart's TTL prefixes expire; payloads elsewhere are kept.
      expirationRules: [
        { id: "ttl-short", status: "Enabled", filter: [{ prefix: TTL_PREFIXES.short }], expiration: [{ days: cfg.ttlShortDays }] },
        { id: "ttl-long", status: "Enabled", filter: [{ prefix: TTL_PREFIXES.long }], expiration: [{ days: cfg.ttlLongDays }] },
      ],
      noncurrentVersionExpirationDays: cfg.noncurrentVersionExpirationDays,
      abortIncompleteUploadDays: p.abortIncompleteUploadDays,
    });
    this.kmsKeyArn = key.keyArn;
    this.bucket = bucket;
    this.bucketName = bucket.bucket;
    this.bucketArn = bucket.arn;

    this.policy = blobBucketPolicy({ bucketArn: bucket.arn, allowedPrincipalArns: [props.appRoleArn, ...cfg.adminPrincipalArns] });
    new S3BucketPolicy(this, "policy", { bucket: bucket.id, policy: policyJson(this.policy) });

    if (cfg.accessLogs) this.accessLogBucketName = this.accessLogs(bucket, props.accessLogRetentionDays ?? 365, protect);
  }

  /**
   * Object-level audit: S3 server access logs (who read, wrote or deleted which object) to a log
   * bucket of the environment. SSE-S3: S3 log delivery cannot write to an SSE-KMS bucket (S3 user
   * guide, "Enabling Amazon S3 server access logging"); only the logging service of this account,
   * for this bucket, may write; TLS only; kept `retentionDays`.
   */
  private accessLogs(source: S3Bucket, retentionDays: number, protect: boolean): string {
    const { environment: env, namer } = this.props;
    const logs = new S3Bucket(this, "access-logs-bucket", {
      bucket: namer.name(`blob-logs-${env.aws.accountId}`, "s3Bucket"),
      forceDestroy: false,
      lifecycle: protect ? { preventDestroy: true } : undefined,
    });
    new S3BucketOwnershipControls(this, "access-logs-ownership", { bucket: logs.id, rule: { objectOwnership: "BucketOwnerEnforced" } });
    new S3BucketPublicAccessBlock(this, "access-logs-public-access", { bucket: logs.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
    new S3BucketServerSideEncryptionConfigurationA(this, "access-logs-sse", { bucket: logs.id, rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] });
    // Versioned, so a deleted or overwritten log is recoverable for a week (an audit trail).
    const versioning = new S3BucketVersioningA(this, "access-logs-versioning", { bucket: logs.id, versioningConfiguration: { status: "Enabled" } });
    new S3BucketLifecycleConfiguration(this, "access-logs-lifecycle", {
      bucket: logs.id,
      dependsOn: [versioning],
      rule: [
        {
          id: "expire-access-logs",
          status: "Enabled",
          filter: [{ prefix: "" }],
          expiration: [{ days: retentionDays }],
          noncurrentVersionExpiration: [{ noncurrentDays: 7 }],
        },
      ],
    });
    new S3BucketPolicy(this, "access-logs-policy", {
      bucket: logs.id,
      policy: policyJson(
        policyDocument(denyInsecureTransport(logs.arn), {
          Sid: "S3ServerAccessLogsOfTheBlobBucket",
          Effect: "Allow",
          Principal: { Service: "logging.s3.amazonaws.com" },
          Action: "s3:PutObject",
          Resource: `${logs.arn}/*`,
          Condition: { StringEquals: { "aws:SourceAccount": env.aws.accountId }, ArnLike: { "aws:SourceArn": source.arn } },
        }),
      ),
    });
    new S3BucketLoggingA(this, "access-logging", { bucket: source.id, targetBucket: logs.id, targetPrefix: "blobs/" });
    return logs.bucket;
  }
}
