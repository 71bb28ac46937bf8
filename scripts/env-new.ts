/**
 * `npm run env:new -- <name> --from <env> --account <id> --region <region> [--tier <tier>] [--hostname <host>]
 *   [--hosted-zone-id <id>] [--applications langsmith,langfuse] [--langfuse-hostname <host>]`:
 * writes `environments/<name>.ts` forked from `environments/<env>.ts` with every field that must
 * change already changed (lib/env-new.ts), registers it in `environments/index.ts`, and prints
 * the next steps. The new fleet is validated first: if the loader refuses it, nothing is written.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { ENVIRONMENTS } from "../environments";
import { defineEnvironment } from "../environments/profiles";
import { ciMatrix } from "../lib/ci-matrix";
import { ConfigError, EnvironmentSource, loadEnvironments } from "../lib/config/load";
import { Application, runs, Tier } from "../lib/config/schema";
import { environmentFile, fileFields, forkEnvironment, optionProblems, oversizedPoolNote, parseApplications, registerEnvironment } from "../lib/env-new";
import { isPlainObject, PlainObject } from "../lib/merge";
import { stackName } from "../lib/naming";
import { flagValues, positionals, runCli, unknownOptions, unknownOptionsMessage, wantsHelp } from "./cli";

const USAGE = [
  "usage: npm run env:new -- <name> --from <environment> --account <12-digit id> --region <region> [--tier development|production] [--hostname <host>]",
  "         [--hosted-zone-id <Route 53 zone id>] [--applications langsmith|langfuse|langsmith,langfuse] [--langfuse-hostname <host>]",
  "  Writes environments/<name>.ts, a copy of environments/<environment>.ts with the name, account, region and zones,",
  "  a VPC CIDR no other environment uses, the hostname, the state bucket/key of the new account and region",
  "  (S3-native locking) and the CI OIDC provider setting changed; registers it in environments/index.ts; prints",
  "  the next steps. Validates the whole fleet first: if the loader refuses the result, nothing is written (exit 1).",
  "  --hosted-zone-id: the zone of the hostname; required in an account no environment uses yet (a hosted zone",
  "  belongs to one account), else the source's (same account) or the account's other environment's.",
  "  --applications: what the fork runs (default: the source's). Adding Langfuse writes a langfuse block: hostname",
  "  (--langfuse-hostname, default langfuse.<domain of the hostname>), an external ClickHouse placeholder to change,",
  "  the first user; a Langfuse-only fork drops langsmith and clickhouse and serves Langfuse on --hostname.",
].join("\n");

/** Fields only the environment file decides (environments/profiles.ts): kept whole from the source. */
const DECIDED = ["name", "owner", "costCenter", "aws", "dns", "exposure", "auth", "clickhouse", "state", "ci", "langfuse", "applications"];
const VALUE_FLAGS = ["--from", "--account", "--region", "--tier", "--hostname", "--hosted-zone-id", "--applications", "--langfuse-hostname"];

export interface EnvNewDeps {
  /** Directory holding environments/ (default: this repository). */
  readonly root?: string;
  /** The registered environments (default: environments/index.ts). */
  readonly sources?: readonly EnvironmentSource[];
  readonly out?: (line: string) => void;
  readonly err?: (line: string) => void;
  readonly today?: string;
}

function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, "environments", "index.ts")) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/** What the source file set: its input minus what its tier's profile would give for its decided fields. */
function sourceFields(input: PlainObject, tier: Tier): PlainObject {
  const decided = Object.fromEntries(Object.entries(input).filter(([k]) => DECIDED.includes(k)));
  // The network fields every file writes; the rest (an existing VPC's ids, NAT, flow logs) is the file's when it differs from the profile.
  const network = input.network as PlainObject;
  decided.network = { mode: network.mode, vpcCidr: network.vpcCidr };
  const langsmith = isPlainObject(input.langsmith) ? { langsmith: { initialOrgAdminEmail: input.langsmith.initialOrgAdminEmail } } : {};
  const defaults = defineEnvironment(tier, { ...decided, ...langsmith } as Parameters<typeof defineEnvironment>[1]) as PlainObject;
  const fields = fileFields(input, defaults, DECIDED);
  fields.network = { ...(fields.network as PlainObject | undefined), mode: network.mode, vpcCidr: network.vpcCidr };
  if (isPlainObject(input.langsmith)) fields.langsmith = { ...(fields.langsmith as PlainObject | undefined), initialOrgAdminEmail: input.langsmith.initialOrgAdminEmail };
  // Key order of a hand-written file: decided fields first, in the schema's order.
  const order = ["name", "applications", "owner", "costCenter", "aws", "network", "dns", "exposure", "auth", "langsmith", "clickhouse", "langfuse", "ci", "state"];
  return Object.fromEntries(Object.entries(fields).sort(([a], [b]) => rank(order, a) - rank(order, b)));
}

const rank = (order: string[], k: string) => (order.includes(k) ? order.indexOf(k) : order.length);

