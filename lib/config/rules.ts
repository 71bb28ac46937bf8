/**
 * Cross-field rules, in one table. Each rule reads a schema-valid environment and returns
 * problems; the loader prefixes them with the environment file. Add a rule here, and a test
 * on its message in `__tests__/config/rules.test.ts`.
 */
import { engineCatalogName, engineVersionNotOffered, resolvePostgresEngine, resolveRedisEngine } from "../engines";
import { ENGINE_CATALOG } from "../../versions";
import { cidrsOverlap, isPrivateCidr, MAX_AZS, parseCidr, planSubnets } from "../cidr";
import { AWS_REGIONS, azBelongsToRegion, isKnownRegion, isZoneId, isZoneOf, otherPartition, regionZones, REGIONS_AS_OF, suggestedZones } from "../regions";
import { githubEnvironment } from "../ci";
import { CatalogName, DATA_CATALOGS, notOffered } from "../data-catalogs";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { ChartKeys, nonBooleanOverrides, unknownKeyPaths } from "../langsmith-values/chart-keys";
import { EnvironmentConfig, langfuseHostname, NodePool, runs } from "./schema";
import { AGENT_DATABASES, FRONTEND_PROXY_READ_TIMEOUT_SECONDS } from "../langsmith-values/chart";
import { capacityProblems, INSTANCE_CATALOG } from "../capacity";
import { waiverProblems } from "../policy/engine";
import { ciArns } from "../ci";
import { generalPoolProblems } from "../general-pool";
import { sizingProblems } from "../langsmith-values/sizing";
import { projectValues } from "../langsmith-values";
import { langfuseProjectValues } from "../langfuse-values";
import { droppedListItems, holdsList } from "../values-overrides";
import { sharedDomain, siblingDomain, zoneCandidates } from "../hostnames";

export interface Problem {
  /** Dotted field path inside the environment, e.g. `network.vpcCidr`. */
  readonly path: string;
  /** What is wrong and what is allowed, e.g. `must be a /16 to /20 private range`. */
  readonly message: string;
  readonly value: unknown;
  /** How to fix it, when the message alone does not say. */
  readonly fix?: string;
}

export type EnvironmentRule = (env: EnvironmentConfig) => Problem[];
export type FleetRule = (envs: readonly { file: string; config: EnvironmentConfig }[]) => (Problem & { file: string })[];

const HOSTNAME_RE = /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

const region: EnvironmentRule = (env) => {
  const r = env.aws.region;
  if (isKnownRegion(r)) return [];
  const other = otherPartition(r);
  if (other) {
    return [{
      path: "aws.region",
      message:
        `is in partition ${other.partition} (${other.name}), which this project does not support: the ARNs, service principals, ` +
        "ELB log-delivery accounts, Route 53 health-check region and prices it synthesizes are the commercial partition's (aws)",
      value: r,
      fix: "use a commercial region (lib/regions.ts), or port those to the partition first",
    }];
  }
  const lower = r.toLowerCase();
  const fix = isKnownRegion(lower)
    ? `use ${lower} (lowercase)`
    : /^[a-z]{2}-[a-z]+-\d$/.test(r)
      ? `check the spelling; if ${r} is a region AWS offers, add it to lib/regions.ts with its zones (the list is as of ${REGIONS_AS_OF} and holds the regions where EKS, RDS, ElastiCache and WAFv2 were confirmed) and any family it lacks to lib/data-catalogs.ts`
      : "use e.g. us-west-2";
  return [{ path: "aws.region", message: "must be an AWS commercial region (see lib/regions.ts)", value: r, fix }];
};

const availabilityZones: EnvironmentRule = (env) => {
  const azs = env.aws.availabilityZones;
  const r = env.aws.region;
  const zones = regionZones(r);
  const min = env.tier === "production" ? 3 : 2;
  const problems: Problem[] = [];
  if (azs.length < min) {
    problems.push(
      zones && zones.perAccount < min
        ? {
            path: "aws.availabilityZones",
            message: `must list at least ${min} zones for tier ${env.tier}, but ${r} offers ${zones.perAccount} per account (lib/regions.ts)`,
            value: azs,
            fix: env.tier === "production" ? "use a region with 3 or more zones for tier production" : `use a region with ${min} or more zones`,
          }
        : {
            path: "aws.availabilityZones",
            message: `must list at least ${min} zones for tier ${env.tier}`,
            value: azs,
            fix: `add zones of ${r}, e.g. ${(zones ? suggestedZones(r, 3) : ["a", "b", "c"].map((l) => r + l)).join(", ")}`,
          },
    );
  }
  if (env.network.mode === "create" && azs.length > MAX_AZS) {
    problems.push({ path: "aws.availabilityZones", message: `must list at most ${MAX_AZS} zones`, value: azs });
  } else if (zones && azs.length > zones.perAccount) {
    problems.push({ path: "aws.availabilityZones", message: `must list at most ${zones.perAccount} zones: ${r} offers ${zones.perAccount} per account (lib/regions.ts)`, value: azs });
  }
  if (new Set(azs).size !== azs.length) {
    problems.push({ path: "aws.availabilityZones", message: "must not repeat a zone", value: azs });
  }
  if (!zones) return problems;
  const offered = zones.letters.map((l) => r + l).join(", ");
  azs.forEach((az, i) => {
    if (!azBelongsToRegion(az, r)) {
      problems.push({
        path: `aws.availabilityZones.${i}`,
        message: `must be a zone of region ${r} (${r}a, ${r}b, ...)`,
        value: az,
        ...(isZoneId(az) ? { fix: `list zone names, not zone IDs: \`aws ec2 describe-availability-zones --region ${r}\` maps ${az} to its name in your account` } : {}),
      });
    } else if (!isZoneOf(az, r)) {
      problems.push({
        path: `aws.availabilityZones.${i}`,
        message: `must be a zone ${r} has (${offered}; lib/regions.ts, as of ${REGIONS_AS_OF})`,
        value: az,
        fix: `pick one of ${suggestedZones(r, zones.perAccount).join(", ")}; if AWS has opened it since, add its letter to lib/regions.ts`,
      });
    }
  });
  return problems;
};

const vpcCidr: EnvironmentRule = (env) => {
  const text = env.network.vpcCidr;
  const c = parseCidr(text);
  if (!c) {
    return [{ path: "network.vpcCidr", message: "must be an IPv4 CIDR like 10.10.0.0/16 (no host bits set)", value: text }];
  }
  if (env.network.mode === "create" && (c.prefix < 16 || c.prefix > 20 || !isPrivateCidr(c))) {
    return [{ path: "network.vpcCidr", message: "must be a /16 to /20 private range (10/8, 172.16/12, 192.168/16)", value: text }];
  }
  return [];
};

