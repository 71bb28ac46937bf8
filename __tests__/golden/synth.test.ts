/**
 * The synthesized Terraform of every stack, pinned by digest: a change that should not change
 * any plan (a refactor, a module split, new props) must leave these bytes alone, and construct
 * ids are state addresses. An intended change to the output (a new resource, a setting) updates
 * the digests in the same commit, so the review sees that the plan changes:
 * `UPDATE_GOLDEN=1 npx jest __tests__/golden`. `synth.sha256` is in `sha256sum` format
 * (`cd cdktf.out/stacks && sha256sum -c ../../__tests__/golden/synth.sha256` checks a synth by hand).
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { shippedAppDir } from "../synth-cache";

const FILE = join(__dirname, "synth.sha256");
const UPDATE = process.env.UPDATE_GOLDEN === "1";

function digests(): string {
  const stacks = join(shippedAppDir(), "stacks");
  return readdirSync(stacks)
    .sort()
    .map((stack) => `${createHash("sha256").update(readFileSync(join(stacks, stack, "cdk.tf.json"))).digest("hex")}  ${stack}/cdk.tf.json`)
    .join("\n")
    .concat("\n");
}

describe("synthesized Terraform (golden digests)", () => {
  test("every stack synthesizes byte-identical to __tests__/golden/synth.sha256", () => {
    const now = digests();
    if (UPDATE) writeFileSync(FILE, now);
    const pinned = existsSync(FILE) ? readFileSync(FILE, "utf8") : "";
    const changed = now
      .split("\n")
      .filter((line) => line && !pinned.split("\n").includes(line))
      .map((line) => line.split("  ")[1]);
    const gone = pinned
      .split("\n")
      .filter((line) => line && !now.split("\n").some((l) => l.split("  ")[1] === line.split("  ")[1]))
      .map((line) => line.split("  ")[1]);
    const refresh = "UPDATE_GOLDEN=1 npx jest __tests__/golden, and commit the digests with the change.";
    const message = [
      changed.length ? `synthesized output changed: ${changed.join(", ")}. Not intended (a refactor)? Diff against the previous synth. Intended (or a new environment)? ${refresh}` : "",
      gone.length ? `no longer synthesized: ${gone.join(", ")}. An environment removed or renamed (a fork drops the shipped ones)? ${refresh}` : "",
    ].filter(Boolean).join("\n");
    expect(message).toBe("");
    expect(pinned).toBe(now);
  });
});
