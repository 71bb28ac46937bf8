import { ENVIRONMENTS } from "../../environments";
import { loadEnvironments } from "../../lib/config/load";
import { costReport, main } from "../../scripts/cost";
import { CostError, estimateMonthlyCost } from "../../lib/cost/model";
import { FIXTURE_ENVIRONMENTS } from "../fixtures/environments";
import { envWith, testEach } from "../helpers";

const shipped = loadEnvironments(ENVIRONMENTS).map((e) => e.config);
const FIXTURES = Object.values(FIXTURE_ENVIRONMENTS);
const fixtures = loadEnvironments(FIXTURES).map((e) => e.config);
const isPriced = (e: (typeof shipped)[number]) => {
  try {
    estimateMonthlyCost(e);
    return true;
  } catch (err) {
    if (err instanceof CostError) return false;
    throw err;
  }
};
const COMPONENTS = ["EKS control plane", "Node pool general", "NAT gateways", "Application Load Balancer", "ElastiCache Redis", "EBS volumes", "S3 blob storage (estimate)", "CloudWatch (estimate)", "WAF", "Total"];

function capture(fn: () => number): { code: number; out: string; err: string } {
  let out = "";
  let err = "";
  const o = jest.spyOn(process.stdout, "write").mockImplementation((s) => ((out += String(s)), true));
  const e = jest.spyOn(console, "error").mockImplementation((s) => void (err += String(s)));
  try {
    return { code: fn(), out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

describe("scripts/cost", () => {
  // The shipped fleet plus the fixtures (always priced), so every check has environments to run on.
  const all = [...shipped, ...fixtures.filter((f) => !shipped.some((s) => s.name === f.name))];
  const report = costReport(all);

  test("states the price date, the source file and that figures are estimates", () => {
    expect(report.text.split("\n")[0]).toMatch(/^Estimated monthly cost \(USD, on-demand list prices as of \d{4}-\d{2}-\d{2}, 730 h\/month; lib\/cost\/prices\.ts\)\.$/);
    expect(report.text).toContain("Estimates, not quotes");
  });

  testEach(all.filter(isPriced).map((e) => [e.name, e] as const))("langsmith-%s: a section with a row per component, both columns, the total and the gap", (name, env) => {
    const section = report.text.split("\n\n").find((s) => s.startsWith(`langsmith-${name} (${env.tier}, ${env.aws.region})`));
    expect(section).toBeDefined();
    const lines = (section as string).split("\n");
    expect(lines[1]).toMatch(/^ {2}component\s+configured\s+\$\/month\s+cheapest valid \(meets the reference minimum\)\s+\$\/month$/);
    for (const c of COMPONENTS) expect(lines.some((l) => l.trimStart().startsWith(c))).toBe(true);
    expect(lines.find((l) => l.trimStart().startsWith("Total"))).toMatch(/^ {2}Total\s+[\d,]+\.\d{2}\s+[\d,]+\.\d{2}$/);
    expect(section).toMatch(/Gap to the cheapest valid configuration: -?[\d,]+\.\d{2} per month \(-?\d+%\)\./);
    expect(section).toMatch(/Node pool general: \d+ x \S+ = [\d.]+ vCPU \/ \d+ GiB allocatable; cheapest \d+ x \S+ = /);
  });

  test("where the sizing profile needs more than the reference minimum, the reference-only choice is shown too", () => {
    const prod = costReport([envWith("prod")]).text.split("\n\n").find((s) => s.startsWith("langsmith-prod ")) as string;
    expect(prod).toMatch(/\(the reference minimum alone: \d+ x \S+ = [\d.]+ vCPU \/ \d+ GiB allocatable\)/);
  });

  test("JSON output has both estimates per stack", () => {
    const json = report.json as { environments: Record<string, { configured: { total: number }; cheapest: { total: number } }> };
    expect(Object.keys(json.environments)).toEqual(all.map((e) => `langsmith-${e.name}`));
    for (const e of Object.values(json.environments)) if ("configured" in e) expect(e.cheapest.total).toBeLessThanOrEqual(e.configured.total);
  });

  test("an environment it cannot price is shown as unpriced with the reason; the others still print", () => {
    const eu = envWith("dev", { aws: { region: "eu-west-1", availabilityZones: ["eu-west-1a", "eu-west-1b"] }, state: { bucket: "ls-tfstate-111111111111-eu-west-1" } });
    const r = costReport([eu, envWith("prod")]);
    expect(r.unpriced).toEqual(["dev"]);
    expect(r.text).toContain("langsmith-dev (development, eu-west-1): unpriced\n  no prices for region eu-west-1 in lib/cost/prices.ts (priced: ");
    expect(r.text).toContain("langsmith-prod (production, us-east-1)\n");
    expect((r.json as { environments: Record<string, unknown> }).environments["langsmith-dev"]).toEqual({ unpriced: [expect.stringContaining("no prices for region eu-west-1")] });
  });

  test("the whole shipped fleet reports without an exception, priced or unpriced with a reason", () => {
    const r = costReport(shipped);
    for (const e of shipped) expect(r.text).toContain(`langsmith-${e.name} (${e.tier}, ${e.aws.region})`);
    expect(r.unpriced).toEqual(shipped.filter((e) => !isPriced(e)).map((e) => e.name));
  });

  test("main: named environments (or stacks), --json, and unknown names", () => {
    const one = capture(() => main(["langsmith-staging"], FIXTURES));
    expect(one.code).toBe(0);
    expect(one.out).toContain("langsmith-staging (production, us-west-2)");
    expect(one.out).not.toContain("langsmith-dev (");
    const json = capture(() => main(["dev", "--json"], FIXTURES));
    expect(Object.keys(JSON.parse(json.out).environments)).toEqual(["langsmith-dev"]);
    // Not a valid environment name (a dash), so no fork can make it known.
    const bad = capture(() => main(["no-such-env"], FIXTURES));
    expect(bad.code).toBe(2);
    expect(bad.err).toBe("cost: no environment no-such-env (known: environments/dev.ts, environments/staging.ts, environments/prod.ts)");
    const euInput = envWith("dev", { aws: { accountId: "444444444444", region: "eu-central-1", availabilityZones: ["eu-central-1a", "eu-central-1b"] }, state: { bucket: "ls-tfstate-444444444444-eu-central-1" } });
    const unpriced = capture(() => main([], [{ file: "environments/eu.ts", input: euInput }]));
    expect(unpriced.code).toBe(0);
    expect(unpriced.out).toContain("langsmith-dev (development, eu-central-1): unpriced");
  });

  test("--help prints usage and prices nothing", () => {
    const help = capture(() => main(["--help"], FIXTURES));
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/^usage: npm run cost \[-- <environment or stack> \.\.\.\] \[--json\]/);
    expect(help.out).not.toContain("langsmith-");
  });
});
