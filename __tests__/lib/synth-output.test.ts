import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { removeOrphanedStacks, synthesizedStacks } from "../../lib/synth-output";

describe("synth output", () => {
  let out: string;
  beforeEach(() => {
    out = mkdtempSync(join(tmpdir(), "ls-synth-out-"));
  });
  afterEach(() => rmSync(out, { recursive: true, force: true }));

  const stackDir = (name: string) => {
    mkdirSync(join(out, "stacks", name, "offline"), { recursive: true });
    writeFileSync(join(out, "stacks", name, "cdk.tf.json"), "{}");
  };
  const manifest = (...names: string[]) =>
    writeFileSync(join(out, "manifest.json"), JSON.stringify({ version: "0.21.0", stacks: Object.fromEntries(names.map((n) => [n, { name: n }])) }));

  test("the stacks are the manifest's, not the directory listing", () => {
    stackDir("langsmith-dev");
    stackDir("langsmith-renamed-away");
    manifest("langsmith-dev", "bootstrap-111111111111-us-west-2");
    expect(synthesizedStacks(out)).toEqual(["langsmith-dev", "bootstrap-111111111111-us-west-2"]);
  });

  test("no manifest: undefined, and nothing is removed", () => {
    stackDir("langsmith-dev");
    expect(synthesizedStacks(out)).toBeUndefined();
    expect(removeOrphanedStacks(out)).toEqual([]);
    expect(readdirSync(join(out, "stacks"))).toEqual(["langsmith-dev"]);
  });

  test("a stack directory the last synth did not write is removed (as cdktf synth does); written ones and plain files stay", () => {
    stackDir("langsmith-dev");
    stackDir("langsmith-forkchk");
    writeFileSync(join(out, "stacks", "README"), "not a stack");
    manifest("langsmith-dev");
    expect(removeOrphanedStacks(out)).toEqual(["langsmith-forkchk"]);
    expect(existsSync(join(out, "stacks", "langsmith-forkchk"))).toBe(false);
    expect(readdirSync(join(out, "stacks")).sort()).toEqual(["README", "langsmith-dev"]);
  });
});
