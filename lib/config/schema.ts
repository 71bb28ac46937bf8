/**
 * The shape of an environment: every field an environment file may set, with its type and
 * allowed values. Field-level rules live here; cross-field rules live in `rules.ts`.
 *
 * Objects are `.strict()`: a misspelt field in a fork is an error, not a silent no-op.
 */
import { z } from "zod";
import { s3BucketNameProblem } from "../naming";

/** A Route 53 hosted zone id, and what a message says of one (the loader and `env:new --hosted-zone-id`). */
export const HOSTED_ZONE_ID = /^Z[A-Z0-9]{1,31}$/;
export const HOSTED_ZONE_ID_RULE = "must be a Route 53 hosted zone id like Z0123456789ABCDEFGHIJ";

/** CloudWatch Logs accepts only these retention periods (days). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const retentionDays = z
  .number()
  .int()
  .refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), {
    message: `must be a CloudWatch Logs retention period (${LOG_RETENTION_DAYS.join(", ")})`,
  });

const positiveInt = z.number().int().positive();
// Partition `aws` only: aws.region is a commercial region (lib/regions.ts), and an aws-us-gov or
// aws-cn principal cannot be trusted or granted there.
const arn = z.string().regex(/^arn:aws:[a-z0-9-]+:[a-z0-9-]*:(\d{12})?:.+$/, "must be an ARN of the commercial partition, arn:aws:<service>:<region>:<account>:<resource> (lib/regions.ts)");

/**
 * A tag value every service accepts (IAM, the strictest: letters, digits, spaces and `_ . : / = + - @`,
 * at most 256 characters). `owner` and `costCenter` tag every resource (provider default_tags), so
 * `R&D` or `cc#42` would fail the first IAM role at apply.
 */
const tagValue = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u, "must be a valid AWS tag value (letters, digits, spaces and _ . : / = + - @): it tags every resource");

export const TIERS = ["development", "production"] as const;
export type Tier = (typeof TIERS)[number];

/** One EKS managed node group. */
export const NodePoolSchema = z
  .object({
    /** Instance types, first one preferred; capacity is computed from the smallest. */
    instanceTypes: z.array(z.string().regex(/^[a-z0-9-]+\.[a-z0-9]+$/, "must be an EC2 instance type like m6i.2xlarge")).min(1),
    /** Fewest nodes the Cluster Autoscaler keeps. */
    minSize: z.number().int().min(0),
    /** Nodes at creation; the Cluster Autoscaler owns the count afterwards (Terraform ignores later changes). */
    desiredSize: z.number().int().min(0),
    /** Most nodes the Cluster Autoscaler may run. */
    maxSize: positiveInt,
    /** `ON_DEMAND`, or `SPOT` (cheaper; AWS may reclaim a node with two minutes' notice). */
    capacityType: z.enum(["ON_DEMAND", "SPOT"]),
    /** Root EBS volume (gp3, encrypted). */
    diskSizeGib: z.number().int().min(20).max(16384),
  })
  .strict();
export type NodePool = z.infer<typeof NodePoolSchema>;

const CreateNetworkSchema = z
  .object({
    /** `create`: a new VPC with public, private and data subnets in every zone; `existing`: subnets you already have. */
    mode: z.literal("create"),
    /** A private (RFC 1918) /16 to /20; subnets are computed from it. */
    vpcCidr: z.string(),
    /** `per-az` keeps egress up when one AZ fails; `single` saves two NAT gateways. */
    natGateways: z.enum(["single", "per-az"]),
    /** Retention of the VPC flow logs (a CloudWatch Logs period). */
    flowLogsRetentionDays: retentionDays,
  })
  .strict();

const ExistingNetworkSchema = z
  .object({
    mode: z.literal("existing"),
    /** The existing VPC. */
    vpcId: z.string().regex(/^vpc-[0-9a-f]{8,17}$/, "must be a VPC id like vpc-0123456789abcdef0"),
    /** The VPC's primary CIDR (security-group rules and validation use it). */
    vpcCidr: z.string(),
    /** Subnets of the internet-facing ALB, one per zone. */
    publicSubnetIds: z.array(z.string().regex(/^subnet-[0-9a-f]{8,17}$/, "must be a subnet id")),
    /** Node (and internal ALB) subnets, one per zone, with a route to NAT. */
    privateSubnetIds: z.array(z.string().regex(/^subnet-[0-9a-f]{8,17}$/, "must be a subnet id")).min(2),
    /** PostgreSQL and Redis subnets, one per zone. */
    dataSubnetIds: z.array(z.string().regex(/^subnet-[0-9a-f]{8,17}$/, "must be a subnet id")).min(2),
  })
  .strict();

