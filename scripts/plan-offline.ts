/**
 * `npm run plan:offline [-- <stack|environment> ...]` (`--help` for the options): for every
 * synthesized stack (or the ones named), writes an AWS-only copy next to it
 * (`cdktf.out/stacks/<stack>/offline/`), then `terraform plan -refresh=false` with mock
 * credentials, `terraform show -json` into `offline/plan.json`, and the policy pack over it.
 *
 * Fast: one `terraform init` shared by every stack with the same `terraform` block (skipped while
 * providers and lock file are unchanged), `plan` validates so there is no `validate`, stacks run
 * in parallel, one more than the core count (DEFAULT_JOBS; largest first), and the provider's Go
 * GC works less (PLAN_GOGC). Terraform does not launch the AWS provider itself (four launches of
 * a 700 MB binary per stack, each building ~1,500 schemas): each stack's plan and show reattach
 * to provider processes started here (one per provider configuration), through a proxy that
 * answers the schema call with only the stack's types, from a copy kept in the offline cache
 * (scripts/offline/provider-server.ts, schema-proxy.ts), the next one started ahead while stacks
 * wait. plan.json is the same either way;
 * LS_PROVIDER_REATTACH=0 turns it off, and a provider that will not start that way falls back
 * to the plain launch (said once). Measured, the shipped stacks on 2 shared cores: 57-59 -> ~24-30
 * CPU-s; a bootstrap stack ~5 -> ~1.5 s; a langsmith stack is ~7 CPU-s, ~5 of them the WAF ACL
 * (aws_wafv2_web_acl's nested schema, in Terraform and in the provider alike).
 *
 * Mirror: $TF_PLUGIN_MIRROR, else discovered (the directory above `registry.terraform.io`
 * holding hashicorp/aws at the pinned version); without one, providers come from the registry.
 * Without Terraform: says so and skips, except under CI=true where it fails.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, join, resolve } from "node:path";
import { stackName } from "../lib/naming";
import { synthesizedStacks } from "../lib/synth-output";
import { PROVIDERS } from "../versions";
import { dropSpares, type ProviderOptions, withProvider } from "./offline/provider-server";
import { reduceForOffline } from "./offline/reduce";
import { typesOf } from "./offline/schema-proxy";
// The synthesizer and the policy pack load the whole app (~0.5 s): required when used, so that
// --help and a mistyped stack name answer at once.
type SynthAll = typeof import("./synth-all");
type PolicyCheck = typeof import("./policy-check");

const OUT = resolve(process.env.CDKTF_OUT ?? "cdktf.out");

/**
 * Terraform's work shared by every offline plan of this checkout (plan:offline, the fleet test's
 * copy, the plan guard's replacement plan): `init/<hash>/` (the shared init per terraform block),
 * `plugins/` (TF_PLUGIN_CACHE_DIR: the ~700 MB provider unpacked once), `schemas/` (the
 * provider's schema answer, see offline/provider-server.ts) and `plans/<hash>.json` (plans by
 * content hash of everything they depend on). Inside the repository
 * (node_modules/.cache/ls-offline of `root`, the working directory by default) unless
 * LS_OFFLINE_CACHE names another directory.
 */
export function offlineCache(root: string = process.cwd(), env: NodeJS.ProcessEnv = process.env): string {
  return resolve(root, env.LS_OFFLINE_CACHE ?? join("node_modules", ".cache", "ls-offline"));
}