/**
 * The VPC CNI gives every pod a VPC address from its node's subnet, and a node can hold
 * ENIs x IPv4-per-ENI addresses (lib/capacity.ts) once its pods fill it. A computed subnet plan
 * (lib/cidr.ts planSubnets) must hold the node pools at maxSize in every zone: the general pool
 * spread over the zones, the ClickHouse pool in the first zone (modules/eks singleZone). Otherwise
 * the Cluster Autoscaler adds nodes whose pods never get an address ("failed to assign an IP").
 */
const nodeSubnetAddresses: EnvironmentRule = (env) => {
  if (env.network.mode !== "create") return [];
  const zones = env.aws.availabilityZones.length;
  const vpc = parseCidr(env.network.vpcCidr);
  if (!vpc || vpc.prefix < 16 || vpc.prefix > 20 || zones < 1 || zones > MAX_AZS) return [];
  const perNode = (pool: NodePool) => {
    const types = pool.instanceTypes.map((t) => INSTANCE_CATALOG[t]);
    return types.every((t) => t) ? Math.max(...types.map((t) => t!.enis * t!.ipsPerEni)) : undefined;
  };
  const parts: { text: string; addresses: number }[] = [];
  for (const [name, pool] of Object.entries(env.nodePools)) {
    if (!pool) continue;
    const each = perNode(pool);
    if (each === undefined) return [];
    const nodes = name === "clickhouse" ? pool.maxSize : Math.ceil(pool.maxSize / zones);
    parts.push({ text: `${name}: ${nodes} node${nodes === 1 ? "" : "s"} x ${each} addresses`, addresses: nodes * each });
  }
  const need = parts.reduce((sum, p) => sum + p.addresses, 0);
  const subnet = planSubnets(env.network.vpcCidr, zones).private[0];
  // AWS reserves 5 addresses of every subnet.
  const usable = 2 ** (32 - (parseCidr(subnet)?.prefix ?? 32)) - 5;
  if (need <= usable) return [];
  const fits = [19, 18, 17, 16].find((p) => p < vpc.prefix && 2 ** (32 - p - 3) - 5 >= need);
  return [{
    path: "network.vpcCidr",
    message:
      `must give each zone's node subnet room for the node pools at maxSize: the first zone's ${subnet} has ${usable} addresses, ` +
      `the pools can take ${need} (${parts.map((p) => p.text).join(" + ")}; the VPC CNI gives every pod a VPC address)`,
    value: env.network.vpcCidr,
    fix: `${fits ? `use a /${fits} or larger` : "use a larger VPC"}, or lower nodePools.*.maxSize`,
  }];
};

const existingSubnets: EnvironmentRule = (env) => {
  if (env.network.mode !== "existing") return [];
  const n = env.aws.availabilityZones.length;
  const kinds = ["publicSubnetIds", "privateSubnetIds", "dataSubnetIds"] as const;
  return kinds
    .filter((k) => !(k === "publicSubnetIds" && env.exposure === "private"))
    .filter((k) => env.network.mode === "existing" && env.network[k].length !== n)
    .map((k) => ({
      path: `network.${k}`,
      message: `must list one subnet per availability zone (${n})`,
      value: env.network.mode === "existing" ? env.network[k] : [],
    }));
};

const dnsName: EnvironmentRule = (env) =>
  HOSTNAME_RE.test(env.dns.hostname)
    ? []
    : [{ path: "dns.hostname", message: "must be a lowercase DNS name like langsmith.example.com", value: env.dns.hostname }];

const endpointAccess: EnvironmentRule = (env) => {
  const problems: Problem[] = [];
  env.eks.publicAccessCidrs.forEach((text, i) => {
    const c = parseCidr(text);
    if (!c) {
      problems.push({ path: `eks.publicAccessCidrs.${i}`, message: "must be an IPv4 CIDR like 203.0.113.0/24", value: text });
    } else if (c.prefix === 0 && env.tier === "production") {
      problems.push({
        path: `eks.publicAccessCidrs.${i}`,
        message: "must not open the EKS API to the whole internet in production",
        value: text,
        fix: "list your VPN or CI egress CIDRs, or set eks.endpointPublicAccess to false",
      });
    }
  });
  if (!env.eks.endpointPublicAccess && env.eks.publicAccessCidrs.length > 0) {
    problems.push({
      path: "eks.publicAccessCidrs",
      message: "must be empty while eks.endpointPublicAccess is false (the public endpoint is off, so the list would be ignored and nobody reach the API from it)",
      value: env.eks.publicAccessCidrs,
      fix: "set eks.endpointPublicAccess to true to open the public endpoint to these CIDRs, or remove them (the private endpoint is reached from the VPC: README, Cluster access)",
    });
  }
  if (env.eks.endpointPublicAccess && env.eks.publicAccessCidrs.length === 0) {
    problems.push({
      path: "eks.publicAccessCidrs",
      message: "must list at least one CIDR when eks.endpointPublicAccess is true (AWS would default to 0.0.0.0/0)",
      value: [],
    });
  }
  return problems;
};

/** What `aws sts get-caller-identity` prints for a role session: `arn:aws:sts::<account>:assumed-role/<role>/<session>`. */
const ASSUMED_ROLE_RE = /^arn:aws:sts::(\d{12}):assumed-role\/([\w+=,.@-]+)\/.+$/;
/** IAM Identity Center's roles (`AWSReservedSSO_<permission set>_<id>`) live under this path, and their ARNs carry it. */
const SSO_ROLE_PATH = "aws-reserved/sso.amazonaws.com/";

/**
 * An IAM principal ARN as IAM reports it: a role (with its path) or a user, and with `root` the
 * account; `wildcards` where the ARN is matched with ArnLike (a bucket policy's aws:PrincipalArn).
 * A role session pasted from `aws sts get-caller-identity` and an Identity Center role without its
 * path are the mistakes this names: neither is the principal AWS compares, so an access entry
 * fails late at apply and a bucket policy condition silently never matches.
 */
function principalArnProblem(at: { readonly path: string; readonly arn: string; readonly why: string }, allowed: { readonly root: boolean; readonly wildcards: boolean }): Problem | undefined {
  const { path, arn, why } = at;
  const name = allowed.wildcards ? "[\\w+=,.@/*?-]+" : "[\\w+=,.@/-]+";
  const principal = new RegExp(`^arn:aws:iam::\\d{12}:((role|user)\\/${name}${allowed.root ? "|root" : ""})$`);
  const kinds = `arn:aws:iam::<account>:role/<path/name> or :user/<name>${allowed.root ? " (or :root)" : ""}`;
  if (!principal.test(arn)) {
    const session = ASSUMED_ROLE_RE.exec(arn);
    return {
      path,
      message: `must be an IAM ${allowed.root ? "role, user or account" : "role or user"} ARN, ${kinds} (${why})`,
      value: arn,
      fix: session
        ? `that is a role session (aws sts get-caller-identity): use its role, arn:aws:iam::${session[1]}:role/${session[2]} (with its path if it has one: aws iam get-role --role-name ${session[2]} prints its ARN)`
        : "copy the ARN from aws iam get-role (or get-user)",
    };
  }
  const role = /^arn:aws:iam::(\d{12}):role\/(.*)$/.exec(arn);
  if (role && /^AWSReservedSSO_/.test(role[2])) {
    return {
      path,
      message: `must carry the ${SSO_ROLE_PATH} path of an IAM Identity Center role, with its region where it has one (its ARN has it; without it the ARN names no role)`,
      value: arn,
      // `*` matches the region segment or nothing (older Identity Center roles have none).
      fix: `aws iam get-role --role-name ${role[2]} prints the ARN to use${allowed.wildcards ? `, or write arn:aws:iam::${role[1]}:role/${SSO_ROLE_PATH}*${role[2]}` : ""}`,
    };
  }
  return undefined;
}

