/** The command line of `npm run plan:offline`: --help, stack selection and its errors (exit 2). */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TEST_DIST } from "../synth-cache";
import { parseArgs, selectStacks, USAGE, UsageError } from "../../scripts/plan-offline";

const STACKS = ["langsmith-dev", "bootstrap-111111111111-us-west-2", "langsmith-prod"];

describe("plan:offline arguments", () => {
  test("defaults: synthesize, reuse unchanged plans, one stack more than the cores, every stack", () => {
    expect(parseArgs([], 2)).toEqual({ help: false, synth: true, fresh: false, jobs: 3, wanted: [] });
  });

  test.each([
    [["--help"], { help: true }],
    [["-h"], { help: true }],
    [["--no-synth", "dev"], { synth: false, wanted: ["dev"] }],
    [["--fresh"], { fresh: true }],
    [["--jobs", "3"], { jobs: 3 }],
    [["--jobs=1", "langsmith-dev", "prod"], { jobs: 1, wanted: ["langsmith-dev", "prod"] }],
  ])("%j", (argv, expected) => {
    expect(parseArgs(argv, 2)).toEqual(expect.objectContaining(expected));
  });

  test.each([
    [["--jobs", "0"], "plan:offline: --jobs must be a whole number of at least 1, got 0"],
    [["--jobs"], "plan:offline: --jobs must be a whole number of at least 1, got nothing"],
    [["--frsh"], "plan:offline: unknown option --frsh"],
  ])("%j is a usage error", (argv, message) => {
    expect(() => parseArgs(argv, 2)).toThrow(new UsageError(message));
  });

  test("the usage names every option parseArgs accepts", () => {
    for (const option of ["--no-synth", "--fresh", "--jobs", "--help"]) expect(USAGE).toContain(option);
  });
});

describe("plan:offline stack selection", () => {
  test("no names: every stack, sorted", () => {
    expect(selectStacks(STACKS, [])).toEqual(["bootstrap-111111111111-us-west-2", "langsmith-dev", "langsmith-prod"]);
  });

  test("a stack name or an environment name selects that stack", () => {
    expect(selectStacks(STACKS, ["prod", "bootstrap-111111111111-us-west-2"])).toEqual(["bootstrap-111111111111-us-west-2", "langsmith-prod"]);
  });

  test("an unknown name says which stacks exist", () => {
    expect(() => selectStacks(STACKS, ["dev", "qa"])).toThrow(
      new UsageError("plan:offline: no stack named qa; the stacks are: bootstrap-111111111111-us-west-2, langsmith-dev, langsmith-prod (an environment name such as dev also works)"),
    );
  });
});

describe("plan:offline as a command (from the fast build's output)", () => {
  const script = join(TEST_DIST, "scripts", "plan-offline.js");
  const dist = mkdtempSync(join(tmpdir(), "ls-plan-cli-"));
  afterAll(() => rmSync(dist, { recursive: true, force: true }));

  test("--help prints the usage at once, exits 0 and plans (and synthesizes) nothing", () => {
    const r = spawnSync(process.execPath, [script, "--help"], { encoding: "utf8", env: { ...process.env, CDKTF_OUT: join(dist, "no-such-out") } });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(USAGE);
    expect(existsSync(join(dist, "no-such-out"))).toBe(false);
  });

  test("an unknown stack exits 2 naming the stacks, before any terraform runs", () => {
    const out = join(dist, "out");
    for (const s of [...STACKS, "langsmith-retired"]) mkdirSync(join(out, "stacks", s), { recursive: true });
    writeFileSync(join(out, "manifest.json"), JSON.stringify({ version: "0.21.0", stacks: Object.fromEntries(STACKS.map((s) => [s, { name: s }])) }));
    // --no-synth: the stacks are the manifest's (a leftover directory is none); no terraform on PATH, and none needed.
    const r = spawnSync(process.execPath, [script, "--no-synth", "no-such-env"], { encoding: "utf8", env: { ...process.env, CDKTF_OUT: out, PATH: "/nonexistent" } });
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe(
      "plan:offline: no stack named no-such-env; the stacks are: bootstrap-111111111111-us-west-2, langsmith-dev, langsmith-prod (an environment name such as dev also works)",
    );
  });

  test("--no-synth with nothing synthesized exits 2 saying so, not planning nothing in silence", () => {
    const out = join(dist, "empty");
    mkdirSync(join(out, "stacks", "langsmith-dev"), { recursive: true });
    const r = spawnSync(process.execPath, [script, "--no-synth"], { encoding: "utf8", env: { ...process.env, CDKTF_OUT: out, PATH: "/nonexistent" } });
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe(`plan:offline: nothing synthesized in ${out} (no manifest.json): run it without --no-synth, or npm run synth first`);
  });
});
