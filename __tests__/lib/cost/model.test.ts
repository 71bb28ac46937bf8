import { ENVIRONMENTS } from "../../../environments";
import { allocatable, CAPACITY_REQUIREMENTS, INSTANCE_CATALOG } from "../../../lib/capacity";
import { loadEnvironments } from "../../../lib/config/load";
import { EnvironmentConfig } from "../../../lib/config/schema";
import {
  architecture,
  cheapestClickhouseNode,
  cheapestConfiguration,
  cheapestGeneralPool,
  cheapestValidGeneralPool,
  CHEAPEST_SEARCH,
  compareWithCheapest,
  CostError,
  estimateMonthlyCost,
  regionPrices,
  USAGE,
} from "../../../lib/cost/model";
import { PRICES } from "../../../lib/cost/prices";
import { WAF_RULE_NAMES } from "../../../lib/waf";
import { FIXTURE_ENVIRONMENTS } from "../../fixtures/environments";
import { envWith } from "../../helpers";

const shipped = loadEnvironments(ENVIRONMENTS).map((e) => e.config);
/** The fixtures (priced regions) plus every shipped environment the table prices: forks in other regions are unpriced, not errors. */
const priced = [...loadEnvironments(Object.values(FIXTURE_ENVIRONMENTS)).map((e) => e.config), ...shipped.filter((e) => regionPrices(e.aws.region))];
const US = PRICES.regions["us-west-2"];
const H = PRICES.hoursPerMonth;
const line = (env: EnvironmentConfig, key: string) => {
  const l = estimateMonthlyCost(env).lines.find((x) => x.key === key);
  if (!l) throw new Error(`no line ${key}`);
  return l;
};
const near = (a: number | undefined, b: number) => expect(a).toBeCloseTo(b, 2);

