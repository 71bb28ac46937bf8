/**
 * `npm run bench`: wall time and peak memory (median of several runs) of synthesizing every
 * environment from compiled JS, next to a bare `node -e 0`. Budget: < 1 s and < 200 MB on a
 * 2-core machine. `--tests` also times one run of the unit tests (budget: < 15 s).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const BUDGET = { synthSeconds: 1, synthMb: 200, testSeconds: 15 };

interface Sample {
  seconds: number;
  mb: number;
}

/** Runs `node -e code`, returns wall time and the child's peak RSS (it reports its own maxRSS). */
function sample(code: string): Sample {
  const report = `;process.stdout.write("\\n@@"+process.resourceUsage().maxRSS)`;
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ["-e", code + report], { encoding: "utf8", env: { ...process.env, CHECKPOINT_DISABLE: "1" } });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.status !== 0) throw new Error(`bench: child failed:\n${r.stderr}`);
  const kb = Number(r.stdout.split("@@").pop());
  return { seconds, mb: kb / 1024 };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function measure(label: string, code: string): Sample {
  const samples = Array.from({ length: RUNS }, () => sample(code));
  const m = { seconds: median(samples.map((s) => s.seconds)), mb: median(samples.map((s) => s.mb)) };
  console.log(`${label.padEnd(34)} ${m.seconds.toFixed(3)} s   ${m.mb.toFixed(0)} MB   (median of ${RUNS})`);
  return m;
}

function main(): void {
  const out = mkdtempSync(join(tmpdir(), "ls-bench-"));
  const dist = join(__dirname);
  console.log(`node ${process.version}, ${RUNS} runs each`);
  const bare = measure("node -e 0", "0");
  const synth = measure("synth all environments", `require(${JSON.stringify(join(dist, "synth-all.js"))}).synthesizeAll(${JSON.stringify(out)})`);
  rmSync(out, { recursive: true, force: true });
  console.log(`synth over bare node: +${(synth.seconds - bare.seconds).toFixed(3)} s, +${(synth.mb - bare.mb).toFixed(0)} MB`);
  let ok = synth.seconds < BUDGET.synthSeconds && synth.mb < BUDGET.synthMb;
  console.log(`budget synth < ${BUDGET.synthSeconds} s and < ${BUDGET.synthMb} MB: ${ok ? "met" : "NOT MET"}`);
  if (process.argv.includes("--tests")) {
    const started = Date.now();
    const r = spawnSync("npx", ["jest", "--silent"], { stdio: "inherit" });
    const seconds = (Date.now() - started) / 1000;
    const met = r.status === 0 && seconds < BUDGET.testSeconds;
    console.log(`unit tests: ${seconds.toFixed(1)} s, budget < ${BUDGET.testSeconds} s: ${met ? "met" : "NOT MET"}`);
    ok = ok && met;
  }
  process.exitCode = ok ? 0 : 1;
}

main();
