/**
 * Counts that change whenever the fleet or the code does (resources per stack, tests, test
 * files, stacks, environments) are never typed into the docs: they drift on the next commit and
 * are wrong in every fork. `npm run synth` prints each stack's resources and jest its test
 * counts; a doc may quote a number only inside a generated block (`<!-- x:start ... -->`,
 * rewritten by `npm run docs`, which a test checks) or a dated measurement block
 * (`<!-- measured:start ... -->`, e.g. the README's bench table).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { ROOT } from "./source-scan";

const SKIP = new Set(["node_modules", "dist", "cdktf.out", ".git", "coverage", "charts"]);

function markdownFiles(dir = ROOT): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (SKIP.has(name) || name.startsWith(".")) return [];
    if (statSync(path).isDirectory()) return markdownFiles(path);
    return name.endsWith(".md") ? [path] : [];
  });
}

/** A typed count of something that changes with the fleet or the code: "6 stacks", "~560 resources", "1,350 tests". */
const TYPED_COUNT = /(?<![\w.])~?\d[\d,]*\+? (?:(?:terraform |aws )?resources?|test (?:files|suites|cases)|tests?|suites|stacks|environments|jest files)\b/gi;

/** The lines outside `<!-- name:start ... -->` / `<!-- name:end -->` blocks, with their numbers. */
function typedCounts(text: string): { line: number; match: string }[] {
  const found: { line: number; match: string }[] = [];
  let block: string | undefined;
  text.split("\n").forEach((line, i) => {
    const start = line.match(/<!--\s*([\w-]+):start\b/);
    if (start) block = start[1];
    else if (block && new RegExp(`<!--\\s*${block}:end\\b`).test(line)) block = undefined;
    else if (!block) for (const m of line.match(TYPED_COUNT) ?? []) found.push({ line: i + 1, match: m });
  });
  return found;
}

describe("docs type no counts that drift (resources, tests, test files, stacks)", () => {
  test("no Markdown file of the project quotes one outside a generated or measured block", () => {
    const files = markdownFiles();
    expect(files.map((f) => relative(ROOT, f))).toContain("README.md");
    const offenders = files.flatMap((f) => typedCounts(readFileSync(f, "utf8")).map(({ line, match }) => `${f}:${line}: "${match}" (generate it with npm run docs, or drop it: npm run synth and jest print the numbers)`));
    expect(offenders).toEqual([]);
  });

  test.each([
    ["Measured on 6 stacks, ~560 resources", ["6 stacks", "~560 resources"]],
    ["the jest suite (1,350 tests) in 75 test files", ["1,350 tests", "75 test files"]],
    ["forks add 2 environments", ["2 environments"]],
    ["TLS 1.2 and 16 vCPU / 64 GiB", []],
    ["v1.20 stacks", []],
  ])("%s", (text, expected) => {
    expect(typedCounts(text).map((c) => c.match)).toEqual(expected);
  });

  test("numbers inside a generated or measured block are allowed; the block ends at its own end marker", () => {
    const text = ["<!-- measured:start (npm run bench) -->", "| plan (6 stacks) |", "<!-- other:end -->", "| 7 stacks |", "<!-- measured:end -->", "now 8 stacks"].join("\n");
    expect(typedCounts(text)).toEqual([{ line: 6, match: "8 stacks" }]);
  });
});
