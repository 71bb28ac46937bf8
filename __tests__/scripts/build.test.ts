/**
 * The contract of `scripts/build.js` (the fast path every npm script and cdktf.json's `app`
 * take): it transpiles exactly the sources that changed, never leaves a stale output, and
 * skips esbuild entirely when nothing changed. Runs on a small project in a temp directory.
 * That its output synthesizes the same bytes as the sources is checked in
 * __tests__/stacks/deterministic.test.ts.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

interface BuildResult {
  transpiled: string[];
  deleted: string[];
  full: boolean;
  rebundled: boolean;
}
interface BuildModule {
  build(options: { root: string; outDir?: string; quiet?: boolean }): BuildResult;
  reportBundleError(e: unknown, outDir: string): boolean;
  listSources(root: string): string[];
  STAMP: string;
  SOURCES: string[];
  BUNDLE: string;
}
// Plain JavaScript (it runs before anything is compiled), so required rather than imported.
const builder = require("../../scripts/build.js") as BuildModule;

const ROOT = join(__dirname, "..", "..");

describe("scripts/build.js", () => {
  let root: string;
  const write = (file: string, text: string) => {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), text);
  };
  const out = (file: string) => join(root, "dist", file);
  const build = () => builder.build({ root, quiet: true });
  const run = (file: string) => execFileSync(process.execPath, [out(file)], { encoding: "utf8" }).trim();

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "ls-build-"));
    write("tsconfig.json", JSON.stringify({ compilerOptions: { target: "ES2022", module: "node16", strict: true, outDir: "dist", rootDir: "." } }));
    write("main.ts", `import { greet } from "./lib/greet";\nimport type { Name } from "./lib/types";\nconst who: Name = "fleet";\nconsole.log(greet(who));\n`);
    write("lib/greet.ts", `export function greet(name: string): string {\n  return \`hello \${name}\`;\n}\n`);
    write("lib/types.ts", `export type Name = string;\n`);
    write("lib/types.d.ts", `declare const ignored: number;\n`);
    write("scripts/tool.ts", `export const tool = 1;\n`);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  test("lists what tsconfig.json compiles: .ts under its include, no declaration files, tests excluded", () => {
    write("__tests__/x.test.ts", "test('x', () => undefined);\n");
    expect(builder.listSources(root)).toEqual(["lib/greet.ts", "lib/types.ts", "main.ts", "scripts/tool.ts"]);
    expect(builder.SOURCES).toEqual(JSON.parse(readFileSync(join(ROOT, "tsconfig.json"), "utf8")).include.map((p: string) => p.replace(/\/\*\*\/\*\.ts$/, "")));
  });

  test("a first build transpiles every source into runnable CommonJS under dist/, in strict mode", () => {
    const r = build();
    expect(r.full).toBe(true);
    expect(r.transpiled).toEqual(["lib/greet.ts", "lib/types.ts", "main.ts", "scripts/tool.ts"]);
    expect(run("main.js")).toBe("hello fleet");
    expect(readFileSync(out("lib/greet.js"), "utf8")).toMatch(/^"use strict";/);
    expect(existsSync(join(root, "dist", builder.STAMP))).toBe(true);
  });

  test("a build with nothing changed transpiles and bundles nothing", () => {
    build();
    expect(build()).toEqual(expect.objectContaining({ transpiled: [], deleted: [], full: false, rebundled: false }));
  });

  test("main.ts is bundled: dist/main.js runs dist/main.bundle.js and writes V8's code cache on its first run", () => {
    expect(build().rebundled).toBe(true);
    expect(readFileSync(out("main.js"), "utf8")).toContain(`join(__dirname, "${builder.BUNDLE}")`);
    expect(readFileSync(out(builder.BUNDLE), "utf8")).toContain("hello ");
    expect(existsSync(out(`${builder.BUNDLE}.cache`))).toBe(false);
    expect(run("main.js")).toBe("hello fleet");
    expect(existsSync(out(`${builder.BUNDLE}.cache`))).toBe(true);
    expect(run("main.js")).toBe("hello fleet");
    // Any source change rebuilds the bundle and drops the cache made for the old one.
    write("lib/types.ts", `export type Name = string; // edited\n`);
    expect(build().rebundled).toBe(true);
    expect(existsSync(out(`${builder.BUNDLE}.cache`))).toBe(false);
  });

  test("an error the app throws is said as <source file>:<line>, exit 1, never as Node's echo of the minified bundle line", () => {
    write("lib/greet.ts", `export function greet(name: string): string {\n  if (name) throw new Error("greet failed");\n  return name;\n}\n`);
    build();
    // Run as users do: exit 1, short lines (without scripts/build.js beside this dist/, the unmapped frames).
    const r = spawnSync(process.execPath, [out("main.js")], { encoding: "utf8" });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("Error: greet failed");
    expect(r.stderr.split("\n").every((l) => l.length < 300)).toBe(true);
    expect(r.stderr).not.toMatch(/Node\.js v\d/);
    expect(r.stderr).toMatch(/main\.bundle\.js:1:\d+/);
    // With the builder (the repository's case), those frames become the sources' files and lines.
    const thrown = Object.assign(new Error("greet failed"), { stack: r.stderr.trim() });
    const said: string[] = [];
    const spy = jest.spyOn(console, "error").mockImplementation((...a: unknown[]) => void said.push(a.join(" ")));
    try {
      expect(builder.reportBundleError(thrown, join(root, "dist"))).toBe(true);
    } finally {
      spy.mockRestore();
    }
    expect(said).toEqual(["lib/greet.ts:2: Error: greet failed", "    at main.ts:4"]);
  });

  test("an edited source is transpiled again, alone, even when its mtime goes back in time", () => {
    build();
    write("lib/greet.ts", `export function greet(name: string): string {\n  return \`hi \${name}\`;\n}\n`);
    utimesSync(join(root, "lib/greet.ts"), new Date(2000, 0, 1), new Date(2000, 0, 1));
    expect(build().transpiled).toEqual(["lib/greet.ts"]);
    expect(run("main.js")).toBe("hi fleet");
  });

  test("an output deleted or missing is written again", () => {
    build();
    rmSync(out("lib/greet.js"));
    expect(build().transpiled).toEqual(["lib/greet.ts"]);
    expect(run("main.js")).toBe("hello fleet");
  });

  test("the output of a deleted source is deleted, so nothing stale can be required", () => {
    build();
    rmSync(join(root, "scripts/tool.ts"));
    const r = build();
    expect(r.deleted).toEqual(["scripts/tool.ts"]);
    expect(existsSync(out("scripts/tool.js"))).toBe(false);
  });

  test("a tsconfig.json change rebuilds everything", () => {
    build();
    write("tsconfig.json", JSON.stringify({ compilerOptions: { target: "ES2022", module: "node16", strict: true, outDir: "dist", rootDir: ".", noUnusedLocals: true } }));
    const r = build();
    expect(r.full).toBe(true);
    expect(r.transpiled).toHaveLength(4);
  });

  test("a syntax error fails the build naming the file, and the next build retries it", () => {
    build();
    write("lib/greet.ts", "export function greet(: string {\n");
    expect(build).toThrow(/lib\/greet\.ts/);
    write("lib/greet.ts", `export function greet(name: string): string {\n  return \`hey \${name}\`;\n}\n`);
    expect(build().transpiled).toEqual(["lib/greet.ts"]);
    expect(run("main.js")).toBe("hey fleet");
  });

  test("every npm script that runs compiled code, and cdktf.json's app, builds with it first (no type-check on the hot path)", () => {
    const scripts = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).scripts as Record<string, string>;
    const runsDist = Object.entries(scripts).filter(([, cmd]) => cmd.includes("node dist/"));
    expect(runsDist.length).toBeGreaterThanOrEqual(8);
    for (const [name, cmd] of runsDist) expect(`${name}: ${cmd}`).toMatch(new RegExp(`^${name.replace(/[:]/g, "\\:")}: node scripts/build\\.js && node dist/`));
    for (const [, cmd] of runsDist) expect(cmd).not.toMatch(/\btsc\b/);
    expect(scripts.build).toBe("node scripts/build.js");
    expect(scripts.typecheck).toMatch(/^tsc -p tsconfig\.test\.json/);
    expect(JSON.parse(readFileSync(join(ROOT, "cdktf.json"), "utf8")).app).toBe("node scripts/build.js && node dist/main.js");
  });
});
