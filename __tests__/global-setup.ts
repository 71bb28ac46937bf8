/**
 * Synthesizes the shipped app once per test run, with validations (the policy pack included),
 * exactly as `npm run synth` does. Test files read these stacks instead of synthesizing their
 * own copies (`synthEnv`, `shippedStack` in helpers.ts); a failing synth fails the run here.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { synthesizeAll } from "../scripts/synth-all";
import { ENVIRONMENTS } from "../environments";
import { loadEnvironments } from "../lib/config/load";
import { shippedAppDir, stackName, writeSynthCache } from "./synth-cache";
import { readFileSync } from "node:fs";

export default function globalSetup(): void {
  const dir = mkdtempSync(join(tmpdir(), "ls-synth-"));
  process.env.LS_SYNTH_CACHE = dir;
  synthesizeAll(shippedAppDir());
  for (const { config } of loadEnvironments(ENVIRONMENTS)) {
    writeSynthCache(config, readFileSync(join(shippedAppDir(), "stacks", stackName(config), "cdk.tf.json"), "utf8"));
  }
}
