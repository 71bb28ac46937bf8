/**
 * `node dist/scripts/policy-check.js <plan.json> [--env <env-or-stack>]`: the policy pack over
 * `terraform show -json` output — what Terraform will actually create, after defaults and
 * computed values. Exit 1 when a rule fails (or a waiver is refused), listing every violation.
 *
 * `--env` takes an environment (`dev`) or stack name (`langsmith-dev`, `bootstrap-...`); it
 * selects the tier and the waivers. Without it the stack is inferred from the plan's path
 * (`cdktf.out/stacks/<stack>/...`); failing that, the strictest reading (production, no
 * waivers) applies and is said so.
 */
import { ENVIRONMENTS } from "../environments";
import { EnvironmentSource, loadEnvironments } from "../lib/config/load";
import { stackName } from "../lib/naming";
import { fromPlan } from "../lib/policy/adapters";
import { evaluate, formatViolation, formatWaiver } from "../lib/policy/engine";
import { stateStackPolicy } from "../lib/policy/enforce";
import type { Json, PolicyEnvironment } from "../lib/policy/types";
import { flagValues, positionals, readJson, runCli, unknownOptions, unknownOptionsMessage, wantsHelp } from "./cli";

const USAGE = [
  "usage: npm run policy -- <plan.json> [--env <environment or stack>]",
  "  Runs the policy pack (lib/policy) over `terraform show -json` output and lists every violation.",
  "  --env   an environment (dev) or stack (langsmith-dev, bootstrap-...) name: selects the tier and waivers;",
  "          default: the stack named in the plan's path, else tier production with no waivers.",
  "  Exit 0: passes; 1: violations; 2: usage or a missing/unreadable file.",
].join("\n");

/** The policy environment of an environment or stack name. */
export function policyEnvFor(name: string, sources: readonly EnvironmentSource[] = ENVIRONMENTS): PolicyEnvironment {
  if (name.startsWith("bootstrap-")) return stateStackPolicy(name);
  const envs = loadEnvironments(sources).map((e) => e.config);
  const env = envs.find((e) => e.name === name || stackName(e) === name);
  if (!env) throw new Error(`policy-check: unknown environment or stack "${name}" (known: ${envs.map((e) => `${e.name}, ${stackName(e)}`).join(", ")}, bootstrap-*)`);
  return env;
}

/** A stack name in the plan's path (`.../stacks/langsmith-dev/offline/plan.json`). */
export function stackFromPath(path: string): string | undefined {
  return path.split(/[\\/]/).find((seg) => /^(langsmith|bootstrap)-[A-Za-z0-9-]+$/.test(seg));
}

/** Refused waivers and violations of a plan, one line each; waiver notices go to `warn`. */
export function planPolicyProblems(plan: Json, env: PolicyEnvironment, warn: (line: string) => void = (l) => console.warn(l)): string[] {
  const result = evaluate(fromPlan(plan), env);
  for (const w of result.waived) warn(formatWaiver(env, w));
  return [...result.errors, ...result.violations.map((v) => formatViolation(v))];
}

export function main(argv: string[], sources: readonly EnvironmentSource[] = ENVIRONMENTS): number {
  if (wantsHelp(argv)) {
    console.log(USAGE);
    return 0;
  }
  const bad = unknownOptions(argv, ["--env"]);
  if (bad.length > 0) {
    console.error(`${unknownOptionsMessage("policy-check", bad, ["--env"])}\n${USAGE}`);
    return 2;
  }
  const [envName] = flagValues(argv, "--env");
  const [file] = positionals(argv, ["--env"]);
  if (!file || (argv.includes("--env") && !envName)) {
    console.error(USAGE);
    return 2;
  }
  const stack = envName ?? stackFromPath(file);
  const env = stack ? policyEnvFor(stack, sources) : { name: file, tier: "production" as const, policy: { waivers: [] } };
  if (!stack) console.warn(`policy-check: no --env and no stack name in the path; judging ${file} as tier production with no waivers`);
  const problems = planPolicyProblems(readJson(file), env);
  if (problems.length > 0) {
    console.error(`policy-check: ${file} (${env.name}, tier ${env.tier}): ${problems.length} violation${problems.length === 1 ? "" : "s"}\n  ${problems.join("\n  ")}`);
    return 1;
  }
  console.log(`policy-check: ${file} (${env.name}, tier ${env.tier}): passes`);
  return 0;
}

runCli(module, main, 2);
