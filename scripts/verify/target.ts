/**
 * What `verify` checks: the deployed environment's names and ids, gathered in layers (later wins):
 *  1. the environment file (region, hostname, PostgreSQL engine; cluster name by the stack's naming rule);
 *  2. the synthesized stack `cdktf.out/stacks/langsmith-<env>/cdk.tf.json`: outputs whose value is a literal,
 *     or a reference to a literal argument of a resource in the same file (a name known before apply);
 *  3. `--outputs <file>`: the JSON of `terraform output -json` (ids and ARNs known only after apply).
 * Every field records where it came from, for the evidence lines.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { EnvironmentSource } from "../../lib/config/load";
import { loadEnvironments } from "../../lib/config/load";
import { RELEASE } from "../../lib/langsmith-values/chart";
import { clusterName, Namer, postgresKind, stackName } from "../../lib/naming";
import { langfuseHostname, runs, type Application } from "../../lib/config/schema";
import { LANGFUSE_RELEASE } from "../../lib/langfuse-values/chart";
import { STACK_OUTPUTS } from "../../lib/outputs";

/**
 * The stack outputs `verify` reads, by their names in the outputs contract (lib/outputs.ts):
 * the stack declares them with `TerraformOutput`; `terraform output -json` writes them for `--outputs`.
 */
export const OUTPUT_NAMES = pickOutputs([
  "region",
  "clusterName",
  "hostname",
  "vpcId",
  "privateSubnetIds",
  "nodeSecurityGroupId",
  "postgresIdentifier",
  "postgresKind",
  "redisReplicationGroupId",
  "blobBucketName",
  "appRoleArn",
  "targetGroupArn",
] as const);

function pickOutputs<K extends keyof typeof STACK_OUTPUTS>(keys: readonly K[]): { readonly [P in K]: (typeof STACK_OUTPUTS)[P] } {
  return Object.fromEntries(keys.map((k) => [k, STACK_OUTPUTS[k]])) as { [P in K]: (typeof STACK_OUTPUTS)[P] };
}

export type TargetField = keyof typeof OUTPUT_NAMES;

export interface VerifyTarget {
  /** Environment name, e.g. `dev`. */
  readonly env: string;
  /** Kubernetes namespace of the release. */
  readonly namespace: string;
  /** The application verified (`--app`). @default "langsmith" */
  readonly app?: Application;
  /** `{prefix}-{env}`: Secrets Manager names start with it (Langfuse's seeded key pair). */
  readonly secretBase?: string;
  /** `public` or `private` (from the environment file). */
  readonly exposure?: string;
  readonly values: Partial<Record<TargetField, string | string[]>>;
  /** Where each value came from: `environments/dev.ts`, `cdktf.out/.../cdk.tf.json`, or the outputs file. */
  readonly sources: Partial<Record<TargetField, string>>;
}

/** A gate needs a value nobody provided. */
export class MissingInput extends Error {
  constructor(readonly field: TargetField) {
    super(
      `missing input: stack output "${OUTPUT_NAMES[field]}" (declare it as a TerraformOutput, then pass ` +
        "--outputs <file> written by `terraform output -json` in cdktf.out/stacks/langsmith-<env>)",
    );
    this.name = "MissingInput";
  }
}

export function need(target: VerifyTarget, field: TargetField): string {
  const v = target.values[field];
  if (typeof v !== "string" || v === "") throw new MissingInput(field);
  return v;
}

export function needList(target: VerifyTarget, field: TargetField): string[] {
  const v = target.values[field];
  if (!Array.isArray(v) || v.length === 0) throw new MissingInput(field);
  return v;
}

export interface LoadTargetOptions {
  readonly env: string;
  readonly environments: readonly EnvironmentSource[];
  /** `terraform output -json` file. */
  readonly outputsFile?: string;
  /** @default "cdktf.out" */
  readonly cdktfOut?: string;
  /** @default "langsmith" */
  readonly app?: Application;
}

/**
 * For `--app langfuse`, the fields whose outputs are Langfuse's own: its host, bucket, IRSA role
 * and target group (the cluster, network and data stores are shared).
 */
