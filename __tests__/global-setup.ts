/**
 * Synthesizes the shipped app once per test run, with validations (the policy pack included),
 * exactly as `npm run synth` does. Test files read these stacks instead of synthesizing their
 * own copies (`synthEnv`, `shippedStack` in helpers.ts); a failing synth fails the run here.
 *
 * Also brings the fast build's output for tests (`testDist()` in synth-cache.ts) up to date:
 * scripts/build.js into node_modules/.cache/ls-test-dist (inside the repository, so compiled
 * files resolve node_modules; incremental, so usually nothing to do). Tests that run compiled
 * commands in a child process share it instead of each building their own.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { synthesizeAll } from "../scripts/synth-all";
import { ENVIRONMENTS } from "../environments";
import { loadEnvironments } from "../lib/config/load";
import { ROOT, shippedAppDir, stackName, TEST_DIST, writeSynthCache } from "./synth-cache";
import { readFileSync } from "node:fs";

export default function globalSetup(): void {
  // One scratch directory per run holds every temporary directory the tests make (os.tmpdir()
  // reads TMPDIR; workers inherit it): cdktf's outdirs, fakes, plans. global-teardown.ts removes it.
  const run = mkdtempSync(join(tmpdir(), "ls-jest-run-"));
  process.env.LS_TEST_TMP = run;
  process.env.TMPDIR = run;
  const dir = mkdtempSync(join(run, "ls-synth-"));
  process.env.LS_SYNTH_CACHE = dir;
  (require("../scripts/build.js") as { build(o: object): unknown }).build({ root: ROOT, outDir: TEST_DIST, quiet: true });
  synthesizeAll(shippedAppDir());
  for (const { config } of loadEnvironments(ENVIRONMENTS)) {
    writeSynthCache(config, readFileSync(join(shippedAppDir(), "stacks", stackName(config), "cdk.tf.json"), "utf8"));
  }
}
