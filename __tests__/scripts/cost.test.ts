import { ENVIRONMENTS } from "../../environments";
import { loadEnvironments } from "../../lib/config/load";
import { costReport, main } from "../../scripts/cost";
import { envWith } from "../helpers";

const shipped = loadEnvironments(ENVIRONMENTS).map((e) => e.config);
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
  const report = costReport(shipped);

  test("states the price date, the source file and that figures are estimates", () => {
    expect(report.text.split("\n")[0]).toMatch(/^Estimated monthly cost \(USD, on-demand list prices as of \d{4}-\d{2}-\d{2}, 730 h\/month; lib\/cost\/prices\.ts\)\.$/);
    expect(report.text).toContain("Estimates, not quotes");
  });

  test.each(shipped.map((e) => [e.name, e] as const))("langsmith-%s: a section with a row per component, both columns, the total and the gap", (name, env) => {
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
    const prod = report.text.split("\n\n").find((s) => s.startsWith("langsmith-prod ")) as string;
    expect(prod).toMatch(/\(the reference minimum alone: \d+ x \S+ = [\d.]+ vCPU \/ \d+ GiB allocatable\)/);
  });

  test("JSON output has both estimates per stack", () => {
    const json = report.json as { environments: Record<string, { configured: { total: number }; cheapest: { total: number } }> };
    expect(Object.keys(json.environments)).toEqual(["langsmith-dev", "langsmith-staging", "langsmith-prod"]);
    for (const e of Object.values(json.environments)) expect(e.cheapest.total).toBeLessThanOrEqual(e.configured.total);
  });

  test("an environment it cannot price is reported by name and marked failed; the others still print", () => {
    const eu = envWith("dev", { aws: { region: "eu-west-1", availabilityZones: ["eu-west-1a", "eu-west-1b"] } });
    const r = costReport([eu, shipped[2]]);
    expect(r.failed).toEqual(["dev"]);
    expect(r.text).toContain("langsmith-dev: cannot estimate the cost:\n  no prices for region eu-west-1");
    expect(r.text).toContain("langsmith-prod (production, us-east-1)");
    expect(r.text).not.toMatch(/langsmith-dev \(/);
  });

  test("main: named environments (or stacks), --json, and unknown names", () => {
    const one = capture(() => main(["langsmith-staging"]));
    expect(one.code).toBe(0);
    expect(one.out).toContain("langsmith-staging (production, us-west-2)");
    expect(one.out).not.toContain("langsmith-dev (");
    const json = capture(() => main(["dev", "--json"]));
    expect(Object.keys(JSON.parse(json.out).environments)).toEqual(["langsmith-dev"]);
    const bad = capture(() => main(["qa"]));
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^cost: no environment qa \(known: environments\/dev\.ts/);
  });
});
