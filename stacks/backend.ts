import { CloudBackend, NamedCloudWorkspace, S3Backend, TerraformStack } from "cdktf";
import { EnvironmentConfig } from "../lib/config/schema";

/**
 * The environment's own state: an S3 key (encrypted, locked by DynamoDB or Terraform's
 * native lockfile) in the bootstrap bucket of its account/region, or a Terraform Cloud workspace.
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
    ...(s.locking === "dynamodb" ? { dynamodbTable: s.lockTable } : {}),
  });
  // cdktf 0.21's S3Backend has no typed `useLockfile` (Terraform >= 1.10 supports it).
  if (s.locking === "lockfile") backend.addOverride("use_lockfile", true);
}
