import { readdirSync } from "node:fs";
import { join } from "node:path";
import { ENVIRONMENTS } from "../../environments";
import { defineEnvironment } from "../../environments/profiles";
import { loadEnvironments } from "../../lib/config/load";
import { deepMerge } from "../../lib/merge";
import { loadProblems, problemsWith as problems, shippedInput, Json } from "../helpers";

describe("shipped environments", () => {
  test("all load together without problems", () => {
    expect(loadEnvironments(ENVIRONMENTS).map((e) => e.file)).toEqual(ENVIRONMENTS.map((e) => e.file));
  });

  test("every environment file in environments/ is registered in environments/index.ts, under its own path", () => {
    const dir = join(__dirname, "..", "..", "environments");
    const files = readdirSync(dir)
      .filter((f) => f.endsWith(".ts") && !["index.ts", "profiles.ts"].includes(f))
      .map((f) => `environments/${f}`);
    expect(ENVIRONMENTS.map((e) => e.file).sort()).toEqual(files.sort());
  });
});

describe("field rules name the file, the field path, the value, what is allowed and the fix", () => {
  test.each<[string, "dev" | "staging" | "prod", Json, string]>([
    ["VPC CIDR too large", "prod", { network: { vpcCidr: "10.0.0.0/8" } }, "environments/prod.ts: network.vpcCidr must be a /16 to /20 private range (10/8, 172.16/12, 192.168/16), got 10.0.0.0/8"],
    ["VPC CIDR public", "dev", { network: { vpcCidr: "8.8.0.0/16" } }, "environments/dev.ts: network.vpcCidr must be a /16 to /20 private range (10/8, 172.16/12, 192.168/16), got 8.8.0.0/16"],
    ["VPC CIDR malformed", "dev", { network: { vpcCidr: "10.10.0.1/16" } }, "environments/dev.ts: network.vpcCidr must be an IPv4 CIDR like 10.10.0.0/16 (no host bits set), got 10.10.0.1/16"],
    ["a VPC too small for the node pools at maxSize", "prod", { network: { vpcCidr: "10.30.0.0/20" } }, "environments/prod.ts: network.vpcCidr must give each zone's node subnet room for the node pools at maxSize: the first zone's 10.30.0.0/23 has 507 addresses, the pools can take 960 (general: 4 nodes x 240 addresses; the VPC CNI gives every pod a VPC address), got 10.30.0.0/20; use a /19 or larger, or lower nodePools.*.maxSize"],
    ["a VPC too small: the single-zone ClickHouse pool counts in the first zone", "dev", { network: { vpcCidr: "10.10.0.0/20" }, nodePools: { general: { maxSize: 12, instanceTypes: ["m6i.4xlarge"] }, clickhouse: { maxSize: 2, minSize: 1, desiredSize: 1 } } }, "the pools can take 1560 (general: 6 nodes x 240 addresses + clickhouse: 2 nodes x 60 addresses"],
    ["too few AZs (development)", "dev", { aws: { availabilityZones: ["us-west-2a"] } }, "environments/dev.ts: aws.availabilityZones must list at least 2 zones for tier development, got [\"us-west-2a\"]; add zones of us-west-2, e.g. us-west-2a, us-west-2b, us-west-2c"],
    ["too few AZs (production)", "prod", { aws: { availabilityZones: ["us-east-1a", "us-east-1b"] } }, "environments/prod.ts: aws.availabilityZones must list at least 3 zones for tier production"],
    ["AZ of another region", "dev", { aws: { availabilityZones: ["us-west-2a", "us-east-1b"] } }, "environments/dev.ts: aws.availabilityZones.1 must be a zone of region us-west-2 (us-west-2a, us-west-2b, ...), got us-east-1b"],
    ["repeated AZ", "dev", { aws: { availabilityZones: ["us-west-2a", "us-west-2a"] } }, "environments/dev.ts: aws.availabilityZones must not repeat a zone"],
    ["too many AZs", "dev", { aws: { availabilityZones: ["us-west-2a", "us-west-2b", "us-west-2c", "us-west-2d", "us-west-2e"] } }, "environments/dev.ts: aws.availabilityZones must list at most 4 zones"],
    ["a zone letter the region does not have", "dev", { aws: { availabilityZones: ["us-west-2a", "us-west-2z"] } }, "environments/dev.ts: aws.availabilityZones.1 must be a zone us-west-2 has (us-west-2a, us-west-2b, us-west-2c, us-west-2d; lib/regions.ts, as of 2025-06-01), got us-west-2z; pick one of us-west-2a, us-west-2b, us-west-2c, us-west-2d; if AWS has opened it since, add its letter to lib/regions.ts"],
    ["a zone ID instead of a zone name", "dev", { aws: { availabilityZones: ["usw2-az1", "us-west-2b"] } }, "environments/dev.ts: aws.availabilityZones.0 must be a zone of region us-west-2 (us-west-2a, us-west-2b, ...), got usw2-az1; list zone names, not zone IDs: `aws ec2 describe-availability-zones --region us-west-2` maps usw2-az1 to its name in your account"],
    ["more zones than one account has", "dev", { aws: { region: "us-west-1", availabilityZones: ["us-west-1a", "us-west-1b", "us-west-1c"] }, state: { bucket: "ls-tfstate-111111111111-us-west-1" } }, "environments/dev.ts: aws.availabilityZones must list at most 2 zones: us-west-1 offers 2 per account (lib/regions.ts), got [\"us-west-1a\",\"us-west-1b\",\"us-west-1c\"]"],
    ["production in a region with two zones", "prod", { aws: { region: "us-west-1", availabilityZones: ["us-west-1a", "us-west-1c"] }, state: { bucket: "ls-tfstate-333333333333-us-west-1" } }, "environments/prod.ts: aws.availabilityZones must list at least 3 zones for tier production, but us-west-1 offers 2 per account (lib/regions.ts), got [\"us-west-1a\",\"us-west-1c\"]; use a region with 3 or more zones for tier production"],
    ["too few AZs: the fix names zones the region has", "prod", { aws: { region: "ap-northeast-1", availabilityZones: ["ap-northeast-1a"] }, state: { bucket: "ls-tfstate-333333333333-ap-northeast-1" } }, "environments/prod.ts: aws.availabilityZones must list at least 3 zones for tier production, got [\"ap-northeast-1a\"]; add zones of ap-northeast-1, e.g. ap-northeast-1a, ap-northeast-1c, ap-northeast-1d"],
    ["a GovCloud region", "dev", { aws: { region: "us-gov-west-1", availabilityZones: ["us-gov-west-1a", "us-gov-west-1b"] } }, "environments/dev.ts: aws.region is in partition aws-us-gov (AWS GovCloud (US)), which this project does not support: the ARNs, service principals, ELB log-delivery accounts, Route 53 health-check region and prices it synthesizes are the commercial partition's (aws), got us-gov-west-1; use a commercial region (lib/regions.ts), or port those to the partition first"],
    ["a China region", "dev", { aws: { region: "cn-north-1", availabilityZones: ["cn-north-1a", "cn-north-1b"] } }, "environments/dev.ts: aws.region is in partition aws-cn (AWS China)"],
    ["a region in capitals", "dev", { aws: { region: "US-WEST-2" } }, "environments/dev.ts: aws.region must be an AWS commercial region (see lib/regions.ts), got US-WEST-2; use us-west-2 (lowercase)"],
    ["invalid region", "dev", { aws: { region: "us-weast-2" } }, "environments/dev.ts: aws.region must be an AWS commercial region (see lib/regions.ts), got us-weast-2; check the spelling; if us-weast-2 is a region AWS offers, add it to lib/regions.ts with its zones (the list is as of 2025-06-01 and holds the regions where EKS, RDS, ElastiCache and WAFv2 were confirmed) and any family it lacks to lib/data-catalogs.ts"],
    ["not a region name at all", "dev", { aws: { region: "oregon" } }, "environments/dev.ts: aws.region must be an AWS commercial region (see lib/regions.ts), got oregon; use e.g. us-west-2"],
    ["a state bucket with capitals", "dev", { state: { bucket: "LS-TFSTATE-111111111111-us-west-2" } }, "environments/dev.ts: state.bucket must use only lowercase letters, digits, hyphens (and dots) (S3 bucket naming rules), got LS-TFSTATE-111111111111-us-west-2"],
    ["a state bucket with dots", "dev", { state: { bucket: "tfstate.111111111111.us-west-2" } }, "environments/dev.ts: state.bucket must not contain dots: virtual-hosted-style TLS requests (the Terraform S3 backend, the SDKs) fail the certificate check on a dotted bucket name (S3 bucket naming rules), got tfstate.111111111111.us-west-2"],
    ["a state bucket with a reserved suffix", "dev", { state: { bucket: "ls-tfstate-111111111111-us-west-2-s3alias" } }, "environments/dev.ts: state.bucket must not end with -s3alias (reserved by S3) (S3 bucket naming rules), got ls-tfstate-111111111111-us-west-2-s3alias"],
    ["an admin ARN of another partition", "dev", { eks: { adminPrincipalArns: ["arn:aws-us-gov:iam::111111111111:role/admin"] } }, "environments/dev.ts: eks.adminPrincipalArns.0 must be an ARN of the commercial partition, arn:aws:<service>:<region>:<account>:<resource> (lib/regions.ts), got arn:aws-us-gov:iam::111111111111:role/admin"],
    ["a Terraform Cloud hostname given as a URL", "dev", { eks: { clusterAuth: "token" }, state: { backend: "cloud", organization: "acme", workspace: "langsmith-dev", hostname: "https://app.terraform.io/" } }, "environments/dev.ts: state.hostname must be a host name like app.terraform.io (no https://, no path): the cloud block's hostname, got https://app.terraform.io/"],
    ["a Terraform Cloud organization with a space", "dev", { eks: { clusterAuth: "token" }, state: { backend: "cloud", organization: "Acme Corp", workspace: "langsmith-dev", hostname: "app.terraform.io" } }, "environments/dev.ts: state.organization must be a Terraform Cloud organization name (letters, digits, - and _), got Acme Corp"],
    ["an owner no AWS tag accepts", "dev", { owner: "R&D #42" }, "environments/dev.ts: owner must be a valid AWS tag value (letters, digits, spaces and _ . : / = + - @): it tags every resource, got R&D #42"],
    ["invalid account id", "dev", { aws: { accountId: "12345" } }, "environments/dev.ts: aws.accountId must be a 12-digit AWS account id, got 12345"],
    ["invalid DNS name", "dev", { dns: { hostname: "LangSmith_dev.example" } }, "environments/dev.ts: dns.hostname must be a lowercase DNS name like langsmith.example.com, got LangSmith_dev.example"],
    ["invalid hosted zone id", "dev", { dns: { hostedZoneId: "zone-1" } }, "environments/dev.ts: dns.hostedZoneId must be a Route 53 hosted zone id like Z0123456789ABCDEFGHIJ, got zone-1"],
    ["unknown tier", "dev", { tier: "prod" }, "environments/dev.ts: tier must be one of development | production, got prod"],
    ["unknown exposure", "dev", { exposure: "internet" }, "environments/dev.ts: exposure must be one of public | private, got internet"],
    ["unknown auth model", "dev", { auth: { model: "saml" } }, "environments/dev.ts: auth.model must be one of token | oidc, got saml"],
    ["unknown postgres engine", "dev", { postgres: { engine: "mysql" } }, "environments/dev.ts: postgres.engine must be one of rds | aurora, got mysql"],
    ["unknown ClickHouse mode", "dev", { clickhouse: { mode: "serverless" } }, "environments/dev.ts: clickhouse.mode must be one of in-cluster | external, got serverless"],
    ["unknown NAT mode", "dev", { network: { natGateways: "none" } }, "environments/dev.ts: network.natGateways must be one of single | per-az, got none"],
    ["misspelt field", "dev", { postgres: { multiAZ: true } }, "environments/dev.ts: postgres has unknown field multiAZ; remove it or fix the spelling (see lib/config/schema.ts)"],
    ["missing field", "dev", {}, "environments/dev.ts: owner is required (string), got nothing; add it (see lib/config/schema.ts)"],
    ["log retention not allowed by CloudWatch", "dev", { observability: { logRetentionDays: 10 } }, "environments/dev.ts: observability.logRetentionDays must be a CloudWatch Logs retention period (1, 3, 5, 7, 14, 30"],
    ["OIDC issuer not https", "dev", { auth: { model: "oidc", clientId: "x", issuerUrl: "http://sso.example.com" } }, "environments/dev.ts: auth.issuerUrl must be an https:// URL, got http://sso.example.com"],
    ["EKS API open to the world in production", "prod", { eks: { endpointPublicAccess: true, publicAccessCidrs: ["0.0.0.0/0"] } }, "environments/prod.ts: eks.publicAccessCidrs.0 must not open the EKS API to the whole internet in production, got 0.0.0.0/0; list your VPN or CI egress CIDRs, or set eks.endpointPublicAccess to false"],
    [
      "CIDRs for a public endpoint that is off",
      "dev",
      { eks: { publicAccessCidrs: ["203.0.113.0/24"] } },
      'environments/dev.ts: eks.publicAccessCidrs must be empty while eks.endpointPublicAccess is false (the public endpoint is off, so the list would be ignored and nobody reach the API from it), got ["203.0.113.0/24"]; set eks.endpointPublicAccess to true to open the public endpoint to these CIDRs, or remove them (the private endpoint is reached from the VPC: README, Cluster access)',
    ],
    ["public endpoint without CIDRs", "dev", { eks: { endpointPublicAccess: true } }, "environments/dev.ts: eks.publicAccessCidrs must list at least one CIDR when eks.endpointPublicAccess is true (AWS would default to 0.0.0.0/0), got []"],
    ["malformed endpoint CIDR", "dev", { eks: { endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0"] } }, "environments/dev.ts: eks.publicAccessCidrs.0 must be an IPv4 CIDR like 203.0.113.0/24, got 203.0.113.0"],
    ["node pool sizes out of order", "dev", { nodePools: { general: { minSize: 4, desiredSize: 3 } } }, "environments/dev.ts: nodePools.general must satisfy minSize <= desiredSize <= maxSize, got {\"minSize\":4,\"desiredSize\":3,\"maxSize\":6}"],
    ["PostgreSQL older than 14", "dev", { postgres: { engineVersion: "13.12" } }, "environments/dev.ts: postgres.engineVersion must be PostgreSQL 14 or newer (reference architecture, section 6), got 13.12; remove the field to use the pinned"],
    ["a PostgreSQL minor RDS does not offer", "dev", { postgres: { engineVersion: "16.7" } }, "environments/dev.ts: postgres.engineVersion must be an RDS for PostgreSQL version offered in us-west-2 (versions.ts ENGINE_CATALOG, as of 2025-11-01): 16 comes in 16.4, 16.6, 16.8, 16.9, 16.10, got 16.7; pick a listed version, remove the field to use the pinned 16.10, or add the version to the catalog with its AWS source"],
    ["a PostgreSQL major not yet released", "dev", { postgres: { engineVersion: "19.1" } }, "environments/dev.ts: postgres.engineVersion must be an RDS for PostgreSQL version offered in us-west-2 (versions.ts ENGINE_CATALOG, as of 2025-11-01): major 19 is not one of 14, 15, 16, 17, got 19.1"],
    ["a major alone", "dev", { postgres: { engineVersion: "16" } }, "environments/dev.ts: postgres.engineVersion must be an RDS for PostgreSQL version offered in us-west-2 (versions.ts ENGINE_CATALOG, as of 2025-11-01): 16 comes in 16.4"],
    ["an Aurora version only RDS has", "staging", { postgres: { engineVersion: "16.10" } }, "environments/staging.ts: postgres.engineVersion must be an Aurora PostgreSQL version offered in us-west-2 (versions.ts ENGINE_CATALOG, as of 2025-11-01): 16 comes in 16.3, 16.4, 16.6, 16.8, 16.9, got 16.10"],
    ["Redis older than 7", "dev", { redis: { engineVersion: "6.2" } }, "environments/dev.ts: redis.engineVersion must be Redis OSS 7 or newer (modules/redis authenticates with IAM, which ElastiCache offers from 7.0), got 6.2; remove the field to use the pinned 7.1"],
    ["a Redis version ElastiCache does not offer", "dev", { redis: { engineVersion: "7.4" } }, "environments/dev.ts: redis.engineVersion must be an ElastiCache for Redis OSS version offered in us-west-2 (versions.ts ENGINE_CATALOG, as of 2025-11-01): 7 comes in 7.0, 7.1, got 7.4; pick a listed version"],
    ["a Redis version that is not a version", "dev", { redis: { engineVersion: "latest" } }, "environments/dev.ts: redis.engineVersion must be a Redis OSS version like 7.1, got latest"],
    ["backups too short (development)", "dev", { postgres: { backupRetentionDays: 3 } }, "environments/dev.ts: postgres.backupRetentionDays must be at least 7 days for tier development, got 3"],
    ["backups too short (production)", "prod", { postgres: { backupRetentionDays: 7 } }, "environments/prod.ts: postgres.backupRetentionDays must be at least 14 days for tier production, got 7"],
    ["storage autoscaling below allocation", "dev", { postgres: { maxAllocatedStorageGib: 30 } }, "environments/dev.ts: postgres.maxAllocatedStorageGib must be at least postgres.allocatedStorageGib (50), got 30"],
    ["production without deletion protection", "prod", { postgres: { deletionProtection: false } }, "environments/prod.ts: postgres.deletionProtection must be true for tier production, got false"],
    ["production without final snapshot", "prod", { postgres: { finalSnapshot: false } }, "environments/prod.ts: postgres.finalSnapshot must be true for tier production, got false"],
    ["production Redis without replica", "prod", { redis: { replicas: 0 } }, "environments/prod.ts: redis.replicas must be at least 1 for tier production (automatic failover and Multi-AZ need a replica), got 0"],
    ["production without blob storage", "prod", { blobStorage: { enabled: false } }, "environments/prod.ts: blobStorage.enabled must be true for tier production (reference architecture, section 7: blob storage is required), got false"],
    ["long TTL shorter than short TTL", "dev", { blobStorage: { ttlShortDays: 30, ttlLongDays: 20 } }, "environments/dev.ts: blobStorage.ttlLongDays must be at least blobStorage.ttlShortDays (30), got 20"],
    ["DynamoDB locking without a table", "staging", { state: { locking: "dynamodb" } }, "environments/staging.ts: state.lockTable is required when state.locking is \"dynamodb\", got nothing; name the bootstrap lock table, or set state.locking to \"lockfile\""],
    ["Terraform Cloud with exec auth", "dev", { state: { backend: "cloud", organization: "acme", workspace: "langsmith-dev", hostname: "app.terraform.io" } }, "environments/dev.ts: eks.clusterAuth must be \"token\" with the Terraform Cloud backend (remote runs have no AWS CLI for exec auth), got exec"],
    ["production Postgres without Multi-AZ", "prod", { postgres: { multiAz: false } }, "environments/prod.ts: postgres.multiAz must be true for tier production (a standby in another AZ: the database survives the loss of one), got false"],
    ["production with one NAT gateway", "prod", { network: { natGateways: "single" } }, "environments/prod.ts: network.natGateways must be \"per-az\" for tier production (with one NAT gateway, losing its AZ cuts every node's egress), got single"],
    ["production with a zone the general pool leaves empty", "prod", { aws: { availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d"] } }, "environments/prod.ts: nodePools.general.minSize must be at least the number of aws.availabilityZones for tier production (a node in every zone: the loss of one leaves the others serving), got 3"],
    ["production Redis without snapshots", "prod", { redis: { snapshotRetentionDays: 0 } }, "environments/prod.ts: redis.snapshotRetentionDays must be at least 1 for tier production (queues in flight are restorable only from a snapshot), got 0"],
    ["external ClickHouse without TLS", "prod", { clickhouse: { tls: false } }, "environments/prod.ts: clickhouse.tls must be true: every data store is reached over TLS (reference architecture, section 10), and the ClickHouse password travels on this connection, got false; enable TLS on the ClickHouse endpoint (e.g. ports 8443 / 9440) and set tls: true"],
    ["ClickHouse host given as a URL", "prod", { clickhouse: { host: "https://clickhouse.example.com:8443" } }, "environments/prod.ts: clickhouse.host must be a host name only: no scheme, port or path (the ports are their own fields), got https://clickhouse.example.com:8443; use clickhouse.example.com and set clickhouse.port / nativePort"],
    ["an RDS class that does not exist", "dev", { postgres: { instanceClass: "db.m6i.medium" } }, "environments/dev.ts: postgres.instanceClass must be an RDS for PostgreSQL instance class offered in us-west-2 (lib/data-catalogs.ts, as of 2025-06-01): db.m6i comes in large, xlarge, 2xlarge, 4xlarge, 8xlarge, 12xlarge, 16xlarge, 24xlarge, 32xlarge, got db.m6i.medium; pick a listed size, or add the class to the catalog with its AWS source"],
    ["an RDS class Aurora does not offer", "staging", { postgres: { instanceClass: "db.m6g.large" } }, "environments/staging.ts: postgres.instanceClass must be an Aurora PostgreSQL instance class offered in us-west-2 (lib/data-catalogs.ts, as of 2025-06-01): family db.m6g is not one of db.t3, db.t4g, db.r5, db.r6g, db.r6i, db.r7g, got db.m6g.large"],
    ["an ElastiCache node type that does not exist", "dev", { redis: { nodeType: "cache.r7g.micro" } }, "environments/dev.ts: redis.nodeType must be an ElastiCache node type offered in us-west-2 (lib/data-catalogs.ts, as of 2025-06-01): cache.r7g comes in large, xlarge"],
    ["a misspelt chart key in valuesOverrides", "dev", { langsmith: { valuesOverrides: { frontend: { autoscaling: { hpa: { maxReplica: 4 } } } } } }, "environments/dev.ts: langsmith.valuesOverrides.frontend.autoscaling.hpa.maxReplica is not a key of the langsmith chart 0.16.11 (Helm would ignore it silently), got 4; check the spelling against the chart's values.yaml (keys: __tests__/fixtures/langsmith-chart-keys.json)"],
    ["a chart boolean given as a string", "dev", { langsmith: { valuesOverrides: { frontend: { autoscaling: { hpa: { enabled: "no" } } } } } }, "environments/dev.ts: langsmith.valuesOverrides.frontend.autoscaling.hpa.enabled must be true or false: the langsmith chart 0.16.11 defaults it to a boolean, and its templates' `if` reads any non-empty string, \"false\" included, as true, got \"no\"; write true or false without quotes"],
    // `.positive()` is an exclusive bound at 0: the message must not read "at least 0, got 0".
    ["a pool that may never grow", "dev", { nodePools: { general: { maxSize: 0, minSize: 0, desiredSize: 0 } } }, "environments/dev.ts: nodePools.general.maxSize must be greater than 0, got 0"],
    ["waiver without a reason", "dev", { policy: { waivers: [{ rule: "LS-X", reason: "because" }] } }, "environments/dev.ts: policy.waivers.0.reason must explain why (10+ characters), got because"],
    ["same rule waived twice", "dev", { policy: { waivers: [{ rule: "LS-X", reason: "a long enough reason" }, { rule: "LS-X", reason: "a long enough reason" }] } }, "environments/dev.ts: policy.waivers.1.rule must not waive the same rule twice, got LS-X"],
  ])("%s", (_title, env, changes, expected) => {
    const found = problems(env, changes, _title === "missing field" ? (i) => delete i.owner : undefined);
    expect(found.join("\n")).toContain(expected);
  });

  test("in-cluster ClickHouse is refused in production, with the reference's rule", () => {
    const found = problems("prod", {}, (i) => {
      i.clickhouse = { mode: "in-cluster", storageGib: 500, storageIops: 7000, storageThroughputMiBps: 1000, snapshotRetentionDays: 14 };
      i.nodePools.clickhouse = { instanceTypes: ["r6i.4xlarge"], minSize: 1, desiredSize: 1, maxSize: 1, capacityType: "ON_DEMAND", diskSizeGib: 50 };
    });
    expect(found).toEqual([
      'environments/prod.ts: clickhouse.mode must be "external" for tier production: the reference architecture (section 6) does not support single-node ClickHouse in production (it requires a replicated cluster of 3 replicas, or an externally managed one) and the pinned chart\'s in-cluster ClickHouse is one replica, got in-cluster; set clickhouse to { mode: "external", host, port, nativePort, database, user, tls } and put the password in Secrets Manager',
    ]);
  });

  test("in-cluster ClickHouse needs its dedicated pool; external must not have one", () => {
    expect(problems("dev", {}, (i) => delete i.nodePools.clickhouse)).toContain(
      'environments/dev.ts: nodePools.clickhouse is required when clickhouse.mode is "in-cluster" (ClickHouse runs on its own tainted pool), got nothing; add a clickhouse pool, e.g. instanceTypes [r6i.2xlarge], minSize 1',
    );
    expect(problems("prod", {}, (i) => (i.nodePools.clickhouse = i.nodePools.general)).join("\n")).toContain(
      'environments/prod.ts: nodePools.clickhouse must be absent when clickhouse.mode is "external"',
    );
  });

  test("several problems are reported together, shape and cross-field alike", () => {
    const found = problems("prod", { network: { vpcCidr: "10.0.0.0/8" }, aws: { availabilityZones: ["us-east-1a"] }, postgres: { multiAZ: true } });
    expect(found).toHaveLength(3);
    expect(found.every((l) => l.startsWith("environments/prod.ts: "))).toBe(true);
  });
});

describe("rules across environments", () => {
  const dev = shippedInput("dev");
  const fork = (changes: Json) => ({ file: "environments/dev2.ts", input: deepMerge<Json>(dev, changes) });

  test("duplicate names, state keys, hostnames and overlapping CIDRs", () => {
    const found = loadProblems([{ file: "environments/dev.ts", input: dev }, fork({})]);
    expect(found).toEqual([
      "environments/dev2.ts: name must be unique across environments (also used by environments/dev.ts), got dev; rename one",
      "environments/dev2.ts: state must not share a state (bucket and key, or Terraform Cloud workspace) with another environment (also used by environments/dev.ts), got s3://ls-tfstate-111111111111-us-west-2/langsmith/dev/terraform.tfstate; give each environment its own state.key or workspace",
      "environments/dev2.ts: dns.hostname must be unique across environments (also used by environments/dev.ts), got langsmith.dev.example.com; use another name",
      "environments/dev2.ts: network.vpcCidr must not overlap 10.10.0.0/16 of environments/dev.ts (keeps peering and Transit Gateway possible), got 10.10.0.0/16; pick a free range, e.g. the next /16",
    ]);
  });

  const other = { name: "eu", network: { vpcCidr: "10.44.0.0/16" }, dns: { hostname: "langsmith.eu.example.com", hostedZoneId: "Z0EU000000000000000001" }, state: { key: "langsmith/eu/terraform.tfstate" }, ci: { oidcProvider: "existing" } };
  const elsewhere = (changes: Json = {}) =>
    fork(deepMerge<Json>({ ...other, aws: { accountId: "444444444444", region: "eu-central-1", availabilityZones: ["eu-central-1a", "eu-central-1b"] } }, changes));

  test.each<[string, Json, string[]]>([
    [
      "a state bucket named after another account and region",
      {},
      [
        "environments/dev2.ts: state.bucket names account 111111111111, but aws.accountId is 444444444444 (a bucket copied from another environment: S3 names are global and the bootstrap stack of this account creates its own), got ls-tfstate-111111111111-us-west-2; name it after this account and region, e.g. ls-tfstate-444444444444-eu-central-1 (npm run env:new does)",
        "environments/dev2.ts: state.bucket names region us-west-2, but the backend and its bootstrap bucket are in aws.region eu-central-1, got ls-tfstate-111111111111-us-west-2; name it after this account and region, e.g. ls-tfstate-444444444444-eu-central-1 (npm run env:new does)",
      ],
    ],
    [
      "one bucket claimed by two accounts, whatever its name",
      { state: { bucket: "acme-terraform-state" } },
      [
        "environments/dev2.ts: state.bucket must belong to one account and region: environments/dev.ts keeps its state there from account 111111111111 in us-west-2, this environment is account 444444444444 in eu-central-1 (S3 bucket names are global; two bootstrap stacks would both create it), got acme-terraform-state; use this account and region's own bucket, e.g. ls-tfstate-444444444444-eu-central-1",
      ],
    ],
    [
      "a state key with .. segments",
      { state: { bucket: "ls-tfstate-444444444444-eu-central-1", key: "langsmith/../dev/terraform.tfstate" } },
      ["environments/dev2.ts: state.key must not have empty, . or .. segments (S3 keeps them literally, and the CI roles' policies name the exact key), got langsmith/../dev/terraform.tfstate; use e.g. langsmith/eu/terraform.tfstate"],
    ],
  ])("%s", (_title, changes, expected) => {
    const base = { ...dev, state: { ...dev.state, bucket: "acme-terraform-state" } };
    const first = _title.startsWith("one bucket") ? base : dev;
    expect(loadProblems([{ file: "environments/dev.ts", input: first }, elsewhere(changes)])).toEqual(expected);
  });

  test("S3-native locking is the default; a lock table without dynamodb locking is refused, not ignored", () => {
    const { locking: _l, lockTable: _t, ...state } = dev.state as Json;
    expect(loadEnvironments([{ file: "environments/dev.ts", input: { ...dev, state } }])[0].config.state).toMatchObject({ locking: "lockfile" });
    expect(loadProblems([{ file: "environments/dev.ts", input: { ...dev, state: { ...state, lockTable: "ls-tfstate-lock" } } }])).toEqual([
      'environments/dev.ts: state.lockTable is only used with state.locking "dynamodb", but state.locking is lockfile (the default): this state would be locked by the S3 lockfile, not the table, got ls-tfstate-lock; set state.locking to "dynamodb" to keep the table, or remove state.lockTable (README, "State locking")',
    ]);
  });

  test("a lock table belongs to one bucket per account and region", () => {
    const second = fork({ ...other, state: { bucket: "ls-tfstate-111111111111-us-west-2-b" } });
    expect(loadProblems([{ file: "environments/dev.ts", input: dev }, second])).toEqual([
      "environments/dev2.ts: state.lockTable must not name the lock table of another state bucket in account 111111111111, us-west-2: environments/dev.ts locks bucket ls-tfstate-111111111111-us-west-2 with it, and both bootstrap stacks would create it, got ls-tfstate-lock; name another table, use bucket ls-tfstate-111111111111-us-west-2, or set state.locking to \"lockfile\"",
    ]);
    expect(loadProblems([{ file: "environments/dev.ts", input: dev }, fork({ ...other, state: { bucket: "ls-tfstate-111111111111-us-west-2-b", lockTable: "ls-tfstate-lock-b" } })])).toEqual([]);
  });

  test("two environments of one repository cannot apply from the same GitHub environment", () => {
    const found = loadProblems([{ file: "environments/dev.ts", input: dev }, fork({ ...other, ci: { githubEnvironment: "dev" } })]);
    expect(found).toEqual([
      "environments/dev2.ts: ci.githubEnvironment must give the apply job its own GitHub environment in example-org/langsmith-aws: environments/dev.ts applies from dev too (it holds one AWS_APPLY_ROLE_ARN), got dev; set ci.githubEnvironment to a name of its own",
    ]);
  });

  test("a hosted zone belongs to one account: a zone id copied from another account's environment is refused", () => {
    const copied = elsewhere({ state: { bucket: "ls-tfstate-444444444444-eu-central-1" }, dns: { hostedZoneId: "Z0DEV00000000000000001" } });
    expect(loadProblems([{ file: "environments/dev.ts", input: dev }, copied])).toEqual([
      "environments/dev2.ts: dns.hostedZoneId must be a hosted zone of account 444444444444 (aws.accountId): environments/dev.ts uses it from account 111111111111, and a hosted zone belongs to one account (this stack writes its records with account 444444444444's credentials), got Z0DEV00000000000000001; use the zone of langsmith.eu.example.com's domain in account 444444444444 (aws route53 list-hosted-zones-by-name), e.g. a subdomain delegated to it; npm run env:new takes --hosted-zone-id",
    ]);
    const validation = elsewhere({ state: { bucket: "ls-tfstate-444444444444-eu-central-1" }, dns: { certificateValidationZoneId: "Z0DEV00000000000000001" } });
    expect(loadProblems([{ file: "environments/dev.ts", input: dev }, validation]).join("\n")).toContain("environments/dev2.ts: dns.certificateValidationZoneId must be a hosted zone of account 444444444444");
    // Same account: one zone may hold several environments' names.
    expect(loadProblems([{ file: "environments/dev.ts", input: dev }, fork({ ...other, dns: { hostname: "langsmith.eu.example.com", hostedZoneId: "Z0DEV00000000000000001" } })])).toEqual([]);
  });

  test("a fork in another account and region with its own bucket loads", () => {
    expect(loadProblems([{ file: "environments/dev.ts", input: dev }, elsewhere({ state: { bucket: "ls-tfstate-444444444444-eu-central-1" } })])).toEqual([]);
  });

  test("a fork that changes name, CIDR, DNS and state key loads with no other edit", () => {
    const found = loadProblems([
      { file: "environments/dev.ts", input: dev },
      fork({ name: "dev2", network: { vpcCidr: "10.11.0.0/16" }, dns: { hostname: "langsmith.dev2.example.com" }, state: { key: "langsmith/dev2/terraform.tfstate" } }),
    ]);
    expect(found).toEqual([]);
  });
});

describe("an existing VPC", () => {
  test("a subnet listed twice (in one list or across lists) is refused: it would count as two zones", () => {
    const found = problems("dev", {}, (i) => {
      i.network = {
        mode: "existing",
        vpcId: "vpc-0123456789abcdef0",
        vpcCidr: "10.10.0.0/16",
        publicSubnetIds: ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"],
        privateSubnetIds: ["subnet-0bbbbbbbbbbbbbbb1", "subnet-0bbbbbbbbbbbbbbb1"],
        dataSubnetIds: ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0ccccccccccccccc2"],
      };
    });
    expect(found).toEqual([
      "environments/dev.ts: network.privateSubnetIds.1 must not repeat a subnet (already network.privateSubnetIds.0): one subnet would count as two zones, got subnet-0bbbbbbbbbbbbbbb1; list each zone's own subnet once",
      "environments/dev.ts: network.dataSubnetIds.0 must not repeat a subnet (already network.publicSubnetIds.0): one subnet would count as two zones, got subnet-0aaaaaaaaaaaaaaa1; list each zone's own subnet once",
    ]);
  });
});

describe("environment files: the loader, not tsc or defineEnvironment, reports every mistake", () => {
  // The fields a file like environments/dev.ts writes (everything the tier decides is left out).
  const fields = {
    name: "dev",
    owner: "platform-team",
    costCenter: "eng-platform",
    aws: { accountId: "111111111111", region: "us-west-2", availabilityZones: ["us-west-2a", "us-west-2b"] },
    network: { mode: "create", vpcCidr: "10.10.0.0/16" },
    dns: { hostname: "langsmith.dev.example.com", hostedZoneId: "Z0DEV00000000000000001" },
    exposure: "public",
    auth: { model: "token" },
    langsmith: { initialOrgAdminEmail: "admins@example.com" },
    clickhouse: { mode: "in-cluster", storageGib: 100, storageIops: 3000, storageThroughputMiBps: 125, snapshotRetentionDays: 7 },
    eks: { adminPrincipalArns: ["arn:aws:iam::111111111111:role/platform-admin"] },
    state: { backend: "s3", bucket: "ls-tfstate-111111111111-us-west-2", key: "langsmith/dev/terraform.tfstate", locking: "lockfile" },
  } as const;
  const load = (input: unknown) => loadProblems([{ file: "environments/dev.ts", input }]);

  test("the fields above load (the baseline of the cases below)", () => {
    expect(load(defineEnvironment("development", fields))).toEqual([]);
  });

  // Each call below type-checks (tsconfig.test.json runs tsc on this file): defineEnvironment
  // accepts loosely-typed input, so tsc does not stop the run before the loader names the field.
  test.each<[string, unknown, string[]]>([
    ["an unknown tier does not crash defineEnvironment", defineEnvironment("prod", fields), ["environments/dev.ts: tier must be one of development | production, got prod"]],
    [
      "a string where a number belongs",
      defineEnvironment("development", { ...fields, postgres: { allocatedStorageGib: "100" } }),
      ["environments/dev.ts: postgres.allocatedStorageGib must be a number, got string 100; write it without quotes: 100"],
    ],
    [
      "a number where a string belongs (an account id written without quotes)",
      defineEnvironment("development", { ...fields, aws: { ...fields.aws, accountId: 111111111111 } }),
      ['environments/dev.ts: aws.accountId must be a string, got number 111111111111; write it in quotes: "111111111111"'],
    ],
    [
      "true or false in quotes",
      defineEnvironment("development", { ...fields, eks: { ...fields.eks, endpointPublicAccess: "false" } }),
      ["environments/dev.ts: eks.endpointPublicAccess must be true or false, got string false; write it without quotes: false"],
    ],
    [
      "one item where a list belongs",
      defineEnvironment("development", { ...fields, aws: { ...fields.aws, availabilityZones: "us-west-2a" } }),
      ['environments/dev.ts: aws.availabilityZones must be a list, got string us-west-2a; write it as a list: ["us-west-2a"]'],
    ],
    [
      "a fraction where a whole number belongs",
      defineEnvironment("development", { ...fields, nodePools: { general: { desiredSize: 2.5 } } }),
      ["environments/dev.ts: nodePools.general.desiredSize must be a whole number, got float 2.5; write a whole number, e.g. 3"],
    ],
    [
      "null where an object belongs",
      defineEnvironment("development", { ...fields, postgres: null }),
      ["environments/dev.ts: postgres must be an object, got null; see lib/config/schema.ts for what it takes"],
    ],
    ["an unknown exposure", defineEnvironment("development", { ...fields, exposure: "internet" }), ["environments/dev.ts: exposure must be one of public | private, got internet"]],
    [
      "a misspelt field",
      defineEnvironment("development", { ...fields, redis: { replica: 1 } }),
      ["environments/dev.ts: redis has unknown field replica; remove it or fix the spelling (see lib/config/schema.ts)"],
    ],
    [
      "a missing network block",
      defineEnvironment("development", { ...fields, network: undefined }),
      ["environments/dev.ts: network.mode must be one of create | existing, got nothing"],
    ],
  ])("%s", (_t, input, expected) => {
    expect(load(input)).toEqual(expected);
  });
});

describe("replica overrides go through the capacity arithmetic", () => {
  test("an HPA maximum the pool cannot hold is refused, naming the override path", () => {
    const found = problems("dev", { langsmith: { valuesOverrides: { backend: { autoscaling: { hpa: { maxReplicas: 200 } } } } } }).join("\n");
    expect(found).toMatch(/environments\/dev\.ts: nodePools\.general\.maxSize gives at most [\d.]+ vCPU \/ [\d.]+ GiB allocatable \(6 x m6i\.2xlarge\), but langsmith\.sizing "development" with langsmith\.valuesOverrides\.backend\.autoscaling\.hpa\.maxReplicas requests/);
  });

  test("a fixed replica count (HPA off) counts at minimum too", () => {
    const found = problems("dev", { langsmith: { valuesOverrides: { queue: { autoscaling: { hpa: { enabled: false } }, deployment: { replicas: 60 } } } } }).join("\n");
    expect(found).toMatch(/nodePools\.general\.minSize gives [\d.]+ vCPU .* but langsmith\.sizing "development" with langsmith\.valuesOverrides\.queue\.deployment\.replicas requests/);
  });

  test("modest overrides still load", () => {
    expect(problems("dev", { langsmith: { valuesOverrides: { frontend: { autoscaling: { hpa: { maxReplicas: 3 } } } } } })).toEqual([]);
  });
});
