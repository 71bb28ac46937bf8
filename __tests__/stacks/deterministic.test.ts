/** Two synths of the same commit give byte-identical output: no timestamps, random ids or map-order drift. */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { synthesizeAll } from "../../scripts/synth-all";
import { shippedAppDir } from "../synth-cache";
import { ENVIRONMENTS } from "../../environments";
import { loadEnvironments } from "../../lib/config/load";
import { bootstrapTargets } from "../../stacks/bootstrap-stack";

function files(root: string, dir = root): string[] {
  return readdirSync(dir)
    .flatMap((name) => (statSync(join(dir, name)).isDirectory() ? files(root, join(dir, name)) : [relative(root, join(dir, name))]))
    .sort();
}

describe("deterministic output", () => {
  // The first synth is the run's global setup (another process, earlier); the second is here.
  const a = shippedAppDir();
  const b = mkdtempSync(join(tmpdir(), "ls-synth-b-"));
  afterAll(() => rmSync(b, { recursive: true, force: true }));

  test("two App instances synthesize every environment into identical files", () => {
    // One stack per environment and one bootstrap stack per state bucket, whatever the fleet.
    const configs = loadEnvironments(ENVIRONMENTS).map((e) => e.config);
    const stacks = configs.length + bootstrapTargets(configs).length;
    expect(synthesizeAll(b).length).toBe(stacks);
    const listed = files(a);
    expect(listed).toEqual(files(b));
    expect(listed.filter((f) => f.endsWith("cdk.tf.json")).length).toBe(stacks);
    const differing = listed.filter((f) => !readFileSync(join(a, f)).equals(readFileSync(join(b, f))));
    expect(differing).toEqual([]);
  });
});
