import { CloudBackend, NamedCloudWorkspace, S3Backend, TerraformStack } from "cdktf";
import { EnvironmentConfig } from "../lib/config/schema";

/** Alias (without `alias/`) of the state CMK the bootstrap stack creates for a state bucket. */
export function stateKeyAlias(bucket: string): string {
  return `${bucket}-state`;
}

/**
 * ARN of the state key's alias in the bucket's account and region. The environment stack cannot
 * reference the key (another state), and the key id is random: the alias name is the contract.
 * Terraform's S3 backend accepts an alias ARN for `kms_key_id` and S3 resolves it at upload.
 */
export function stateKeyAliasArn(p: { readonly accountId: string; readonly region: string; readonly bucket: string }): string {
  return `arn:aws:kms:${p.region}:${p.accountId}:alias/${stateKeyAlias(p.bucket)}`;
}

/**
 * The environment's own state: an S3 key (locked by DynamoDB or Terraform's native lockfile) in
 * the bootstrap bucket of its account/region, or a Terraform Cloud workspace.
 *
 * `kms_key_id` is required, not decoration: with `encrypt: true` alone the backend uploads with
 * `x-amz-server-side-encryption: AES256`, which overrides the bucket's default CMK (hashicorp/terraform
 * internal/backend/remote-state/s3/client.go, `put`). The bootstrap bucket policy denies a state
 * upload that does not name this key (`DenyStateWithoutStateKey`), so the mistake cannot come back.
 */
export function configureBackend(stack: TerraformStack, env: EnvironmentConfig): void {
  const s = env.state;
  if (s.backend === "cloud") {
    new CloudBackend(stack, { hostname: s.hostname, organization: s.organization, workspaces: new NamedCloudWorkspace(s.workspace) });
    return;
  }
  const backend = new S3Backend(stack, {
    bucket: s.bucket,
    key: s.key,
    region: env.aws.region,
    encrypt: true,
    kmsKeyId: stateKeyAliasArn({ accountId: env.aws.accountId, region: env.aws.region, bucket: s.bucket }),
    ...(s.locking === "dynamodb" ? { dynamodbTable: s.lockTable } : {}),
  });
  // cdktf 0.21's S3Backend has no typed `useLockfile` (Terraform >= 1.10 supports it).
  if (s.locking === "lockfile") backend.addOverride("use_lockfile", true);
}