const clusterAdmins: EnvironmentRule = (env) => {
  const seen = new Set<string>();
  const problems: Problem[] = env.eks.adminPrincipalArns.flatMap((arn, i): Problem[] => {
    const wrong = principalArnProblem({ path: `eks.adminPrincipalArns.${i}`, arn, why: "EKS access entries take no other principal" }, { root: false, wildcards: false });
    if (wrong) return [wrong];
    if (!seen.has(arn)) {
      seen.add(arn);
      return [];
    }
    return [{ path: `eks.adminPrincipalArns.${i}`, message: "must not repeat a principal (EKS allows one access entry per principal)", value: arn }];
  });
  // The cluster creator gets no access entry (modules/eks): someone must be able to apply.
  if (!env.ci && env.eks.adminPrincipalArns.length === 0) {
    problems.push({
      path: "eks.adminPrincipalArns",
      message: "must name the IAM principal that applies this environment when it has no ci block (the cluster creator gets no access entry of its own)",
      value: [],
      fix: "add the ARN of the role you run cdktf deploy with, or add a ci block (the CI apply role then gets the entry)",
    });
  }
  return problems;
};

const nodePoolSizes: EnvironmentRule = (env) =>
  Object.entries(env.nodePools).flatMap(([name, pool]) =>
    pool && (pool.minSize > pool.desiredSize || pool.desiredSize > pool.maxSize)
      ? [{
          path: `nodePools.${name}`,
          message: "must satisfy minSize <= desiredSize <= maxSize",
          value: { minSize: pool.minSize, desiredSize: pool.desiredSize, maxSize: pool.maxSize },
        }]
      : [],
  );

const capacity: EnvironmentRule = (env) => capacityProblems(env);

/** The LangSmith sizing profile holds together and fits its ClickHouse pool. */
const langsmithSizing: EnvironmentRule = (env) => (runs(env, "langsmith") ? sizingProblems(env) : []);

/** The general pool holds every application the environment runs, at min and max replicas (lib/general-pool.ts). */
const generalPool: EnvironmentRule = (env) => generalPoolProblems(env);

/** `applications` names each application once; Langfuse settings exist exactly when Langfuse runs. */
const applications: EnvironmentRule = (env) => {
  const problems: Problem[] = [];
  if (new Set(env.applications).size !== env.applications.length) {
    problems.push({ path: "applications", message: "must not name an application twice", value: env.applications });
  }
  if (runs(env, "langfuse") && !env.langfuse) {
    problems.push({
      path: "langfuse",
      message: 'is required when applications includes "langfuse"',
      value: undefined,
      fix: "add langfuse: { clickhouse: { mode: \"external\", ... }, init: { organization, project, userEmail } } (lib/config/schema.ts)",
    });
  }
  if (!runs(env, "langfuse") && env.langfuse) {
    problems.push({
      path: "langfuse",
      message: `must be absent when applications (${env.applications.join(", ")}) does not include "langfuse"`,
      value: "a langfuse block",
      fix: 'add "langfuse" to applications, or remove the langfuse block',
    });
  }
  return problems;
};

/** Langfuse's hostname, ClickHouse and Redis database against the rest of the environment. */
const langfuse: EnvironmentRule = (env) => {
  const lf = env.langfuse;
  if (!lf || !runs(env, "langfuse")) return [];
  const problems: Problem[] = [];
  if (runs(env, "langsmith") && lf.hostname === undefined) {
    problems.push({
      path: "langfuse.hostname",
      message: "is required when LangSmith runs beside Langfuse (each application has its own name on the shared ALB)",
      value: undefined,
      fix: `add e.g. langfuse.hostname: "langfuse.${siblingDomain(env.dns.hostname)}"`,
    });
  }
  if (lf.hostname !== undefined) {
    if (!HOSTNAME_RE.test(lf.hostname)) {
      problems.push({ path: "langfuse.hostname", message: "must be a lowercase DNS name like langfuse.example.com", value: lf.hostname });
    } else if (runs(env, "langsmith") && lf.hostname === env.dns.hostname) {
      problems.push({ path: "langfuse.hostname", message: `must differ from dns.hostname (${env.dns.hostname}): the ALB routes by host name`, value: lf.hostname });
    } else if (sharedDomain(lf.hostname, env.dns.hostname) === undefined) {
      // Any depth: the zone of dns.hostname is dns.hostname itself or a parent of two labels or
      // more; the Langfuse name must be in one of those (which one is the zone, only Route 53 knows).
      problems.push({
        path: "langfuse.hostname",
        message:
          `must be in a domain of dns.hostname (${zoneCandidates(env.dns.hostname).join(" or ")}): ` +
          "one hosted zone (dns.hostedZoneId) holds both names and validates the certificate",
        value: lf.hostname,
        fix: `use e.g. langfuse.${siblingDomain(env.dns.hostname)}`,
      });
    }
  }
  if (lf.database === "own-instance" && !runs(env, "langsmith")) {
    problems.push({
      path: "langfuse.database",
      message:
        'must be "shared" when LangSmith does not run: the environment\'s PostgreSQL (postgres.*) already serves Langfuse alone, ' +
        "and a second instance would leave the first one empty (paid for, backed up, alarmed on)",
      value: lf.database,
      fix: 'use database: "shared" (size the instance with postgres.*)',
    });
  }
  if (lf.clickhouse.mode === "in-cluster") {
    problems.push({
      path: "langfuse.clickhouse.mode",
      message:
        'must be "external": the Langfuse chart 2.0.0 runs in-cluster ClickHouse only through the alpha ClickHouse operator ' +
        "(clickhouse.com/v1alpha1 CRDs, Keeper, cert-manager), which this project does not install or plan offline",
      value: "in-cluster",
      fix: "use ClickHouse Cloud or your own replicated cluster: { mode: \"external\", host, port, nativePort, database, user, tls, clusterEnabled }",
    });
  }
  const taken: [number, string][] = [];
  if (runs(env, "langsmith")) {
    taken.push([0, "LangSmith"]);
    if (env.langsmith.polly !== "disabled") taken.push([AGENT_DATABASES.polly.redisDb, "Polly"]);
    if (env.langsmith.insights !== "disabled") taken.push([AGENT_DATABASES.insights.redisDb, "Insights"]);
  }
  const clash = taken.find(([db]) => db === lf.redisDb);
  if (clash) {
    const free = [...Array(16).keys()].find((db) => !taken.some(([t]) => t === db));
    problems.push({
      path: "langfuse.redisDb",
      message: `must not be Redis database ${clash[0]}, which ${clash[1]} uses (Langfuse's queues would mix with its keys)`,
      value: lf.redisDb,
      fix: `use e.g. ${free}`,
    });
  }
  return problems;
};

