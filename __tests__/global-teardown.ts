/** Removes the run's synth cache (global-setup.ts): tests leave nothing behind. */
import { rmSync } from "node:fs";

export default function globalTeardown(): void {
  const dir = process.env.LS_SYNTH_CACHE;
  if (dir) rmSync(dir, { recursive: true, force: true });
  // The run's scratch directory (global-setup.ts): every temporary directory the tests made.
  const run = process.env.LS_TEST_TMP;
  if (run) rmSync(run, { recursive: true, force: true });
}
