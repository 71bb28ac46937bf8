import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A fresh per-run directory where `synthEnv` shares synthesized stacks between test files. */
export default function globalSetup(): void {
  process.env.LS_SYNTH_CACHE = mkdtempSync(join(tmpdir(), "ls-synth-"));
}