const TokenAuthSchema = z
  .object({
    /** `token`: LangSmith's basic auth (the first admin gets a generated password); `oidc`: single sign-on through your identity provider. */
    model: z.literal("token"),
  })
  .strict();
const OidcAuthSchema = z
  .object({
    model: z.literal("oidc"),
    /** OAuth client id (not secret). The client secret goes to Secrets Manager. */
    clientId: z.string().min(1),
    /** OIDC issuer URL of your identity provider (https://). */
    issuerUrl: z.string().url().startsWith("https://", "must be an https:// URL"),
  })
  .strict();

const InClusterClickHouseSchema = z
  .object({
    /** `in-cluster`: the chart's ClickHouse on a dedicated node pool (development only); `external`: ClickHouse Cloud or your own cluster. */
    mode: z.literal("in-cluster"),
    /** Size of the ClickHouse data volume (encrypted gp3). */
    storageGib: z.number().int().min(20).max(16384),
    /** gp3 provisioned IOPS (reference: ~7000 for production). */
    storageIops: z.number().int().min(3000).max(16000),
    /** gp3 provisioned throughput in MiB/s (reference: ~1000 for production). */
    storageThroughputMiBps: z.number().int().min(125).max(1000),
    /** Daily EBS snapshots of ClickHouse volumes kept this many days (Data Lifecycle Manager). */
    snapshotRetentionDays: z.number().int().min(1).max(1000),
  })
  .strict();

const ExternalClickHouseSchema = z
  .object({
    /** `external`: ClickHouse Cloud or a ClickHouse of your own, reached over the network. */
    mode: z.literal("external"),
    /** ClickHouse host name. */
    host: z.string().min(1),
    /** HTTP(S) interface port. */
    port: z.number().int().min(1).max(65535),
    /** Native-protocol port. */
    nativePort: z.number().int().min(1).max(65535),
    /** Database the application uses. */
    database: z.string().min(1),
    /** User the application connects as; its password goes to Secrets Manager (`npm run secrets:seed`). */
    user: z.string().min(1),
    /** Connect over TLS. */
    tls: z.boolean(),
  })
  .strict();

/**
 * LangSmith's external ClickHouse: the connection, plus what kind of server it is, which decides
 * how the migrations create tables (chart `clickhouse.external.cluster` / `hybrid`).
 */
const LangsmithExternalClickHouseSchema = ExternalClickHouseSchema.extend({
  /**
   * The server is a self-managed cluster of replicas: the migrations then create replicated tables
   * with `ON CLUSTER <cluster>`. Required (true or false) in tier production.
   * @default false
   */
  replicated: z.boolean().optional(),
  /**
   * The cluster name of the replicas (`remote_servers` in the ClickHouse config), rendered as
   * `CLICKHOUSE_CLUSTER`. Required when `replicated` is true; absent otherwise.
   */
  cluster: z.string().regex(/^[A-Za-z0-9_]+$/, "must be a ClickHouse cluster name ([A-Za-z0-9_])").optional(),
  /**
   * A managed ClickHouse (ClickHouse Cloud): the chart's `clickhouse.external.hybrid`, which the chart
   * requires for managed ClickHouse (values.yaml).
   * @default false
   */
  hybrid: z.boolean().optional(),
}).strict();

const percent = z.number().min(1).max(100);

/**
 * Alarm thresholds. Counts are per 5-minute period; each alarm needs 3 consecutive breaching
 * periods (15 minutes) except the "must be zero" signals, which alarm on the first one.
 */
