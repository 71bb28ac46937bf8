/**
 * dev: for the platform team's own development and evaluation of LangSmith upgrades.
 *
 * Trades resilience for cost: one NAT gateway, single-AZ RDS without deletion protection,
 * one Redis node, one in-cluster ClickHouse node on a dedicated r6i.2xlarge (dev-only per
 * the reference architecture). Still meets the 16 vCPU / 64 GiB minimum, keeps blob storage
 * on, token (basic) auth, public ALB behind WAF. Not for real workloads or SLAs.
 */
import { defineEnvironment } from "./profiles";

export default defineEnvironment("development", {
  name: "dev",
  owner: "platform-team",
  costCenter: "eng-platform",
  aws: {
    accountId: "111111111111",
    region: "us-west-2",
    availabilityZones: ["us-west-2a", "us-west-2b"],
  },
  network: { mode: "create", vpcCidr: "10.10.0.0/16" },
  dns: { hostname: "langsmith.dev.example.com", hostedZoneId: "Z0DEV00000000000000001" },
  exposure: "public",
  auth: { model: "token" },
  langsmith: { initialOrgAdminEmail: "langsmith-admins+dev@example.com" },
  clickhouse: { mode: "in-cluster", storageGib: 100, storageIops: 3000, storageThroughputMiBps: 125, snapshotRetentionDays: 7 },
  // GitHub Actions plans pull requests and applies merges with roles from the bootstrap stack.
  ci: { githubRepository: "example-org/langsmith-aws", oidcProvider: "create" },
  state: {
    backend: "s3",
    bucket: "ls-tfstate-111111111111-us-west-2",
    key: "langsmith/dev/terraform.tfstate",
    locking: "dynamodb",
    lockTable: "ls-tfstate-lock",
  },
});
