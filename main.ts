/**
 * Composes the app: validate every environment, then one stack per environment
 * (`langsmith-<name>`) and one bootstrap stack per state bucket. Nothing else lives here.
 */
import { App } from "cdktf";
import { ENVIRONMENTS } from "./environments";
import { ConfigError } from "./lib/config/load";
import { removeOrphanedStacks } from "./lib/synth-output";
import { buildApp } from "./stacks/app";
import { speedUpSynth } from "./stacks/creation-stacks";

speedUpSynth();
const app = new App();
try {
  buildApp(app, ENVIRONMENTS);
} catch (e) {
  // A mistake in an environment file: the problems, once, and exit 1 (no stack trace; it is not a bug).
  if (!(e instanceof ConfigError)) throw e;
  console.error(e.message);
  process.exit(1);
}
app.synth();
// As `cdktf synth` does: a deleted or renamed environment's old stack directory goes.
for (const gone of removeOrphanedStacks(app.outdir)) console.error(`synth: removed ${app.outdir}/stacks/${gone} (no environment makes it any more)`);
