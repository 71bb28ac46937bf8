/**
 * Tier profiles: the defaults an environment starts from. Data only. An environment file
 * names its tier and overrides what differs (`defineEnvironment`, below).
 *
 * development: cheapest configuration that still meets the reference's minimum capacity.
 * production: the reference's production requirements (Multi-AZ data, per-AZ NAT,
 *             deletion protection, longer retention). ClickHouse must be external there.
 */
import { deepMerge } from "../lib/merge";
import { DeepPartial, EnvironmentConfig, LangfuseConfig, NodePool, Tier, TIERS } from "../lib/config/schema";

/**
 * Fields every environment file decides itself (the walkthrough's "inputs you must decide up front").
 * `ci` (the GitHub repository and OIDC provider, optional) has no tier default either.
 */
type Decided = "name" | "tier" | "owner" | "costCenter" | "aws" | "network" | "dns" | "exposure" | "auth" | "clickhouse" | "state" | "ci" | "langfuse";

type Profile = Omit<EnvironmentConfig, Decided | "nodePools" | "langsmith"> & {
  nodePools: { general: NodePool; clickhouse?: NodePool };
  /** The first admin is a person of the environment, never a profile default. */
  langsmith: Omit<EnvironmentConfig["langsmith"], "initialOrgAdminEmail">;
  network: { natGateways: "single" | "per-az"; flowLogsRetentionDays: number };
};

/**
 * Langfuse defaults per tier, applied only to an environment file that has a `langfuse` block
 * (Langfuse settings exist exactly when `applications` includes "langfuse"). ClickHouse, the
 * headless-init organisation/project/user and (beside LangSmith) the hostname are the file's.
 */
export const LANGFUSE_PROFILES: Record<Tier, Omit<LangfuseConfig, "clickhouse" | "init" | "hostname">> = {
  development: { database: "shared", redisDb: 4, sizing: "development", valuesOverrides: {} },
  production: { database: "shared", redisDb: 4, sizing: "production", valuesOverrides: {} },
};

