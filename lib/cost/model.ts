/**
 * Monthly cost estimate of one environment, by component, from the price table (prices.ts) and
 * the environment file, plus the cheapest node configuration that still meets the reference
 * architecture's minimum capacity (lib/capacity.ts), so the gap between the two is visible.
 *
 * "Cheapest" must also pass every validation rule on the node pools, not only the reference
 * minimum: a production sizing profile requests more than 16 vCPU / 64 GiB, and a configuration
 * the loader refuses is no alternative. The reference-minimum-only choice is reported beside it.
 * In the production tier the general pool keeps at least one node per availability zone.
 *
 * Usage-driven items (NAT data, ALB LCUs, S3, logs, WAF requests, Aurora I/O) are not in the
 * environment file: they come from USAGE below, per tier, and are printed as assumptions.
 */
import { allocatable, CAPACITY_REQUIREMENTS, INSTANCE_CATALOG } from "../capacity";
import { poolPasses } from "../config/rules";
import { environmentAlarms } from "../observability/alarms";
import { WAF_RULE_NAMES } from "../waf";
import { EnvironmentConfig, NodePool, runs, Tier } from "../config/schema";
import { applicationDemands, generalPoolDemand, nodesFor } from "../general-pool";
import { stackName } from "../naming";
import { PRICES, RegionPrices } from "./prices";

/** Monthly usage assumed per tier (not configuration: traffic). Change them to match yours. */
export interface Usage {
  /** GiB through the NAT gateways per month (image pulls, external APIs; S3 goes via the gateway endpoint). */
  readonly natGib: number;
  /** Average ALB load balancer capacity units. */
  readonly albLcu: number;
  /** Blob storage kept (GiB), PUT and GET requests (thousands) per month. */
  readonly s3Gib: number;
  readonly s3PutThousands: number;
  readonly s3GetThousands: number;
  /** CloudWatch Logs ingested per month and kept (GiB), and dashboards (the alarms are counted from the environment: lib/observability/alarms.ts). */
  readonly logsIngestGib: number;
  readonly logsStoredGib: number;
  readonly dashboards: number;
  /** WAF requests per month (millions; the web ACL's rules are counted from lib/waf.ts). */
  readonly wafRequestsMillions: number;
  /** Aurora I/O requests per month (millions). */
  readonly auroraIoMillions: number;
}

export const USAGE: Readonly<Record<Tier, Usage>> = {
  development: {
    natGib: 100, albLcu: 1, s3Gib: 50, s3PutThousands: 1000, s3GetThousands: 2000,
    logsIngestGib: 20, logsStoredGib: 30, dashboards: 1, wafRequestsMillions: 5, auroraIoMillions: 50,
  },
  production: {
    natGib: 1000, albLcu: 4, s3Gib: 1000, s3PutThousands: 20000, s3GetThousands: 50000,
    logsIngestGib: 200, logsStoredGib: 600, dashboards: 1, wafRequestsMillions: 100, auroraIoMillions: 500,
  },
};

/**
 * How the cheapest configuration is searched: instance types the capacity catalog knows and the
 * price table prices, of the pool's CPU architecture (images and AMI must match), not burstable
 * (t3 vCPU is not sustained), with at least `minNodeVcpu` vCPU per node so a 1-2 vCPU LangSmith
 * pod fits next to the node's daemonsets.
 */
export const CHEAPEST_SEARCH = { minNodeVcpu: 4 } as const;

export interface CostLine {
  /** Stable key: eks, pool-general, pool-clickhouse, nat, alb, rds, elasticache, ebs, s3, cloudwatch, waf, clickhouse-external. */
  readonly key: string;
  readonly component: string;
  /** What is priced, e.g. `3 x m6i.2xlarge`. */
  readonly detail: string;
  /** USD per month; undefined for a component that is not priced here (external ClickHouse). */
  readonly monthly: number | undefined;
}

