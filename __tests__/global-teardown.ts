/** Removes the run's synth cache (global-setup.ts): tests leave nothing behind. */
import { rmSync } from "node:fs";

export default function globalTeardown(): void {
  const dir = process.env.LS_SYNTH_CACHE;
  if (dir) rmSync(dir, { recursive: true, force: true });
}
