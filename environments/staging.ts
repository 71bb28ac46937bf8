/**
 * staging: for pre-production rehearsal of upgrades, with production's guardrails.
 *
 * Production tier (3 AZs, per-AZ NAT, Multi-AZ Aurora PostgreSQL, Redis with a replica,
 * deletion protection) but reached only privately (internal ALB over VPN) with OIDC SSO, and
 * its own external ClickHouse. State uses Terraform's native S3 lockfile instead of a
 * DynamoDB table.
 */
import { defineEnvironment } from "./profiles";

export default defineEnvironment("production", {
  name: "staging",
  owner: "platform-team",
  costCenter: "eng-platform",
  aws: {
    accountId: "222222222222",
    region: "us-west-2",
    availabilityZones: ["us-west-2a", "us-west-2b", "us-west-2c"],
  },
  network: { mode: "create", vpcCidr: "10.20.0.0/16" },
  dns: { hostname: "langsmith.staging.example.com", hostedZoneId: "Z0STAGING0000000000001" },
  exposure: "private",
  auth: { model: "oidc", clientId: "langsmith-staging", issuerUrl: "https://sso.example.com/oauth2/default" },
  langsmith: { initialOrgAdminEmail: "langsmith-admins+staging@example.com" },
  postgres: { engine: "aurora", instanceClass: "db.r6g.large" },
  clickhouse: {
    mode: "external",
    host: "clickhouse.staging.internal.example.com",
    port: 8443,
    nativePort: 9440,
    database: "langsmith",
    user: "langsmith",
    tls: true,
    // Three replicas (reference architecture, section 6): the migrations create replicated tables
    // ON CLUSTER langsmith (the remote_servers name in the ClickHouse configuration).
    replicated: true,
    cluster: "langsmith",
  },
  // GitHub Actions plans pull requests and applies merges with roles from the bootstrap stack.
  ci: { githubRepository: "example-org/langsmith-aws", oidcProvider: "create" },
  state: {
    backend: "s3",
    bucket: "ls-tfstate-222222222222-us-west-2",
    key: "langsmith/staging/terraform.tfstate",
    locking: "lockfile",
  },
});
