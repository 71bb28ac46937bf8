/** Scratch directories of interrupted jest runs are removed by the next run's global setup. */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { removeAbandonedRuns } from "../global-setup";

test("a run whose jest process has exited is removed; a live run, a fresh one without owner and other directories stay", () => {
  const dir = mkdtempSync(join(tmpdir(), "ls-abandoned-"));
  try {
    const run = (name: string, owner?: number) => {
      mkdirSync(join(dir, name, "ls-synth-x"), { recursive: true });
      if (owner !== undefined) writeFileSync(join(dir, name, ".owner-pid"), String(owner));
      return join(dir, name);
    };
    const exited = spawnSync(process.execPath, ["-e", "0"]).pid; // a pid whose process is gone
    const dead = run("ls-jest-run-dead", exited);
    const live = run("ls-jest-run-live", process.pid);
    const fresh = run("ls-jest-run-fresh");
    const old = run("ls-jest-run-old");
    utimesSync(old, new Date(Date.now() - 2 * 3_600_000), new Date(Date.now() - 2 * 3_600_000));
    const other = run("ls-synth-other", exited);
    expect(removeAbandonedRuns(dir).sort()).toEqual([dead, old].sort());
    expect([dead, live, fresh, old, other].map(existsSync)).toEqual([false, true, true, false, true]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
