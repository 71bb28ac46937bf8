import { Construct } from "constructs";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { EnvironmentConfig, protectsData } from "../../lib/config/schema";
import { PolicyDocument, policyDocument, policyJson } from "../../lib/iam";
import { LANGFUSE_RELEASE, LANGFUSE_SERVICE_ACCOUNT } from "../../lib/langfuse-values/chart";
import { Namer } from "../../lib/naming";
import { blobBucketPolicy, privateBucket } from "../blob-storage";
import { IrsaRole } from "../irsa";

export interface LangfuseDataProps {
  /** The environment: `langfuse.database` (shared or own instance), `tier`, `aws`, `blobStorage.adminPrincipalArns`. */
  readonly env: EnvironmentConfig;
  readonly namer: Namer;
  readonly oidcProviderArn: string;
  /** Issuer host and path without `https://`. */
  readonly oidcIssuer: string;
  /**
   * `prevent_destroy` on the bucket and its key.
   * @default protectsData(env): true in production
   */
  readonly preventDestroy?: boolean;
  /**
   * Bucket name (global namespace).
   * @default `{prefix}-{env}-langfuse-{accountId}`
   */
  readonly bucketName?: string;
  /** Days after which incomplete multipart uploads are aborted. @default 7 */
  readonly abortIncompleteUploadDays?: number;
  /** Days a replaced or deleted object version stays recoverable. @default blobStorage.noncurrentVersionExpirationDays */
  readonly noncurrentVersionDays?: number;
}

/** What the Langfuse role may do in its bucket: objects only, through S3 with its key. */
export function langfuseRolePolicy(input: { bucketArn: string; kmsKeyArn: string; region: string }): PolicyDocument {
  return policyDocument(
    { Sid: "ListBucket", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [input.bucketArn] },
    { Sid: "Objects", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"], Resource: [`${input.bucketArn}/*`] },
    {
      Sid: "BucketKeyViaS3",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: [input.kmsKeyArn],
      Condition: { StringEquals: { "kms:ViaService": `s3.${input.region}.amazonaws.com` } },
    },
  );
}

/**
 * Langfuse's own data beside the environment's shared stores: its S3 bucket (events, media and
 * batch exports under prefixes) with the LangSmith bucket's protections (own CMK with a bucket
 * key, all public-access blocks, owner-enforced objects, versioning, TLS 1.2+ only, objects only
 * for the Langfuse role and `blobStorage.adminPrincipalArns`); the IRSA role trusted by exactly
 * the service account the chart renders for web and worker (`langfuse/langfuse`). Its PostgreSQL
 * (database on the shared instance, or an own instance) and Redis user are created with the
 * shared stores (modules/langsmith-data), before the secrets the ESO controller may read.
 */
export class LangfuseData extends Construct {
  readonly bucketName: string;
  readonly bucketArn: string;
  readonly kmsKeyArn: string;
  readonly bucket: S3Bucket;
  /** The bucket policy as data (tests, policy pack). */
  readonly bucketPolicy: PolicyDocument;
  readonly role: IrsaRole;
  readonly roleArn: string;

  constructor(scope: Construct, id: string, props: LangfuseDataProps) {
    super(scope, id);
    const { env, namer } = props;
    if (!env.langfuse) throw new Error(`LangfuseData ${id}: environment ${env.name} does not run Langfuse`);
    const protect = props.preventDestroy ?? protectsData(env);

    // Events, media and exports under prefixes; no expiry of current objects: Langfuse's data
    // retention (per project) deletes what expires.
    const { key, bucket } = privateBucket(this, {
      env,
      namer,
      bucketName: props.bucketName ?? namer.name(`langfuse-${env.aws.accountId}`, "s3Bucket"),
      keyAlias: "langfuse-blobs",
      keyPurpose: "Langfuse S3 bucket encryption",
      preventDestroy: protect,
      expirationRules: [],
      noncurrentVersionExpirationDays: props.noncurrentVersionDays ?? env.blobStorage.noncurrentVersionExpirationDays,
      abortIncompleteUploadDays: props.abortIncompleteUploadDays ?? 7,
    });
    this.kmsKeyArn = key.keyArn;
    this.bucket = bucket;
    this.bucketName = bucket.bucket;
    this.bucketArn = bucket.arn;

    // One service account for web and worker (chart langfuse.serviceAccountName): exactly it.
    this.role = new IrsaRole(this, "role", {
      roleName: namer.name("irsa-langfuse", "iamRole"),
      oidcProviderArn: props.oidcProviderArn,
      oidcIssuer: props.oidcIssuer,
      namespace: LANGFUSE_RELEASE.namespace,
      serviceAccounts: [LANGFUSE_SERVICE_ACCOUNT],
      policies: { "langfuse-bucket": langfuseRolePolicy({ bucketArn: bucket.arn, kmsKeyArn: key.keyArn, region: env.aws.region }) },
    });
    this.roleArn = this.role.roleArn;

    this.bucketPolicy = blobBucketPolicy({ bucketArn: bucket.arn, allowedPrincipalArns: [this.role.roleArn, ...env.blobStorage.adminPrincipalArns] });
    new S3BucketPolicy(this, "policy", { bucket: bucket.id, policy: policyJson(this.bucketPolicy) });
  }
}