const postgres: EnvironmentRule = (env) => {
  const p = env.postgres;
  const problems: Problem[] = [];
  const engine = resolvePostgresEngine(p);
  if (engine.major < engine.minimumMajor) {
    problems.push({
      path: "postgres.engineVersion",
      message: `must be PostgreSQL ${engine.minimumMajor} or newer (reference architecture, section 6)`,
      value: engine.version,
      fix: `remove the field to use the pinned ${engine.pinnedVersion}`,
    });
  } else {
    problems.push(...engineVersionProblems("postgres.engineVersion", engine, env.aws.region, engine.engine === "postgres" ? "an RDS for PostgreSQL" : "an Aurora PostgreSQL"));
  }
  const minBackup = env.tier === "production" ? 14 : 7;
  if (p.backupRetentionDays < minBackup) {
    problems.push({ path: "postgres.backupRetentionDays", message: `must be at least ${minBackup} days for tier ${env.tier}`, value: p.backupRetentionDays });
  }
  if (p.maxAllocatedStorageGib < p.allocatedStorageGib) {
    problems.push({ path: "postgres.maxAllocatedStorageGib", message: `must be at least postgres.allocatedStorageGib (${p.allocatedStorageGib})`, value: p.maxAllocatedStorageGib });
  }
  if (env.tier === "production" && !p.deletionProtection) {
    problems.push({ path: "postgres.deletionProtection", message: "must be true for tier production", value: false });
  }
  if (env.tier === "production" && !p.finalSnapshot) {
    problems.push({ path: "postgres.finalSnapshot", message: "must be true for tier production", value: false });
  }
  return problems;
};

/**
 * A version set in an environment must be one AWS lets us create in its region (ENGINE_CATALOG,
 * versions.ts), or the plan is fine and the apply fails. The pins are checked by a test instead.
 */
function engineVersionProblems(
  path: string,
  engine: { readonly version: string; readonly pinnedVersion: string } & Parameters<typeof engineCatalogName>[0],
  region: string,
  what: string,
): Problem[] {
  if (engine.version === engine.pinnedVersion) return [];
  const why = engineVersionNotOffered(engineCatalogName(engine), engine.version, region);
  return why
    ? [{
        path,
        message: `must be ${what} version offered in ${region} (versions.ts ENGINE_CATALOG, as of ${ENGINE_CATALOG.asOf}): ${why}`,
        value: engine.version,
        fix: `pick a listed version, remove the field to use the pinned ${engine.pinnedVersion}, or add the version to the catalog with its AWS source`,
      }]
    : [];
}

const redis: EnvironmentRule = (env) => {
  const problems: Problem[] = [];
  if (env.tier === "production" && env.redis.replicas < 1) {
    problems.push({
      path: "redis.replicas",
      message: "must be at least 1 for tier production (automatic failover and Multi-AZ need a replica)",
      value: env.redis.replicas,
    });
  }
  const engine = resolveRedisEngine(env.redis);
  if (engine.major < engine.minimumMajor) {
    problems.push({
      path: "redis.engineVersion",
      message: `must be Redis OSS ${engine.minimumMajor} or newer (modules/redis authenticates with IAM, which ElastiCache offers from 7.0)`,
      value: engine.version,
      fix: `remove the field to use the pinned ${engine.pinnedVersion}`,
    });
  } else {
    problems.push(...engineVersionProblems("redis.engineVersion", engine, env.aws.region, "an ElastiCache for Redis OSS"));
  }
  return problems;
};

const clickhouse: EnvironmentRule = (env) => {
  const problems: Problem[] = [];
  if (env.clickhouse.mode === "in-cluster") {
    if (env.tier === "production") {
      problems.push({
        path: "clickhouse.mode",
        message:
          "must be \"external\" for tier production: the reference architecture (section 6) does not support single-node ClickHouse in production " +
          "(it requires a replicated cluster of 3 replicas, or an externally managed one) and the pinned chart's in-cluster ClickHouse is one replica",
        value: env.clickhouse.mode,
        fix: "set clickhouse to { mode: \"external\", host, port, nativePort, database, user, tls } and put the password in Secrets Manager",
      });
    }
    if (!env.nodePools.clickhouse) {
      problems.push({
        path: "nodePools.clickhouse",
        message: 'is required when clickhouse.mode is "in-cluster" (ClickHouse runs on its own tainted pool)',
        value: undefined,
        fix: "add a clickhouse pool, e.g. instanceTypes [r6i.2xlarge], minSize 1",
      });
    }
  } else {
    if (env.nodePools.clickhouse) {
      problems.push({ path: "nodePools.clickhouse", message: 'must be absent when clickhouse.mode is "external"', value: env.nodePools.clickhouse });
    }
    const ch = env.clickhouse;
    if (ch.replicated === true && !ch.cluster) {
      problems.push({
        path: "clickhouse.cluster",
        message: "is required when clickhouse.replicated is true: without it the migrations create non-replicated tables on one replica (CLICKHOUSE_CLUSTER empty)",
        value: ch.cluster,
        fix: 'set it to the cluster name of the replicas in the ClickHouse remote_servers config, e.g. cluster: "langsmith"',
      });
    }
    if (ch.cluster && ch.replicated !== true) {
      problems.push({
        path: "clickhouse.cluster",
        message: "is only used with clickhouse.replicated: true (ON CLUSTER DDL)",
        value: ch.cluster,
        fix: "set replicated: true if the server is a cluster of replicas, else remove cluster",
      });
    }
    // LangSmith's migrations create the tables (replicated or not); Langfuse declares its own
    // topology (langfuse.clickhouse.clusterEnabled), and a Langfuse-only environment's top-level
    // block is only derived from it (environments/profiles.ts).
    if (runs(env, "langsmith") && env.tier === "production" && ch.replicated === undefined && ch.hybrid !== true) {
      problems.push({
        path: "clickhouse.replicated",
        message: "must be declared for tier production: the reference architecture requires a replicated ClickHouse (3 replicas) or a managed one, and the tables are created accordingly",
        value: undefined,
        fix: 'add replicated: true and cluster: "<remote_servers cluster name>", or hybrid: true for ClickHouse Cloud',
      });
    }
  }
  return problems;
};

/**
 * A chart's key paths (the fixtures scripts/chart-keys.ts and scripts/langfuse-chart-keys.ts
 * write), found from here up; undefined outside a checkout.
 */