export interface CostEstimate {
  readonly environment: string;
  readonly region: string;
  readonly tier: Tier;
  readonly lines: readonly CostLine[];
  readonly total: number;
}

/** An environment this model cannot price: every missing price, by name. */
export class CostError extends Error {
  constructor(
    readonly environment: string,
    readonly problems: readonly string[],
  ) {
    super(`${stackName({ name: environment })}: cannot estimate the cost:\n  ${problems.join("\n  ")}`);
    this.name = "CostError";
  }
}

export function regionPrices(region: string): RegionPrices | undefined {
  return PRICES.regions[region];
}

/** The CPU architecture of an EC2 type: Graviton families carry a `g` after the generation (m7g, r6g). */
export function architecture(instanceType: string): "arm64" | "x86_64" {
  return /^[a-z]+\d+g[a-z]*\./.test(instanceType) ? "arm64" : "x86_64";
}

const H = PRICES.hoursPerMonth;
const money = (n: number) => Math.round(n * 100) / 100;

/** Every price the environment needs that the table lacks, as messages. */
function missingPrices(env: EnvironmentConfig, p: RegionPrices | undefined): string[] {
  if (!p) {
    return [`no prices for region ${env.aws.region} in lib/cost/prices.ts (priced: ${Object.keys(PRICES.regions).join(", ")}); add that region's prices with their date and source`];
  }
  const problems: string[] = [];
  for (const [name, pool] of Object.entries(env.nodePools)) {
    const type = pool?.instanceTypes[0];
    if (type && p.ec2[type] === undefined) problems.push(`nodePools.${name}.instanceTypes.0: no on-demand EC2 price for ${type} in ${env.aws.region} (lib/cost/prices.ts); add it with its source, or pick a priced type`);
  }
  const db = env.postgres.engine === "aurora" ? p.auroraPostgres : p.rdsPostgres;
  if (db[env.postgres.instanceClass] === undefined) {
    problems.push(`postgres.instanceClass: no ${env.postgres.engine === "aurora" ? "Aurora PostgreSQL" : "RDS for PostgreSQL"} price for ${env.postgres.instanceClass} in ${env.aws.region} (lib/cost/prices.ts)`);
  }
  if (p.elasticache[env.redis.nodeType] === undefined) problems.push(`redis.nodeType: no ElastiCache price for ${env.redis.nodeType} in ${env.aws.region} (lib/cost/prices.ts)`);
  return problems;
}

function poolLine(key: string, name: string, pool: NodePool, p: RegionPrices): CostLine {
  const type = pool.instanceTypes[0];
  const spot = pool.capacityType === "SPOT" ? ", Spot priced at on-demand (upper bound)" : "";
  return { key, component: `Node pool ${name}`, detail: `${pool.desiredSize} x ${type}${spot}`, monthly: money(pool.desiredSize * p.ec2[type] * H) };
}

/**
 * Langfuse's own lines (`applications` includes "langfuse"): its bucket (the tier's S3 usage
 * assumption again), its own PostgreSQL instance with `langfuse.database: "own-instance"` (the
 * `postgres` settings), and its external ClickHouse (not priced).
 */
