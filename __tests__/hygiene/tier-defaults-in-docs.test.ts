/**
 * A doc that quotes an environment field's per-tier defaults writes them as
 * `` `field.path` (development 7, production 14) ``; every such quote in the project's Markdown is
 * checked against environments/profiles.ts (through the generated field reference), so a changed
 * default cannot leave a runbook quoting the old one.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { TIERS } from "../../lib/config/schema";
import { fieldRows } from "../../lib/docs/field-reference";
import { ROOT } from "./source-scan";

const SKIP = new Set(["node_modules", "dist", "cdktf.out", ".git", "coverage", "charts"]);
const markdown = (dir = ROOT): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (SKIP.has(name) || name.startsWith(".")) return [];
    if (statSync(path).isDirectory()) return markdown(path);
    return name.endsWith(".md") ? [path] : [];
  });

const tier = `(?:${TIERS.join("|")}) [^,)]+`;
/** `` `path` (tier value, tier value) ``, the one form a doc may quote tier defaults in. */
const QUOTE = new RegExp(`\`([a-zA-Z][\\w.]*)\` \\((${tier}(?:, ${tier})*)\\)`, "g");

/** Every quote in `text`: the field and what the doc says each tier defaults to. */
function quotes(text: string): { path: string; said: Record<string, string> }[] {
  return [...text.matchAll(QUOTE)].map((m) => ({
    path: m[1],
    said: Object.fromEntries(m[2].split(", ").map((p) => [p.slice(0, p.indexOf(" ")), p.slice(p.indexOf(" ") + 1)])),
  }));
}

describe("per-tier defaults quoted in the docs are the profiles' (environments/profiles.ts)", () => {
  const defaults = new Map(fieldRows().map((r) => [r.path, r.defaults]));
  const found = markdown().flatMap((file) => quotes(readFileSync(file, "utf8")).map((q) => ({ file: relative(ROOT, file), ...q })));

  test("the docs quote some (the scan sees them)", () => {
    expect(found.map((q) => q.path)).toContain("postgres.backupRetentionDays");
  });

  test("each quote names a field and its tiers' defaults", () => {
    const wrong = found.flatMap(({ file, path, said }) => {
      const actual = defaults.get(path);
      if (!actual) return [`${file}: \`${path}\` is not an environment field`];
      return Object.entries(said)
        .filter(([t, v]) => (actual[t] ?? "").replace(/`/g, "") !== v)
        .map(([t, v]) => `${file}: \`${path}\` says ${t} ${v}, the ${t} profile has ${actual[t]} (environments/profiles.ts)`);
    });
    expect(wrong).toEqual([]);
  });

  test("no doc quotes defaults by environment name instead of tier (`field` (dev 7, prod 14) escapes the check)", () => {
    const byName = markdown().flatMap((file) =>
      readFileSync(file, "utf8").split("\n").flatMap((line, i) => (/`[a-zA-Z][\w.]*` \((dev|staging|prod) \d/.test(line) ? [`${relative(ROOT, file)}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(byName).toEqual([]);
  });

  test("the form is recognised, and a wrong value would be seen", () => {
    expect(quotes("kept `redis.snapshotRetentionDays` (development 1, production 9) here")).toEqual([{ path: "redis.snapshotRetentionDays", said: { development: "1", production: "9" } }]);
    expect(quotes("`a.b` (dev 1)")).toEqual([]);
  });
});
