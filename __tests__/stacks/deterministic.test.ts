/** Two synths of the same commit give byte-identical output: no timestamps, random ids or map-order drift. */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { synthesizeAll } from "../../scripts/synth-all";

function files(root: string, dir = root): string[] {
  return readdirSync(dir)
    .flatMap((name) => (statSync(join(dir, name)).isDirectory() ? files(root, join(dir, name)) : [relative(root, join(dir, name))]))
    .sort();
}

describe("deterministic output", () => {
  const a = mkdtempSync(join(tmpdir(), "ls-synth-a-"));
  const b = mkdtempSync(join(tmpdir(), "ls-synth-b-"));
  afterAll(() => [a, b].forEach((d) => rmSync(d, { recursive: true, force: true })));

  test("two App instances synthesize every environment into identical files", () => {
    expect(synthesizeAll(a)).toEqual(synthesizeAll(b));
    const listed = files(a);
    expect(listed).toEqual(files(b));
    expect(listed.filter((f) => f.endsWith("cdk.tf.json")).length).toBeGreaterThanOrEqual(6);
    const differing = listed.filter((f) => !readFileSync(join(a, f)).equals(readFileSync(join(b, f))));
    expect(differing).toEqual([]);
  });
});
