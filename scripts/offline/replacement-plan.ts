/**
 * A genuine Terraform plan that replaces a database, made offline — the plan guard's test input.
 *
 * `node dist/scripts/offline/replacement-plan.js [out.json] [--fresh]` (default: print to stdout;
 * --fresh plans again instead of taking an unchanged plan from the offline cache).
 *
 * How (no AWS, no import, no refresh):
 * 1. synthesize a small stack in its "before" shape (an RDS instance, a bucket, a KMS key,
 *    a lock table — independent of each other, so no unknown reference leaks into the state),
 *    reduce it for offline planning and `terraform plan` + `show -json` it;
 * 2. write `terraform.tfstate` from that plan's `planned_values` (plus made-up `id`/`arn` for
 *    the computed attributes), as if it had been applied;
 * 3. synthesize the "after" shape — database storage encryption turned on and the bucket
 *    renamed, both changes AWS cannot make in place — and `terraform plan -refresh=false` against
 *    that state. Terraform itself then decides on `["delete","create"]` with `replace_paths`
 *    and `action_reason: "replace_because_cannot_update"`.
 */
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { ENGINES, TERRAFORM_REQUIRED_VERSION } from "../../versions";
import { cachedPlan, cliConfig, findMirror, installStamp, keepPlan, PLAN_GOGC, pluginCache, providerOptions, run, sharedInit, terraformVersion } from "../plan-offline";
import { withProvider } from "./provider-server";
import { typesOf } from "./schema-proxy";
import { reduceForOffline, TfJson } from "./reduce";

export type Variant = "before" | "after";