function langfuseLines(env: EnvironmentConfig, usage: Usage, p: RegionPrices): CostLine[] {
  if (!env.langfuse || !runs(env, "langfuse")) return [];
  const lines: CostLine[] = [
    {
      key: "s3-langfuse",
      component: "S3 Langfuse bucket (estimate)",
      detail: `~${usage.s3Gib} GiB, ~${usage.s3PutThousands / 1000}M PUT, ~${usage.s3GetThousands / 1000}M GET`,
      monthly: money(usage.s3Gib * p.s3GibMonth + usage.s3PutThousands * p.s3PutPerThousand + usage.s3GetThousands * p.s3GetPerThousand),
    },
  ];
  const pg = env.postgres;
  if (env.langfuse.database === "own-instance") {
    const copies = pg.engine === "aurora" ? (pg.multiAz ? 2 : 1) : pg.multiAz ? 2 : 1;
    const hourly = pg.engine === "aurora" ? p.auroraPostgres[pg.instanceClass] : p.rdsPostgres[pg.instanceClass];
    const storage = pg.engine === "aurora" ? p.auroraStorageGibMonth : p.rdsStorageGibMonth;
    lines.push({
      key: "rds-langfuse",
      component: "PostgreSQL of Langfuse (own instance)",
      detail: `${pg.instanceClass}${pg.multiAz ? " Multi-AZ" : ""}, ${pg.allocatedStorageGib} GiB`,
      monthly: money(copies * hourly * H + (pg.engine === "aurora" ? 1 : copies) * pg.allocatedStorageGib * storage),
    });
  }
  lines.push({ key: "clickhouse-langfuse", component: "ClickHouse of Langfuse (external)", detail: "external service, not priced here", monthly: undefined });
  return lines;
}