export const AlarmThresholdsSchema = z
  .object({
    /** ALB-generated plus target 5xx responses per 5 minutes. */
    alb5xxCount: positiveInt,
    /** p95 of the ALB's TargetResponseTime, in seconds. */
    targetResponseTimeP95Seconds: z.number().positive().max(60),
    /** Alarm when more targets than this are unhealthy (0: any unhealthy target alarms). */
    unhealthyTargets: z.number().int().min(0),
    /** PostgreSQL CPUUtilization (average) above this alarms. */
    rdsCpuPercent: percent,
    /** Alarm when the database has less free storage than this (RDS instances; Aurora storage grows on its own). */
    rdsFreeStorageGib: positiveInt,
    /** PostgreSQL DatabaseConnections (maximum) above this alarms. */
    rdsConnections: positiveInt,
    /** ElastiCache DatabaseMemoryUsagePercentage of any node. */
    redisMemoryPercent: percent,
    /** Keys evicted per 5 minutes: LangSmith queues live in Redis, so evictions lose work. */
    redisEvictions: z.number().int().min(0),
    /** ElastiCache EngineCPUUtilization (the Redis thread) of any node. */
    redisEngineCpuPercent: percent,
    /** Container Insights node_cpu_utilization, cluster average. */
    nodeCpuPercent: percent,
    /** Container Insights node_memory_utilization, cluster average. */
    nodeMemoryPercent: percent,
    /** Container restarts of the busiest pod in namespace `langsmith` (Container Insights). */
    podRestarts: positiveInt,
  })
  .strict();
export type AlarmThresholds = z.infer<typeof AlarmThresholdsSchema>;

