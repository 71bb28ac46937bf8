/** Langfuse settings and a Langfuse-only fork for tests (the shipped fleet runs LangSmith alone). */
import { defineEnvironment, LANGFUSE_PROFILES } from "../environments/profiles";
import { LangfuseConfig } from "../lib/config/schema";
import { loadEnvironment } from "../lib/config/load";
import { EnvironmentConfig } from "../lib/config/schema";
import { Json, shippedInput } from "./helpers";

export const LANGFUSE_CLICKHOUSE = {
  mode: "external",
  host: "langfuse-clickhouse.internal.example.com",
  port: 8443,
  nativePort: 9440,
  database: "langfuse",
  user: "langfuse",
  tls: true,
  clusterEnabled: true,
} as const;

/** A complete `langfuse` block of dev beside LangSmith (the file's fields over the tier's defaults). */
export const LANGFUSE_DEV: Json = {
  ...LANGFUSE_PROFILES.development,
  hostname: "langfuse.dev.example.com",
  clickhouse: LANGFUSE_CLICKHOUSE,
  init: { organization: "Platform", project: "default", userEmail: "langfuse-admins+dev@example.com" },
};

/** A fork of dev that runs Langfuse alone: what environments/README.md tells a user to write. */
export function langfuseOnlyFork(langfuse: Partial<LangfuseConfig> = {}): unknown {
  return defineEnvironment("development", {
    name: "lf",
    applications: ["langfuse"],
    owner: "platform-team",
    costCenter: "eng-platform",
    aws: { accountId: "111111111111", region: "us-west-2", availabilityZones: ["us-west-2a", "us-west-2b"] },
    network: { mode: "create", vpcCidr: "10.50.0.0/16" },
    dns: { hostname: "langfuse.lf.example.com", hostedZoneId: "Z0LF000000000000000001" },
    exposure: "public",
    auth: { model: "token" },
    // No ci block: whoever applies must be a named cluster admin (the creator gets no entry).
    eks: { adminPrincipalArns: ["arn:aws:iam::111111111111:role/platform-admin"] },
    langfuse: {
      clickhouse: LANGFUSE_CLICKHOUSE,
      init: { organization: "Platform", project: "default", userEmail: "langfuse-admins+lf@example.com" },
      ...langfuse,
    },
    // The CI apply role gets the cluster-admin entry (the loader wants who applies named).
    ci: { githubRepository: "example-org/langfuse-aws", oidcProvider: "existing" },
    state: { backend: "s3", bucket: "ls-tfstate-111111111111-us-west-2", key: "langfuse/lf/terraform.tfstate", locking: "lockfile" },
  });
}

export const langfuseOnly = (langfuse: Partial<LangfuseConfig> = {}): EnvironmentConfig =>
  loadEnvironment({ file: "environments/lf.ts", input: langfuseOnlyFork(langfuse) });

/**
 * A Langfuse-only fork in tier production (what `env:new --from prod --applications langfuse`
 * writes): three zones, OIDC, Langfuse's ClickHouse a cluster; no top-level clickhouse block.
 */
export function langfuseOnlyProductionFork(): unknown {
  return defineEnvironment("production", {
    name: "lfp",
    applications: ["langfuse"],
    owner: "platform-team",
    costCenter: "eng-platform",
    aws: { accountId: "111111111111", region: "us-west-2", availabilityZones: ["us-west-2a", "us-west-2b", "us-west-2c"] },
    network: { mode: "create", vpcCidr: "10.51.0.0/16" },
    dns: { hostname: "langfuse.lfp.example.com", hostedZoneId: "Z0LF000000000000000002" },
    exposure: "public",
    auth: { model: "oidc", clientId: "langfuse-lfp", issuerUrl: "https://sso.example.com/oauth2/default" },
    eks: { adminPrincipalArns: ["arn:aws:iam::111111111111:role/platform-admin"] },
    langfuse: {
      clickhouse: { ...LANGFUSE_CLICKHOUSE, clusterEnabled: true },
      init: { organization: "Platform", project: "default", userEmail: "langfuse-admins+lfp@example.com" },
    },
    ci: { githubRepository: "example-org/langfuse-aws", oidcProvider: "existing" },
    state: { backend: "s3", bucket: "ls-tfstate-111111111111-us-west-2", key: "langfuse/lfp/terraform.tfstate", locking: "lockfile" },
  });
}

export const langfuseOnlyProduction = (): EnvironmentConfig => loadEnvironment({ file: "environments/lfp.ts", input: langfuseOnlyProductionFork() });

/** A shipped environment running both applications. */
export function withLangfuse(name: "dev" | "staging" | "prod", mutate: (input: Json) => void = () => undefined): EnvironmentConfig {
  const input = shippedInput(name);
  input.applications = ["langsmith", "langfuse"];
  const tier = input.tier as "development" | "production";
  input.langfuse = {
    ...JSON.parse(JSON.stringify(LANGFUSE_DEV)),
    ...LANGFUSE_PROFILES[tier],
    hostname: `langfuse.${String(input.dns.hostname).split(".").slice(1).join(".")}`,
  };
  mutate(input);
  return loadEnvironment({ file: `environments/${name}.ts`, input });
}
