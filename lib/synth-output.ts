/**
 * The synth output directory as cdktf lays it out: `<outdir>/manifest.json` names the stacks the
 * last synth wrote, each in `<outdir>/stacks/<name>/`. Plain file reads, no cdktf import, so the
 * scripts that only read the output (plan:offline, the fleet test) do not load the app.
 */
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";

/** Stack names the last synth wrote (manifest order), or undefined when there is no manifest. */
export function synthesizedStacks(outdir: string): string[] | undefined {
  const manifest = join(outdir, "manifest.json");
  if (!existsSync(manifest)) return undefined;
  const parsed = JSON.parse(readFileSync(manifest, "utf8")) as { stacks?: Record<string, unknown> };
  return Object.keys(parsed.stacks ?? {});
}

/**
 * Removes the stack directories the last synth did not write: an environment deleted or renamed
 * leaves `stacks/<old name>/` behind, which `cdktf synth` removes after each synth and a bare
 * `node dist/main.js` did not, so plan:offline went on planning a stack that no longer exists.
 * Same rule as cdktf-cli's synth (directories present but not in the manifest). Returns the
 * names removed; nothing is removed without a manifest.
 */
export function removeOrphanedStacks(outdir: string): string[] {
  const written = synthesizedStacks(outdir);
  const dir = join(outdir, "stacks");
  if (!written || !existsSync(dir)) return [];
  const orphans = readdirSync(dir).filter((name) => !written.includes(name) && statSync(join(dir, name)).isDirectory());
  for (const name of orphans) rmSync(join(dir, name), { recursive: true, force: true });
  return orphans;
}