export const PROFILES: Record<Tier, Profile> = {
  development: {
    prefix: "ls",
    network: { natGateways: "single", flowLogsRetentionDays: 30 },
    eks: { endpointPublicAccess: false, publicAccessCidrs: [], clusterAuth: "exec", adminPrincipalArns: [], controlPlaneLogRetentionDays: 30 },
    nodePools: {
      // 3 x m6i.2xlarge = 23.7 vCPU / 93 GiB allocatable: the fewest m6i nodes over 16 vCPU / 64 GiB.
      general: { instanceTypes: ["m6i.2xlarge"], minSize: 3, desiredSize: 3, maxSize: 6, capacityType: "ON_DEMAND", diskSizeGib: 100 },
      // One r6i.2xlarge (7.9 vCPU / 62 GiB allocatable) meets the dev-only 4 vCPU / 16 GiB.
      clickhouse: { instanceTypes: ["r6i.2xlarge"], minSize: 1, desiredSize: 1, maxSize: 1, capacityType: "ON_DEMAND", diskSizeGib: 50 },
    },
    postgres: {
      engine: "rds",
      instanceClass: "db.t4g.large",
      allocatedStorageGib: 50,
      maxAllocatedStorageGib: 200,
      multiAz: false,
      backupRetentionDays: 7,
      deletionProtection: false,
      finalSnapshot: false,
    },
    redis: { nodeType: "cache.t4g.medium", replicas: 0, snapshotRetentionDays: 1 },
    blobStorage: { enabled: true, ttlShortDays: 14, ttlLongDays: 400, noncurrentVersionExpirationDays: 7, adminPrincipalArns: [], accessLogs: false },
    langsmith: { sizing: "development", insights: "disabled", polly: "disabled", valuesOverrides: {} },
    // WAF per IP and 5 minutes: 2,000 (~7 req/s) for people using the UI and API; 30,000 (100 req/s)
    // on the trace-ingestion paths, where one NAT address carries CI evaluation runs of a whole team.
    // Idle timeout 3600 s (upstream's) > the chart frontend's proxy_read_timeout 300 s.
    ingress: { wafRateLimit: 2000, wafIngestRateLimit: 30000, idleTimeoutSeconds: 3600, sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06", accessLogs: false },
    observability: {
      alarmEmails: [],
      logRetentionDays: 30,
      // Loose: a development environment alarms on outages, not on slowness or load.
      thresholds: {
        alb5xxCount: 50,
        targetResponseTimeP95Seconds: 5,
        unhealthyTargets: 0,
        rdsCpuPercent: 90,
        rdsFreeStorageGib: 5,
        rdsConnections: 400,
        redisMemoryPercent: 90,
        redisEvictions: 100,
        redisEngineCpuPercent: 90,
        nodeCpuPercent: 90,
        nodeMemoryPercent: 90,
        podRestarts: 10,
      },
    },
    policy: { waivers: [] },
    applications: ["langsmith"],
  },
  production: {
    prefix: "ls",
    network: { natGateways: "per-az", flowLogsRetentionDays: 365 },
    eks: { endpointPublicAccess: false, publicAccessCidrs: [], clusterAuth: "exec", adminPrincipalArns: [], controlPlaneLogRetentionDays: 365 },
    nodePools: {
      // 3 x m6i.4xlarge = 47 vCPU / 185 GiB allocatable: the minimum plus one node of headroom per AZ.
      general: { instanceTypes: ["m6i.4xlarge"], minSize: 3, desiredSize: 3, maxSize: 12, capacityType: "ON_DEMAND", diskSizeGib: 100 },
    },
    postgres: {
      engine: "rds",
      instanceClass: "db.r6g.xlarge",
      allocatedStorageGib: 100,
      maxAllocatedStorageGib: 1000,
      multiAz: true,
      backupRetentionDays: 14,
      deletionProtection: true,
      finalSnapshot: true,
    },
    redis: { nodeType: "cache.r7g.large", replicas: 1, snapshotRetentionDays: 7 },
    blobStorage: { enabled: true, ttlShortDays: 14, ttlLongDays: 400, noncurrentVersionExpirationDays: 30, adminPrincipalArns: [], accessLogs: true },
    langsmith: { sizing: "production", insights: "disabled", polly: "disabled", valuesOverrides: {} },
    // WAF per IP and 5 minutes: 10,000 (~33 req/s) for the UI and API, which a person or one
    // automation stays under; 300,000 (1,000 req/s) on the trace-ingestion paths, because every
    // instrumented service behind one NAT address shares one client IP (SDKs batch runs, so 1,000
    // requests/s is tens of thousands of runs/s). Idle timeout 3600 s, as development.
    ingress: { wafRateLimit: 10000, wafIngestRateLimit: 300000, idleTimeoutSeconds: 3600, sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06", accessLogs: true },
    observability: {
      alarmEmails: [],
      // One year: CIS AWS Foundations and AWS FSBP CloudWatch.16 expect it for audit-relevant logs
      // (application, WAF, RDS); policy rule LS-LOG-008 checks every production log group.
      logRetentionDays: 365,
      // Early warning with headroom: db.r6g.xlarge allows ~3,600 connections, Redis evictions lose queued work.
      thresholds: {
        alb5xxCount: 10,
        targetResponseTimeP95Seconds: 2,
        unhealthyTargets: 0,
        rdsCpuPercent: 80,
        rdsFreeStorageGib: 20,
        rdsConnections: 1500,
        redisMemoryPercent: 80,
        redisEvictions: 0,
        redisEngineCpuPercent: 75,
        nodeCpuPercent: 80,
        nodeMemoryPercent: 85,
        podRestarts: 5,
      },
    },
    policy: { waivers: [] },
    applications: ["langsmith"],
  },
};

/** What an environment file must say; everything else comes from its tier's profile. */
export type EnvironmentFields = DeepPartial<EnvironmentConfig> &
  Pick<EnvironmentConfig, Exclude<Decided, "tier" | "network" | "langfuse" | "ci" | "clickhouse">> & {
    ci?: EnvironmentConfig["ci"];
    /** LangSmith's ClickHouse; a Langfuse-only environment may leave it out (it takes Langfuse's). */
    clickhouse?: EnvironmentConfig["clickhouse"];
    network: DeepPartial<EnvironmentConfig["network"]> & Pick<EnvironmentConfig["network"], "mode" | "vpcCidr">;
    /** Required when `applications` includes "langsmith" (the default). */
    langsmith?: DeepPartial<EnvironmentConfig["langsmith"]> & Pick<EnvironmentConfig["langsmith"], "initialOrgAdminEmail">;
    langfuse?: DeepPartial<LangfuseConfig> & Pick<LangfuseConfig, "clickhouse" | "init">;
  };

/**
 * What `defineEnvironment` accepts: the shape of EnvironmentFields, so editors complete every
 * field and every allowed value, but any value type-checks. Decision (issue 11): the loader, not
 * tsc, judges environment files. A tsc error names a TypeScript type and no field, and it came
 * before the loader in CI logs; the loader's message names the file, the field path, the value,
 * what is allowed and the fix, for every mistake at once (a wrong type, a missing field, an
 * unknown tier or exposure included).
 */
export type Loose<T> = T extends readonly (infer U)[]
  ? readonly Loose<U>[] | Scalar
  : T extends object
    ? { [K in keyof T]?: Loose<T[K]> } & { readonly [field: string]: unknown }
    : T | Scalar;
// `string & {}` keeps the literal completions of T (tier names, enum values) in editors.
type Scalar = (string & {}) | (number & {}) | boolean | null | undefined;

/**
 * An environment: the tier's profile, then the file's fields. Returns unvalidated data: the
 * loader (`lib/config/load.ts`) validates every environment together when the app starts. It
 * never throws: an unknown tier or a malformed field reaches the loader, which names it.
 */
export function defineEnvironment(tier: Tier | (string & {}), input: Loose<EnvironmentFields>): unknown {
  const fields = (input !== null && typeof input === "object" ? input : {}) as EnvironmentFields;
  // An unknown tier borrows the first profile's defaults (so the only problem reported is the
  // tier itself) and keeps its value: the loader names it and the allowed ones.
  const known = Object.prototype.hasOwnProperty.call(PROFILES, tier) ? (tier as Tier) : TIERS[0];
  const { network, nodePools, ...profile } = PROFILES[known];
  // Profile parts that belong to a mode the file switched away from are dropped: an existing
  // VPC has no NAT or flow-log settings here, external ClickHouse has no dedicated pool.
  const networkDefaults = fields.network?.mode === "existing" ? {} : network;
  // LangSmith-shaped fields a Langfuse-only file may leave out: ClickHouse is Langfuse's (external).
  const clickhouse = fields.clickhouse ?? langfuseClickhouse(fields.langfuse?.clickhouse);
  const pools = clickhouse?.mode === "in-cluster" ? nodePools : { general: nodePools.general };
  // A Langfuse-only environment has no LangSmith admin of its own: its LangSmith settings (the
  // schema keeps them, unused) name Langfuse's first user, so a fork never writes a langsmith block.
  const langsmith = fields.langsmith ? {} : fields.langfuse ? { langsmith: { initialOrgAdminEmail: fields.langfuse.init?.userEmail } } : {};
  const langfuse = fields.langfuse ? { langfuse: LANGFUSE_PROFILES[known] } : {};
  return deepMerge({ ...profile, tier, network: networkDefaults, nodePools: pools, clickhouse }, { ...langfuse, ...langsmith }, fields);
}

function langfuseClickhouse(ch: LangfuseConfig["clickhouse"] | undefined): EnvironmentConfig["clickhouse"] | undefined {
  if (ch?.mode !== "external") return undefined;
  const { clusterEnabled: _cluster, ...external } = ch;
  return external;
}
