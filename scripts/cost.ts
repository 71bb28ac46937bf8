/**
 * `npm run cost [-- <env|stack> ...] [--json]` (`node dist/scripts/cost.js`): the estimated monthly
 * cost of every environment (or the ones named) by component, next to the cheapest node
 * configuration that still meets the reference's minimum capacity. An environment with a region,
 * instance type, database class or cache node type the price table lacks is shown as "unpriced"
 * with the reason (exit code 0: a fork in another region is not an error), never priced wrong.
 */
import { ENVIRONMENTS } from "../environments";
import { allocatable, INSTANCE_CATALOG } from "../lib/capacity";
import { EnvironmentSource, loadEnvironments } from "../lib/config/load";
import { EnvironmentConfig } from "../lib/config/schema";
import { compareWithCheapest, CostComparison, CostError, CostLine } from "../lib/cost/model";
import { applicationShares } from "../lib/cost/applications";
import { PRICES } from "../lib/cost/prices";
import { stackName } from "../lib/naming";
import { runCli, unknownOptions, unknownOptionsMessage, wantsHelp } from "./cli";

const OPTIONS = ["--json"];

const USAGE = [
  "usage: npm run cost [-- <environment or stack> ...] [--json]",
  "  Estimated monthly cost of every environment (or the ones named) by component, next to the cheapest",
  "  node configuration that still passes validation. Prices: lib/cost/prices.ts (dated, sourced).",
  "  An environment the table cannot price (region, instance type, class) is listed as unpriced with the reason.",
  "  --json  machine-readable output",
  "  Exit 0: report printed (priced or unpriced); 2: an unknown environment name or option.",
].join("\n");

const usd = (n: number | undefined) => (n === undefined ? "-" : n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 }));

export interface CostReport {
  readonly text: string;
  readonly json: unknown;
  /** Environments that could not be priced (shown as "unpriced" with the reason). */
  readonly unpriced: readonly string[];
}

function capacityNote(line: CostLine | undefined): string {
  const m = line && /^(\d+) x ([a-z0-9]+\.[a-z0-9]+)/.exec(line.detail);
  if (!m || !INSTANCE_CATALOG[m[2]]) return "";
  const a = allocatable(INSTANCE_CATALOG[m[2]]);
  const n = Number(m[1]);
  return `${Math.round(n * a.vcpu * 10) / 10} vCPU / ${Math.round(n * a.memoryGib)} GiB allocatable`;
}

function sharesLine(env: EnvironmentConfig, c: CostComparison): string {
  const shares = applicationShares(env, c.configured);
  const name = { langsmith: "LangSmith", langfuse: "Langfuse" } as const;
  return `  Share by application: ${shares
    .map((s) => `${name[s.application]} ${usd(s.monthly)} (shared lines ${Math.round(s.sharedFraction * 100)}%, by ${s.requestedVcpu} vCPU requested)`)
    .join("; ")}.`;
}

