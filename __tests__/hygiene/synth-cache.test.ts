/**
 * The cross-run synth cache of the tests (__tests__/synth-cache.ts): keyed by the content of
 * everything a synth reads besides its configuration, so a changed source never serves a stale stack.
 */
import fs = require("node:fs");
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { Testing } from "cdktf";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PERSISTENT_ROOT, ROOT, SYNTH_INPUTS, synthInputsDigest } from "../synth-cache";
import { LangsmithStack } from "../../stacks/langsmith-stack";
import { envWith } from "../helpers";

describe("the tests' cross-run synth cache", () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "ls-synth-digest-"));
    for (const input of ["lib", "versions.ts", "package-lock.json"]) cpSync(join(ROOT, input), join(root, input), { recursive: true });
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test("global setup keys it by the inputs' digest, inside the repository", () => {
    expect(process.env.LS_SYNTH_DIGEST).toBe(synthInputsDigest());
    expect(PERSISTENT_ROOT.startsWith(join(ROOT, "node_modules", ".cache"))).toBe(true);
  });

  test("any change to an input (a source, the versions, the lock file, a new file) gives another digest", () => {
    const before = synthInputsDigest(root);
    writeFileSync(join(root, "versions.ts"), "export const CHANGED = 1;\n");
    const afterVersions = synthInputsDigest(root);
    expect(afterVersions).not.toBe(before);
    writeFileSync(join(root, "lib", "new-module.ts"), "export const x = 1;\n");
    expect(synthInputsDigest(root)).not.toBe(afterVersions);
  });

  test("files that are not synth inputs (tests, docs, environments) do not change it", () => {
    const before = synthInputsDigest(root);
    writeFileSync(join(root, "README.md"), "docs\n");
    writeFileSync(join(root, "environments.ts"), "export {};\n");
    expect(synthInputsDigest(root)).toBe(before);
  });

  test("the inputs are what the stacks are made of: the construct code, its data and the pins", () => {
    expect(SYNTH_INPUTS).toEqual(expect.arrayContaining(["lib", "modules", "stacks", "charts", "versions.ts", "package-lock.json"]));
  });

  test("a synth reads no file of the repository outside the inputs (besides node_modules)", () => {
    const env = envWith("prod", { name: "digestprobe" });
    const methods = ["readFileSync", "existsSync", "readdirSync", "statSync", "lstatSync", "copyFileSync", "cpSync", "openSync"] as const;
    const seen = new Set<string>();
    const spies = methods.map((m) => {
      const original = (fs as any)[m].bind(fs) as (...a: unknown[]) => unknown;
      return jest.spyOn(fs, m as any).mockImplementation(((...args: unknown[]) => {
        if (typeof args[0] === "string") seen.add(args[0]);
        return original(...args);
      }) as any);
    });
    try {
      Testing.synth(new LangsmithStack(Testing.app(), { env }), true);
    } finally {
      spies.forEach((s) => s.mockRestore());
    }
    const inRepo = [...seen].filter((p) => p.startsWith(ROOT) && !p.startsWith(join(ROOT, "node_modules")));
    const outside = inRepo.filter((p) => !SYNTH_INPUTS.some((i) => p === join(ROOT, i) || p.startsWith(join(ROOT, i) + "/")));
    expect(inRepo.length).toBeGreaterThan(0); // the chart asset at least: the spies saw the synth's reads
    expect(outside).toEqual([]);
  });
});