const S3StateSchema = z
  .object({
    /** `s3`: an S3 bucket with a lock (the bootstrap stack creates both); `cloud`: a Terraform Cloud / Enterprise workspace. */
    backend: z.literal("s3"),
    /** State bucket, created by the bootstrap stack of this account and region. */
    bucket: z.string().superRefine((name, ctx) => {
      const why = s3BucketNameProblem(name);
      if (why) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${why} (S3 bucket naming rules)` });
    }),
    /** State object key in the bucket, ending in `.tfstate`. */
    key: z.string().regex(/^[A-Za-z0-9!_.*'()/-]+\.tfstate$/, "must be an S3 key ending in .tfstate"),
    /**
     * `lockfile`: Terraform's native S3 lock (`use_lockfile`, Terraform >= 1.10; the default for
     * new environments: Terraform 1.11 deprecates `dynamodb_table`); `dynamodb`: a lock table
     * (created by bootstrap). README "State locking" says how to move from one to the other.
     * @default "lockfile"
     */
    locking: z.enum(["dynamodb", "lockfile"]).default("lockfile"),
    /** Required with `locking: "dynamodb"`. */
    lockTable: z.string().regex(/^[a-zA-Z0-9_.-]{3,255}$/, "must be a DynamoDB table name").optional(),
  })
  .strict();

const CloudStateSchema = z
  .object({
    backend: z.literal("cloud"),
    /** Terraform Cloud / Enterprise organization (letters, digits, - and _). */
    organization: z.string().regex(/^[A-Za-z0-9_-]{1,255}$/, "must be a Terraform Cloud organization name (letters, digits, - and _)"),
    /** Workspace holding this environment's state. */
    workspace: z.string().regex(/^[A-Za-z0-9_-]{1,90}$/, "must be a Terraform Cloud workspace name"),
    /** Terraform Cloud / Enterprise host, e.g. `app.terraform.io` (a host name: no scheme, no path). */
    hostname: z
      .string()
      .regex(/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}(:\d{1,5})?$/i, "must be a host name like app.terraform.io (no https://, no path): the cloud block's hostname"),
  })
  .strict();

/**
 * CI through GitHub Actions: the bootstrap stack of the environment's state bucket creates a
 * plan role (trusted by the repository's `pull_request` workflows) and an apply role (trusted
 * by its jobs in one GitHub environment). See docs/ci-role.md.
 */
const CiSchema = z
  .object({
    /** `owner/name` of the GitHub repository whose workflows plan and apply this environment. */
    githubRepository: z.string().regex(/^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100}$/, "must be a GitHub repository like owner/name"),
    /**
     * GitHub environment the apply job runs in (`environment:` in .github/workflows/apply.yml);
     * the apply role trusts only `repo:<githubRepository>:environment:<this>`.
     * @default the environment name
     */
    githubEnvironment: z.string().regex(/^[A-Za-z0-9._-]{1,255}$/, "must be a GitHub environment name (letters, digits, . _ -)").optional(),
    /**
     * The account's IAM OIDC provider for token.actions.githubusercontent.com (one per account):
     * `create` it in this environment's bootstrap stack, or use the `existing` one.
     */
    oidcProvider: z.enum(["create", "existing"]),
  })
  .strict();

/** The applications an environment can run on its platform (`applications`). */
export const APPLICATIONS = ["langsmith", "langfuse"] as const;
export type Application = (typeof APPLICATIONS)[number];

/**
 * Langfuse's ClickHouse. Only an external ClickHouse (ClickHouse Cloud or a replicated cluster
 * of your own): chart 2.0.0's in-cluster ClickHouse runs through the alpha ClickHouse operator
 * (`clickhouse.com/v1alpha1` CRDs, cert-manager, Keeper), which this project does not install.
 */
const LangfuseExternalClickHouseSchema = ExternalClickHouseSchema.extend({
  /** `CLICKHOUSE_CLUSTER_ENABLED`: ON CLUSTER DDL; true for a replicated cluster, false for one node. */
  clusterEnabled: z.boolean(),
}).strict();
/** Accepted by the shape so the loader can say why it is refused (lib/config/rules.ts). */
const LangfuseInClusterClickHouseSchema = z.object({ mode: z.literal("in-cluster") }).strict();

/** Langfuse (`applications` includes "langfuse"): absent otherwise. */
export const LangfuseSchema = z
  .object({
    /**
     * The Langfuse URL host, a second name on the environment's ALB and certificate.
     * @default dns.hostname when LangSmith is not in `applications`; required beside LangSmith
     */
    hostname: z.string().optional(),
    /**
     * Where Langfuse's PostgreSQL database lives: `shared` = its own database and role `langfuse`
     * on the environment's RDS/Aurora (created by a Job); `own-instance` = a second RDS instance
     * with the settings of `postgres` (isolation from LangSmith's load, at the price of one more instance;
     * beside LangSmith only: alone, Langfuse has the environment's instance to itself).
     */
    database: z.enum(["shared", "own-instance"]),
    /** Redis logical database on the environment's ElastiCache (LangSmith uses 0, Polly 2, Insights 3). */
    redisDb: z.number().int().min(0).max(15),
    /** Langfuse's ClickHouse: `external` (an in-cluster one is refused, see `mode`). */
    clickhouse: z.discriminatedUnion("mode", [LangfuseExternalClickHouseSchema, LangfuseInClusterClickHouseSchema]),
    /** Resource and replica profile of the web and worker pods (lib/langfuse-values/sizing.ts). */
    sizing: z.enum(["development", "production"]),
    /**
     * Headless initialisation (LANGFUSE_INIT_*): the organisation, project and first user created
     * on first start. The user's password and the project's API key pair are generated into
     * Secrets Manager by `npm run secrets:seed`.
     */
    init: z
      .object({
        /** Organisation created on first start. */
        organization: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,62}$/, "must be 1-63 letters, digits, spaces, . _ -"),
        /** Project created on first start. */
        project: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,62}$/, "must be 1-63 letters, digits, spaces, . _ -"),
        /** E-mail address of the first user (its password is generated into Secrets Manager). */
        userEmail: z.string().email("must be an email address like admin@example.com"),
      })
      .strict(),
    /** Operator overrides, merged last into the Helm values. Keys must exist in the chart, its booleans stay booleans; lists of named items (env, volumes) merge by name with the project's, other lists must keep the project's items. */
    valuesOverrides: z.record(z.unknown()),
  })
  .strict();
export type LangfuseConfig = z.infer<typeof LangfuseSchema>;

export const EnvironmentSchema = z
  .object({
    /** Short name; becomes part of every resource name and the stack name `langsmith-<name>`. */
    name: z.string().regex(/^[a-z][a-z0-9]{1,11}$/, "must be 2-12 lowercase letters or digits, starting with a letter"),
    /** `development` or `production`: picks the profile of defaults (environments/profiles.ts) and the rules production must meet. */
    tier: z.enum(TIERS),
    /** Naming prefix: resources are named `{prefix}-{name}-{component}`. */
    prefix: z.string().regex(/^[a-z][a-z0-9]{1,9}$/, "must be 2-10 lowercase letters or digits, starting with a letter"),
    /**
     * The applications this environment runs on its platform, in one plan: LangSmith, Langfuse or
     * both (they share the VPC, EKS, PostgreSQL, Redis, ALB, WAF and alarms). @default ["langsmith"]
     */
    applications: z.array(z.enum(APPLICATIONS)).min(1),
    /** Langfuse settings; present exactly when `applications` includes "langfuse". */
    langfuse: LangfuseSchema.optional(),
    /** Team or person responsible: tag `owner` on every resource. */
    owner: tagValue,
    /** Cost allocation: tag `cost-center` on every resource. */
    costCenter: tagValue,
    /** The AWS account and region the environment lives in. */
    aws: z
      .object({
        /** AWS account id (12 digits); the AWS provider refuses to run in any other account. */
        accountId: z.string().regex(/^\d{12}$/, "must be a 12-digit AWS account id"),
        /** AWS region, e.g. `us-west-2`. */
        region: z.string(),
        /** Explicit list (no data-source lookup, so plans run offline). */
        availabilityZones: z.array(z.string()),
      })
      .strict(),
    /** The VPC: created by the stack, or an existing one (`mode`). */
    network: z.discriminatedUnion("mode", [CreateNetworkSchema, ExistingNetworkSchema]),
    /** Where users reach LangSmith. */
    dns: z
      .object({
        /** The LangSmith URL host, e.g. `langsmith.example.com`. */
        hostname: z.string(),
        /** Route 53 public (or private, for `private` exposure) hosted zone holding `hostname`. */
        hostedZoneId: z.string().regex(HOSTED_ZONE_ID, HOSTED_ZONE_ID_RULE),
        /**
         * Public hosted zone for the ACM certificate's DNS validation records. ACM resolves them
         * over public DNS, so when `hostedZoneId` is a private zone (`private` exposure), name the
         * public zone of the same domain here. Defaults to `hostedZoneId`.
         */
        certificateValidationZoneId: z.string().regex(HOSTED_ZONE_ID, HOSTED_ZONE_ID_RULE).optional(),
      })
      .strict(),
    /** `public`: internet-facing ALB. `private`: internal ALB, reached over VPN/PrivateLink. */
    exposure: z.enum(["public", "private"]),
    /** How users sign in (`model`). */
    auth: z.discriminatedUnion("model", [TokenAuthSchema, OidcAuthSchema]),
    /** The EKS cluster: API endpoint access, admins, control-plane logs. */
    eks: z
      .object({
        /** Public Kubernetes API endpoint on (reachable from `publicAccessCidrs` only) or off (private endpoint only). */
        endpointPublicAccess: z.boolean(),
        /** Where public endpoint access is on, only these CIDRs reach it. */
        publicAccessCidrs: z.array(z.string()),
        /** `exec`: `aws eks get-token` (local, CI). `token`: data source (Terraform Cloud). */
        clusterAuth: z.enum(["exec", "token"]),
        /** IAM principals granted cluster-admin through EKS access entries: role (with its path) or user ARNs, any account. */
        adminPrincipalArns: z.array(arn),
        /** Retention of the control-plane log group `/aws/eks/<cluster>/cluster`. */
        controlPlaneLogRetentionDays: retentionDays,
      })
      .strict(),
    /** EKS managed node groups. */
    nodePools: z
      .object({
        /** The pool every service runs on. */
        general: NodePoolSchema,
        /** Dedicated, tainted pool for in-cluster ClickHouse. */
        clickhouse: NodePoolSchema.optional(),
      })
      .strict(),
    /** The LangSmith metadata database (RDS or Aurora PostgreSQL). */
    postgres: z
      .object({
        /** `rds`: an RDS for PostgreSQL instance; `aurora`: an Aurora PostgreSQL cluster. */
        engine: z.enum(["rds", "aurora"]),
        /** Override of the pinned engine version (versions.ts); must be 14 or newer and listed in ENGINE_CATALOG for the engine. */
        engineVersion: z.string().regex(/^\d+(\.\d+)?$/, "must be a PostgreSQL version like 16.8").optional(),
        /** RDS instance class, e.g. `db.r6g.xlarge`. */
        instanceClass: z.string().regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, "must be an RDS instance class like db.m6g.large"),
        /** Initial RDS storage (gp3); Aurora storage grows on its own. */
        allocatedStorageGib: z.number().int().min(20).max(65536),
        /** Ceiling of RDS storage autoscaling. */
        maxAllocatedStorageGib: z.number().int().min(20).max(65536),
        /** A standby (RDS) or reader (Aurora) in another zone, with automatic failover. */
        multiAz: z.boolean(),
        /** Days of automated backups (point-in-time restore). */
        backupRetentionDays: z.number().int().min(0).max(35),
        /** RDS refuses to delete the database while this is on. */
        deletionProtection: z.boolean(),
        /** Take a final snapshot when the database is deleted. */
        finalSnapshot: z.boolean(),
      })
      .strict(),
    /** ElastiCache for Redis OSS: LangSmith's cache and queues. */
    redis: z
      .object({
        /** Override of the pinned Redis OSS version (versions.ts); must be 7 or newer and listed in ENGINE_CATALOG. */
        engineVersion: z.string().regex(/^\d+\.\d+$/, "must be a Redis OSS version like 7.1").optional(),
        /** ElastiCache node type, e.g. `cache.r7g.large`. */
        nodeType: z.string().regex(/^cache\.[a-z0-9]+\.[a-z0-9]+$/, "must be an ElastiCache node type like cache.r7g.large"),
        /** Read replicas in addition to the primary; 1 or more enables automatic failover and Multi-AZ. */
        replicas: z.number().int().min(0).max(5),
        /** Days daily snapshots are kept (0: none). */
        snapshotRetentionDays: z.number().int().min(0).max(35),
      })
      .strict(),
    /** LangSmith's ClickHouse (traces): in-cluster (development) or external (`mode`). */
    clickhouse: z.discriminatedUnion("mode", [InClusterClickHouseSchema, LangsmithExternalClickHouseSchema]),
    /** The S3 bucket for LangSmith payloads (chart `config.blobStorage`). */
    blobStorage: z
      .object({
        /** Required in production; a development environment may turn it off explicitly. */
        enabled: z.boolean(),
        /** Lifecycle expiry of the chart's short-TTL prefix `ttl_s/`. */
        ttlShortDays: positiveInt,
        /** Lifecycle expiry of the chart's long-TTL prefix `ttl_l/`. */
        ttlLongDays: positiveInt,
        /** Days a replaced or deleted object version is kept. */
        noncurrentVersionExpirationDays: positiveInt,
        /** Principals besides the LangSmith role allowed by the bucket policy (break-glass admins): role (with its path), user or account ARNs, matched against aws:PrincipalArn (`*` wildcards allowed). */
        adminPrincipalArns: z.array(arn),
        /**
         * Object-level audit: S3 server access logs of every request to the bucket, delivered to a
         * log bucket of the environment (SSE-S3, TLS-only, kept `observability.logRetentionDays`).
         * Profiles: on in production, off in development.
         */
        accessLogs: z.boolean(),
      })
      .strict(),
    /** The LangSmith release: sizing, first admin, Insights / Polly, value overrides. */
    langsmith: z
      .object({
        /** Resource and replica profile of the LangSmith services (lib/langsmith-values/sizing.ts). */
        sizing: z.enum(["development", "production"]),
        /**
         * The first organization admin (chart `config.initialOrgAdminEmail`): the basic-auth login
         * (its password comes from Secrets Manager), or the SSO user made org admin on first login.
         */
        initialOrgAdminEmail: z.string().email("must be an email address like admin@example.com"),
        /**
         * Standalone Insights: off, or on with the shared RDS/ElastiCache (never in-cluster DBs):
         * its own database (created by a Job) and its connection secret (ESO).
         */
        insights: z.enum(["disabled", "shared"]),
        /** Standalone Polly: off, or on with the shared RDS/ElastiCache. */
        polly: z.enum(["disabled", "shared"]),
        /** Operator overrides, merged last into the Helm values. Keys must exist in the chart, its booleans stay booleans; lists of named items (env, volumes) merge by name with the project's, other lists must keep the project's items. */
        valuesOverrides: z.record(z.unknown()),
      })
      .strict(),
    /** The ALB in front of the applications: TLS policy, WAF rate limit, access logs. */
    ingress: z
      .object({
        /**
         * WAF rate-based rule for everything but trace ingestion: requests per 5 minutes per client IP
         * (100 to 2,000,000,000).
         */
        wafRateLimit: z.number().int().min(100).max(2_000_000_000),
        /**
         * WAF rate-based rule for the trace-ingestion paths (`INGEST_PATH_PREFIXES`): requests per 5
         * minutes per client IP. Whole fleets of instrumented services reach the ALB from one NAT
         * address each, so this is sized for a fleet, not a person; must be >= `wafRateLimit`.
         */
        wafIngestRateLimit: z.number().int().min(100).max(2_000_000_000),
        /**
         * ALB idle timeout in seconds (1 to 4000). Must be at least the LangSmith frontend's
         * `proxy_read_timeout` (300 s in the pinned chart), or long playground streams and exports
         * end in 504s. Upstream's Terraform uses 3600.
         */
        idleTimeoutSeconds: z.number().int().min(1).max(4000),
        /** ALB TLS security policy (TLS 1.2 or newer). */
        sslPolicy: z.string().regex(/^ELBSecurityPolicy-TLS13-1-[23]-/, "must be a TLS 1.2+ ALB policy such as ELBSecurityPolicy-TLS13-1-2-2021-06"),
        /** ALB access logs to an S3 bucket of this environment. */
        accessLogs: z.boolean(),
      })
      .strict(),
    /** Alarms, log retention and their thresholds. */
    observability: z
      .object({
        /** Email subscribers of the environment's alarm topic (each must confirm the subscription). */
        alarmEmails: z.array(z.string().email()),
        /** Container log retention in CloudWatch Logs. */
        logRetentionDays: retentionDays,
        /** CloudWatch alarm thresholds (modules/observability); an alarm fires when the metric crosses one. */
        thresholds: AlarmThresholdsSchema,
      })
      .strict(),
    /** Where Terraform keeps this environment's state (`backend`). */
    state: z.discriminatedUnion("backend", [S3StateSchema, CloudStateSchema]),
    /** GitHub Actions plan/apply roles; absent: CI brings its own credentials. */
    ci: CiSchema.optional(),
    /** The policy pack (lib/policy) checked at synth. */
    policy: z
      .object({
        /** Policy rules waived for this environment, each with its reason (docs/policy-rules.md). */
        waivers: z.array(
          z
            .object({
              /** Id of the waived rule, e.g. `LS-NET-003`. */
              rule: z.string().min(1),
              /** Why the rule does not apply here (10+ characters); the policy report prints it. */
              reason: z.string().min(10, "must explain why (10+ characters)"),
            })
            .strict(),
        ),
      })
      .strict(),
  })
  .strict();

/** A validated, complete environment. Stacks and modules receive only this. */
export type EnvironmentConfig = z.infer<typeof EnvironmentSchema>;

/** Arrays are replaced whole; objects are merged field by field. */
export type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/**
 * Whether an environment's stateful resources resist deletion: `prevent_destroy`, deletion
 * protection, no `force_destroy` (policy rules LS-STATE-001, LS-BAK-002). Production does.
 */
export function protectsData(env: Pick<EnvironmentConfig, "tier">): boolean {
  return env.tier === "production";
}

/** Whether `env` runs `app`. */
export function runs(env: Pick<EnvironmentConfig, "applications">, app: Application): boolean {
  return env.applications.includes(app);
}

/** The Langfuse URL host: `langfuse.hostname`, or `dns.hostname` when LangSmith is not run. */
export function langfuseHostname(env: Pick<EnvironmentConfig, "langfuse" | "dns">): string {
  if (!env.langfuse) throw new Error("langfuseHostname: the environment does not run Langfuse");
  return env.langfuse.hostname ?? env.dns.hostname;
}

/** What every construct of an environment may know about it: its name (descriptions), account and region. */
export interface EnvironmentIdentity {
  readonly name: string;
  readonly aws: { readonly accountId: string; readonly region: string };
}