const chartKeysCache = new Map<string, ChartKeys | null>();
function chartKeysFixture(fixture: string): ChartKeys | undefined {
  if (!chartKeysCache.has(fixture)) {
    chartKeysCache.set(fixture, null);
    for (let dir = __dirname; dirname(dir) !== dir; dir = dirname(dir)) {
      const file = join(dir, "__tests__", "fixtures", fixture);
      if (existsSync(file)) {
        chartKeysCache.set(fixture, JSON.parse(readFileSync(file, "utf8")) as ChartKeys);
        break;
      }
    }
  }
  return chartKeysCache.get(fixture) ?? undefined;
}

/**
 * Problems of `overrides` against the chart of `fixture`, with paths under `overrides`: keys the
 * chart does not have, and keys the chart defaults to a boolean set to anything else.
 */
function overrideProblems(overrides: Record<string, unknown> | undefined, fixture: string): Problem[] {
  const keys = overrides && Object.keys(overrides).length > 0 ? chartKeysFixture(fixture) : undefined;
  if (!overrides || !keys) return [];
  const unknown = unknownKeyPaths(overrides, keys).map((path) => ({
    path,
    message: `is not a key of the ${keys.chart} chart ${keys.version} (Helm would ignore it silently)`,
    value: path.split(".").reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], overrides),
    fix: `check the spelling against the chart's values.yaml (keys: __tests__/fixtures/${fixture})`,
  }));
  const booleans = nonBooleanOverrides(overrides, keys).map(({ path, value }) => ({
    path,
    message: `must be true or false: the ${keys.chart} chart ${keys.version} defaults it to a boolean, and its templates' \`if\` reads any non-empty string, "false" included, as true`,
    // Quoted, so "false" and false read differently in the message.
    value: JSON.stringify(value),
    fix: value === "false" || value === "true" ? `write ${value} without quotes` : typeof value === "string" ? "write true or false without quotes" : "write true or false",
  }));
  return [...unknown, ...booleans];
}

/** Each application's overrides set only keys its pinned chart has (Helm ignores a misspelt key silently), booleans as booleans. */
const valuesOverrideKeys: EnvironmentRule = (env) => [
  ...overrideProblems(env.langsmith.valuesOverrides, "langsmith-chart-keys.json").map((p) => ({ ...p, path: `langsmith.valuesOverrides.${p.path}` })),
  ...overrideProblems(env.langfuse?.valuesOverrides, "langfuse-chart-keys.json").map((p) => ({ ...p, path: `langfuse.valuesOverrides.${p.path}` })),
];

/** Stand-ins for the infrastructure outputs: the lists the builders set do not depend on them. */
const LIST_STAND_INS = { langsmith: { appRoleArn: "<app role>", blobStorage: { bucketName: "<bucket>", kmsKeyArn: "<key>" } }, langfuse: { roleArn: "<role>", bucketName: "<bucket>" } };

/** Lists of `overrides` that drop items of the list the project sets at the same path (lib/values-overrides.ts). */
function overrideListProblems(overrides: Record<string, unknown> | undefined, project: () => unknown): Problem[] {
  if (!overrides || !holdsList(overrides)) return [];
  let values: unknown;
  try {
    values = project();
  } catch {
    return []; // the values builder refuses this environment for a reason another rule reports
  }
  return droppedListItems(values, overrides).map((d) => ({
    path: d.path,
    message:
      `must keep the ${d.project.length === 1 ? "item" : `${d.project.length} items`} the project sets there: Helm replaces a list whole, so ` +
      `${d.dropped.length === d.project.length ? (d.project.length === 1 ? "it" : "all of them") : JSON.stringify(d.dropped)} would be lost ` +
      "(lists of named items, such as env and volumes, merge by name instead)",
    value: JSON.stringify(d.value),
    fix: `list yours beside the project's: ${JSON.stringify(d.project)}`,
  }));
}

/** An override list keeps the items the project sets in it (Pod Security drops, tolerations, zone spread). */
const valuesOverrideLists: EnvironmentRule = (env) => [
  ...overrideListProblems(runs(env, "langsmith") ? env.langsmith.valuesOverrides : undefined, () => projectValues(env, LIST_STAND_INS.langsmith)).map((p) => ({
    ...p,
    path: `langsmith.valuesOverrides.${p.path}`,
  })),
  ...overrideListProblems(env.langfuse && runs(env, "langfuse") ? env.langfuse.valuesOverrides : undefined, () => langfuseProjectValues(env, LIST_STAND_INS.langfuse)).map((p) => ({
    ...p,
    path: `langfuse.valuesOverrides.${p.path}`,
  })),
];

/** Database and cache sizes that exist in the region (lib/data-catalogs.ts), instead of failing at apply. */
const dataCatalogs: EnvironmentRule = (env) => {
  const checks: [string, CatalogName, string][] = [
    ["postgres.instanceClass", env.postgres.engine === "aurora" ? "auroraPostgres" : "rdsPostgres", env.postgres.instanceClass],
    ["redis.nodeType", "elasticache", env.redis.nodeType],
  ];
  return checks.flatMap(([path, catalog, type]) => {
    const why = notOffered(catalog, type, env.aws.region);
    const what = { rdsPostgres: "an RDS for PostgreSQL instance class", auroraPostgres: "an Aurora PostgreSQL instance class", elasticache: "an ElastiCache node type" }[catalog];
    return why
      ? [{ path, message: `must be ${what} offered in ${env.aws.region} (lib/data-catalogs.ts, as of ${DATA_CATALOGS.asOf}): ${why}`, value: type, fix: "pick a listed size, or add the class to the catalog with its AWS source" }]
      : [];
  });
};

/**
 * What tier production promises, one row per property, so a fork cannot drop one quietly:
 * survive the loss of an AZ (Multi-AZ database, NAT per AZ) and keep backups of every data
 * store. (Zones, Redis replicas, deletion protection, final snapshots, blob storage and
 * external ClickHouse have their own rules above and below.)
 */
const PRODUCTION_PROMISES: readonly { path: string; holds: (env: EnvironmentConfig) => boolean; value: (env: EnvironmentConfig) => unknown; message: string }[] = [
  {
    path: "postgres.multiAz",
    holds: (env) => env.postgres.multiAz,
    value: (env) => env.postgres.multiAz,
    message: "must be true for tier production (a standby in another AZ: the database survives the loss of one)",
  },
  {
    path: "network.natGateways",
    holds: (env) => env.network.mode !== "create" || env.network.natGateways === "per-az",
    value: (env) => (env.network.mode === "create" ? env.network.natGateways : undefined),
    message: 'must be "per-az" for tier production (with one NAT gateway, losing its AZ cuts every node\'s egress)',
  },
  {
    // The cost model's cheapest valid pool keeps the same floor (lib/cost/model.ts).
    path: "nodePools.general.minSize",
    holds: (env) => env.nodePools.general.minSize >= env.aws.availabilityZones.length,
    value: (env) => env.nodePools.general.minSize,
    message: "must be at least the number of aws.availabilityZones for tier production (a node in every zone: the loss of one leaves the others serving)",
  },
  {
    path: "redis.snapshotRetentionDays",
    holds: (env) => env.redis.snapshotRetentionDays >= 1,
    value: (env) => env.redis.snapshotRetentionDays,
    message: "must be at least 1 for tier production (queues in flight are restorable only from a snapshot)",
  },
];

