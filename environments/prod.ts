/**
 * prod: for the production LangSmith that teams send real traces to.
 *
 * Follows the reference's production requirements: 3 AZs with a NAT gateway each,
 * Multi-AZ RDS PostgreSQL with deletion protection and 14-day backups, Redis with a replica
 * and automatic failover, blob storage on, ClickHouse externally managed (the walkthrough's
 * preferred option) over TLS, OIDC SSO, public ALB behind WAF with access logs. Costs more;
 * survives the loss of an AZ.
 */
import { defineEnvironment } from "./profiles";

export default defineEnvironment("production", {
  name: "prod",
  owner: "platform-team",
  costCenter: "eng-platform",
  aws: {
    accountId: "333333333333",
    region: "us-east-1",
    availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"],
  },
  network: { mode: "create", vpcCidr: "10.30.0.0/16" },
  dns: { hostname: "langsmith.example.com", hostedZoneId: "Z0PROD0000000000000001" },
  exposure: "public",
  auth: { model: "oidc", clientId: "langsmith-prod", issuerUrl: "https://sso.example.com/oauth2/default" },
  langsmith: { initialOrgAdminEmail: "langsmith-admins@example.com" },
  clickhouse: {
    mode: "external",
    host: "clickhouse.prod.internal.example.com",
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
    bucket: "ls-tfstate-333333333333-us-east-1",
    key: "langsmith/prod/terraform.tfstate",
    locking: "dynamodb",
    lockTable: "ls-tfstate-lock",
  },
});
