/** Scratch directories of interrupted jest runs (the run's own, and shared ones on tmpfs) are removed by the next run's global setup. */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { OWNER_FILE, removeAbandonedRuns, RUN_PREFIX, sharedScratch, TMPFS, tmpfsUsable } from "../global-setup";

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

test("a shared scratch directory (tmpfs where there is one) belongs to this run: kept while it runs, removed once its jest process is gone", () => {
  const scratch = sharedScratch();
  try {
    const parent = dirname(scratch);
    expect(parent).toBe(tmpfsUsable() ? TMPFS : dirname(process.env.LS_TEST_TMP!));
    expect(basename(scratch).startsWith(RUN_PREFIX)).toBe(true);
    const owner = readFileSync(join(scratch, OWNER_FILE), "utf8");
    expect(owner).toBe(readFileSync(join(process.env.LS_TEST_TMP!, OWNER_FILE), "utf8"));
    // This run's jest is alive: a sweep of the parent (as the next run's global setup does) keeps it.
    expect(removeAbandonedRuns(parent)).not.toContain(scratch);
    expect(existsSync(scratch)).toBe(true);
    // Once the owner has exited, the sweep removes it.
    writeFileSync(join(scratch, OWNER_FILE), String(spawnSync(process.execPath, ["-e", "0"]).pid));
    expect(removeAbandonedRuns(parent)).toContain(scratch);
    expect(existsSync(scratch)).toBe(false);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});
