/**
 * `node dist/scripts/fleet-test.js` (a stage of `npm test`): proves forking works. In a throwaway
 * copy of the repository it adds environments with the scaffolder (`npm run env:new`): two in
 * another account and region (one running LangSmith and Langfuse, one Langfuse alone), and two of
 * tier production in a third account and region (LangSmith; Langfuse alone), each from the first
 * registered environment that can be its source (extraEnvironments). Then it synthesizes the app,
 * plans the new stacks offline, and runs every test file that reads the fleet
 * (`environments/index.ts`, itself or through test modules: see fleetTests).
 * The copy is always removed; the repository is checked to be unchanged. Last line:
 * `fleet test: N passed, M failed`.
 *
 * Usage: node dist/scripts/fleet-test.js [--keep]   (--keep leaves the copy for debugging and prints its path)
 */
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { ENVIRONMENTS } from "../environments";
import { loadEnvironments } from "../lib/config/load";
import { type EnvironmentConfig, runs } from "../lib/config/schema";
import { stackName } from "../lib/naming";
import { cacheRoot, chartMirrorDir } from "../lib/render/paths";
import { synthesizedStacks } from "../lib/synth-output";
import { offlineCache } from "./plan-offline";

const ROOT = join(__dirname, "..", "..");
/**
 * Not part of the repository's snapshot, nor copied: dependencies are linked, synth outputs are
 * made fresh in the copy. The build (dist/) is copied below so the copy's incremental build only
 * transpiles what the forks change.
 */
const SKIP = new Set([".git", "node_modules", "dist", "cdktf.out", "coverage", ".terraform"]);

/**
 * The extra environments: who they are forked from and where they go. Each comes from the first
 * registered environment that can be its source: a fork that runs LangSmith from one that runs it
 * (env:new refuses to add LangSmith to a Langfuse-only file), a production fork from a production
 * one (the tier decides e.g. external ClickHouse). A fleet without such a source (Langfuse only, or
 * no production tier) skips those forks; the others still run.
 */
export function extraEnvironments(fleet: readonly Pick<EnvironmentConfig, "name" | "tier" | "applications">[]): { args: string[]; name: string }[] {
  if (fleet.length === 0) throw new Error("fleet test: environments/index.ts registers no environment to fork");
  const langsmith = (e: Pick<EnvironmentConfig, "applications">) => runs(e, "langsmith");
  const production = (e: Pick<EnvironmentConfig, "tier">) => e.tier === "production";
  const first = fleet[0];
  const firstLangsmith = fleet.find(langsmith);
  const firstProduction = fleet.find(production);
  const firstProductionLangsmith = fleet.find((e) => production(e) && langsmith(e));
  const eu = ["--account", "444444444444", "--region", "eu-central-1", "--hosted-zone-id", "Z0FLEETEU000000000000001"];
  const ap = ["--account", "555555555555", "--region", "ap-southeast-2", "--hosted-zone-id", "Z0FLEETPROD0000000000001"];
  const extras: { name: string; args: string[] }[] = [];
  // Both applications (Langfuse beside LangSmith), and Langfuse alone in the same account and region (shared bucket).
  if (firstLangsmith) extras.push({ name: "fleeteu", args: ["--from", firstLangsmith.name, ...eu, "--applications", "langsmith,langfuse"] });
  extras.push({ name: "fleetlf", args: ["--from", first.name, ...eu, "--applications", "langfuse"] });
  // Production: LangSmith, and Langfuse alone beside it (same account, region and bucket), the
  // fork whose production rules differ most (no LangSmith ClickHouse block: its topology is Langfuse's).
  if (firstProductionLangsmith) extras.push({ name: "fleetprod", args: ["--from", firstProductionLangsmith.name, ...ap, "--tier", "production"] });
  if (firstProduction) extras.push({ name: "fleetlfprod", args: ["--from", firstProduction.name, ...ap, "--applications", "langfuse"] });
  return extras.map((e) => ({ name: e.name, args: [e.name, ...e.args] }));
}

