import { cpuCores, memoryGib } from "../../../lib/capacity";
import { MAIN_SERVICES, SIZING_PROFILES, sizingProblems } from "../../../lib/langsmith-values/sizing";
import { loadWith, shipped, SHIPPED } from "./envs";
import { EnvironmentConfig } from "../../../lib/config/schema";
import { generalPoolProblems } from "../../../lib/general-pool";

/** The loader runs the sizing rule too; build an environment past it to see the raw problems. */
function unchecked(name: (typeof SHIPPED)[number], change: (e: EnvironmentConfig) => EnvironmentConfig): EnvironmentConfig {
  return change(shipped(name));
}

describe("quantities", () => {
  test.each([["500m", 0.5], ["2", 2], ["1000m", 1], ["0.25", 0.25]])("cpu %s = %s cores", (q, n) => expect(cpuCores(q)).toBe(n));
  test.each([["2Gi", 2], ["512Mi", 0.5], ["2000Mi", 2000 / 1024]])("memory %s = %s GiB", (q, n) => expect(memoryGib(q)).toBe(n));
  test("a quantity in another unit is refused", () => expect(() => memoryGib("2G")).toThrow("not a memory quantity (Mi or Gi): 2G"));
});

describe("profiles", () => {
  test.each(Object.keys(SIZING_PROFILES))("%s: PDBs only with two or more replicas, min <= max", (name) => {
    const p = SIZING_PROFILES[name as keyof typeof SIZING_PROFILES];
    for (const s of [...MAIN_SERVICES.map((m) => p.services[m]), p.agents.apiServer, p.agents.queue]) {
      if (s.pdb) expect(s.minReplicas).toBeGreaterThanOrEqual(2);
      expect(s.minReplicas).toBeLessThanOrEqual(s.maxReplicas);
    }
  });

  test("production runs at least three replicas of every request-path service (one per AZ)", () => {
    for (const s of ["backend", "platformBackend", "queue", "ingestQueue"] as const) expect(SIZING_PROFILES.production.services[s].minReplicas).toBeGreaterThanOrEqual(3);
  });
});

describe("the profiles fit the shipped node pools", () => {
  const all = (env: EnvironmentConfig) => [...sizingProblems(env), ...generalPoolProblems(env)];
  test.each(SHIPPED)("%s", (name) => expect(all(shipped(name))).toEqual([]));

  test.each(SHIPPED)("%s with Insights and Polly shared", (name) => {
    expect(all(loadWith(name, (i) => Object.assign(i.langsmith, { insights: "shared", polly: "shared" })))).toEqual([]);
  });
});

describe("sizing problems name the pool, what is requested and the fix", () => {
  test("production sizing on the development pool at minimum size", () => {
    const env = unchecked("dev", (e) => ({ ...e, langsmith: { ...e.langsmith, sizing: "production" } }));
    const [problem] = generalPoolProblems(env);
    expect(problem.path).toBe("nodePools.general.minSize");
    expect(problem.message).toMatch(/^gives 23\.73 vCPU \/ [\d.]+ GiB allocatable \(3 x m6i\.2xlarge\), but langsmith\.sizing "production" requests [\d.]+ vCPU \/ [\d.]+ GiB at minimum replicas \(services 16 vCPU/);
    expect(problem.fix).toMatch(/^set nodePools\.general\.minSize to \d+ \(and desiredSize >= \d+\), use a larger instance type, or set langsmith\.sizing to "development"$/);
  });

  test("HPA maxima beyond the pool's maxSize", () => {
    const env = unchecked("prod", (e) => ({ ...e, nodePools: { ...e.nodePools, general: { ...e.nodePools.general, maxSize: 3 } } }));
    const problems = generalPoolProblems(env);
    expect(problems.map((p) => p.path)).toEqual(["nodePools.general.maxSize"]);
    expect(problems[0].message).toContain('but langsmith.sizing "production" requests');
    expect(problems[0].message).toContain("with every HPA at maxReplicas: the autoscaler could not place the last pods");
    expect(problems[0].fix).toMatch(/^set nodePools\.general\.maxSize to at least \d+$/);
  });

  test("in-cluster ClickHouse on a node too small for its requests", () => {
    const env = unchecked("dev", (e) => ({ ...e, nodePools: { ...e.nodePools, clickhouse: { ...e.nodePools.clickhouse!, instanceTypes: ["r6i.large"] } } }));
    const problems = sizingProblems(env);
    expect(problems).toEqual([
      expect.objectContaining({
        path: "nodePools.clickhouse.instanceTypes",
        message: expect.stringContaining('in-cluster ClickHouse of langsmith.sizing "development" requests 4 vCPU / 12.75 GiB (with daemonsets) on one node'),
        fix: "use r6i.2xlarge",
      }),
    ]);
  });
});
