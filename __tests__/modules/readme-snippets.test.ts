/**
 * Every module README opens with a usage snippet of its construct, and the snippet compiles: it is
 * type-checked against the module's real exports (strict, as the sources), inside a construct
 * whose surroundings (`env`, `namer`, `network`, `eks`, ...) are declared with their real types.
 * A prop renamed or removed in a module fails until its README shows the real inputs.
 *
 * The type-check itself runs in `npm run typecheck` (tsc -p tsconfig.test.json, a stage of
 * `npm test`): `npm run docs` writes each snippet into __tests__/readme-snippets/modules/<module>/
 * README.md.ts on its README line numbers (lib/docs/readme-snippets.ts), so tsc's error names the
 * README and the line. This file checks, in milliseconds, that those files are what the READMEs
 * and the modules' exports give now, and that the type-check covers them.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { exportedNames, modulesWithReadme, SNIPPETS_DIR, snippetFile, snippetOf, snippetSource } from "../../lib/docs/readme-snippets";

const ROOT = join(__dirname, "..", "..");
const MODULES = modulesWithReadme(ROOT);
const readme = (m: string) => readFileSync(join(ROOT, "modules", m, "README.md"), "utf8");

describe("module README snippets", () => {
  const withSnippet = MODULES.filter((m) => snippetOf(readme(m)) !== undefined);

  test("every module has a README that opens with a ts snippet", () => {
    expect(MODULES.length).toBeGreaterThan(10);
    for (const m of MODULES) {
      const text = readme(m).split("\n");
      expect([m, text[0]]).toEqual([m, `# ${m}`]);
      expect([m, text.slice(1).join("\n").trim().startsWith("```ts")]).toEqual([m, true]);
    }
  });

  test.each(withSnippet)("modules/%s/README.md: the snippet type-checks against the module (its generated file is current; npm run typecheck checks it)", (m) => {
    const file = join(ROOT, snippetFile(m));
    const actual = existsSync(file) ? readFileSync(file, "utf8") : "(missing)";
    const expected = snippetSource(ROOT, m)!;
    expect([snippetFile(m), actual === expected ? "current" : "stale: run npm run docs"]).toEqual([snippetFile(m), "current"]);
    // The snippet sits on its README line numbers, so a type error's line is the README's line.
    const { body, line } = snippetOf(readme(m))!;
    const lines = actual.split("\n");
    body.replace(/\n$/, "").split("\n").forEach((l, i) => expect([line + i, lines[line - 1 + i]]).toEqual([line + i, l]));
  });

  test("no generated file outlives its module's snippet", () => {
    const dir = join(ROOT, SNIPPETS_DIR, "modules");
    expect(readdirSync(dir).sort()).toEqual([...withSnippet].sort());
  });

  test("the type-check stage covers the generated files: npm run typecheck is tsc -p tsconfig.test.json, which includes them", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
    expect(pkg.scripts.typecheck).toBe("tsc -p tsconfig.test.json");
    const tsconfig = JSON.parse(readFileSync(join(ROOT, "tsconfig.test.json"), "utf8").replace(/^\s*\/\/.*$/gm, "")) as { include: string[]; exclude: string[] };
    expect(tsconfig.include).toContain("__tests__/**/*.ts");
    expect(tsconfig.exclude.filter((e) => SNIPPETS_DIR.startsWith(e) || e.startsWith("__tests__"))).toEqual([]);
  });

  test("exports are read from the module's index.ts: declarations and export lists, types included", () => {
    const text = [
      "export class A {}",
      "export interface BProps { x: number }",
      "export const c = 1;",
      "export function d() {}",
      "export type E = string;",
      'export { f, g as h } from "./x";',
      'export { type I } from "./y";',
      "const notExported = 2;",
    ].join("\n");
    expect(exportedNames(text)).toEqual(["A", "BProps", "E", "I", "c", "d", "f", "h"]);
    expect(() => exportedNames('export * from "./x";', "modules/x/index.ts")).toThrow("modules/x/index.ts: export * is not supported by the README snippet check; export the names");
  });
});