/** Content hash of the repository's tracked inputs (everything the copy takes). */
function snapshot(dir: string, base = dir): string {
  const h = createHash("sha256");
  for (const name of readdirSync(dir).sort()) {
    if (SKIP.has(name)) continue;
    const p = join(dir, name);
    const rel = relative(base, p);
    if (readdirSync(dir, { withFileTypes: true }).find((d) => d.name === name)?.isDirectory()) h.update(`${rel}/\n${snapshot(p, base)}`);
    else h.update(`${rel}\n`).update(readFileSync(p));
  }
  return h.digest("hex");
}

/** Relative imports of a TypeScript or JavaScript source (`from "./x"`, `import "./x"`, `require("../x")`, `import("./x")`), resolved to files. */
function relativeImports(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const m of text.matchAll(/(?:\bfrom\s+|\bimport\s+|\brequire\(\s*|\bimport\(\s*)["'](\.{1,2}\/[^"']+)["']/g)) {
    const base = join(dirname(file), m[1]);
    const found = [`${base}.ts`, `${base}.js`, join(base, "index.ts"), join(base, "index.js"), base].find((c) => existsSync(c) && statSync(c).isFile());
    if (found) out.push(found);
  }
  return out;
}

/**
 * Test files that read the registered fleet: those that import `environments/index.ts` directly
 * or through test modules (`__tests__/`: the render fixture, helpers) importing each other. A
 * chain through the project's own modules does not count: a command (synth-all, verify, env:new,
 * cost) imports the registry for its default, and tests pass their own environments (the
 * fixtures) instead, so running them against the forks would prove nothing new (and cost about
 * a quarter of the stage).
 */
export function fleetTests(root: string): string[] {
  // The registry (environments/index.ts), not the profiles a test may build its own configurations from.
  const registry = join(root, "environments", "index.ts");
  const inFleet = (file: string) => file === registry;
  const imports = new Map<string, string[]>();
  const importsOf = (file: string) => imports.get(file) ?? imports.set(file, relativeImports(file)).get(file)!;
  const tests = join(root, "__tests__");
  const isTestModule = (file: string) => !relative(tests, file).startsWith("..");
  // Breadth-first over the test modules the test imports (each file once: cycles end there).
  const reachesFleet = (test: string): boolean => {
    const seen = new Set([test]);
    const queue = [test];
    while (queue.length > 0) {
      for (const d of importsOf(queue.shift()!)) {
        if (inFleet(d)) return true;
        if (isTestModule(d) && !seen.has(d)) {
          seen.add(d);
          queue.push(d);
        }
      }
    }
    return false;
  };
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const d of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, d.name);
      if (d.isDirectory()) walk(p);
      else if (d.name.endsWith(".test.ts") && reachesFleet(p)) found.push(p);
    }
  };
  walk(tests);
  return found.sort();
}

interface Step {
  readonly name: string;
  readonly ok: boolean;
  readonly output: string;
  readonly seconds?: number;
}

/**
 * What the copy's steps see besides their own environment: the repository's offline-plan cache
 * (Terraform's init, provider cache, plans by content hash) and render caches (content-keyed, so
 * the copy's renders of the forks are kept for the next run), and its chart mirror. The mirror is
 * found beside the repository (`../shared/reference/charts`), which the copy in the temp dir has
 * not: without it the copy's render tier would be skipped (or, under CI=true, fail) while the
 * repository's runs. A repository without a mirror passes none.
 */
export function copyEnvironment(root: string = ROOT, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const mirror = chartMirrorDir(root, env);
  return {
    ...env,
    FORCE_COLOR: "0",
    LS_OFFLINE_CACHE: offlineCache(root, env),
    LS_RENDER_CACHE_ROOT: cacheRoot(root, env),
    ...(existsSync(mirror) ? { LS_CHART_MIRROR: mirror } : {}),
  };
}

function step(name: string, cwd: string, args: string[]): Step {
  const started = Date.now();
  const r = spawnSync(process.execPath, args, { cwd, encoding: "utf8", env: copyEnvironment(), maxBuffer: 64 * 1024 * 1024 });
  return { name, ok: r.status === 0, output: `${r.stdout ?? ""}${r.stderr ?? ""}${r.error ? String(r.error) : ""}`, seconds: (Date.now() - started) / 1000 };
}