/** The fixture stack. `after` encrypts the database and renames the bucket (both force replacement). */
export function fixtureConfig(variant: Variant): TfJson {
  const outdir = mkdtempSync(join(tmpdir(), "ls-guard-synth-"));
  try {
    const app = new App({ outdir });
    const stack = new TerraformStack(app, "guard-fixture");
    new AwsProvider(stack, "aws", { region: "us-west-2" });
    // The stacks' constraint too: the same terraform block as theirs, so one shared init serves both.
    stack.addOverride("terraform.required_version", TERRAFORM_REQUIRED_VERSION);
    new DbInstance(stack, "postgres", {
      identifier: "ls-dev-postgres",
      engine: "postgres",
      engineVersion: ENGINES.postgres.version,
      instanceClass: "db.t4g.large",
      allocatedStorage: 50,
      // Turning encryption on later is the classic accident: RDS cannot encrypt a database in place.
      storageEncrypted: variant === "after",
      username: "langsmith",
      manageMasterUserPassword: true,
      skipFinalSnapshot: true,
    });
    new S3Bucket(stack, "blob", { bucket: variant === "before" ? "ls-dev-blob-111111111111" : "ls-dev-blobs-111111111111" });
    new KmsKey(stack, "key", { description: "unchanged key", enableKeyRotation: true });
    new DynamodbTable(stack, "lock", { name: "ls-tfstate-lock", billingMode: "PAY_PER_REQUEST", hashKey: "LockID", attribute: [{ name: "LockID", type: "S" }] });
    app.synth();
    return JSON.parse(readFileSync(join(outdir, "stacks", "guard-fixture", "cdk.tf.json"), "utf8"));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** A state file holding what `plan` says apply would create, with made-up ids for computed values. */
export function stateFromPlan(plan: TfJson): TfJson {
  const resources = ((plan.planned_values?.root_module?.resources ?? []) as TfJson[])
    .filter((r) => r.mode === "managed")
    .map((r) => ({
      mode: "managed",
      type: r.type,
      name: r.name,
      provider: `provider["${r.provider_name}"]`,
      instances: [
        {
          schema_version: r.schema_version ?? 0,
          // tags_all is computed from the provider's default tags; {} keeps unchanged resources a no-op.
          attributes: { id: `${r.name}-fixture-id`, arn: `arn:aws:fixture:us-west-2:111111111111:${r.type}/${r.name}`, tags_all: {}, ...r.values },
          sensitive_attributes: [],
        },
      ],
    }));
  return { version: 4, terraform_version: plan.terraform_version, serial: 1, lineage: "plan-guard-fixture", outputs: {}, resources };
}

async function terraform(dir: string, env: NodeJS.ProcessEnv, args: string[], stdoutFile?: string): Promise<void> {
  const r = await run("terraform", args, dir, env, stdoutFile);
  if (r.code !== 0) throw new Error(`terraform ${args[0]} failed in ${dir}:\n${r.out.trim().split("\n").slice(-30).join("\n")}`);
}

/**
 * Runs steps 1-3 in `dir` (created if needed) and returns the replacement plan's JSON.
 *
 * Providers come from plan:offline's shared init (no init of its own; the first caller on a
 * fresh checkout runs it, concurrent callers wait). With `reuse` (default), a plan made before
 * from the same fixture configs, init and state-writing code is taken from the offline cache
 * (`plans/replacement-<hash>.json`): the plan is a function of exactly those.
 */
export async function replacementPlan(dir: string, reuse = true): Promise<TfJson> {
  mkdirSync(dir, { recursive: true });
  const mirror = findMirror();
  const rc = join(dir, "offline.tfrc");
  writeFileSync(rc, cliConfig(mirror));
  const env: NodeJS.ProcessEnv = { ...process.env, TF_CLI_CONFIG_FILE: rc, TF_PLUGIN_CACHE_DIR: pluginCache(), GOGC: process.env.GOGC ?? PLAN_GOGC, TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1", AWS_EC2_METADATA_DISABLED: "true" };
  const version = await terraformVersion(env);
  if (!version) throw new Error("replacement plan: terraform is not installed or not on PATH");
  const configs = { before: reduceForOffline(fixtureConfig("before")).config, after: reduceForOffline(fixtureConfig("after")).config };
  const init = await sharedInit(configs.before.terraform, installStamp(version, mirror), env);
  const key = `replacement-${createHash("sha256").update([init.stamp, JSON.stringify(configs), stateFromPlan.toString()].join("\0")).digest("hex")}`;
  const kept = reuse ? cachedPlan(key) : undefined;
  if (kept) return JSON.parse(readFileSync(kept, "utf8"));
  copyFileSync(join(init.dir, ".terraform.lock.hcl"), join(dir, ".terraform.lock.hcl"));
  const planEnv = { ...env, TF_DATA_DIR: join(init.dir, ".terraform") };
  // A provider process per plan (one configures only once), serving its plan and show.
  const plan = (variant: Variant): Promise<TfJson> =>
    withProvider(planEnv.TF_DATA_DIR!, planEnv, typesOf(configs.before, configs.after), async (env) => {
      writeFileSync(join(dir, "main.tf.json"), JSON.stringify(configs[variant], null, 2));
      await terraform(dir, env, ["plan", "-refresh=false", "-input=false", "-lock=false", "-no-color", `-out=${variant}.bin`]);
      await terraform(dir, env, ["show", "-json", `${variant}.bin`], join(dir, `${variant}.json`));
      return JSON.parse(readFileSync(join(dir, `${variant}.json`), "utf8"));
    }, providerOptions());
  rmSync(join(dir, "terraform.tfstate"), { force: true });
  const before = await plan("before");
  writeFileSync(join(dir, "terraform.tfstate"), JSON.stringify(stateFromPlan(before), null, 2));
  const after = await plan("after");
  keepPlan(key, join(dir, "after.json"));
  return after;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "ls-guard-plan-"));
  try {
    const plan = await replacementPlan(dir, !process.argv.includes("--fresh"));
    const text = `${JSON.stringify(plan, null, 2)}\n`;
    const out = process.argv.slice(2).find((a) => a !== "--fresh");
    if (out) writeFileSync(out, text);
    else process.stdout.write(text);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
