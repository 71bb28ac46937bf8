/**
 * `npm run plan:offline [-- <stack> ...]`: for every synthesized stack (or the ones named),
 * writes an AWS-only copy next to it (`cdktf.out/stacks/<stack>/offline/`), then
 * `terraform init` from the provider mirror, `validate`, `plan -refresh=false` with mock
 * credentials, and `terraform show -json` into `offline/plan.json`.
 *
 * Mirror: $TF_PLUGIN_MIRROR, else discovered (the directory above `registry.terraform.io`
 * holding hashicorp/aws at the pinned version); without one, providers come from the registry.
 * Without Terraform: says so and skips, except under CI=true where it fails.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { PROVIDERS } from "../versions";
import { reduceForOffline } from "./offline/reduce";
import { synthesizeAll } from "./synth-all";
import { planPolicyProblems, policyEnvFor } from "./policy-check";

const OUT = resolve(process.env.CDKTF_OUT ?? "cdktf.out");
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

let initQueue: Promise<unknown> = Promise.resolve();
function serialized<T>(task: () => Promise<T>): Promise<T> {
  const result = initQueue.then(task);
  initQueue = result.catch(() => undefined);
  return result;
}

export interface StackResult {
  readonly stack: string;
  readonly ok: boolean;
  readonly step: string;
  readonly detail: string;
  readonly seconds: number;
  readonly planJson?: string;
}

export async function planStack(stack: string, env: NodeJS.ProcessEnv): Promise<StackResult> {
  const started = Date.now();
  const stackDir = join(OUT, "stacks", stack);
  const dir = join(stackDir, "offline");
  rmSync(join(dir, "main.tf.json"), { force: true });
  mkdirSync(dir, { recursive: true });
  const { config, dropped } = reduceForOffline(JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")));
  writeFileSync(join(dir, "main.tf.json"), JSON.stringify(config, null, 2));
  const seconds = () => (Date.now() - started) / 1000;
  const steps: [string, string[], string?][] = [
    ["init", ["init", "-input=false", "-no-color", "-reconfigure"]],
    ["validate", ["validate", "-no-color"]],
    ["plan", ["plan", "-refresh=false", "-input=false", "-lock=false", "-no-color", "-out=plan.bin"]],
    ["show", ["show", "-json", "plan.bin"], join(dir, "plan.json")],
  ];
  for (const [step, args, file] of steps) {
    // Inits take turns: they share the plugin cache, which Terraform does not lock.
    const r = step === "init" ? await serialized(() => run("terraform", args, dir, env, file)) : await run("terraform", args, dir, env, file);
    if (r.code !== 0) return { stack, ok: false, step, detail: r.out.trim().split("\n").slice(-40).join("\n"), seconds: seconds() };
  }
  const plan = JSON.parse(readFileSync(join(dir, "plan.json"), "utf8"));
  // The policy pack over what Terraform will create (docs/policy-rules.md); a violation fails the stack.
  const policy = planPolicyProblems(plan, policyEnvFor(stack));
  if (policy.length > 0) return { stack, ok: false, step: "policy", detail: policy.join("\n"), seconds: seconds(), planJson: join(dir, "plan.json") };
  const creates = (plan.resource_changes ?? []).filter((c: any) => c.change.actions.includes("create")).length;
  return { stack, ok: true, step: "done", detail: `${creates} to create, ${dropped.length} helm/kubernetes objects checked by tests instead`, seconds: seconds(), planJson: join(dir, "plan.json") };
}

async function main(): Promise<void> {
  const ci = process.env.CI === "true";
  const version = await run("terraform", ["version"], process.cwd(), process.env);
  if (version.code !== 0) {
    const msg = "plan:offline: terraform is not installed or not on PATH (https://developer.hashicorp.com/terraform/install)";
    if (ci) {
      console.error(`${msg}; CI=true, so this is a failure.`);
      process.exit(1);
    }
    console.warn(`${msg}; skipping the offline plan.`);
    return;
  }
  if (!process.argv.includes("--no-synth")) synthesizeAll(OUT);
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith("--"));
  const stacks = readdirSync(join(OUT, "stacks")).filter((s) => wanted.length === 0 || wanted.includes(s)).sort();
  const mirror = findMirror();
  mkdirSync(OUT, { recursive: true });
  const rc = join(OUT, "offline.tfrc");
  writeFileSync(rc, cliConfig(mirror));
  // One copy of the ~700 MB provider, symlinked into each stack's .terraform.
  const cache = join(OUT, ".plugin-cache");
  mkdirSync(cache, { recursive: true });
  const env = {
    ...process.env,
    TF_CLI_CONFIG_FILE: rc,
    TF_PLUGIN_CACHE_DIR: cache,
    TF_IN_AUTOMATION: "1",
    CHECKPOINT_DISABLE: "1",
    AWS_EC2_METADATA_DISABLED: "true",
  };
  console.log(`plan:offline: ${stacks.length} stacks, provider ${mirror ? `mirror ${mirror}` : "registry (no mirror found)"}`);
  const results: StackResult[] = [];
  const queue = [...stacks];
  const workers = Array.from({ length: Math.min(2, queue.length) }, async () => {
    for (let s = queue.shift(); s; s = queue.shift()) {
      const r = await planStack(s, env);
      console.log(`  ${r.ok ? "ok  " : "FAIL"} ${r.stack} (${r.seconds.toFixed(1)} s): ${r.ok ? r.detail : `${r.step} failed\n${r.detail}`}`);
      results.push(r);
    }
  });
  await Promise.all(workers);
  const failed = results.filter((r) => !r.ok);
  console.log(`plan:offline: ${results.length - failed.length} passed, ${failed.length} failed`);
  if (failed.length > 0) process.exit(1);
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