const productionResilience: EnvironmentRule = (env) =>
  env.tier !== "production" ? [] : PRODUCTION_PROMISES.filter((r) => !r.holds(env)).map((r) => ({ path: r.path, message: r.message, value: r.value(env) }));

/** Every external ClickHouse (LangSmith's, Langfuse's): a bare host name, reached over TLS. */
const externalClickhouse: EnvironmentRule = (env) => {
  const targets: [string, unknown][] = [["clickhouse", env.clickhouse], ["langfuse.clickhouse", (env as { langfuse?: { clickhouse?: unknown } }).langfuse?.clickhouse]];
  return targets.flatMap(([path, ch]) => {
    const c = ch as { mode?: string; host?: string; tls?: boolean } | undefined;
    if (c?.mode !== "external") return [];
    const problems: Problem[] = [];
    const host = String(c.host);
    if (/:\/\/|[:/?#@\s]/.test(host)) {
      const bare = host.replace(/^[a-z]+:\/\//i, "").replace(/[:/?#].*$/, "");
      problems.push({ path: `${path}.host`, message: "must be a host name only: no scheme, port or path (the ports are their own fields)", value: host, fix: `use ${bare} and set ${path}.port / nativePort` });
    }
    if (c.tls === false) {
      problems.push({ path: `${path}.tls`, message: "must be true: every data store is reached over TLS (reference architecture, section 10), and the ClickHouse password travels on this connection", value: false, fix: "enable TLS on the ClickHouse endpoint (e.g. ports 8443 / 9440) and set tls: true" });
    }
    return problems;
  });
};

/** An existing VPC's subnets: each listed once (a repeated id would count as two zones). */
const existingSubnetIds: EnvironmentRule = (env) => {
  if (env.network.mode !== "existing") return [];
  const net = env.network;
  const seen = new Map<string, string>();
  const problems: Problem[] = [];
  for (const kind of ["publicSubnetIds", "privateSubnetIds", "dataSubnetIds"] as const) {
    net[kind].forEach((id, i) => {
      const prior = seen.get(id);
      if (prior) problems.push({ path: `network.${kind}.${i}`, message: `must not repeat a subnet (already ${prior}): one subnet would count as two zones`, value: id, fix: "list each zone's own subnet once" });
      else seen.set(id, `network.${kind}.${i}`);
    });
  }
  return problems;
};

const blobStorage: EnvironmentRule = (env) => {
  const b = env.blobStorage;
  const problems: Problem[] = [];
  if (env.tier === "production" && !b.enabled) {
    problems.push({
      path: "blobStorage.enabled",
      message: "must be true for tier production (reference architecture, section 7: blob storage is required)",
      value: false,
    });
  }
  if (b.ttlLongDays < b.ttlShortDays) {
    problems.push({ path: "blobStorage.ttlLongDays", message: `must be at least blobStorage.ttlShortDays (${b.ttlShortDays})`, value: b.ttlLongDays });
  }
  // The bucket policy denies object access to every aws:PrincipalArn not listed (ArnNotLike): an
  // ARN AWS never reports there locks the break-glass admin out, silently, until it is needed.
  b.adminPrincipalArns.forEach((arn, i) => {
    const wrong = principalArnProblem({ path: `blobStorage.adminPrincipalArns.${i}`, arn, why: "the bucket policy matches them against aws:PrincipalArn, which is never a session" }, { root: true, wildcards: true });
    if (wrong) problems.push(wrong);
  });
  return problems;
};

const stateBackend: EnvironmentRule = (env) => {
  const problems: Problem[] = [];
  if (env.state.backend === "s3" && env.state.locking === "dynamodb" && !env.state.lockTable) {
    problems.push({ path: "state.lockTable", message: 'is required when state.locking is "dynamodb"', value: undefined, fix: 'name the bootstrap lock table, or set state.locking to "lockfile"' });
  }
  if (env.state.backend === "cloud" && env.eks.clusterAuth !== "token") {
    problems.push({
      path: "eks.clusterAuth",
      message: 'must be "token" with the Terraform Cloud backend (remote runs have no AWS CLI for exec auth)',
      value: env.eks.clusterAuth,
    });
  }
  return problems;
};

/**
 * State references a copy would get wrong: a bucket named after another account or region (S3
 * names are global: the bootstrap stack here cannot create a bucket another account owns), a key
 * with empty, `.` or `..` segments (S3 keeps them literally; the IAM policies scope the key).
 */
const stateReferences: EnvironmentRule = (env) => {
  if (env.state.backend !== "s3") return [];
  const { bucket, key } = env.state;
  const problems: Problem[] = [];
  const fix = `name it after this account and region, e.g. ls-tfstate-${env.aws.accountId}-${env.aws.region} (npm run env:new does)`;
  for (const account of bucket.match(/(?<!\d)\d{12}(?!\d)/g) ?? []) {
    if (account !== env.aws.accountId) {
      problems.push({ path: "state.bucket", message: `names account ${account}, but aws.accountId is ${env.aws.accountId} (a bucket copied from another environment: S3 names are global and the bootstrap stack of this account creates its own)`, value: bucket, fix });
    }
  }
  const regions = !isKnownRegion(env.aws.region) ? [] : AWS_REGIONS.filter((r) => bucket.includes(r) && !AWS_REGIONS.some((longer) => longer !== r && longer.startsWith(r) && bucket.includes(longer)));
  for (const r of regions) {
    if (r !== env.aws.region) {
      problems.push({ path: "state.bucket", message: `names region ${r}, but the backend and its bootstrap bucket are in aws.region ${env.aws.region}`, value: bucket, fix });
    }
  }
  if (env.state.lockTable && env.state.locking !== "dynamodb") {
    problems.push({
      path: "state.lockTable",
      message: `is only used with state.locking "dynamodb", but state.locking is ${env.state.locking} (the default): this state would be locked by the S3 lockfile, not the table`,
      value: env.state.lockTable,
      fix: 'set state.locking to "dynamodb" to keep the table, or remove state.lockTable (README, "State locking")',
    });
  }
  if (key.split("/").some((seg) => seg === "" || seg === "." || seg === "..")) {
    problems.push({ path: "state.key", message: "must not have empty, . or .. segments (S3 keeps them literally, and the CI roles' policies name the exact key)", value: key, fix: `use e.g. langsmith/${env.name}/terraform.tfstate` });
  }
  return problems;
};

const alarmThresholds: EnvironmentRule = (env) => {
  const t = env.observability.thresholds;
  // Aurora has no FreeStorageSpace alarm (its storage grows on its own), so the rule is RDS-only.
  return env.postgres.engine === "rds" && t.rdsFreeStorageGib >= env.postgres.allocatedStorageGib
    ? [{
        path: "observability.thresholds.rdsFreeStorageGib",
        message: `must be below postgres.allocatedStorageGib (${env.postgres.allocatedStorageGib}), or the free-storage alarm fires from the first apply`,
        value: t.rdsFreeStorageGib,
        fix: `use e.g. ${Math.max(1, Math.floor(env.postgres.allocatedStorageGib / 10))} (10% of the allocated storage)`,
      }]
    : [];
};

const ci: EnvironmentRule = (env) => {
  if (!env.ci) return [];
  const problems: Problem[] = [];
  if (env.state.backend === "cloud") {
    problems.push({
      path: "ci",
      message: "must be absent with the Terraform Cloud backend (Terraform Cloud runs plan and apply itself, with dynamic provider credentials)",
      value: env.ci,
      fix: "remove ci and set up the workspace's run role (docs/terraform-cloud.md)",
    });
  }
  const { planRole, applyRole } = ciArns(env);
  env.eks.adminPrincipalArns.forEach((arn, i) => {
    if (arn === planRole) {
      problems.push({
        path: `eks.adminPrincipalArns.${i}`,
        message: "must not list the CI plan role: it gets its own read-only access entry (EKS allows one entry per principal, and plans need no admin)",
        value: arn,
        fix: "remove it",
      });
    }
    if (arn === applyRole) {
      problems.push({
        path: `eks.adminPrincipalArns.${i}`,
        message: "must not list the CI apply role: the stack gives it its cluster-admin entry (EKS allows one entry per principal)",
        value: arn,
        fix: "remove it",
      });
    }
  });
  return problems;
};

const waivers: EnvironmentRule = (env) => {
  const seen = new Set<string>();
  const twice = env.policy.waivers.flatMap((w, i) => {
    if (seen.has(w.rule)) return [{ path: `policy.waivers.${i}.rule`, message: "must not waive the same rule twice", value: w.rule }];
    seen.add(w.rule);
    return [];
  });
  // Unknown rule ids, and critical rules in production (the policy pack owns the wording).
  const refused = waiverProblems(env).map((p) => ({ path: `policy.waivers.${p.index}.rule`, message: p.message, value: p.rule, fix: p.fix }));
  return [...twice, ...refused];
};

/** Rules over one environment. */
const ingress: EnvironmentRule = (env) => {
  const i = env.ingress;
  const problems: Problem[] = [];
  if (i.idleTimeoutSeconds < FRONTEND_PROXY_READ_TIMEOUT_SECONDS) {
    problems.push({
      path: "ingress.idleTimeoutSeconds",
      message: `must be at least ${FRONTEND_PROXY_READ_TIMEOUT_SECONDS}, the LangSmith frontend's proxy_read_timeout: a shorter ALB idle timeout cuts long playground streams and exports with 504s`,
      value: i.idleTimeoutSeconds,
      fix: "use 3600 (upstream's value) or remove the field to take the tier's default",
    });
  }
  if (i.wafIngestRateLimit < i.wafRateLimit) {
    problems.push({
      path: "ingress.wafIngestRateLimit",
      message: `must be at least ingress.wafRateLimit (${i.wafRateLimit}): trace ingestion from a whole fleet arrives from one NAT address per VPC`,
      value: i.wafIngestRateLimit,
      fix: `raise it to ${i.wafRateLimit} or more`,
    });
  }
  return problems;
};

export const ENVIRONMENT_RULES: readonly EnvironmentRule[] = [
  region,
  availabilityZones,
  vpcCidr,
  nodeSubnetAddresses,
  existingSubnets,
  dnsName,
  endpointAccess,
  clusterAdmins,
  nodePoolSizes,
  capacity,
  langsmithSizing,
  generalPool,
  applications,
  langfuse,
  postgres,
  redis,
  clickhouse,
  blobStorage,
  ingress,
  stateBackend,
  stateReferences,
  productionResilience,
  dataCatalogs,
  valuesOverrideKeys,
  valuesOverrideLists,
  externalClickhouse,
  existingSubnetIds,
  alarmThresholds,
  ci,
  waivers,
];

/**
 * True when no rule reports a problem on `nodePools.<name>` with `pool` in its place (the cost
 * model's cheapest valid pool, env:new's note on an oversized one).
 */
export function poolPasses(env: EnvironmentConfig, name: "general" | "clickhouse", pool: NodePool): boolean {
  const candidate = { ...env, nodePools: { ...env.nodePools, [name]: pool } };
  return ENVIRONMENT_RULES.every((rule) => rule(candidate).every((p) => !p.path.startsWith(`nodePools.${name}`)));
}

/** Rules across all environments of the app. */
export const FLEET_RULES: readonly FleetRule[] = [
  (envs) => duplicates(envs, (c) => c.name, "name", "must be unique across environments", "rename one"),
  (envs) =>
    duplicates(
      envs,
      (c) => (c.state.backend === "s3" ? `s3://${c.state.bucket}/${c.state.key}` : `cloud:${c.state.organization}/${c.state.workspace}`),
      "state",
      "must not share a state (bucket and key, or Terraform Cloud workspace) with another environment",
      "give each environment its own state.key or workspace",
    ),
  (envs) => duplicates(envs, (c) => c.dns.hostname, "dns.hostname", "must be unique across environments", "use another name"),
  (envs) => {
    // A Langfuse name must not be any environment's LangSmith or Langfuse name (one DNS record each).
    const owners = new Map<string, string>();
    for (const e of envs) owners.set(e.config.dns.hostname, e.file);
    const problems: (Problem & { file: string })[] = [];
    for (const e of envs) {
      if (!e.config.langfuse?.hostname) continue;
      const host = langfuseHostname(e.config);
      const prior = owners.get(host);
      if (prior && prior !== e.file) problems.push({ file: e.file, path: "langfuse.hostname", message: `must be unique across environments (also used by ${prior})`, value: host, fix: "use another name" });
      else owners.set(host, e.file);
    }
    return problems;
  },
  (envs) => {
    const problems: (Problem & { file: string })[] = [];
    envs.forEach((a, i) =>
      envs.slice(0, i).forEach((b) => {
        const ca = parseCidr(a.config.network.vpcCidr);
        const cb = parseCidr(b.config.network.vpcCidr);
        if (ca && cb && a.config.network.mode === "create" && cidrsOverlap(ca, cb)) {
          problems.push({
            file: a.file,
            path: "network.vpcCidr",
            message: `must not overlap ${b.config.network.vpcCidr} of ${b.file} (keeps peering and Transit Gateway possible)`,
            value: a.config.network.vpcCidr,
            fix: "pick a free range, e.g. the next /16",
          });
        }
      }),
    );
    return problems;
  },
  // IAM allows one OIDC provider per URL and account: only one bootstrap stack may create it.
  (envs) => {
    const creator = new Map<string, { file: string; stack: string }>();
    const problems: (Problem & { file: string })[] = [];
    for (const { file, config: c } of envs) {
      if (c.ci?.oidcProvider !== "create" || c.state.backend !== "s3") continue;
      const stack = `${c.aws.region}/${c.state.bucket}`;
      const prior = creator.get(c.aws.accountId);
      if (!prior) creator.set(c.aws.accountId, { file, stack });
      else if (prior.stack !== stack) {
        problems.push({
          file,
          path: "ci.oidcProvider",
          message: `must be "existing": ${prior.file} already creates the GitHub OIDC provider of account ${c.aws.accountId} in another bootstrap stack (one provider per account)`,
          value: "create",
        });
      }
    }
    return problems;
  },
  stateBucketOwner,
  hostedZoneOwner,
  lockTableOwner,
  githubEnvironmentOwner,
];

type Fleet = Parameters<FleetRule>[0];

/**
 * One state bucket, one account and region: S3 bucket names are global, and each bootstrap stack
 * (one per account/region/bucket) creates its bucket; the S3 backend reaches it in aws.region.
 */
function stateBucketOwner(envs: Fleet): (Problem & { file: string })[] {
  const owner = new Map<string, { file: string; accountId: string; region: string }>();
  const problems: (Problem & { file: string })[] = [];
  for (const { file, config: c } of envs) {
    if (c.state.backend !== "s3") continue;
    const prior = owner.get(c.state.bucket);
    if (!prior) owner.set(c.state.bucket, { file, accountId: c.aws.accountId, region: c.aws.region });
    else if (prior.accountId !== c.aws.accountId || prior.region !== c.aws.region) {
      problems.push({
        file,
        path: "state.bucket",
        message: `must belong to one account and region: ${prior.file} keeps its state there from account ${prior.accountId} in ${prior.region}, this environment is account ${c.aws.accountId} in ${c.aws.region} (S3 bucket names are global; two bootstrap stacks would both create it)`,
        value: c.state.bucket,
        fix: `use this account and region's own bucket, e.g. ls-tfstate-${c.aws.accountId}-${c.aws.region}`,
      });
    }
  }
  return problems;
}

/**
 * A Route 53 hosted zone belongs to one account, and the stack writes its records (the ALB alias,
 * the certificate validation) with the one AWS provider of aws.accountId: a zone id copied from an
 * environment of another account plans fine and fails at apply (NoSuchHostedZone / AccessDenied).
 */
function hostedZoneOwner(envs: Fleet): (Problem & { file: string })[] {
  const owner = new Map<string, { file: string; accountId: string }>();
  const problems: (Problem & { file: string })[] = [];
  for (const { file, config: c } of envs) {
    const zones: [string, string | undefined][] = [["dns.hostedZoneId", c.dns.hostedZoneId], ["dns.certificateValidationZoneId", c.dns.certificateValidationZoneId]];
    for (const [path, zone] of zones) {
      if (!zone) continue;
      const prior = owner.get(zone);
      if (!prior) owner.set(zone, { file, accountId: c.aws.accountId });
      else if (prior.accountId !== c.aws.accountId) {
        problems.push({
          file,
          path,
          message: `must be a hosted zone of account ${c.aws.accountId} (aws.accountId): ${prior.file} uses it from account ${prior.accountId}, and a hosted zone belongs to one account (this stack writes its records with account ${c.aws.accountId}'s credentials)`,
          value: zone,
          fix: `use the zone of ${c.dns.hostname}'s domain in account ${c.aws.accountId} (aws route53 list-hosted-zones-by-name), e.g. a subdomain delegated to it; npm run env:new takes --hosted-zone-id`,
        });
      }
    }
  }
  return problems;
}

/** A DynamoDB lock table is created by one bootstrap stack: in one account/region, one bucket's. */
function lockTableOwner(envs: Fleet): (Problem & { file: string })[] {
  const owner = new Map<string, { file: string; bucket: string }>();
  const problems: (Problem & { file: string })[] = [];
  for (const { file, config: c } of envs) {
    if (c.state.backend !== "s3" || c.state.locking !== "dynamodb" || !c.state.lockTable) continue;
    const key = `${c.aws.accountId}/${c.aws.region}/${c.state.lockTable}`;
    const prior = owner.get(key);
    if (!prior) owner.set(key, { file, bucket: c.state.bucket });
    else if (prior.bucket !== c.state.bucket) {
      problems.push({
        file,
        path: "state.lockTable",
        message: `must not name the lock table of another state bucket in account ${c.aws.accountId}, ${c.aws.region}: ${prior.file} locks bucket ${prior.bucket} with it, and both bootstrap stacks would create it`,
        value: c.state.lockTable,
        fix: `name another table, use bucket ${prior.bucket}, or set state.locking to "lockfile"`,
      });
    }
  }
  return problems;
}

/**
 * The apply role trusts `repo:<repository>:environment:<GitHub environment>`, and that GitHub
 * environment holds one AWS_APPLY_ROLE_ARN: two environments cannot share it.
 */
function githubEnvironmentOwner(envs: Fleet): (Problem & { file: string })[] {
  const owner = new Map<string, { file: string; explicit: boolean }>();
  const problems: (Problem & { file: string })[] = [];
  for (const { file, config: c } of envs) {
    if (!c.ci) continue;
    const key = `${c.ci.githubRepository}:${githubEnvironment(c)}`;
    const prior = owner.get(key);
    if (!prior) owner.set(key, { file, explicit: !!c.ci.githubEnvironment });
    // Both defaulting to their name: the duplicate name is the problem, already reported.
    else if (prior.explicit || c.ci.githubEnvironment) {
      problems.push({
        file,
        path: c.ci.githubEnvironment ? "ci.githubEnvironment" : "name",
        message: `must give the apply job its own GitHub environment in ${c.ci.githubRepository}: ${prior.file} applies from ${githubEnvironment(c)} too (it holds one AWS_APPLY_ROLE_ARN)`,
        value: githubEnvironment(c),
        fix: "set ci.githubEnvironment to a name of its own",
      });
    }
  }
  return problems;
}

function duplicates(
  envs: readonly { file: string; config: EnvironmentConfig }[],
  key: (c: EnvironmentConfig) => string,
  path: string,
  message: string,
  fix: string,
): (Problem & { file: string })[] {
  const first = new Map<string, string>();
  const problems: (Problem & { file: string })[] = [];
  for (const e of envs) {
    const k = key(e.config);
    const prior = first.get(k);
    if (prior) problems.push({ file: e.file, path, message: `${message} (also used by ${prior})`, value: k, fix });
    else first.set(k, e.file);
  }
  return problems;
}
