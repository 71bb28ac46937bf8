/**
 * Synthesizes the shipped app once per test run, with validations (the policy pack included),
 * exactly as `npm run synth` does. Test files read these stacks instead of synthesizing their
 * own copies (`synthEnv`, `shippedStack` in helpers.ts); a failing synth fails the run here.
 *
 * Also brings the fast build's output for tests (`testDist()` in synth-cache.ts) up to date:
 * scripts/build.js into node_modules/.cache/ls-test-dist (inside the repository, so compiled
 * files resolve node_modules; incremental, so usually nothing to do). Tests that run compiled
 * commands in a child process share it instead of each building their own.
 *
 * The synth runs that build's bundled app (`node <test dist>/main.js`, V8 code cache) in a child
 * process, and the synth cache is keyed with that build's loader: nothing of the project is
 * loaded through jest's transform in this process, so the workers start ~1 s sooner. That the
 * bundle synthesizes what the sources do is __tests__/stacks/deterministic.test.ts.
 */
import { execFileSync } from "node:child_process";
import { accessSync, constants, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { EnvironmentSource, loadEnvironments as LoadEnvironments } from "../lib/config/load";
import type { stackName as StackName } from "../lib/naming";
import { prunePersistent, ROOT, shippedAppDir, synthInputsDigest, TEST_DIST, writeSynthCache } from "./synth-cache";

export default function globalSetup(): void {
  try {
    setUp();
  } catch (e) {
    // Jest runs no teardown after a failed setup: remove what this run made before reporting.
    const run = process.env.LS_TEST_TMP;
    if (run) rmSync(run, { recursive: true, force: true });
    throw e;
  }
}

/**
 * What the workers' AWS SDK sees (it is loaded once per worker, outside the test files' copies of
 * process.env: __tests__/shared-runtime.js): fake credentials, no profile, no instance metadata.
 * No test reaches AWS; with these, one that tried could not use a developer's credentials either.
 */
export const TEST_AWS_ENV: Readonly<Record<string, string | undefined>> = {
  AWS_ACCESS_KEY_ID: "AKIAFAKEFAKEFAKEFAKE",
  AWS_SECRET_ACCESS_KEY: "fake-secret-access-key",
  AWS_SESSION_TOKEN: undefined,
  AWS_PROFILE: undefined,
  AWS_DEFAULT_PROFILE: undefined,
  AWS_EC2_METADATA_DISABLED: "true",
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
};

export const RUN_PREFIX = "ls-jest-run-";
export const OWNER_FILE = ".owner-pid";

/**
 * Memory-backed scratch space (tmpfs), for tests whose cost is disk writes (a real PostgreSQL's
 * initdb: 1.5 s on disk, 0.6 s here), where `tmpfsUsable()`. A directory made there is named and
 * owned like the run's (`sharedScratch`), so an interrupted run's is removed too.
 */
export const TMPFS = "/dev/shm";

/**
 * Scratch directories of earlier runs that never reached global teardown (interrupted: Ctrl-C,
 * a closed pipe, a killed CI job), found by the jest process that made them having exited. A run
 * still going (the fleet test's jest beside this one) keeps its directory. Returns the removed paths.
 */
export function removeAbandonedRuns(dir = tmpdir()): string[] {
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === "EPERM";
    }
  };
  const removed: string[] = [];
  for (const name of readdirSync(dir)) {
    if (!name.startsWith(RUN_PREFIX)) continue;
    const path = join(dir, name);
    let pid: number;
    try {
      pid = Number(readFileSync(join(path, OWNER_FILE), "utf8"));
    } catch {
      // No owner file: made before owners were written, or being created this instant. Old enough: abandoned.
      try {
        if (Date.now() - statSync(path).mtimeMs < 3_600_000) continue;
      } catch {
        continue;
      }
      pid = 0;
    }
    if (pid > 0 && alive(pid)) continue;
    rmSync(path, { recursive: true, force: true });
    removed.push(path);
  }
  return removed;
}