/** Monthly estimate by component. Throws CostError naming every missing price. */
export function estimateMonthlyCost(env: EnvironmentConfig, usage: Usage = USAGE[env.tier]): CostEstimate {
  const p = regionPrices(env.aws.region);
  const problems = missingPrices(env, p);
  if (problems.length > 0 || !p) throw new CostError(env.name, problems);

  const azs = env.aws.availabilityZones.length;
  const lines: CostLine[] = [{ key: "eks", component: "EKS control plane", detail: "1 cluster, standard support", monthly: money(p.eksClusterHour * H) }];
  lines.push(poolLine("pool-general", "general", env.nodePools.general, p));
  if (env.nodePools.clickhouse) lines.push(poolLine("pool-clickhouse", "clickhouse", env.nodePools.clickhouse, p));

  const nats = env.network.mode === "create" ? (env.network.natGateways === "per-az" ? azs : 1) : 0;
  lines.push({
    key: "nat",
    component: "NAT gateways",
    detail: nats === 0 ? "existing VPC: none created" : `${nats} x (gateway + IPv4), ~${usage.natGib} GiB data`,
    monthly: money(nats === 0 ? 0 : nats * (p.natGatewayHour + p.publicIpv4Hour) * H + usage.natGib * p.natGatewayPerGib),
  });

  // An internet-facing ALB holds one public IPv4 address per AZ; an internal one none.
  const albIps = env.exposure === "public" ? azs : 0;
  lines.push({
    key: "alb",
    component: "Application Load Balancer",
    detail: `${env.exposure === "public" ? "internet-facing" : "internal"}, ~${usage.albLcu} LCU${albIps ? `, ${albIps} public IPv4` : ""}`,
    monthly: money((p.albHour + usage.albLcu * p.albLcuHour + albIps * p.publicIpv4Hour) * H),
  });

  const pg = env.postgres;
  if (pg.engine === "aurora") {
    const instances = pg.multiAz ? 2 : 1;
    lines.push({
      key: "rds",
      component: "Aurora PostgreSQL",
      detail: `${instances} x ${pg.instanceClass}, ${pg.allocatedStorageGib} GiB, ~${usage.auroraIoMillions}M I/O`,
      monthly: money(instances * p.auroraPostgres[pg.instanceClass] * H + pg.allocatedStorageGib * p.auroraStorageGibMonth + usage.auroraIoMillions * p.auroraIoPerMillion),
    });
  } else {
    const copies = pg.multiAz ? 2 : 1;
    lines.push({
      key: "rds",
      component: "RDS PostgreSQL",
      detail: `${pg.instanceClass}${pg.multiAz ? " Multi-AZ" : ""}, ${pg.allocatedStorageGib} GiB gp3`,
      monthly: money(copies * (p.rdsPostgres[pg.instanceClass] * H + pg.allocatedStorageGib * p.rdsStorageGibMonth)),
    });
  }

  const cacheNodes = 1 + env.redis.replicas;
  lines.push({ key: "elasticache", component: "ElastiCache Redis", detail: `${cacheNodes} x ${env.redis.nodeType}`, monthly: money(cacheNodes * p.elasticache[env.redis.nodeType] * H) });

  const pools = Object.values(env.nodePools).filter((x): x is NodePool => x !== undefined);
  const rootGib = pools.reduce((sum, pool) => sum + pool.desiredSize * pool.diskSizeGib, 0);
  let ebs = rootGib * p.gp3GibMonth;
  let ebsDetail = `${rootGib} GiB node roots`;
  const ch = env.clickhouse;
  if (ch.mode === "in-cluster") {
    const extraIops = Math.max(0, ch.storageIops - p.gp3BaselineIops);
    const extraMibps = Math.max(0, ch.storageThroughputMiBps - p.gp3BaselineMibps);
    ebs += ch.storageGib * (p.gp3GibMonth + p.ebsSnapshotGibMonth) + extraIops * p.gp3IopsMonth + extraMibps * p.gp3ThroughputMibpsMonth;
    // Snapshots are incremental; one full copy is the estimate.
    ebsDetail += ` + ClickHouse ${ch.storageGib} GiB, ${ch.storageIops} IOPS, ${ch.storageThroughputMiBps} MiB/s + snapshots`;
  }
  lines.push({ key: "ebs", component: "EBS volumes", detail: ebsDetail, monthly: money(ebs) });

  lines.push({
    key: "s3",
    component: "S3 blob storage (estimate)",
    detail: !runs(env, "langsmith") ? "LangSmith not run" : env.blobStorage.enabled ? `~${usage.s3Gib} GiB, ~${usage.s3PutThousands / 1000}M PUT, ~${usage.s3GetThousands / 1000}M GET` : "disabled",
    monthly: env.blobStorage.enabled && runs(env, "langsmith") ? money(usage.s3Gib * p.s3GibMonth + usage.s3PutThousands * p.s3PutPerThousand + usage.s3GetThousands * p.s3GetPerThousand) : 0,
  });
  // The alarms and the web ACL's rules the stack creates, counted where they are decided.
  const alarms = environmentAlarms(env).length;
  lines.push({
    key: "cloudwatch",
    component: "CloudWatch (estimate)",
    detail: `~${usage.logsIngestGib} GiB logs in, ~${usage.logsStoredGib} GiB kept, ${alarms} alarms`,
    monthly: money(usage.logsIngestGib * p.logsIngestPerGib + usage.logsStoredGib * p.logsStorageGibMonth + alarms * p.alarmMonth + usage.dashboards * p.dashboardMonth),
  });
  lines.push({
    key: "waf",
    component: "WAF",
    detail: `1 ACL, ${WAF_RULE_NAMES.length} rules, ~${usage.wafRequestsMillions}M requests`,
    monthly: money(p.wafWebAclMonth + WAF_RULE_NAMES.length * p.wafRuleMonth + usage.wafRequestsMillions * p.wafPerMillionRequests),
  });
  if (ch.mode === "external" && runs(env, "langsmith")) {
    lines.push({ key: "clickhouse-external", component: "ClickHouse (external)", detail: "external service, not priced here", monthly: undefined });
  }
  lines.push(...langfuseLines(env, usage, p));
  const total = money(lines.reduce((sum, l) => sum + (l.monthly ?? 0), 0));
  return { environment: env.name, region: env.aws.region, tier: env.tier, lines, total };
}

export interface Choice {
  readonly instanceType: string;
  readonly nodes: number;
  readonly hourly: number;
}

function candidates(region: RegionPrices, arch: "arm64" | "x86_64"): string[] {
  return Object.keys(INSTANCE_CATALOG)
    .filter((t) => region.ec2[t] !== undefined && !t.startsWith("t") && architecture(t) === arch && INSTANCE_CATALOG[t].vcpu >= CHEAPEST_SEARCH.minNodeVcpu)
    .sort();
}

