/**
 * `npm test`: every stage below at once (the type-check, the unit and stack tests, the offline
 * Terraform plan of every stack), each stage's output printed whole as it finishes, then one
 * closing line `tests: N passed, M failed` counting all of them. Exit 1 if any stage fails.
 *
 * The stages are independent (each reads the sources or synthesizes on its own), so they run
 * in parallel: on a 2-core machine the type-check and the plan's Terraform processes fill the
 * gaps jest leaves. To add a stage, add an entry to STAGES. `npm test -- <jest args>` passes
 * the arguments to jest (e.g. a test file); `LS_TEST_STAGES=jest,typecheck` runs only those.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface StageResult {
  readonly passed: number;
  readonly failed: number;
}

/** What a stage gets: the arguments after `npm test --`, and a scratch directory of this run. */
export interface StageContext {
  readonly extra: readonly string[];
  readonly scratch: string;
}

export interface Stage {
  readonly name: string;
  /** The command: run with node (the first element is a script path), in the repository root. */
  readonly args: (ctx: StageContext) => string[];
  /**
   * Tests counted from the stage's output; a stage that counts nothing (the type-check)
   * adds one failure when it exits non-zero.
   */
  readonly count?: (output: string, ctx: StageContext) => StageResult;
}

const ROOT = join(__dirname, "..", "..");

/** `N passed, M failed` in a line of the stage's output (the plan prints one). */
export function countLine(output: string): StageResult | undefined {
  const m = /(\d+) passed, (\d+) failed/.exec(output);
  return m ? { passed: Number(m[1]), failed: Number(m[2]) } : undefined;
}

/** Started longest first (measured: fleet > jest > offline plan > typecheck), so the last to finish started first. */
export const STAGES: readonly Stage[] = [
  {
    // Forks two environments with the scaffolder in a throwaway copy, synthesizes, plans and tests them there.
    name: "fleet",
    args: () => [join(__dirname, "fleet-test.js")],
    count: (output) => countLine(output.split("\n").reverse().find((l) => /^fleet test: \d+ passed, \d+ failed$/.test(l)) ?? "") ?? { passed: 0, failed: 1 },
  },
  {
    name: "jest",
    args: ({ extra, scratch }) => [require.resolve("jest/bin/jest"), "--json", `--outputFile=${join(scratch, "jest.json")}`, ...extra],
    count: (_output, { scratch }) => {
      const r = JSON.parse(readFileSync(join(scratch, "jest.json"), "utf8"));
      return { passed: r.numPassedTests, failed: r.numFailedTests + r.numRuntimeErrorTestSuites };
    },
  },
  {
    name: "offline plan",
    args: () => [join(__dirname, "plan-offline.js")],
    count: (output) => countLine(output) ?? { passed: 0, failed: 1 },
  },
  {
    name: "typecheck",
    // Sources and tests in one program (tsconfig.test.json includes both); the build does not type-check.
    args: () => [require.resolve("typescript/bin/tsc"), "-p", join(ROOT, "tsconfig.test.json")],
  },
];

function runStage(stage: Stage, ctx: StageContext): Promise<{ stage: Stage; status: number; output: string; seconds: number }> {
  const started = Date.now();
  return new Promise((done) => {
    const child = spawn(process.execPath, stage.args(ctx), { cwd: ROOT, env: { ...process.env, FORCE_COLOR: process.stdout.isTTY ? "1" : "0" } });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d));
    child.stderr.on("data", (d: Buffer) => (output += d));
    child.on("error", (e) => done({ stage, status: 127, output: String(e), seconds: 0 }));
    child.on("close", (code) => done({ stage, status: code ?? 1, output, seconds: (Date.now() - started) / 1000 }));
  });
}

async function main(): Promise<void> {
  const only = process.env.LS_TEST_STAGES?.split(",").map((s) => s.trim());
  const stages = STAGES.filter((s) => !only || only.includes(s.name));
  const ctx: StageContext = { extra: process.argv.slice(2), scratch: mkdtempSync(join(tmpdir(), "ls-test-")) };
  // The tests' build (jest's global setup brings it up to date too) first, alone: the fleet stage
  // copies it while jest starts, and a build running under that copy (a source deleted since the
  // last run: its output goes) made the copy fail.
  if (stages.some((s) => s.name === "jest" || s.name === "fleet")) {
    (require(join(ROOT, "scripts", "build.js")) as { buildForTests(root: string): unknown }).buildForTests(ROOT);
  }
  const started = Date.now();
  console.log(`test: ${stages.map((s) => s.name).join(", ")} (in parallel; each prints when it finishes)`);
  let passed = 0;
  let failed = 0;
  const times: string[] = [];
  await Promise.all(
    stages.map(async (stage) => {
      const r = await runStage(stage, ctx);
      let counted: StageResult;
      try {
        counted = stage.count ? stage.count(r.output, ctx) : { passed: 0, failed: 0 };
      } catch {
        counted = { passed: 0, failed: 1 };
      }
      // A non-zero exit always fails the run, even when the counts say nothing failed.
      if (r.status !== 0 && counted.failed === 0) counted = { ...counted, failed: 1 };
      passed += counted.passed;
      failed += counted.failed;
      times.push(`${stage.name} ${r.seconds.toFixed(1)} s`);
      const head = `── ${stage.name}: ${r.status === 0 ? "ok" : `FAILED (exit ${r.status})`} in ${r.seconds.toFixed(1)} s`;
      // jest names its --outputFile relative to the cwd, and the run's scratch directory is gone by the end.
      const output = r.output.replace(/^Test results written to: .*\n?/m, "");
      process.stdout.write(`\n${head}\n${output.trimEnd()}${output.trim() ? "\n" : ""}`);
    }),
  );
  rmSync(ctx.scratch, { recursive: true, force: true });
  console.log(`\nstages (in finishing order): ${times.join(", ")}`);
  console.log(`tests: ${passed} passed, ${failed} failed (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  process.exitCode = failed === 0 ? 0 : 1;
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