/** Whether TMPFS exists here and this process can write to it. */
export function tmpfsUsable(): boolean {
  try {
    return statSync(TMPFS).isDirectory() && (accessSync(TMPFS, constants.W_OK), true);
  } catch {
    return false;
  }
}

/**
 * A scratch directory that other users can reach (the run's own is mode 700: a PostgreSQL server
 * running as user postgres needs its socket directory), on tmpfs where there is one, else beside
 * the run's. Named and owned like the run's directory (the jest process in its owner file): the
 * caller removes it, and an interrupted run's is removed by the next run's global setup.
 */
export function sharedScratch(): string {
  const run = process.env.LS_TEST_TMP;
  if (!run) throw new Error("sharedScratch: no LS_TEST_TMP (jest's global setup did not run)");
  const dir = mkdtempSync(join(tmpfsUsable() ? TMPFS : dirname(run), RUN_PREFIX));
  writeFileSync(join(dir, OWNER_FILE), readFileSync(join(run, OWNER_FILE), "utf8"));
  return dir;
}

function setUp(): void {
  for (const [k, v] of Object.entries(TEST_AWS_ENV)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  // One scratch directory per run holds every temporary directory the tests make (os.tmpdir()
  // reads TMPDIR; workers inherit it): cdktf's outdirs, fakes, plans. global-teardown.ts removes it.
  removeAbandonedRuns();
  if (tmpfsUsable()) removeAbandonedRuns(TMPFS);
  const run = mkdtempSync(join(tmpdir(), RUN_PREFIX));
  writeFileSync(join(run, OWNER_FILE), String(process.pid));
  process.env.LS_TEST_TMP = run;
  process.env.TMPDIR = run;
  const dir = mkdtempSync(join(run, "ls-synth-"));
  process.env.LS_SYNTH_CACHE = dir;
  (require("../scripts/build.js") as { buildForTests(root: string): unknown }).buildForTests(ROOT);
  // Whether this synth runs from V8's code cache (written by the first run after a rebundle, and
  // kept when V8 accepts it): then it is the code-cache run deterministic.test.ts compares.
  const codeCache = join(TEST_DIST, "main.bundle.js.cache");
  const cacheBefore = existsSync(codeCache) ? statSync(codeCache).mtimeMs : undefined;
  try {
    execFileSync(process.execPath, [join(TEST_DIST, "main.js")], { cwd: ROOT, env: { ...process.env, CDKTF_OUTDIR: shippedAppDir() }, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) {
    const r = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`synth of the shipped app failed:\n${r.stderr || r.stdout || r.message}`);
  }
  const cacheAfter = existsSync(codeCache) ? statSync(codeCache).mtimeMs : undefined;
  process.env.LS_SHIPPED_FROM_CODE_CACHE = cacheBefore !== undefined && cacheAfter === cacheBefore ? "1" : "0";
  const { ENVIRONMENTS } = require(join(TEST_DIST, "environments")) as { ENVIRONMENTS: readonly EnvironmentSource[] };
  const { loadEnvironments } = require(join(TEST_DIST, "lib", "config", "load")) as { loadEnvironments: typeof LoadEnvironments };
  const { stackName } = require(join(TEST_DIST, "lib", "naming")) as { stackName: typeof StackName };
  for (const { config } of loadEnvironments(ENVIRONMENTS)) {
    writeSynthCache(config, readFileSync(join(shippedAppDir(), "stacks", stackName(config), "cdk.tf.json"), "utf8"));
  }
  // Stacks of other configurations, kept across runs by the content of what they depend on
  // (synth-cache.ts). Turned on after the loop above: the shipped stacks, synthesized afresh every
  // run, go to this run's cache only. The workers start after this and inherit it.
  if (process.env.LS_TEST_SYNTH_CACHE !== "0") {
    process.env.LS_SYNTH_DIGEST = synthInputsDigest();
    prunePersistent();
  }
}
