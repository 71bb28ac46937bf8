/**
 * A fleet of `n` environments derived from the shipped ones, for the scale benchmark
 * (`npm run bench`): environment `i` is a copy of shipped environment `i mod k` with its own
 * name, VPC range, hostname and state key, so the loader's fleet rules (unique names,
 * hostnames and states, non-overlapping VPCs) hold. Each keeps its source's account and state
 * bucket, so the bootstrap stacks stay those of the shipped fleet and the stacks that grow are
 * the environments'. Works for any `environments/` (forks included): nothing here names one.
 *
 * `node dist/scripts/synth-generated.js <n> <outdir>` synthesizes them (as `npm run synth`
 * does) and prints the stack count.
 */
import { App } from "cdktf";
import { ENVIRONMENTS } from "../environments";
import type { EnvironmentSource } from "../lib/config/load";
import { stackName } from "../lib/naming";
import { buildApp } from "../stacks/app";
import { speedUpSynth } from "../stacks/creation-stacks";

type Json = Record<string, any>;

/** Environment `i` of a generated fleet of `n` (10.64.0.0/16 upward: clear of the usual 10.0-10.63 ranges). */
export function generatedEnvironment(base: EnvironmentSource, i: number): EnvironmentSource {
  if (i > 190) throw new Error(`synth-generated: at most 191 environments (one /16 each above 10.64.0.0), asked for ${i + 1}`);
  const input = JSON.parse(JSON.stringify(base.input)) as Json;
  const name = `gen${i}`;
  input.name = name;
  if (input.network?.mode === "create") input.network.vpcCidr = `10.${64 + i}.0.0/16`;
  if (input.dns?.hostname) input.dns.hostname = `langsmith.${name}.example.com`;
  if (input.langfuse?.hostname) input.langfuse.hostname = `langfuse.${name}.example.com`; // unique, in dns.hostname's domain
  if (input.state?.backend === "s3") input.state.key = `langsmith/${name}/terraform.tfstate`;
  else if (input.state?.workspace) input.state.workspace = stackName({ name });
  // One OIDC provider per account: the first environment of an account creates it (as shipped).
  return { file: `environments/${name}.ts`, input: input as EnvironmentSource["input"] };
}

/** `n` environments cycling through `shipped`. */
export function generatedFleet(n: number, shipped: readonly EnvironmentSource[] = ENVIRONMENTS): EnvironmentSource[] {
  if (shipped.length === 0) throw new Error("synth-generated: environments/ lists no environment to derive from");
  return Array.from({ length: n }, (_, i) => generatedEnvironment(shipped[i % shipped.length], i));
}

/** Synthesizes a generated fleet of `n` into `outdir`; returns the stack ids. */
export function synthesizeGenerated(n: number, outdir: string): string[] {
  speedUpSynth();
  const app = new App({ outdir, skipValidation: false });
  const { environments, bootstrap } = buildApp(app, generatedFleet(n));
  app.synth();
  return [...environments, ...bootstrap].map((s) => s.node.id);
}

if (require.main === module) {
  const [n, outdir] = [Number(process.argv[2]), process.argv[3]];
  if (!Number.isInteger(n) || n < 1 || !outdir) {
    console.error("usage: node dist/scripts/synth-generated.js <count> <outdir>");
    process.exit(2);
  }
  console.log(synthesizeGenerated(n, outdir).length);
}