function renderOne(c: CostComparison): string {
  const { configured, cheapest } = c;
  const rows = configured.lines.map((l) => {
    const alt = cheapest.lines.find((x) => x.key === l.key);
    const same = alt?.detail === l.detail;
    return [l.component, l.detail, usd(l.monthly), same ? "same" : (alt?.detail ?? "-"), usd(alt?.monthly)];
  });
  rows.push(["Total", "", usd(configured.total), "", usd(cheapest.total)]);
  // The reference minimum is LangSmith's; a Langfuse-only environment is held to its pods alone.
  const head = ["component", "configured", "$/month", c.referenceMinimum.general ? "cheapest valid (meets the reference minimum)" : "cheapest valid (holds the pods)", "$/month"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (r: string[]) => r.map((cell, i) => (i === 2 || i === 4 ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join("  ").trimEnd();
  const gap = configured.total - cheapest.total;
  const reference = { "pool-general": c.referenceMinimum.general, "pool-clickhouse": c.referenceMinimum.clickhouse };
  const pools = (["pool-general", "pool-clickhouse"] as const)
    .map((k) => [configured.lines.find((l) => l.key === k), cheapest.lines.find((l) => l.key === k), reference[k]] as const)
    .filter(([a]) => a)
    .map(([a, b, ref]) => {
      const refDetail = ref ? `${ref.nodes} x ${ref.instanceType}` : "";
      const refNote = ref && !b?.detail.startsWith(refDetail) ? `\n    (the reference minimum alone: ${refDetail} = ${capacityNote({ ...(b as CostLine), detail: refDetail })})` : "";
      return `  ${a?.component}: ${a?.detail} = ${capacityNote(a)}; cheapest ${b?.detail} = ${capacityNote(b)}${refNote}`;
    });
  return [
    `${stackName({ name: configured.environment })} (${configured.tier}, ${configured.region})`,
    `  ${fmt(head)}`,
    ...rows.map((r) => `  ${fmt(r)}`),
    `  Gap to the cheapest valid configuration: ${usd(gap)} per month (${configured.total > 0 ? Math.round((gap / configured.total) * 100) : 0}%).`,
    ...pools,
  ].join("\n");
}

/** The report for the given environments (already validated). */
export function costReport(envs: readonly EnvironmentConfig[]): CostReport {
  const sections: string[] = [];
  const json: Record<string, unknown> = {};
  const unpriced: string[] = [];
  for (const env of envs) {
    try {
      const c = compareWithCheapest(env);
      sections.push(`${renderOne(c)}\n${sharesLine(env, c)}`);
      json[stackName(env)] = { ...c, applications: applicationShares(env, c.configured) };
    } catch (e) {
      if (!(e instanceof CostError)) throw e;
      unpriced.push(env.name);
      sections.push([`${stackName(env)} (${env.tier}, ${env.aws.region}): unpriced`, ...e.problems.map((p) => `  ${p}`)].join("\n"));
      json[stackName(env)] = { unpriced: e.problems };
    }
  }
  const header = [
    `Estimated monthly cost (${PRICES.currency}, on-demand list prices as of ${PRICES.asOf}, ${PRICES.hoursPerMonth} h/month; lib/cost/prices.ts).`,
    "Estimates, not quotes: lines marked (estimate) and the NAT/ALB/WAF traffic use the tier's usage assumptions in lib/cost/model.ts;",
    "taxes, data transfer out, KMS keys, Secrets Manager and discounts are not included. Check in the AWS Pricing Calculator before budgeting.",
    "\"Cheapest\" replaces the node pools with the cheapest catalogued types (same CPU architecture, not burstable, 4+ vCPU) that pass",
    "validation: with LangSmith, the reference minimum (16 vCPU / 64 GiB allocatable in the general pool at min size, one ClickHouse node",
    "per the tier's requirement); the requests of every application run (langsmith.sizing, langfuse.sizing; lib/general-pool.ts);",
    "and in production one general node per availability zone.",
    "Share by application: dedicated lines (a ClickHouse pool, an application's bucket or own database) go to their application; shared",
    "lines are split by each application's CPU requests at minimum replicas (lib/cost/applications.ts).",
  ].join("\n");
  return {
    text: `${header}\n\n${sections.join("\n\n")}\n`,
    json: { asOf: PRICES.asOf, currency: PRICES.currency, hoursPerMonth: PRICES.hoursPerMonth, environments: json },
    unpriced,
  };
}

export function main(args: string[], sources: readonly EnvironmentSource[] = ENVIRONMENTS): number {
  if (wantsHelp(args)) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const bad = unknownOptions(args, OPTIONS);
  if (bad.length > 0) {
    console.error(`${unknownOptionsMessage("cost", bad, OPTIONS)}\n${USAGE}`);
    return 2;
  }
  const wanted = args.filter((a) => !a.startsWith("-")).map((a) => a.replace(/^langsmith-/, ""));
  const envs = loadEnvironments(sources)
    .map((e) => e.config)
    .filter((e) => wanted.length === 0 || wanted.includes(e.name));
  const unknown = wanted.filter((w) => !envs.some((e) => e.name === w));
  if (unknown.length > 0) {
    console.error(`cost: no environment ${unknown.join(", ")} (known: ${sources.map((e) => e.file).join(", ")})`);
    return 2;
  }
  const report = costReport(envs);
  process.stdout.write(args.includes("--json") ? `${JSON.stringify(report.json, null, 2)}\n` : report.text);
  return 0;
}

runCli(module, main, 1);