const LANGFUSE_OUTPUTS: Partial<Record<TargetField, string>> = {
  blobBucketName: STACK_OUTPUTS.langfuseBucketName,
  appRoleArn: STACK_OUTPUTS.langfuseRoleArn,
  targetGroupArn: STACK_OUTPUTS.langfuseTargetGroupArn,
};

type Json = Record<string, any>;

export function loadTarget(o: LoadTargetOptions): VerifyTarget {
  const values: Partial<Record<TargetField, string | string[]>> = {};
  const sources: Partial<Record<TargetField, string>> = {};
  const set = (field: TargetField, value: unknown, source: string) => {
    if (typeof value === "string" && value !== "") values[field] = value;
    else if (Array.isArray(value) && value.every((x) => typeof x === "string")) values[field] = value as string[];
    else return;
    sources[field] = source;
  };

  // 1. The environment file: validated like at synth, so a broken file fails here with its message.
  const all = loadEnvironments(o.environments);
  const found = all.find((e) => e.config.name === o.env);
  if (!found) throw new Error(`unknown environment "${o.env}"; known: ${all.map((e) => e.config.name).join(", ")}`);
  const env = found.config;
  const app = o.app ?? "langsmith";
  if (!runs(env, app)) throw new Error(`environment ${o.env} does not run ${app} (applications: ${env.applications.join(", ")} in ${found.file})`);
  const outputNames: Record<TargetField, string> = app === "langfuse" ? { ...OUTPUT_NAMES, ...LANGFUSE_OUTPUTS } : OUTPUT_NAMES;
  set("region", env.aws.region, found.file);
  set("hostname", app === "langfuse" ? langfuseHostname(env) : env.dns.hostname, found.file);
  // The stack names its cluster by the same rule (lib/naming.ts); a cluster_name output overrides it.
  set("clusterName", clusterName(env), `${found.file} (naming rule)`);
  set("postgresKind", postgresKind(env.postgres.engine), found.file);

  // 2. The synthesized stack.
  const stackFile = join(o.cdktfOut ?? "cdktf.out", "stacks", stackName({ name: o.env }), "cdk.tf.json");
  if (existsSync(stackFile)) {
    const stack = JSON.parse(readFileSync(stackFile, "utf8")) as Json;
    for (const [field, output] of Object.entries(outputNames) as [TargetField, string][]) {
      const resolved = resolveLiteral(stack, stack.output?.[output]?.value);
      if (resolved !== undefined) set(field, resolved, stackFile);
    }
  }

  // 3. terraform output -json: { name: { value, type, sensitive } }.
  if (o.outputsFile) {
    const outputs = JSON.parse(readFileSync(o.outputsFile, "utf8")) as Json;
    for (const [field, output] of Object.entries(outputNames) as [TargetField, string][]) {
      if (outputs[output] && !outputs[output].sensitive) set(field, outputs[output].value, o.outputsFile);
    }
  }
  const namespace = app === "langfuse" ? LANGFUSE_RELEASE.namespace : RELEASE.namespace;
  return { env: o.env, namespace, app, secretBase: new Namer(env.prefix, env.name).base, exposure: env.exposure, values, sources };
}

/**
 * The value of a synthesized output when it is known before apply: a literal, or
 * `${<type>.<name>.<attribute>}` where that resource sets the attribute to a literal.
 */
export function resolveLiteral(stack: Json, value: unknown): string | string[] | undefined {
  if (Array.isArray(value)) {
    const items = value.map((v) => resolveLiteral(stack, v));
    return items.every((i): i is string => typeof i === "string") ? items : undefined;
  }
  if (typeof value !== "string") return undefined;
  if (!value.includes("${")) return value;
  const ref = /^\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z0-9_]+)\}$/.exec(value);
  if (!ref) return undefined;
  const attr = stack.resource?.[ref[1]]?.[ref[2]]?.[ref[3]];
  return typeof attr === "string" && !attr.includes("${") ? attr : undefined;
}