export function main(argv: string[], deps: EnvNewDeps = {}): number {
  const out = deps.out ?? ((l: string) => console.log(l));
  const err = deps.err ?? ((l: string) => console.error(l));
  if (wantsHelp(argv)) {
    out(USAGE);
    return 0;
  }
  const bad = unknownOptions(argv, VALUE_FLAGS);
  if (bad.length > 0) {
    err(`${unknownOptionsMessage("env:new", bad, VALUE_FLAGS)}\n${USAGE}`);
    return 2;
  }
  const root = resolve(deps.root ?? repoRoot());
  const sources = deps.sources ?? ENVIRONMENTS;
  const fleet = loadEnvironments(sources);
  const [name, ...extra] = positionals(argv, VALUE_FLAGS);
  const [from] = flagValues(argv, "--from");
  const [accountId] = flagValues(argv, "--account");
  const [region] = flagValues(argv, "--region");
  const [tier] = flagValues(argv, "--tier");
  const [hostname] = flagValues(argv, "--hostname");
  const applications = parseApplications(flagValues(argv, "--applications")[0]) as Application[] | undefined;
  const [langfuseHostname] = flagValues(argv, "--langfuse-hostname");
  const [hostedZoneId] = flagValues(argv, "--hosted-zone-id");
  const names = fleet.map((e) => e.config.name);
  const found = fleet.find((e) => e.config.name === from);
  const accountsWithZone = fleet.map((e) => e.config.aws.accountId);
  const langsmithSources = fleet.filter((e) => runs(e.config, "langsmith")).map((e) => e.config.name);
  const problems = optionProblems(
    { name, from, accountId, region, tier: tier as Tier | undefined, hostname, hostedZoneId, applications, langfuseHostname, sourceApplications: found?.config.applications, sourceAccountId: found?.config.aws.accountId, accountsWithZone, langsmithSources },
    names,
  );
  if (extra.length > 0) problems.push(`unexpected argument${extra.length > 1 ? "s" : ""} ${extra.join(" ")}`);
  const file = join(root, "environments", `${name}.ts`);
  if (name && existsSync(file)) problems.push(`${file} exists already`);
  if (problems.length > 0) {
    err(`env:new: ${problems.join("\n  ")}\n${USAGE}`);
    return 2;
  }

  const source = found!;
  const sourceInput = sources.find((s) => s.file === source.file)!.input as PlainObject;
  const fork = forkEnvironment(source.config, sourceFields(sourceInput, source.config.tier), fleet.map((e) => e.config), {
    name, accountId, region, tier: tier as Tier | undefined, hostname, hostedZoneId, applications, langfuseHostname,
  });
  const relative = `environments/${name}.ts`;
  let loaded;
  try {
    loaded = loadEnvironments([...sources, { file: relative, input: defineEnvironment(fork.tier, fork.fields as Parameters<typeof defineEnvironment>[1]) }]);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    err(`env:new: the new environment would not load, nothing was written:\n  ${e.problems.join("\n  ")}`);
    return 1;
  }

  const index = join(root, "environments", "index.ts");
  const indexText = registerEnvironment(readFileSync(index, "utf8"), name);
  writeFileSync(file, environmentFile(fork, from, deps.today ?? new Date().toISOString().slice(0, 10)), { flag: "wx" });
  writeFileSync(`${index}.${process.pid}`, indexText);
  renameSync(`${index}.${process.pid}`, index);

  const env = loaded[loaded.length - 1].config;
  const bucket = env.state.backend === "s3" ? env.state.bucket : undefined;
  const newBucket = bucket && !fleet.some((e) => e.config.state.backend === "s3" && e.config.state.bucket === bucket);
  const planned = ciMatrix([env]).plan.include[0];
  out(`env:new: wrote ${file} (tier ${fork.tier}, forked from environments/${from}.ts) and registered it in ${index}.`);
  const poolNote = oversizedPoolNote(env);
  const notes = poolNote ? [...fork.notes, poolNote] : fork.notes;
  if (notes.length > 0) out("Check before the first apply:");
  for (const n of notes) out(`  - ${n}`);
  out("Next steps:");
  out(`  1. Read ${file}: the owner, cost center, hostname, hosted zone and sizing are the source's.`);
  out(`  2. npm run synth && npm run plan:offline -- ${stackName({ name })} && npm test`);
  if (newBucket) out(`  3. Bootstrap the state bucket ${bucket} of account ${env.aws.accountId} in ${env.aws.region}: apply its bootstrap stack (README, "State and bootstrap").`);
  else if (bucket) out(`  3. Its state goes to the existing bucket ${bucket}: re-apply that bootstrap stack (it adds the CI roles of ${name}).`);
  if (planned) {
    out(`  4. CI: repository variable ${planned.plan_role_variable} = bootstrap output ci_${name}_plan_role_arn; GitHub environment ${name} with`);
    out(`     AWS_APPLY_ROLE_ARN = ci_${name}_apply_role_arn, deployment branch main (docs/ci-cd.md). The workflows pick it up from the config.`);
  }
  return 0;
}

runCli(module, (argv) => main(argv), 1);
