import { allocatable, architectureOf, capacityProblems, INSTANCE_CATALOG, maxPods } from "../../lib/capacity";
import { EnvironmentConfig, NodePool } from "../../lib/config/schema";
import { envWith, shippedInput } from "../helpers";
import { loadEnvironment } from "../../lib/config/load";
import { deepMerge } from "../../lib/merge";

const dev = envWith("dev");
const pool = (instanceTypes: string[], minSize: number): NodePool => ({
  instanceTypes,
  minSize,
  desiredSize: minSize,
  maxSize: Math.max(minSize, 1) * 2,
  capacityType: "ON_DEMAND",
  diskSizeGib: 100,
});
/** dev with another general pool (ClickHouse pool unchanged). */
const withGeneral = (p: NodePool): EnvironmentConfig => ({ ...dev, nodePools: { ...dev.nodePools, general: p } });
/** dev (or its production-tier twin) with another ClickHouse pool. */
const withClickhouse = (p: NodePool, tier: EnvironmentConfig["tier"] = "development"): EnvironmentConfig => ({ ...dev, tier, nodePools: { ...dev.nodePools, clickhouse: p } });
const messages = (env: EnvironmentConfig) => capacityProblems(env).map((p) => `${p.path} ${p.message}${p.fix ? `; ${p.fix}` : ""}`);

describe("allocatable capacity (EKS AL2023 formula)", () => {
  test.each([
    // type, vCPU, GiB, max pods
    ["m6i.large", 1.93, 7.34, 29],
    ["m6i.2xlarge", 7.91, 31.03, 58],
    ["m6i.4xlarge", 15.89, 62.47, 110],
    ["r6i.2xlarge", 7.91, 63.03, 58],
    ["m5.8xlarge", 31.85, 125.14, 234],
    ["t3.large", 1.93, 7.28, 35],
  ])("%s: %s vCPU / %s GiB / %s pods", (type, vcpu, memoryGib, pods) => {
    expect(allocatable(INSTANCE_CATALOG[type])).toEqual({ vcpu, memoryGib, maxPods: pods });
    expect(maxPods(INSTANCE_CATALOG[type])).toBe(pods);
  });

  test.each([
    ["m6i.2xlarge", "x86_64"],
    ["m7g.4xlarge", "arm64"],
    ["r6g.large", "arm64"],
    ["c7gn.xlarge", "arm64"],
    ["t3.xlarge", "x86_64"],
    ["g5.xlarge", "x86_64"],
  ])("%s runs %s", (type, arch) => expect(architectureOf(type)).toBe(arch));
});

describe("general pool: at least 16 vCPU / 64 GiB allocatable at its minimum size", () => {
  test.each([
    [["m6i.2xlarge"], 3],
    [["m6i.4xlarge"], 2],
    [["m5.8xlarge"], 1],
    [["r6i.4xlarge"], 2],
    [["m7g.2xlarge", "m6g.2xlarge"], 3],
  ])("%j x %d passes", (types, min) => {
    expect(capacityProblems(withGeneral(pool(types, min)))).toEqual([]);
  });

  test.each([
    [["m6i.2xlarge"], 2, "gives 15.82 vCPU / 62.06 GiB allocatable (2 x m6i.2xlarge at 7.91 vCPU / 31.03 GiB each)", "set minSize to 3 with m6i.2xlarge, or use 2 x m6i.4xlarge"],
    [["m6i.4xlarge"], 1, "gives 15.89 vCPU / 62.47 GiB allocatable (1 x m6i.4xlarge at 15.89 vCPU / 62.47 GiB each)", "set minSize to 2 with m6i.4xlarge, or use 2 x m6i.4xlarge"],
    [["c6i.2xlarge"], 3, "gives 23.73 vCPU / 45.09 GiB allocatable (3 x c6i.2xlarge at 7.91 vCPU / 15.03 GiB each)", "set minSize to 5 with c6i.2xlarge, or use 2 x m6i.4xlarge"],
    [["t3.xlarge"], 4, "gives 15.68 vCPU / 60.12 GiB allocatable (4 x t3.xlarge at 3.92 vCPU / 15.03 GiB each)", "set minSize to 5 with t3.xlarge, or use 2 x m6i.4xlarge"],
    // Mixed types are sized by the smallest: the autoscaler may launch any of them.
    [["m6i.2xlarge", "m6i.xlarge"], 3, "gives 11.76 vCPU / 45.09 GiB allocatable (3 x the smallest of m6i.2xlarge, m6i.xlarge at 3.92 vCPU / 15.03 GiB each)", "set minSize to 5 with m6i.2xlarge, m6i.xlarge, or use 2 x m6i.4xlarge"],
    [["m6i.4xlarge"], 0, "gives 0 vCPU / 0 GiB allocatable (0 x m6i.4xlarge at 15.89 vCPU / 62.47 GiB each)", "set minSize to 2 with m6i.4xlarge, or use 2 x m6i.4xlarge"],
  ])("%j x %d fails: %s", (types, min, gives, fix) => {
    expect(messages(withGeneral(pool(types, min)))).toEqual([
      `nodePools.general.minSize ${gives}, the reference requires at least 16 vCPU / 64 GiB across the general pool at its minimum size; ${fix}`,
    ]);
  });
});

