/**
 * `npm run bench [-- --quick] [--runs N]`: times every command of the speed table
 * (issue 14, README "Speed") as a ratio to a bare `node -e 0` on the same machine, prints the
 * table and fails (exit 1) only on a row over its budget. Absolute times drift with the machine
 * and its load (CI runners, six developers on two cores); the ratio to node's own start-up
 * drifts much less. Short commands are run several times and the fastest run counts (the one
 * least disturbed by other processes); the long ones (jest, the offline plan, npm test) once.
 *
 * Budgets are the issue's targets in seconds on the 2-core reference machine, divided by the
 * time `node -e 0` took there (REFERENCE_NODE_SECONDS). Memory budgets are in MB (peak RSS),
 * which load does not change. `--quick` skips the long rows (jest, offline plan, npm test).
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ENVIRONMENTS } from "../environments";
import { unknownOptions, unknownOptionsMessage, wantsHelp } from "./cli";

const ROOT = join(__dirname, "..", "..");
/** `node -e 0` on the reference machine: the issue's 0.9 s synth was "~12x node -e 0". */
export const REFERENCE_NODE_SECONDS = 0.075;

export interface Budget {
  /** Target in seconds on the reference machine. */
  readonly seconds?: number;
  /** Peak resident memory, MB. */
  readonly mb?: number;
  /** Target as a multiple of another row's time (the scale rows). */
  readonly timesRow?: { readonly row: string; readonly factor: number };
}

export interface Row {
  readonly label: string;
  readonly seconds: number;
  /** `node -e 0` at the time of this row's run (the machine's run-wide figure when absent). */
  readonly nodeSeconds?: number;
  readonly mb?: number;
  readonly note?: string;
  readonly budget: Budget;
  readonly skipped?: string;
}

interface Sample {
  readonly seconds: number;
  readonly mb: number;
  readonly stdout: string;
  readonly status: number;
  /** `node -e 0` measured right before (short rows: paired, so both see the same load). */
  readonly nodeSeconds?: number;
}