/** `step`, without blocking: steps that do not depend on each other run at once. */
function stepAsync(name: string, cwd: string, args: string[]): Promise<Step> {
  const started = Date.now();
  return new Promise((done) => {
    const child = spawn(process.execPath, args, { cwd, env: copyEnvironment() });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d));
    child.stderr.on("data", (d: Buffer) => (output += d));
    child.on("error", (e) => done({ name, ok: false, output: `${output}${String(e)}`, seconds: (Date.now() - started) / 1000 }));
    child.on("close", (code) => done({ name, ok: code === 0, output, seconds: (Date.now() - started) / 1000 }));
  });
}

export async function main(argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log("usage: node dist/scripts/fleet-test.js [--keep]\n  Forks environments (LangSmith, LangSmith + Langfuse, Langfuse alone) with npm run env:new in a throwaway copy of the repository, synthesizes and\n  plans them offline, runs the fleet-dependent tests there, removes the copy, and checks the repository is unchanged.");
    return 0;
  }
  const started = Date.now();
  const before = snapshot(ROOT);
  const copy = mkdtempSync(join(tmpdir(), "ls-fleet-"));
  const steps: Step[] = [];
  let tests = { passed: 0, failed: 0 };
  try {
    for (const name of readdirSync(ROOT)) if (!SKIP.has(name)) cpSync(join(ROOT, name), join(copy, name), { recursive: true });
    // The builds too (content-hash stamped, so the copy's builds only redo what the forks change).
    if (existsSync(join(ROOT, "dist"))) cpSync(join(ROOT, "dist"), join(copy, "dist"), { recursive: true });
    // Each package linked, not node_modules itself: the copy's build caches (node_modules/.cache) stay in the copy.
    mkdirSync(join(copy, "node_modules", ".cache"), { recursive: true });
    // The tests' build and the stacks cached by content (both incremental or content-keyed, so
    // correct for the copy as they are): the copy's jest then transpiles and synthesizes only what the forks change.
    // A head start only: if jest's global setup (beside this in npm test) changes one while it is
    // copied (the stack cache prunes other digests' entries), the copy starts without it.
    const { TEST_OUT, SYNTH_CACHE_OUT } = require(join(ROOT, "scripts", "build.js")) as { TEST_OUT: string; SYNTH_CACHE_OUT: string };
    for (const cache of [TEST_OUT, SYNTH_CACHE_OUT]) {
      const from = join(ROOT, cache);
      const to = join(copy, cache);
      try {
        if (existsSync(from)) cpSync(from, to, { recursive: true });
      } catch (e) {
        rmSync(to, { recursive: true, force: true });
        console.log(`fleet test: ${cache} changed while copied (${(e as Error).message.split("\n")[0]}); the copy builds it afresh`);
      }
    }
    for (const name of readdirSync(join(ROOT, "node_modules"))) {
      if (name !== ".cache") symlinkSync(join(ROOT, "node_modules", name), join(copy, "node_modules", name));
    }
    const build = (...flags: string[]) => step(`build${flags.length ? ` ${flags.join(" ")}` : ""}`, copy, [join(copy, "scripts", "build.js"), "--quiet", ...flags]);
    steps.push(build("--no-bundle"));
    const extras = extraEnvironments(loadEnvironments(ENVIRONMENTS).map((e) => e.config));
    for (const e of extras) {
      steps.push(step(`env:new ${e.args.join(" ")}`, copy, [join(copy, "dist", "scripts", "env-new.js"), ...e.args]));
      // The next fork sees this one (its CIDR, bucket, OIDC provider); env:new runs per-file, the app is bundled once after the last.
      steps.push(e === extras[extras.length - 1] ? build() : build("--no-bundle"));
    }
    steps.push(step("synth", copy, [join(copy, "dist", "main.js")]));
    const stacks = synthesizedStacks(join(copy, "cdktf.out")) ?? [];
    const fresh = stacks.filter((s) => extras.some((e) => s === stackName(e)) || /^bootstrap-(444444444444|555555555555)-/.test(s));
    // The plan (Terraform, with the repository's shared init and plans) and the tests (node) at once.
    // --no-synth: the synth step above wrote these stacks.
    const files = fleetTests(copy);
    const results = join(copy, "jest-results.json");
    steps.push(
      ...(await Promise.all([
        stepAsync(`offline plan ${fresh.join(" ")}`, copy, [join(copy, "dist", "scripts", "plan-offline.js"), "--no-synth", ...fresh]),
        stepAsync(`jest (${files.length} fleet-dependent files)`, copy, [join(copy, "node_modules", "jest", "bin", "jest.js"), "--rootDir", copy, "--json", `--outputFile=${results}`, ...files]),
      ])),
    );
    if (existsSync(results)) {
      const r = JSON.parse(readFileSync(results, "utf8"));
      tests = { passed: r.numPassedTests, failed: r.numFailedTests + r.numRuntimeErrorTestSuites };
    }
    // A mistake in a fork: `npm run synth` prints the loader's problems once, no stack trace, exit 1.
    // (The first fork that was written: a failed env:new is a failed step above already.)
    const written = extras.find((e) => existsSync(join(copy, "environments", `${e.name}.ts`)));
    if (!written) throw new Error("no fork was written (every env:new step failed, above)");
    const forked = join(copy, "environments", `${written.name}.ts`);
    writeFileSync(forked, readFileSync(forked, "utf8").replace(/vpcCidr: "[^"]+"/, 'vpcCidr: "10.0.0.1/8"'));
    steps.push(build());
    const brokenStarted = Date.now();
    const broken = spawnSync(process.execPath, [join(copy, "dist", "main.js")], { cwd: copy, encoding: "utf8" });
    const said = `${broken.stdout}${broken.stderr}`;
    const clean = broken.status === 1 && said.split("Invalid environment configuration").length === 2 && said.includes(`environments/${written.name}.ts: network.vpcCidr`) && !/^\s+at /m.test(said) && !/Node\.js v\d/.test(said);
    steps.push({ name: "synth of a broken fork: the problem once, no stack trace, exit 1", ok: clean, output: said, seconds: (Date.now() - brokenStarted) / 1000 });
    // A fork that throws while it loads (a runtime mistake; the fast build does not type-check):
    // its file and line, exit 1, and never Node's echo of the minified bundle line.
    writeFileSync(forked, readFileSync(forked, "utf8").replace(/^export default /m, 'if (Date.now() > 0) throw new Error("broken on purpose");\nexport default '));
    steps.push(build());
    const throwsStarted = Date.now();
    const throws = spawnSync(process.execPath, [join(copy, "dist", "main.js")], { cwd: copy, encoding: "utf8" });
    const told = `${throws.stdout}${throws.stderr}`;
    const located = throws.status === 1 && new RegExp(`^environments/${written.name}\\.ts:\\d+: Error: broken on purpose$`, "m").test(told) && told.split("\n").every((l) => l.length < 300) && !/Node\.js v\d/.test(told);
    steps.push({ name: "synth of a fork that throws while loading: its file and line, exit 1", ok: located, output: told, seconds: (Date.now() - throwsStarted) / 1000 });
  } catch (e) {
    steps.push({ name: "fleet test", ok: false, output: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  } finally {
    if (argv.includes("--keep")) console.log(`fleet test: kept the copy at ${copy}`);
    else rmSync(copy, { recursive: true, force: true });
  }
  const unchanged = snapshot(ROOT) === before;
  if (!unchanged) steps.push({ name: "repository unchanged", ok: false, output: `${ROOT} changed during the fleet test` });
  for (const s of steps) {
    console.log(`fleet test: ${s.ok ? "ok  " : "FAIL"} ${s.name}${s.seconds === undefined ? "" : ` (${s.seconds.toFixed(1)} s)`}`);
    // jest: the failing tests' titles and the summary (the whole report is long); other steps: all of it.
    const lines = s.output.trimEnd().split("\n");
    const shown = s.name.startsWith("jest") ? lines.filter((l) => /●|^Tests:|^FAIL/.test(l.trim())) : lines;
    if (!s.ok) console.log(shown.map((l) => `    ${l.trim()}`).join("\n"));
  }
  const failedSteps = steps.filter((s) => !s.ok && !s.name.startsWith("jest")).length;
  const passed = tests.passed + steps.filter((s) => s.ok && !s.name.startsWith("jest")).length;
  const failed = tests.failed + failedSteps + (steps.some((s) => s.name.startsWith("jest") && !s.ok) && tests.failed === 0 ? 1 : 0);
  console.log(`fleet test: copy ${copy} ${argv.includes("--keep") ? "kept" : "removed"}; ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`fleet test: ${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