describe("ClickHouse pool: one node of 4 vCPU / 16 GiB (development) or 8 vCPU / 32 GiB (production)", () => {
  test.each([
    ["development", "r6i.2xlarge"],
    ["development", "m6i.2xlarge"],
    ["production", "r6i.4xlarge"],
  ] as const)("%s: %s passes", (tier, type) => {
    expect(capacityProblems(withClickhouse(pool([type], 1), tier))).toEqual([]);
  });

  test.each([
    // A "4 vCPU" node has 3.92 vCPU allocatable: the system reserve counts.
    ["development", "r6i.xlarge", "gives 3.92 vCPU / 31.03 GiB allocatable per node, ClickHouse in tier development needs one node with at least 4 vCPU / 16 GiB allocatable; use r6i.2xlarge (7.91 vCPU / 63.03 GiB allocatable)"],
    ["development", "m6i.large", "gives 1.93 vCPU / 7.34 GiB allocatable per node, ClickHouse in tier development needs one node with at least 4 vCPU / 16 GiB allocatable; use r6i.2xlarge (7.91 vCPU / 63.03 GiB allocatable)"],
    ["production", "r6i.2xlarge", "gives 7.91 vCPU / 63.03 GiB allocatable per node, ClickHouse in tier production needs one node with at least 8 vCPU / 32 GiB allocatable; use r6i.4xlarge (15.89 vCPU / 126.47 GiB allocatable)"],
    ["production", "c6i.4xlarge", "gives 15.89 vCPU / 30.47 GiB allocatable per node, ClickHouse in tier production needs one node with at least 8 vCPU / 32 GiB allocatable; use r6i.4xlarge (15.89 vCPU / 126.47 GiB allocatable)"],
  ] as const)("%s: %s fails", (tier, type, text) => {
    expect(messages(withClickhouse(pool([type], 1), tier))).toEqual([`nodePools.clickhouse.instanceTypes ${text}`]);
  });

  test("the ClickHouse pool may not scale to zero", () => {
    expect(messages(withClickhouse(pool(["r6i.2xlarge"], 0)))).toEqual(["nodePools.clickhouse.minSize must be at least 1: ClickHouse needs its node at all times"]);
  });
});

describe("instance types", () => {
  test("an uncatalogued type is refused with the catalog to pick from", () => {
    expect(messages(withGeneral(pool(["m6i.2xlarge", "x9.large"], 3)))).toEqual([
      "nodePools.general.instanceTypes.1 is not in the instance catalog the capacity check uses (lib/capacity.ts); pick a catalogued type (m6i, m7i, r6i, r7i, c6i ... large to 16xlarge) or add it to INSTANCE_CATALOG",
    ]);
  });

  test("one pool cannot mix CPU architectures (one AMI type per node group)", () => {
    expect(messages(withGeneral(pool(["m6i.2xlarge", "m7g.2xlarge"], 3)))).toEqual([
      "nodePools.general.instanceTypes must share one CPU architecture (a managed node group runs one AMI type; these mix x86_64 and arm64); split them into separate pools or pick types of one architecture",
    ]);
  });
});

describe("at load time", () => {
  test("an under-sized environment is refused with the computed capacity, the requirement and a fix", () => {
    const input = deepMerge(shippedInput("dev"), { nodePools: { general: { instanceTypes: ["m6i.xlarge"], minSize: 3, desiredSize: 3 } } });
    expect(() => loadEnvironment({ file: "environments/dev.ts", input })).toThrow(
      "environments/dev.ts: nodePools.general.minSize gives 11.76 vCPU / 45.09 GiB allocatable (3 x m6i.xlarge at 3.92 vCPU / 15.03 GiB each), " +
        "the reference requires at least 16 vCPU / 64 GiB across the general pool at its minimum size, got 3; set minSize to 5 with m6i.xlarge, or use 2 x m6i.4xlarge",
    );
  });

  test.each(["dev", "staging", "prod"] as const)("shipped environment %s meets the requirements", (name) => {
    expect(capacityProblems(envWith(name))).toEqual([]);
  });
});