/** The cheapest general pool (type x nodes) whose allocatable sum meets 16 vCPU / 64 GiB. */
export function cheapestGeneralPool(region: RegionPrices, arch: "arm64" | "x86_64"): Choice {
  const need = CAPACITY_REQUIREMENTS.general;
  const options = candidates(region, arch).map((t) => {
    const a = allocatable(INSTANCE_CATALOG[t]);
    const nodes = Math.max(Math.ceil(need.vcpu / a.vcpu), Math.ceil(need.memoryGib / a.memoryGib), 1);
    return { instanceType: t, nodes, hourly: Math.round(nodes * region.ec2[t] * 100000) / 100000 };
  });
  return cheapest(options);
}

/** The cheapest single node whose allocatable capacity meets the tier's ClickHouse requirement. */
export function cheapestClickhouseNode(region: RegionPrices, arch: "arm64" | "x86_64", tier: Tier): Choice {
  const need = CAPACITY_REQUIREMENTS.clickhouse[tier];
  const options = candidates(region, arch)
    .filter((t) => {
      const a = allocatable(INSTANCE_CATALOG[t]);
      return a.vcpu >= need.vcpu && a.memoryGib >= need.memoryGib;
    })
    .map((t) => ({ instanceType: t, nodes: 1, hourly: region.ec2[t] }));
  return cheapest(options);
}

function cheapest(options: Choice[]): Choice {
  if (options.length === 0) throw new Error("no catalogued, priced instance type meets the requirement");
  // Ties go to the fewer, larger nodes, then to the name (deterministic output).
  return [...options].sort(rank)[0];
}

const MAX_NODES = 100;

/** `cheapest`'s order: hourly, then fewer nodes, then the name. */
const rank = (a: Choice, b: Choice): number => a.hourly - b.hourly || a.nodes - b.nodes || a.instanceType.localeCompare(b.instanceType);

/**
 * The cheapest general pool that passes validation (LangSmith's reference minimum where it runs,
 * and the pods of every application: lib/general-pool.ts), with the smallest passing maxSize.
 *
 * Each instance type's smallest passing node count is searched upwards from the count the
 * reference minimum and the applications' requests at minimum replicas need, which also bounds
 * its price from below. Types are tried cheapest bound
 * first, and the search stops when the next bound ranks after the best pool found (no type left
 * can beat it); the maxSize search runs for the winner only (it does not change the ranking).
 * The same answer as searching every type, without validating pools that cannot win.
 */
export function cheapestValidGeneralPool(env: EnvironmentConfig, region: RegionPrices): Choice & { maxSize: number } {
  const g = env.nodePools.general;
  // Lower bounds of the node count (validation decides): the reference minimum where LangSmith
  // runs, and the applications' requests at minimum replicas (lib/general-pool.ts).
  const need = runs(env, "langsmith") ? CAPACITY_REQUIREMENTS.general : { vcpu: 0, memoryGib: 0 };
  const demands = applicationDemands(env);
  const pool = (t: string, n: number, max: number): NodePool => ({ ...g, instanceTypes: [t], minSize: n, desiredSize: n, maxSize: max });
  const hourly = (t: string, n: number) => Math.round(n * region.ec2[t] * 100000) / 100000;
  // A production-tier pool keeps a node in every AZ (it must survive the loss of one).
  const floor = env.tier === "production" ? env.aws.availabilityZones.length : 1;
  const bounds = candidates(region, architecture(g.instanceTypes[0]))
    .map((t) => {
      const a = allocatable(INSTANCE_CATALOG[t]);
      const n = Math.max(Math.ceil(need.vcpu / a.vcpu), Math.ceil(need.memoryGib / a.memoryGib), nodesFor(a, (k) => generalPoolDemand(demands, "min", k).total), floor);
      return { instanceType: t, nodes: n, hourly: hourly(t, n) };
    })
    .sort(rank);
  let best: Choice | undefined;
  for (const bound of bounds) {
    if (best && rank(bound, best) > 0) break;
    let n = bound.nodes;
    while (n <= MAX_NODES && !poolPasses(env, "general", pool(bound.instanceType, n, MAX_NODES))) n++;
    if (n > MAX_NODES) continue;
    const option = { instanceType: bound.instanceType, nodes: n, hourly: hourly(bound.instanceType, n) };
    if (!best || rank(option, best) < 0) best = option;
  }
  const winner = cheapest(best ? [best] : []);
  let max = winner.nodes;
  while (max < MAX_NODES && !poolPasses(env, "general", pool(winner.instanceType, winner.nodes, max))) max++;
  return { ...winner, maxSize: max };
}