/** Runs a command, returns its wall time, its peak RSS (via /usr/bin/time when present) and output. */
function sample(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Sample {
  const gnuTime = existsSync("/usr/bin/time");
  const rssFile = join(tmpdir(), `ls-bench-rss-${process.pid}`);
  const [c, a] = gnuTime ? ["/usr/bin/time", ["-f", "%M", "-o", rssFile, cmd, ...args]] : [cmd, [...args]];
  const started = process.hrtime.bigint();
  const r = spawnSync(c, a, { cwd: ROOT, encoding: "utf8", env: { ...process.env, CHECKPOINT_DISABLE: "1", ...env }, maxBuffer: 256 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  let mb = Number.NaN;
  if (gnuTime && existsSync(rssFile)) {
    mb = Number(readFileSync(rssFile, "utf8").trim().split("\n").pop()) / 1024;
    rmSync(rssFile, { force: true });
  }
  return { seconds, mb, stdout: `${r.stdout ?? ""}${r.stderr ?? ""}`, status: r.status ?? 1 };
}

/** `node -e 0`, fastest of three back-to-back runs: the unit of this moment's load. */
function nodeNow(): number {
  return Math.min(...[0, 1, 2].map(() => sample(process.execPath, ["-e", "0"]).seconds));
}

interface Measured {
  readonly label: string;
  readonly cmd: string;
  readonly args: readonly string[];
  readonly opts?: { env?: NodeJS.ProcessEnv; ok?: number[]; before?: () => void };
}

/**
 * For each command, the run with the lowest ratio to a `node -e 0` measured just before it, of
 * `runs` rounds in which the commands take turns (the rows compared with each other see the same
 * moments of the machine's load, not one of them a quiet minute and the other a busy one); throws
 * on an exit status not in `ok`.
 */
function bestOfRounds(runs: number, commands: readonly Measured[]): Sample[] {
  const samples: Sample[][] = commands.map(() => []);
  for (let i = 0; i < runs; i++) {
    commands.forEach(({ label, cmd, args, opts = {} }, k) => {
      opts.before?.();
      const nodeSeconds = nodeNow();
      const s = sample(cmd, args, opts.env);
      if (!(opts.ok ?? [0]).includes(s.status)) throw new Error(`bench: ${label} exited ${s.status}:\n${s.stdout.trim().split("\n").slice(-30).join("\n")}`);
      samples[k].push({ ...s, nodeSeconds });
    });
  }
  return samples.map((of) => of.reduce((a, b) => (b.seconds / b.nodeSeconds! < a.seconds / a.nodeSeconds! ? b : a)));
}

/** `bestOfRounds` for one command. */
function best(label: string, runs: number, cmd: string, args: readonly string[], opts: Measured["opts"] = {}): Sample {
  return bestOfRounds(runs, [{ label, cmd, args, opts }])[0];
}

/** Whether a row is within its budget; `nodeSeconds` is this machine's `node -e 0`. */
export function withinBudget(row: Row, rows: readonly Row[], nodeSeconds: number): boolean {
  if (row.skipped) return true;
  const b = row.budget;
  if (b.seconds !== undefined && row.seconds / (row.nodeSeconds ?? nodeSeconds) > b.seconds / REFERENCE_NODE_SECONDS) return false;
  if (b.timesRow) {
    // Two rows of the same run on the same machine: their times compare directly. Dividing each by
    // its own `node -e 0` (taken moments apart, 0.07-0.10 s on a shared runner) would only add that noise.
    const other = rows.find((r) => r.label === b.timesRow!.row);
    if (other && !other.skipped && row.seconds > other.seconds * b.timesRow.factor) return false;
  }
  if (b.mb !== undefined && !(row.mb !== undefined && row.mb <= b.mb)) return false;
  return true;
}

function budgetText(b: Budget): string {
  const parts: string[] = [];
  if (b.seconds !== undefined) parts.push(`≤ ${(b.seconds / REFERENCE_NODE_SECONDS).toFixed(0)}× (${b.seconds} s)`);
  if (b.timesRow) parts.push(`≤ ${b.timesRow.factor}× "${b.timesRow.row}"`);
  if (b.mb !== undefined) parts.push(`≤ ${b.mb} MB`);
  return parts.join(", ");
}

/** The table, as markdown (the README quotes it). */
export function table(rows: readonly Row[], nodeSeconds: number): string {
  const lines = ["| command | time | × `node -e 0` | peak MB | budget | |", "| --- | ---: | ---: | ---: | --- | --- |"];
  for (const r of rows) {
    if (r.skipped) {
      lines.push(`| ${r.label} | | | | ${budgetText(r.budget)} | skipped: ${r.skipped} |`);
      continue;
    }
    const mb = r.mb === undefined || Number.isNaN(r.mb) ? "" : r.mb.toFixed(0);
    const ok = withinBudget(r, rows, nodeSeconds) ? "ok" : "**OVER**";
    lines.push(`| ${r.label}${r.note ? ` (${r.note})` : ""} | ${r.seconds.toFixed(2)} s | ${(r.seconds / (r.nodeSeconds ?? nodeSeconds)).toFixed(1)} | ${mb} | ${budgetText(r.budget)} | ${ok} |`);
  }
  return lines.join("\n");
}

/** Runs a long command once, returning its output and time, with `node -e 0` before and after it (mean). */
async function once(label: string, cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Sample> {
  const before = nodeNow();
  const s = await onceRaw(label, cmd, args, env);
  return { ...s, nodeSeconds: (before + nodeNow()) / 2 };
}

function onceRaw(label: string, cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<Sample> {
  return new Promise((done, fail) => {
    const started = process.hrtime.bigint();
    const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, CHECKPOINT_DISABLE: "1", ...env } });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d));
    child.stderr.on("data", (d: Buffer) => (out += d));
    child.on("error", fail);
    child.on("close", (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      // Timed all the same: whether the tests pass is the test job's verdict, not the bench's.
      if (code !== 0) console.error(`bench: ${label} exited ${code} (timed anyway):\n${out.trim().split("\n").slice(-15).join("\n")}`);
      done({ seconds, mb: Number.NaN, stdout: out, status: code ?? 1 });
    });
  });
}

function hasTerraform(): boolean {
  return spawnSync("terraform", ["version"], { encoding: "utf8" }).status === 0;
}

/** Drops the plan reuse stamps, so the offline plan plans every stack again (what a fresh clone does). */
function forgetPlans(out: string): void {
  const stacks = join(out, "stacks");
  if (!existsSync(stacks)) return;
  for (const s of readdirSync(stacks)) rmSync(join(stacks, s, "offline", "plan.stamp"), { force: true });
}

const BENCH_OPTIONS = ["--quick", "--runs"];

/** The rows that `--quick` (or a machine without Terraform) skips, by the label each is printed with. */
const ROWS = {
  jest: "jest",
  plan: "offline plan of every shipped stack",
  slowest: "slowest stack of the offline plan, planned alone",
  npmTest: "`npm test`",
} as const;
/** The row of a generated fleet of `n` environments (the 30-environment row is judged by the 3-environment one). */
const scaleRow = (n: number) => `synth of ${n} generated environments`;

