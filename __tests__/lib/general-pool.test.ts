/**
 * The general pool holds every application the environment runs (lib/general-pool.ts): LangSmith's
 * reference minimum only where LangSmith runs, Langfuse's pods counted beside it or alone.
 */
import { INSTANCE_CATALOG } from "../../lib/capacity";
import { loadEnvironment } from "../../lib/config/load";
import { EnvironmentConfig } from "../../lib/config/schema";
import { compareWithCheapest, cheapestConfiguration } from "../../lib/cost/model";
import { applicationDemands, generalPoolProblems, requestedVcpu } from "../../lib/general-pool";
import { Json, loadProblems } from "../helpers";
import { oversizedPoolNote } from "../../lib/env-new";
import { langfuseOnly, langfuseOnlyFork, langfuseOnlyProduction, withLangfuse } from "../langfuse-envs";

const pool = (instanceType: string, minSize: number, maxSize = Math.max(minSize, 3)) => ({
  instanceTypes: [instanceType],
  minSize,
  desiredSize: minSize,
  maxSize,
  capacityType: "ON_DEMAND",
  diskSizeGib: 100,
});

/** The Langfuse-only development fork with its general pool (and Langfuse block) changed. */
function lfInput(general: Json, langfuse: Json = {}): Json {
  const input = langfuseOnlyFork() as Json;
  input.nodePools = { ...input.nodePools, general };
  Object.assign(input.langfuse, langfuse);
  return input;
}
const lfProblems = (general: Json, langfuse: Json = {}) => loadProblems([{ file: "environments/lf.ts", input: lfInput(general, langfuse) }]);
const lf = (general: Json, langfuse: Json = {}): EnvironmentConfig => loadEnvironment({ file: "environments/lf.ts", input: lfInput(general, langfuse) });

describe("a Langfuse-only environment is sized by Langfuse's pods, not LangSmith's reference minimum", () => {
  test("one m6i.2xlarge (7.9 vCPU, under the reference's 16) holds development Langfuse", () => {
    expect(lfProblems(pool("m6i.2xlarge", 1))).toEqual([]);
  });

  test("one m6i.xlarge does not: the message names the pool, Langfuse's sizing, what it requests and the fix", () => {
    expect(lfProblems(pool("m6i.xlarge", 1))).toEqual([
      'environments/lf.ts: nodePools.general.minSize gives 3.92 vCPU / 15.03 GiB allocatable (1 x m6i.xlarge), but langfuse.sizing "development" requests 4.05 vCPU / 7.81 GiB at minimum replicas ' +
        "(services 1 vCPU / 2 GiB, one surge pod per service during an upgrade 1 vCPU / 2 GiB, upgrade jobs, add-ons and daemonsets 2.05 vCPU / 3.81 GiB), got 1; " +
        "set nodePools.general.minSize to 2 (and desiredSize >= 2), use a larger instance type",
    ]);
  });

  test("Langfuse's values overrides count, and are named", () => {
    const problems = lfProblems(pool("m6i.2xlarge", 1, 1), { valuesOverrides: { langfuse: { web: { hpa: { minReplicas: 3, maxReplicas: 12 } } } } });
    expect(problems).toEqual([
      expect.stringContaining('nodePools.general.maxSize gives at most 7.91 vCPU / 31.03 GiB allocatable (1 x m6i.2xlarge), but langfuse.sizing "development" with langfuse.valuesOverrides.langfuse.web.hpa.minReplicas, langfuse.valuesOverrides.langfuse.web.hpa.maxReplicas requests'),
    ]);
    expect(problems[0]).toMatch(/; set nodePools\.general\.maxSize to at least \d+$/);
    expect(requestedVcpu(lf(pool("m6i.2xlarge", 2, 8), { valuesOverrides: { langfuse: { web: { hpa: { minReplicas: 3 } } } } }), "langfuse")).toBe(2);
    // A fixed count (HPA off), or KEDA's bounds in its place, as the chart reads them.
    const fixed = { langfuse: { web: { hpa: { enabled: false }, replicas: 4 }, worker: { hpa: { enabled: false }, keda: { enabled: true, minReplicas: 2, maxReplicas: 20 } } } };
    const [web, worker] = applicationDemands(lf(pool("m6i.2xlarge", 2, 8), { valuesOverrides: fixed }))[0].workloads;
    expect([web.minReplicas, web.maxReplicas, worker.minReplicas, worker.maxReplicas]).toEqual([4, 4, 2, 20]);
  });

  test("a production profile names langfuse.sizing as the smaller way out", () => {
    const [problem] = lfProblems(pool("m6i.2xlarge", 1), { sizing: "production" });
    expect(problem).toContain('but langfuse.sizing "production" requests');
    expect(problem).toMatch(/, or set langfuse\.sizing to "development"$/);
  });

  test("the cost model's cheapest configuration is Langfuse's, with no LangSmith reference minimum", () => {
    const env = lf(pool("m6i.2xlarge", 3, 6));
    const cheapest = cheapestConfiguration(env).nodePools.general;
    expect(generalPoolProblems({ ...env, nodePools: { ...env.nodePools, general: cheapest } })).toEqual([]);
    // The reference's 16 vCPU allocatable would take more than 16 vCPU of nodes; Langfuse's pods fit in less.
    expect(cheapest.minSize * INSTANCE_CATALOG[cheapest.instanceTypes[0]].vcpu).toBeLessThan(16);
    expect(compareWithCheapest(env).referenceMinimum.general).toBeUndefined();
  });
});

describe("beside LangSmith, Langfuse's pods are counted on the same pool", () => {
  test("a pool that holds development LangSmith alone is refused for production Langfuse beside it, naming both sizings", () => {
    const env = withLangfuse("dev");
    expect(generalPoolProblems(env)).toEqual([]);
    const both = { ...env, langfuse: { ...env.langfuse!, sizing: "production" as const } };
    const withoutLangfuse = { ...both, applications: ["langsmith" as const] };
    expect(generalPoolProblems(withoutLangfuse)).toEqual([]);
    const [problem, ...rest] = generalPoolProblems(both);
    expect(rest.map((p) => p.path)).toEqual(["nodePools.general.maxSize"]);
    expect(problem.path).toBe("nodePools.general.minSize");
    expect(problem.message).toMatch(/^gives 23\.73 vCPU \/ [\d.]+ GiB allocatable \(3 x m6i\.2xlarge\), but langsmith\.sizing "development" and langfuse\.sizing "production" request [\d.]+ vCPU/);
    expect(problem.fix).toMatch(/, or set langfuse\.sizing to "development"$/);
  });

  test("each application is counted once, in a fixed order", () => {
    const env = withLangfuse("dev");
    expect(applicationDemands({ ...env, applications: ["langfuse", "langsmith", "langfuse"] }).map((d) => d.application)).toEqual(["langsmith", "langfuse"]);
  });
});

describe("env:new's note on a pool kept from a source that needed more", () => {
  test("a Langfuse-only development fork keeps 3 nodes where 1 passes every rule on the pool", () => {
    expect(oversizedPoolNote(langfuseOnly())).toBe(
      "nodePools.general.minSize is the source's 3 (x m6i.2xlarge); langfuse here needs 1 (lib/general-pool.ts): set nodePools.general.minSize and desiredSize to 1 to pay for what this environment runs",
    );
  });

  test("no note where the minimum is also what the rules need: production keeps a node per zone, LangSmith its reference minimum", () => {
    expect(oversizedPoolNote(langfuseOnlyProduction())).toBeUndefined();
    expect(oversizedPoolNote(withLangfuse("dev"))).toBeUndefined();
  });
});
