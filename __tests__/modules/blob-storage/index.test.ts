import { EnvironmentConfig, protectsData } from "../../../lib/config/schema";
import { BLOB_DATA_ACTIONS, blobBucketPolicy, BlobStorage } from "../../../modules/blob-storage";
import { envWith, Json, resource } from "../../helpers";
import { namerOf, ref, secretFindings, synthWith } from "../data-fixtures";

const APP_ROLE = "arn:aws:iam::111111111111:role/ls-dev-langsmith-app";
const ADMIN = "arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_Admin_*";

function synth(env: EnvironmentConfig, extra: Partial<ConstructorParameters<typeof BlobStorage>[2]> = {}): Json {
  return synthWith(env, (scope) => new BlobStorage(scope, "blob", { namer: namerOf(env), environment: env, settings: env.blobStorage, preventDestroy: protectsData(env), appRoleArn: APP_ROLE, ...extra }));
}

const dev = envWith("dev", { blobStorage: { adminPrincipalArns: [ADMIN] } });
const prod = envWith("prod");

describe.each([
  ["dev", dev],
  ["prod", prod],
] as const)("BlobStorage %s", (_label, env) => {
  // The bucket itself; the access-log bucket (accessLogs) is tested below.
  const json = synth(env, { settings: { ...env.blobStorage, accessLogs: false } });
  const bucketRef = ref(json, "aws_s3_bucket", "bucket", "id");

  test("bucket named per account and environment, never force-destroyed; prevent_destroy by tier", () => {
    const bucket = resource(json, "aws_s3_bucket");
    expect(bucket.bucket).toBe(`ls-${env.name}-blobs-${env.aws.accountId}`);
    expect(bucket.force_destroy).toBe(false);
    expect(bucket.lifecycle?.prevent_destroy ?? false).toBe(env.tier === "production");
  });

  test("SSE-KMS with its own rotating CMK and a bucket key", () => {
    const sse = resource(json, "aws_s3_bucket_server_side_encryption_configuration");
    expect(sse.bucket).toBe(bucketRef);
    expect(sse.rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: ref(json, "aws_kms_key", "blob", "arn") }, bucket_key_enabled: true },
    ]);
    expect(resource(json, "aws_kms_key").enable_key_rotation).toBe(true);
  });

  test("all four public access blocks, owner-enforced objects, versioning on", () => {
    expect(resource(json, "aws_s3_bucket_public_access_block")).toMatchObject({
      bucket: bucketRef,
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(resource(json, "aws_s3_bucket_ownership_controls").rule).toEqual({ object_ownership: "BucketOwnerEnforced" });
    expect(resource(json, "aws_s3_bucket_versioning").versioning_configuration).toEqual({ status: "Enabled" });
  });

  test("lifecycle: chart TTL prefixes, old versions, stale delete markers, incomplete uploads", () => {
    const rules: Json[] = resource(json, "aws_s3_bucket_lifecycle_configuration").rule;
    const byId = Object.fromEntries(rules.map((r) => [r.id, r]));
    expect(rules.every((r) => r.status === "Enabled")).toBe(true);
    expect(byId["ttl-short"]).toMatchObject({ filter: [{ prefix: "ttl_s/" }], expiration: [{ days: env.blobStorage.ttlShortDays }] });
    expect(byId["ttl-long"]).toMatchObject({ filter: [{ prefix: "ttl_l/" }], expiration: [{ days: env.blobStorage.ttlLongDays }] });
    expect(byId["noncurrent-versions"]).toMatchObject({
      noncurrent_version_expiration: [{ noncurrent_days: env.blobStorage.noncurrentVersionExpirationDays }],
      expiration: [{ expired_object_delete_marker: true }],
    });
    expect(byId["abort-incomplete-uploads"].abort_incomplete_multipart_upload).toEqual([{ days_after_initiation: 7 }]);
  });

  test("bucket policy denies non-TLS and old TLS for everyone, and objects to all but LangSmith and the admins", () => {
    const policy = JSON.parse(resource(json, "aws_s3_bucket_policy").policy);
    const arn = ref(json, "aws_s3_bucket", "bucket", "arn");
    const bySid = Object.fromEntries(policy.Statement.map((s: Json) => [s.Sid, s]));
    expect(policy.Statement.every((s: Json) => s.Effect === "Deny")).toBe(true);
    expect(bySid.DenyInsecureTransport).toMatchObject({ Principal: "*", Action: "s3:*", Resource: [arn, `${arn}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } });
    expect(bySid.DenyOutdatedTls.Condition).toEqual({ NumericLessThan: { "s3:TlsVersion": "1.2" } });
    expect(bySid.DenyObjectAccessExceptLangsmithAndAdmins).toMatchObject({
      Principal: "*",
      Action: [...BLOB_DATA_ACTIONS],
      Resource: [arn, `${arn}/*`],
      Condition: { ArnNotLike: { "aws:PrincipalArn": [APP_ROLE, ...env.blobStorage.adminPrincipalArns] } },
    });
    expect(secretFindings(json)).toEqual([]);
  });
});

describe("bucket policy cannot lock Terraform out", () => {
  const doc = blobBucketPolicy({ bucketArn: "arn:aws:s3:::b", allowedPrincipalArns: [APP_ROLE] });
  const restricted = doc.Statement.find((s) => s.Sid === "DenyObjectAccessExceptLangsmithAndAdmins")!;
  const actions = [restricted.Action].flat();

  test("the principal restriction covers object data only, never bucket configuration", () => {
    const matches = (action: string) => actions.some((a) => new RegExp(`^${a.replace(/\*/g, ".*")}$`).test(action));
    for (const data of ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion", "s3:ListBucketVersions", "s3:RestoreObject"]) {
      expect(matches(data)).toBe(true);
    }
    // s3:ListBucket authorizes HeadBucket, the provider's existence check on every refresh.
    for (const config of ["s3:ListBucket", "s3:GetBucketPolicy", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy", "s3:PutLifecycleConfiguration", "s3:GetLifecycleConfiguration", "s3:PutBucketVersioning", "s3:GetEncryptionConfiguration", "s3:PutEncryptionConfiguration", "s3:GetBucketTagging", "s3:PutBucketPublicAccessBlock", "s3:GetBucketOwnershipControls", "s3:DeleteBucket"]) {
      expect(matches(config)).toBe(false);
    }
  });

  test("only Deny statements: the policy grants nothing", () => {
    expect(doc.Statement.map((s) => s.Effect)).toEqual(["Deny", "Deny", "Deny"]);
  });

  test("refuses to build a bucket that the environment disabled", () => {
    const off = envWith("dev", { blobStorage: { enabled: false } });
    expect(() => synth(off)).toThrow("BlobStorage blob: blobStorage.enabled is false in environment dev; do not construct the bucket");
  });
});

describe("server access logs (blobStorage.accessLogs: on in production)", () => {
  const json = synth(prod, { accessLogRetentionDays: 365 });
  const logBucket = resource(json, "aws_s3_bucket", "access-logs-bucket");
  const logRef = ref(json, "aws_s3_bucket", "access-logs-bucket", "id");

  test("the blob bucket logs every request to the environment's log bucket", () => {
    expect(prod.blobStorage.accessLogs).toBe(true);
    expect(dev.blobStorage.accessLogs).toBe(false);
    expect(resource(json, "aws_s3_bucket_logging")).toMatchObject({ bucket: ref(json, "aws_s3_bucket", "blob_bucket", "id"), target_bucket: logRef, target_prefix: "blobs/" });
    expect(logBucket.bucket).toBe("ls-prod-blob-logs-333333333333");
  });

  test("the log bucket: SSE-S3 (log delivery cannot use SSE-KMS), private, versioned, kept the retention, written only by S3 logging for this bucket and account", () => {
    expect(resource(json, "aws_s3_bucket_server_side_encryption_configuration", "access-logs").rule[0].apply_server_side_encryption_by_default).toEqual({ sse_algorithm: "AES256" });
    expect(resource(json, "aws_s3_bucket_public_access_block", "access-logs")).toMatchObject({ block_public_acls: true, restrict_public_buckets: true });
    expect(resource(json, "aws_s3_bucket_lifecycle_configuration", "access-logs").rule[0].expiration).toEqual([{ days: 365 }]);
    const policy = JSON.parse(resource(json, "aws_s3_bucket_policy", "access-logs").policy);
    const write = policy.Statement.find((s: Json) => s.Effect === "Allow");
    expect(write.Principal).toEqual({ Service: "logging.s3.amazonaws.com" });
    expect(write.Condition).toEqual({ StringEquals: { "aws:SourceAccount": "333333333333" }, ArnLike: { "aws:SourceArn": ref(json, "aws_s3_bucket", "blob_bucket", "arn") } });
    expect(policy.Statement.find((s: Json) => s.Sid === "DenyInsecureTransport")).toBeDefined();
  });

  test("off: no log bucket, no logging", () => {
    const off = synth(prod, { settings: { ...prod.blobStorage, accessLogs: false } });
    expect(Object.keys(off.resource.aws_s3_bucket_logging ?? {})).toEqual([]);
    expect(Object.keys(off.resource.aws_s3_bucket)).toHaveLength(1);
  });
});