/** Runs `fn` holding `<dir>.lock` (a directory: mkdir is atomic), so concurrent processes do not init at once. */
export async function withLock<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  const lock = `${dir}.lock`;
  mkdirSync(dirname(lock), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than 10 minutes belongs to a process that died.
      try {
        if (Date.now() - statSync(lock).mtimeMs > 600_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        // gone in the meantime
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** A plan kept in the cache under its content hash (`stamp`), or undefined. */
export function cachedPlan(stamp: string): string | undefined {
  const file = join(offlineCache(), "plans", `${stamp}.json`);
  return existsSync(file) ? file : undefined;
}

/** Keeps `file` (a plan.json) in the cache under `stamp`; the oldest beyond 40 plans are removed. */
export function keepPlan(stamp: string, file: string): void {
  const dir = join(offlineCache(), "plans");
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${stamp}.${process.pid}.tmp`);
  copyFileSync(file, tmp);
  renameSync(tmp, join(dir, `${stamp}.json`));
  const plans = readdirSync(dir).filter((n) => n.endsWith(".json")).map((n) => ({ n, t: statSync(join(dir, n)).mtimeMs })).sort((a, b) => b.t - a.t);
  for (const old of plans.slice(40)) rmSync(join(dir, old.n), { force: true });
}
const AWS_PATH = `registry.terraform.io/hashicorp/aws/${PROVIDERS.aws.version}`;

export function findMirror(): string | undefined {
  const env = process.env.TF_PLUGIN_MIRROR;
  if (env) {
    if (!existsSync(join(env, AWS_PATH))) throw new Error(`TF_PLUGIN_MIRROR=${env} has no ${AWS_PATH}`);
    return env;
  }
  const home = process.env.HOME ?? "/root";
  const candidates = ["/opt/tf-plugins", `${home}/.terraform.d/plugins`, `${home}/.local/share/terraform/plugins`, "/usr/local/share/terraform/plugins", "/usr/share/terraform/plugins"];
  for (const base of ["/opt", "/usr/local/share", "/srv"]) {
    if (existsSync(base)) for (const d of readdirSync(base)) candidates.push(join(base, d));
  }
  return candidates.find((c) => existsSync(join(c, AWS_PATH)));
}

export function cliConfig(mirror: string | undefined): string {
  if (!mirror) return "";
  return [
    "provider_installation {",
    `  filesystem_mirror {`,
    `    path    = ${JSON.stringify(mirror)}`,
    `    include = ["registry.terraform.io/hashicorp/aws"]`,
    "  }",
    "  direct {",
    `    exclude = ["registry.terraform.io/hashicorp/aws"]`,
    "  }",
    "}",
    "",
  ].join("\n");
}

export function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, stdoutFile?: string): Promise<{ code: number; out: string }> {
  return new Promise((done) => {
    const child = spawn(cmd, args, { cwd, env });
    let out = "";
    const chunks: Buffer[] = [];
    child.stdout.on("data", (d: Buffer) => (stdoutFile ? chunks.push(d) : (out += d)));
    child.stderr.on("data", (d: Buffer) => (out += d));
    child.on("error", (e) => done({ code: 127, out: String(e) }));
    child.on("close", (code) => {
      if (stdoutFile) writeFileSync(stdoutFile, Buffer.concat(chunks));
      done({ code: code ?? 1, out });
    });
  });
}

/** The CPU-heavy part of a plan is the AWS provider's Go runtime collecting garbage while it
 * builds its ~1,500 resource schemas; GOGC=400 trades ~200 MB per process for ~30% less CPU
 * (measured: plan 10.8 -> 7.7 CPU-s, show 3.0 -> 1.8). Terraform passes it on to the provider.
 * A GOGC already in the environment wins. */
export const PLAN_GOGC = "400";

/** `terraform version`'s first line, part of the init stamp. */
export async function terraformVersion(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const r = await run("terraform", ["version"], process.cwd(), env);
  // The `Terraform vX.Y.Z` line only: warnings (e.g. about a CLI config) would make every caller's stamp differ.
  return r.code === 0 ? (/^Terraform v\S+/m.exec(r.out)?.[0] ?? r.out.split("\n")[0].trim()) : undefined;
}

/** Whether every provider linked under `<dataDir>/providers` still resolves (the plugin cache may be gone). */
function providersPresent(dataDir: string): boolean {
  const root = join(dataDir, "providers");
  if (!existsSync(root)) return false;
  // providers/<host>/<namespace>/<type>/<version>/<os_arch>
  let leaves = [root];
  for (let depth = 0; depth < 5; depth++) leaves = leaves.flatMap((d) => (existsSync(d) ? readdirSync(d).map((n) => join(d, n)) : []));
  return leaves.length > 0 && leaves.every((l) => existsSync(l));
}

/** TF_PLUGIN_CACHE_DIR of every offline plan (created if needed). */
export function pluginCache(): string {
  const dir = join(offlineCache(), "plugins");
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** What providers are installed from: part of every init stamp. */
export function installStamp(version: string, mirror: string | undefined): string {
  return JSON.stringify({ version, mirror, rc: cliConfig(mirror) });
}

export interface SharedInit {
  /** Where `terraform init` ran: holds `.terraform/` (the TF_DATA_DIR of every stack) and the lock file. */
  readonly dir: string;
  readonly skipped: boolean;
  /** What the providers were installed from (block, mirror, CLI config, Terraform version). */
  readonly stamp: string;
}

/**
 * One `terraform init` for every stack whose `terraform` block (required providers, backend)
 * is the same: all of the shipped ones. It runs in `<offlineCache()>/init/<hash>/` on a config
 * holding only that block; the stacks then plan with `TF_DATA_DIR` pointing at its `.terraform`
 * and a copy of its lock file. Skipped when its stamp (the block, the mirror, the CLI config,
 * the Terraform version) is unchanged and the lock file and the linked providers are there.
 * Concurrent callers (plan:offline, the fleet test, the plan guard's test) wait for one another.
 */
export async function sharedInit(terraformBlock: unknown, stamp: string, env: NodeJS.ProcessEnv): Promise<SharedInit> {
  const key = createHash("sha256").update(JSON.stringify(terraformBlock)).digest("hex").slice(0, 12);
  const dir = join(offlineCache(), "init", key);
  const stampFile = join(dir, "init.stamp");
  const stampText = JSON.stringify({ terraform: terraformBlock, stamp });
  const current = () => existsSync(stampFile) && readFileSync(stampFile, "utf8") === stampText && existsSync(join(dir, ".terraform.lock.hcl")) && providersPresent(join(dir, ".terraform"));
  if (current()) return { dir, skipped: true, stamp: stampText };
  return withLock(dir, async () => {
    if (current()) return { dir, skipped: true, stamp: stampText };
    return initIn(dir, terraformBlock, stampText, env);
  });
}

async function initIn(dir: string, terraformBlock: unknown, stampText: string, env: NodeJS.ProcessEnv): Promise<SharedInit> {
  const stampFile = join(dir, "init.stamp");
  rmSync(stampFile, { force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "main.tf.json"), JSON.stringify({ terraform: terraformBlock }, null, 2));
  const r = await run("terraform", ["init", "-input=false", "-no-color", "-reconfigure"], dir, env);
  if (r.code !== 0) throw new Error(`plan:offline: terraform init failed in ${dir}:\n${r.out.trim().split("\n").slice(-40).join("\n")}`);
  writeFileSync(stampFile, stampText);
  return { dir, skipped: false, stamp: stampText };
}

/** How plan:offline and the replacement plan serve the provider (provider-server.ts). */
export function providerOptions(prestart = false): ProviderOptions {
  return { onFallback: reattachFallback, schemaDir: join(offlineCache(), "schemas"), prestart };
}

let fallbackSaid = false;
/** Says once per process that Terraform launches the provider itself (slower), and why. */
export function reattachFallback(reason: string): void {
  if (fallbackSaid) return;
  fallbackSaid = true;
  console.warn(`plan:offline: provider reattach unavailable (${reason}); Terraform launches the provider itself (slower)`);
}

export interface StackResult {
  readonly stack: string;
  readonly ok: boolean;
  readonly step: string;
  readonly detail: string;
  readonly seconds: number;
  readonly planJson?: string;
}

/** The stack's offline copy, written to `cdktf.out/stacks/<stack>/offline/main.tf.json`. */
export function writeOfflineCopy(stack: string): { dir: string; config: Record<string, any>; dropped: string[] } {
  const stackDir = join(OUT, "stacks", stack);
  const dir = join(stackDir, "offline");
  rmSync(join(dir, "main.tf.json"), { force: true });
  // A .terraform of its own from before the shared init: unused (TF_DATA_DIR), ~700 MB of links.
  rmSync(join(dir, ".terraform"), { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const { config, dropped } = reduceForOffline(JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")));
  writeFileSync(join(dir, "main.tf.json"), JSON.stringify(config, null, 2));
  return { dir, config, dropped };
}

/**
 * `plan` (which validates the configuration first, so no separate `validate`) and `show -json`
 * in the stack's offline directory, with the shared init's providers and lock file.
 *
 * With `reuse`, a stack whose offline config, lock file and providers are byte for byte the
 * ones of its last successful plan keeps that plan.json (`plan.stamp`): with no state, no
 * refresh and mock credentials the plan is a function of exactly those. The policy pack runs
 * on it again either way.
 */
export async function planStack(stack: string, init: SharedInit, dropped: readonly string[], env: NodeJS.ProcessEnv, reuse = false, prestart = false): Promise<StackResult> {
  const started = Date.now();
  const dir = join(OUT, "stacks", stack, "offline");
  copyFileSync(join(init.dir, ".terraform.lock.hcl"), join(dir, ".terraform.lock.hcl"));
  const stackEnv = { ...env, TF_DATA_DIR: join(init.dir, ".terraform") };
  const seconds = () => (Date.now() - started) / 1000;
  const stampFile = join(dir, "plan.stamp");
  const stamp = createHash("sha256")
    .update([readFileSync(join(dir, "main.tf.json"), "utf8"), readFileSync(join(dir, ".terraform.lock.hcl"), "utf8"), init.stamp].join("\0"))
    .digest("hex");
  let reused = reuse && existsSync(join(dir, "plan.json")) && existsSync(stampFile) && readFileSync(stampFile, "utf8") === stamp;
  // The same offline config planned before anywhere in this checkout (e.g. a fork in the fleet test's copy).
  const kept = reuse && !reused ? cachedPlan(stamp) : undefined;
  if (kept) {
    copyFileSync(kept, join(dir, "plan.json"));
    writeFileSync(stampFile, stamp);
    reused = true;
  }
  if (!reused) rmSync(stampFile, { force: true });
  const steps: [string, string[], string?][] = reused ? [] : [
    ["plan", ["plan", "-refresh=false", "-input=false", "-lock=false", "-no-color", "-out=plan.bin"]],
    ["show", ["show", "-json", "plan.bin"], join(dir, "plan.json")],
  ];
  // One provider process serves this stack's plan and show (scripts/offline/provider-server.ts).
  const failed = steps.length === 0 ? undefined : await withProvider(stackEnv.TF_DATA_DIR!, stackEnv, typesOf(JSON.parse(readFileSync(join(dir, "main.tf.json"), "utf8"))), async (planEnv) => {
    for (const [step, args, file] of steps) {
      const r = await run("terraform", args, dir, planEnv, file);
      if (r.code !== 0) return { stack, ok: false, step, detail: r.out.trim().split("\n").slice(-40).join("\n"), seconds: seconds() };
    }
    return undefined;
  }, providerOptions(prestart));
  if (failed) return failed;
  if (!reused) {
    writeFileSync(stampFile, stamp);
    keepPlan(stamp, join(dir, "plan.json"));
  }
  const plan = JSON.parse(readFileSync(join(dir, "plan.json"), "utf8"));
  // The policy pack over what Terraform will create (docs/policy-rules.md); a violation fails the stack.
  const { planPolicyProblems, policyEnvFor } = require("./policy-check") as PolicyCheck;
  const policy = planPolicyProblems(plan, policyEnvFor(stack));
  if (policy.length > 0) return { stack, ok: false, step: "policy", detail: policy.join("\n"), seconds: seconds(), planJson: join(dir, "plan.json") };
  const creates = (plan.resource_changes ?? []).filter((c: any) => c.change.actions.includes("create")).length;
  const how = reused ? " (config unchanged: last plan reused, --fresh to re-plan)" : "";
  return { stack, ok: true, step: "done", detail: `${creates} to create, ${dropped.length} helm/kubernetes objects checked by tests instead${how}`, seconds: seconds(), planJson: join(dir, "plan.json") };
}

export const USAGE = `usage: npm run plan:offline [-- <stack|environment> ...] [--no-synth] [--fresh] [--jobs N]

Synthesizes every environment, reduces each stack to what the AWS provider can check offline
(cdktf.out/stacks/<stack>/offline/), then terraform plan -refresh=false with mock credentials
and show -json (offline/plan.json), and runs the policy pack over the plan.

  <stack|environment>  plan only these (a stack name, or an environment name for langsmith-<name>)
  --no-synth           plan what is already in cdktf.out/stacks
  --fresh              plan every stack again, even one whose offline config has not changed
                       since its last successful plan (reused by default, also from the cache)
  --jobs N             stacks planned at once (default: the number of CPU cores + 1)
  --help               this text; plans nothing

Environment: TF_PLUGIN_MIRROR (provider mirror), CDKTF_OUT (default cdktf.out), CI=true
(a missing terraform is a failure instead of a skip), LS_OFFLINE_CACHE (the shared init,
provider cache, schema and plans by content hash; default node_modules/.cache/ls-offline),
LS_PROVIDER_REATTACH=0 (Terraform launches the provider itself: slower, same plan).`;

export interface PlanArgs {
  readonly help: boolean;
  readonly synth: boolean;
  readonly fresh: boolean;
  readonly jobs: number;
  readonly wanted: readonly string[];
}

/**
 * Stacks planned at once by default: one more than the cores. A stack's slot does not keep a core
 * busy throughout (terraform, the provider and the policy pack hand over to each other, start
 * processes, write files), and with exactly as many slots as cores the third of three large
 * stacks waited for a whole plan on 2 cores. Measured, the shipped stacks on 2 shared cores,
 * 2 and 3 slots taking turns over 8 runs each: 16.4 -> 14.8 s on average.
 */
export const DEFAULT_JOBS = (cores: number): number => cores + 1;

/** Parses the command line; throws a UsageError (exit 2) on an unknown option. */
export function parseArgs(argv: readonly string[], cores = availableParallelism()): PlanArgs {
  let jobs = DEFAULT_JOBS(cores);
  let synth = true;
  let help = false;
  let fresh = false;
  const wanted: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--help" || a === "-h") help = true;
    else if (a === "--no-synth") synth = false;
    else if (a === "--fresh") fresh = true;
    else if (a === "--jobs" || a.startsWith("--jobs=")) {
      const v = a.includes("=") ? a.slice("--jobs=".length) : argv[++i];
      jobs = Number(v);
      if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError(`plan:offline: --jobs must be a whole number of at least 1, got ${v ?? "nothing"}`);
    } else if (a.startsWith("-")) throw new UsageError(`plan:offline: unknown option ${a}`);
    else wanted.push(a);
  }
  return { help, synth, fresh, jobs, wanted };
}

export class UsageError extends Error {}

/**
 * The stacks to plan: all of them, or the ones named (a stack, or an environment `x` for
 * `langsmith-x`). A name that matches nothing is a usage error listing what exists.
 */
export function selectStacks(available: readonly string[], wanted: readonly string[]): string[] {
  if (wanted.length === 0) return [...available].sort();
  const unknown = wanted.filter((w) => !available.includes(w) && !available.includes(stackName({ name: w })));
  if (unknown.length > 0) {
    throw new UsageError(`plan:offline: no stack named ${unknown.join(", ")}; the stacks are: ${[...available].sort().join(", ")} (an environment name such as ${available.find((a) => a.startsWith("langsmith-"))?.slice("langsmith-".length) ?? "dev"} also works)`);
  }
  return [...available].filter((s) => wanted.includes(s) || wanted.includes(s.replace(/^langsmith-/, ""))).sort();
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    console.log(USAGE);
    return;
  }
  const ci = process.env.CI === "true";
  const started = Date.now();
  if (args.synth) (require("./synth-all") as SynthAll).synthesizeAll(OUT);
  // The manifest, not the directory listing: a directory the last synth did not write is not a stack.
  const synthesized = synthesizedStacks(OUT);
  if (!synthesized) throw new UsageError(`plan:offline: nothing synthesized in ${OUT} (no manifest.json): run it without --no-synth, or npm run synth first`);
  const stacks = selectStacks(synthesized, args.wanted);
  const env: NodeJS.ProcessEnv = { ...process.env, GOGC: process.env.GOGC ?? PLAN_GOGC, TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1", AWS_EC2_METADATA_DISABLED: "true" };
  const version = await terraformVersion(env);
  if (!version) {
    const msg = "plan:offline: terraform is not installed or not on PATH (https://developer.hashicorp.com/terraform/install)";
    if (ci) {
      console.error(`${msg}; CI=true, so this is a failure.`);
      process.exit(1);
    }
    console.warn(`${msg}; skipping the offline plan.`);
    return;
  }
  const mirror = findMirror();
  mkdirSync(OUT, { recursive: true });
  const rc = join(OUT, "offline.tfrc");
  writeFileSync(rc, cliConfig(mirror));
  // The mirror's provider is unpacked once into the cache and linked from the shared .terraform.
  const cache = pluginCache();
  Object.assign(env, { TF_CLI_CONFIG_FILE: rc, TF_PLUGIN_CACHE_DIR: cache });

  // Offline copies first (cheap), grouped by terraform block: one init per group.
  const copies = stacks.map((stack) => ({ stack, ...writeOfflineCopy(stack) }));
  const inits = new Map<string, Promise<SharedInit>>();
  const initFor = (block: unknown) => {
    const key = JSON.stringify(block);
    if (!inits.has(key)) inits.set(key, sharedInit(block, installStamp(version, mirror), env));
    return inits.get(key)!;
  };
  const jobs = Math.min(args.jobs, copies.length);
  console.log(`plan:offline: ${stacks.length} stacks, ${jobs} at a time, provider ${mirror ? `mirror ${mirror}` : "registry (no mirror found)"}`);
  // Largest first, so the last stack to start is a small one.
  const queue = [...copies].sort((a, b) => JSON.stringify(b.config).length - JSON.stringify(a.config).length);
  const results: StackResult[] = [];
  const workers = Array.from({ length: jobs }, async () => {
    for (let c = queue.shift(); c; c = queue.shift()) {
      let r: StackResult;
      try {
        // Providers started ahead while more stacks wait (dropSpares below stops the last one).
        r = await planStack(c.stack, await initFor(c.config.terraform), c.dropped, env, !args.fresh, queue.length > 0);
      } catch (e) {
        r = { stack: c.stack, ok: false, step: "init", detail: e instanceof Error ? e.message : String(e), seconds: 0 };
      }
      console.log(`  ${r.ok ? "ok  " : "FAIL"} ${r.stack} (${r.seconds.toFixed(1)} s): ${r.ok ? r.detail : `${r.step} failed\n${r.detail}`}`);
      results.push(r);
    }
  });
  await Promise.all(workers);
  await dropSpares();
  const failed = results.filter((r) => !r.ok);
  const initNote = (await Promise.all([...inits.values()].map((p) => p.catch(() => undefined)))).every((i) => i?.skipped) ? "init skipped: providers unchanged" : "init ran";
  console.log(`plan:offline: ${results.length - failed.length} passed, ${failed.length} failed (${((Date.now() - started) / 1000).toFixed(1)} s, ${initNote})`);
  if (failed.length > 0) process.exit(1);
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(e instanceof UsageError ? 2 : 1);
  });
}
