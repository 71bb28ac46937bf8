/**
 * `npm run bench`: wall time and peak memory (median of several runs) of synthesizing every
 * environment from compiled JS, and from the bundle when `scripts/bundle.ts` has built one
 * (loaded by `synth-bundled.ts`), next to a bare `node -e 0`. Budget: < 1 s and < 200 MB on a
 * 2-core machine, judged on the bundle when there is one (after checking it writes the same
 * files). `--tests` also times one run of the unit tests (budget: < 15 s).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { BUNDLE } from "./synth-bundled";

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

/** Files under `dir`, relative, sorted. */
function files(dir: string, root = dir): string[] {
  return readdirSync(dir)
    .flatMap((name) => (statSync(join(dir, name)).isDirectory() ? files(join(dir, name), root) : [relative(root, join(dir, name))]))
    .sort();
}

function sameFiles(a: string, b: string): boolean {
  const listed = files(a);
  return JSON.stringify(listed) === JSON.stringify(files(b)) && listed.every((f) => readFileSync(join(a, f)).equals(readFileSync(join(b, f))));
}

const synthCode = (entry: string, out: string) => `require(${JSON.stringify(entry)}).synthesizeAll(${JSON.stringify(out)})`;

function main(): void {
  const out = mkdtempSync(join(tmpdir(), "ls-bench-"));
  console.log(`node ${process.version}, ${RUNS} runs each`);
  const bare = measure("node -e 0", "0");
  let synth = measure("synth all environments", synthCode(join(__dirname, "synth-all.js"), join(out, "compiled")));
  if (existsSync(BUNDLE)) {
    const bundled = measure("synth all environments (bundle)", synthCode(join(__dirname, "synth-bundled.js"), join(out, "bundle")));
    if (!sameFiles(join(out, "compiled"), join(out, "bundle"))) throw new Error(`bench: ${BUNDLE} writes different files than the compiled JS: rebuild it (tsc, then scripts/bundle.js)`);
    synth = bundled;
  }
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