/** `--quick`, `--runs N` (N >= 1; default $BENCH_RUNS, else 5); anything else is a usage error. */
export function benchOptions(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): { quick: boolean; runs: number } {
  const bad = unknownOptions(argv, BENCH_OPTIONS);
  if (bad.length > 0) throw new Error(unknownOptionsMessage("bench", bad, BENCH_OPTIONS));
  const at = argv.indexOf("--runs");
  const given = at >= 0 ? argv[at + 1] : env.BENCH_RUNS;
  const runs = given === undefined ? 5 : Number(given);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`bench: ${at >= 0 ? "--runs" : "BENCH_RUNS"} must be a whole number of at least 1, got ${given ?? "nothing"}`);
  return { quick: argv.includes("--quick"), runs };
}

export const BENCH_USAGE = [
  "usage: npm run bench [-- --quick] [--runs N]",
  "  Times every row of the README's speed table as a ratio to `node -e 0` here, prints the table (markdown),",
  "  exit 1 on a row over its budget. --quick skips jest, the offline plan and npm test; --runs N (default",
  "  $BENCH_RUNS, else 5) runs of each short command, the fastest counting.",
].join("\n");

async function main(): Promise<void> {
  if (wantsHelp(process.argv.slice(2))) {
    console.log(BENCH_USAGE);
    return;
  }
  const { quick, runs } = benchOptions(process.argv.slice(2));
  const scratch = mkdtempSync(join(tmpdir(), "ls-bench-"));
  const synthOut = join(scratch, "synth");
  const node = process.execPath;
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const env = (ENVIRONMENTS[0].input as { name: string }).name;
  const rows: Row[] = [];
  const add = (r: Row) => {
    rows.push(r);
    console.error(`bench: ${r.label}: ${r.skipped ? `skipped (${r.skipped})` : `${r.seconds.toFixed(2)} s${r.mb !== undefined && !Number.isNaN(r.mb) ? `, ${r.mb.toFixed(0)} MB` : ""}`}`);
  };
  try {
    spawnSync(node, [join(ROOT, "scripts", "build.js")], { cwd: ROOT, stdio: "inherit" });
    const bare = best("node -e 0", Math.max(runs * 2, 10), node, ["-e", "0"]);
    const nodeSeconds = bare.seconds;
    console.error(`bench: node ${process.version}, node -e 0: ${nodeSeconds.toFixed(3)} s, ${bare.mb.toFixed(0)} MB (fastest of ${Math.max(runs * 2, 10)}); other rows: fastest of ${runs}`);

    const synthEnv = { CDKTF_OUTDIR: synthOut };
    add({ label: "`npm run synth`, unchanged checkout", ...best("synth", runs, npm, ["run", "--silent", "synth"], { env: synthEnv }), budget: { seconds: 1.2 } });
    // What editing an environment file costs the build: its stamp entry no longer matches.
    const stampFile = join(ROOT, "dist", ".build-stamp.json");
    const envSource = (ENVIRONMENTS[0].file as string).replace(/\\/g, "/");
    const forgetEnv = () => {
      const stamp = JSON.parse(readFileSync(stampFile, "utf8"));
      delete stamp.sources[envSource];
      writeFileSync(stampFile, JSON.stringify(stamp));
    };
    add({ label: "`npm run synth` after editing one environment file", ...best("synth after edit", runs, npm, ["run", "--silent", "synth"], { env: synthEnv, before: forgetEnv }), budget: { seconds: 2 } });
    add({ label: `\`npm run cost -- ${env}\``, ...best("cost", runs, npm, ["run", "--silent", "cost", "--", env]), budget: { seconds: 1 } });
    const fixture = join(ROOT, "__tests__", "fixtures", "plan-guard", "replace-database.plan.json");
    // A plan that replaces a database: policy and guard both have something to say (exit 1 is their answer, not a failure).
    add({ label: "`npm run policy -- <plan.json>`", ...best("policy", runs, npm, ["run", "--silent", "policy", "--", fixture], { ok: [0, 1] }), budget: { seconds: 1 } });
    add({ label: "`npm run plan:guard -- <plan.json>`", ...best("plan:guard", runs, npm, ["run", "--silent", "plan:guard", "--", fixture], { ok: [0, 1] }), budget: { seconds: 1 } });
    add({ label: "`npm run verify -- --help`", ...best("verify", runs, npm, ["run", "--silent", "verify", "--", "--help"]), budget: { seconds: 1 } });
    add({ label: "compiled synth of the fleet (`node dist/main.js`, bundled)", ...best("node dist/main.js", runs, node, [join(ROOT, "dist", "main.js")], { env: synthEnv }), budget: { seconds: 0.5, mb: 120 } });

    // Scale: generated fleets (scripts/synth-generated.ts); the cost per added environment should be flat.
    // The three sizes take turns, so the 30-environment row is judged against a 3-environment run of the same moments.
    const sizes = [3, 10, 30];
    const scaled = bestOfRounds(runs, sizes.map((n) => ({ label: `synth of ${n}`, cmd: node, args: [join(__dirname, "synth-generated.js"), String(n), join(scratch, `gen${n}`)] })));
    for (const [i, n] of sizes.entries()) {
      const s = scaled[i];
      add({ label: scaleRow(n), ...s, note: `${((s.seconds / n) * 1000).toFixed(0)} ms, ${(s.mb / n).toFixed(1)} MB per environment`, budget: n === 30 ? { timesRow: { row: scaleRow(3), factor: 3 }, mb: 300 } : {} });
    }

    if (quick) {
      for (const label of [ROWS.jest, ROWS.plan, ROWS.slowest, ROWS.npmTest]) add({ label, seconds: 0, budget: {}, skipped: "--quick" });
    } else {
      const jest = await once("jest", node, [require.resolve("jest/bin/jest"), "--silent"]);
      const count = /Tests:\s+(?:\d+ skipped, )?(\d+) passed/.exec(jest.stdout)?.[1];
      add({ label: ROWS.jest, ...jest, note: [count ? `${count} tests` : "", jest.status ? `exit ${jest.status}` : ""].filter(Boolean).join(", ") || undefined, budget: { seconds: 10 } });
      if (hasTerraform()) {
        const out = join(ROOT, "cdktf.out");
        let plan = await once("plan:offline", node, [join(__dirname, "plan-offline.js"), "--fresh"]);
        if (/init ran/.test(plan.stdout)) {
          // A fresh clone installs the provider first (once); the row measures the everyday run after it.
          add({ label: "offline plan, first run (provider install)", ...plan, budget: {} });
          plan = await once("plan:offline", node, [join(__dirname, "plan-offline.js"), "--fresh"]);
        }
        const perStack = (out: string) => [...out.matchAll(/^\s+ok\s+(\S+) \(([\d.]+) s\)/gm)].map((m) => ({ stack: m[1], seconds: Number(m[2]) }));
        const stacks = perStack(plan.stdout);
        const slowest = stacks.reduce((a, b) => (b.seconds > a.seconds ? b : a), { stack: "none", seconds: 0 });
        add({ label: ROWS.plan, ...plan, note: `${stacks.length} stacks, every one planned`, budget: { seconds: 15 } });
        // A stack's time inside the fleet run depends on what shares the cores with it: the slowest
        // one is planned again alone, as `npm run plan:offline -- <stack>` plans it.
        const alone = await once("plan:offline (slowest stack alone)", node, [join(__dirname, "plan-offline.js"), "--fresh", "--no-synth", slowest.stack]);
        const own = perStack(alone.stdout)[0] ?? { stack: slowest.stack, seconds: alone.seconds };
        add({ label: ROWS.slowest, seconds: own.seconds, nodeSeconds: alone.nodeSeconds, note: `${own.stack}; ${slowest.seconds.toFixed(1)} s in the fleet run`, budget: { seconds: 5 } });
        forgetPlans(out);
      } else {
        for (const label of [ROWS.plan, ROWS.slowest]) add({ label, seconds: 0, budget: {}, skipped: "no terraform on PATH" });
      }
      forgetPlans(join(ROOT, "cdktf.out"));
      const test = await once("npm test", npm, ["test", "--silent"]);
      add({ label: ROWS.npmTest, ...test, note: `everyday run: unchanged plans reused by content hash${test.status ? `, exit ${test.status}` : ""}`, budget: { seconds: 45 } });
    }

    const text = table(rows, nodeSeconds);
    console.log(`node ${process.version}, \`node -e 0\` ${nodeSeconds.toFixed(3)} s / ${bare.mb.toFixed(0)} MB on this machine; budgets are the issue's targets ÷ ${REFERENCE_NODE_SECONDS} s (reference \`node -e 0\`); each row's ratio is to a \`node -e 0\` run next to it\n`);
    console.log(text);
    const over = rows.filter((r) => !withinBudget(r, rows, nodeSeconds));
    console.log(over.length === 0 ? "\nbench: every row within budget" : `\nbench: over budget: ${over.map((r) => r.label).join("; ")}`);
    process.exitCode = over.length === 0 ? 0 : 1;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(2);
  });
}
