/**
 * Synthesizes every stack into `outdir` without the cdktf CLI (the CLI adds ~5 s of start-up;
 * `cdktf synth` runs the same app via cdktf.json and gives the same files).
 */
import { App } from "cdktf";
import { ENVIRONMENTS } from "../environments";
import { buildApp } from "../stacks/app";
import { removeOrphanedStacks } from "../lib/synth-output";
import { speedUpSynth } from "../stacks/creation-stacks";

export function synthesizeAll(outdir: string): string[] {
  speedUpSynth();
  const app = new App({ outdir, skipValidation: false });
  const { environments, bootstrap } = buildApp(app, ENVIRONMENTS);
  app.synth();
  removeOrphanedStacks(outdir);
  return [...environments, ...bootstrap].map((s) => s.node.id);
}