describe("price table", () => {
  test("is dated and sourced", () => {
    expect(PRICES.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(PRICES.source).toMatch(/AWS public on-demand pricing/);
  });

  test("every environment is priced or refused with CostError naming each missing price (the report shows it as unpriced)", () => {
    for (const env of shipped) {
      try {
        estimateMonthlyCost(env);
      } catch (e) {
        expect(e).toBeInstanceOf(CostError);
        expect((e as CostError).problems.length).toBeGreaterThan(0);
      }
    }
    const eu = envWith("dev", { aws: { region: "eu-central-1", availabilityZones: ["eu-central-1a", "eu-central-1b"] }, state: { bucket: "ls-tfstate-111111111111-eu-central-1" } });
    expect(() => estimateMonthlyCost(eu)).toThrow("no prices for region eu-central-1 in lib/cost/prices.ts (priced: us-east-1, us-west-2)");
  });

  test("prices every instance type, database class and cache node the fixture environments use", () => {
    for (const env of priced) expect(() => estimateMonthlyCost(env)).not.toThrow();
  });

  test("EC2 prices are linear in size within a family, and sizes AWS does not offer stay unpriced", () => {
    expect(US.ec2["m6i.large"]).toBe(0.096);
    expect(US.ec2["m6i.4xlarge"]).toBeCloseTo(8 * US.ec2["m6i.large"], 5);
    expect(US.ec2["c5.8xlarge"]).toBeUndefined();
    expect(INSTANCE_CATALOG["c5.8xlarge"]).toBeDefined();
  });
});

describe("estimateMonthlyCost", () => {
  const dev = envWith("dev");
  const prod = envWith("prod");

  test("has a line for every component the issue lists, and the total is their sum", () => {
    const e = estimateMonthlyCost(dev);
    expect(e.lines.map((l) => l.key)).toEqual(["eks", "pool-general", "pool-clickhouse", "nat", "alb", "rds", "elasticache", "ebs", "s3", "cloudwatch", "waf"]);
    near(e.total, e.lines.reduce((s, l) => s + (l.monthly ?? 0), 0));
    expect(estimateMonthlyCost(prod).lines.map((l) => l.key)).toContain("clickhouse-external");
    expect(line(prod, "clickhouse-external").monthly).toBeUndefined();
  });

  test.each<[string, () => number | undefined, number]>([
    ["EKS: one cluster-hour a month", () => line(dev, "eks").monthly, 0.1 * H],
    ["node pool: desired nodes x hourly x 730", () => line(dev, "pool-general").monthly, 3 * 0.384 * H],
    ["NAT single: gateway + its IPv4 + data", () => line(dev, "nat").monthly, (0.045 + 0.005) * H + 100 * 0.045],
    ["NAT per AZ: one per zone", () => line(prod, "nat").monthly, 3 * (0.045 + 0.005) * H + 1000 * 0.045],
    ["ALB internet-facing: hour + LCU + one public IPv4 per AZ", () => line(dev, "alb").monthly, (0.0225 + 0.008 + 2 * 0.005) * H],
    ["RDS single-AZ: instance + gp3 storage", () => line(dev, "rds").monthly, 0.129 * H + 50 * 0.115],
    ["RDS Multi-AZ: twice instance and storage", () => line(prod, "rds").monthly, 2 * (0.45 * H + 100 * 0.115)],
    ["ElastiCache: primary + replicas", () => line(prod, "elasticache").monthly, 2 * 0.219 * H],
    ["EBS: root volumes of desired nodes + ClickHouse volume + one snapshot copy", () => line(dev, "ebs").monthly, (3 * 100 + 50) * 0.08 + 100 * (0.08 + 0.05)],
    ["WAF: ACL + a dollar a rule of the ACL (lib/waf.ts) + requests", () => line(dev, "waf").monthly, 5 + WAF_RULE_NAMES.length + 5 * 0.6],
  ])("%s", (_t, actual, expected) => near(actual(), expected));

  test("gp3 IOPS and throughput above the baseline are charged", () => {
    const fast = envWith("dev", { clickhouse: { storageIops: 7000, storageThroughputMiBps: 1000 } });
    near((line(fast, "ebs").monthly ?? 0) - (line(dev, "ebs").monthly ?? 0), 4000 * 0.005 + 875 * 0.04);
  });

  test("an internal ALB has no public IPv4; Aurora counts writer + reader, storage and I/O", () => {
    const staging = envWith("staging");
    near(line(staging, "alb").monthly, (0.0225 + 4 * 0.008) * H);
    near(line(staging, "rds").monthly, 2 * 0.26 * H + 100 * 0.1 + 500 * 0.2);
    expect(line(staging, "rds").component).toBe("Aurora PostgreSQL");
  });

  test("usage lines follow the tier's assumptions, and blob storage off costs nothing", () => {
    near(line(dev, "s3").monthly, USAGE.development.s3Gib * 0.023 + USAGE.development.s3PutThousands * 0.005 + USAGE.development.s3GetThousands * 0.0004);
    expect(line(envWith("dev", { blobStorage: { enabled: false } }), "s3").monthly).toBe(0);
  });

  test("an unpriced region is named, with the regions that are priced", () => {
    const eu = envWith("dev", { aws: { region: "eu-west-1", availabilityZones: ["eu-west-1a", "eu-west-1b"] }, state: { bucket: "ls-tfstate-111111111111-eu-west-1" } });
    expect(() => estimateMonthlyCost(eu)).toThrow(CostError);
    expect(() => estimateMonthlyCost(eu)).toThrow("langsmith-dev: cannot estimate the cost:\n  no prices for region eu-west-1 in lib/cost/prices.ts (priced: us-east-1, us-west-2)");
  });

  test("every unpriced instance type, database class and node type is named together", () => {
    const odd = envWith("dev", { nodePools: { general: { instanceTypes: ["c5.8xlarge"] } }, postgres: { instanceClass: "db.x2g.large" }, redis: { nodeType: "cache.m6g.8xlarge" } });
    try {
      estimateMonthlyCost(odd);
      throw new Error("expected a CostError");
    } catch (e) {
      expect((e as CostError).problems).toEqual([
        "nodePools.general.instanceTypes.0: no on-demand EC2 price for c5.8xlarge in us-west-2 (lib/cost/prices.ts); add it with its source, or pick a priced type",
        "postgres.instanceClass: no RDS for PostgreSQL price for db.x2g.large in us-west-2 (lib/cost/prices.ts)",
        "redis.nodeType: no ElastiCache price for cache.m6g.8xlarge in us-west-2 (lib/cost/prices.ts)",
      ]);
    }
  });
});

describe("cheapest configuration meeting the reference minimum", () => {
  const candidates = (arch: string) =>
    Object.keys(INSTANCE_CATALOG).filter((t) => US.ec2[t] !== undefined && !t.startsWith("t") && architecture(t) === arch && INSTANCE_CATALOG[t].vcpu >= CHEAPEST_SEARCH.minNodeVcpu);

  test.each(["x86_64", "arm64"] as const)("general pool (%s): meets 16 vCPU / 64 GiB and no candidate is cheaper", (arch) => {
    const c = cheapestGeneralPool(US, arch);
    const a = allocatable(INSTANCE_CATALOG[c.instanceType]);
    expect(architecture(c.instanceType)).toBe(arch);
    expect(c.nodes * a.vcpu).toBeGreaterThanOrEqual(CAPACITY_REQUIREMENTS.general.vcpu);
    expect(c.nodes * a.memoryGib).toBeGreaterThanOrEqual(CAPACITY_REQUIREMENTS.general.memoryGib);
    for (const t of candidates(arch)) {
      const at = allocatable(INSTANCE_CATALOG[t]);
      const n = Math.max(Math.ceil(16 / at.vcpu), Math.ceil(64 / at.memoryGib));
      expect(n * US.ec2[t]).toBeGreaterThanOrEqual(c.hourly - 1e-9);
    }
  });

  test.each(["development", "production"] as const)("ClickHouse node (%s): meets the tier's requirement and no candidate is cheaper", (tier) => {
    const c = cheapestClickhouseNode(US, "x86_64", tier);
    const need = CAPACITY_REQUIREMENTS.clickhouse[tier];
    const a = allocatable(INSTANCE_CATALOG[c.instanceType]);
    expect(a.vcpu >= need.vcpu && a.memoryGib >= need.memoryGib).toBe(true);
    for (const t of candidates("x86_64")) {
      const at = allocatable(INSTANCE_CATALOG[t]);
      if (at.vcpu >= need.vcpu && at.memoryGib >= need.memoryGib) expect(US.ec2[t]).toBeGreaterThanOrEqual(c.hourly);
    }
  });

  test("never picks burstable types or nodes under the minimum size", () => {
    expect(cheapestGeneralPool(US, "x86_64").instanceType.startsWith("t")).toBe(false);
    expect(INSTANCE_CATALOG[cheapestGeneralPool(US, "x86_64").instanceType].vcpu).toBeGreaterThanOrEqual(CHEAPEST_SEARCH.minNodeVcpu);
  });

  test("a Graviton environment is compared with Graviton nodes", () => {
    const arm = envWith("dev", { nodePools: { general: { instanceTypes: ["m7g.2xlarge"] }, clickhouse: { instanceTypes: ["r7g.2xlarge"] } } });
    const c = cheapestConfiguration(arm);
    expect(architecture(c.nodePools.general.instanceTypes[0])).toBe("arm64");
    expect(architecture(c.nodePools.clickhouse?.instanceTypes[0] ?? "")).toBe("arm64");
  });

  test.each(priced.map((e) => [e.name, e] as const))("%s: the cheapest valid general pool passes validation with its node count and not with one fewer", (_n, env) => {
    const c = cheapestValidGeneralPool(env, PRICES.regions[env.aws.region]);
    const load = (nodes: number) => {
      const input = { ...env, nodePools: { ...env.nodePools, general: { ...env.nodePools.general, instanceTypes: [c.instanceType], minSize: nodes, desiredSize: nodes, maxSize: c.maxSize } } };
      try {
        loadEnvironments([{ file: "x.ts", input }]);
        return true;
      } catch {
        return false;
      }
    };
    expect(load(c.nodes)).toBe(true);
    const floor = env.tier === "production" ? env.aws.availabilityZones.length : 1;
    expect(c.nodes).toBeGreaterThanOrEqual(floor);
    if (c.nodes > floor) expect(load(c.nodes - 1)).toBe(false);
  });

  test("production sizing needs more than the reference minimum: the valid choice costs more than the reference-only one", () => {
    const prod = envWith("prod");
    expect(cheapestValidGeneralPool(prod, PRICES.regions["us-east-1"]).hourly).toBeGreaterThan(cheapestGeneralPool(PRICES.regions["us-east-1"], "x86_64").hourly);
    expect(compareWithCheapest(prod).referenceMinimum.general).toEqual(cheapestGeneralPool(PRICES.regions["us-east-1"], "x86_64"));
  });

  test.each(priced.map((e) => [e.name, e] as const))("%s: the cheapest alternative changes only node pools (and their disks), and costs no more", (_n, env) => {
    const { configured, cheapest } = compareWithCheapest(env);
    expect(cheapest.total).toBeLessThanOrEqual(configured.total);
    const changed = configured.lines.filter((l, i) => l.monthly !== cheapest.lines[i].monthly).map((l) => l.key);
    expect(changed.every((k) => ["pool-general", "pool-clickhouse", "ebs"].includes(k))).toBe(true);
    const alt = cheapestConfiguration(env);
    expect(loadEnvironments([{ file: `environments/${env.name}.ts`, input: alt }])).toHaveLength(1);
  });
});