/** The cheapest single ClickHouse node that passes validation (tier requirement and the sizing profile's request). */
export function cheapestValidClickhouseNode(env: EnvironmentConfig, region: RegionPrices, pool: NodePool): Choice {
  const options = candidates(region, architecture(pool.instanceTypes[0]))
    .filter((t) => poolPasses(env, "clickhouse", { ...pool, instanceTypes: [t], minSize: 1, desiredSize: 1, maxSize: Math.max(pool.maxSize, 1) }))
    .map((t) => ({ instanceType: t, nodes: 1, hourly: region.ec2[t] }));
  return cheapest(options);
}

/**
 * The environment with its node pools replaced by the cheapest ones that pass validation
 * (reference minimum capacity, sizing profile; same architecture as its pools, same disks and
 * capacity type); everything else unchanged.
 */
export function cheapestConfiguration(env: EnvironmentConfig): EnvironmentConfig {
  const p = regionPrices(env.aws.region);
  if (!p) throw new CostError(env.name, missingPrices(env, p));
  const g = env.nodePools.general;
  const general = cheapestValidGeneralPool(env, p);
  const ch = env.nodePools.clickhouse;
  const chNode = ch && env.clickhouse.mode === "in-cluster" ? cheapestValidClickhouseNode(env, p, ch) : undefined;
  return {
    ...env,
    nodePools: {
      general: { ...g, instanceTypes: [general.instanceType], minSize: general.nodes, desiredSize: general.nodes, maxSize: general.maxSize },
      ...(ch && chNode ? { clickhouse: { ...ch, instanceTypes: [chNode.instanceType], minSize: 1, desiredSize: 1, maxSize: Math.max(ch.maxSize, 1) } } : {}),
    },
  };
}

export interface CostComparison {
  readonly configured: CostEstimate;
  readonly cheapest: CostEstimate;
  /**
   * The cheapest pools meeting the reference minimum alone (may be refused by the sizing profile);
   * LangSmith's, so absent for a Langfuse-only environment.
   */
  readonly referenceMinimum: { readonly general?: Choice; readonly clickhouse?: Choice };
}

/** The environment's estimate next to the estimate of its cheapest valid configuration. */
export function compareWithCheapest(env: EnvironmentConfig, usage: Usage = USAGE[env.tier]): CostComparison {
  const configured = estimateMonthlyCost(env, usage);
  const p = regionPrices(env.aws.region) as RegionPrices;
  const ch = env.nodePools.clickhouse;
  return {
    configured,
    cheapest: estimateMonthlyCost(cheapestConfiguration(env), usage),
    referenceMinimum: {
      ...(runs(env, "langsmith") ? { general: cheapestGeneralPool(p, architecture(env.nodePools.general.instanceTypes[0])) } : {}),
      ...(ch && env.clickhouse.mode === "in-cluster" ? { clickhouse: cheapestClickhouseNode(p, architecture(ch.instanceTypes[0]), env.tier) } : {}),
    },
  };
}
