/**
 * `scripts/build.js --no-bundle` (`build({ bundle: false })`): per-file output only; a bundle the
 * sources moved past is deleted, so the next full build makes it again (the fleet test adds
 * environments one by one with such builds and bundles once after the last).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

const builder = require("../../scripts/build.js") as {
  build(options: { root: string; quiet?: boolean; bundle?: boolean }): { transpiled: string[]; rebundled: boolean };
  BUNDLE: string;
};

describe("scripts/build.js without the bundle", () => {
  let root: string;
  const write = (file: string, text: string) => {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), text);
  };
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "ls-build-"));
    write("tsconfig.json", JSON.stringify({ compilerOptions: { target: "ES2022", module: "node16", strict: true, outDir: "dist", rootDir: "." } }));
    write("main.ts", `import { greet } from "./lib/greet";\nconsole.log(greet("fleet"));\n`);
    write("lib/greet.ts", `export function greet(name: string): string {\n  return \`hello \${name}\`;\n}\n`);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  test("transpiles the changed sources, leaves no stale bundle, and the next build bundles again", () => {
    expect(builder.build({ root, quiet: true }).rebundled).toBe(true);
    write("lib/greet.ts", `export function greet(name: string): string {\n  return \`hi \${name}\`;\n}\n`);
    const partial = builder.build({ root, quiet: true, bundle: false });
    expect(partial).toEqual(expect.objectContaining({ transpiled: ["lib/greet.ts"], rebundled: false }));
    expect(existsSync(join(root, "dist", builder.BUNDLE))).toBe(false);
    expect(execFileSync(process.execPath, ["-e", `console.log(require(${JSON.stringify(join(root, "dist", "lib", "greet.js"))}).greet("x"))`], { encoding: "utf8" }).trim()).toBe("hi x");
    const next = builder.build({ root, quiet: true });
    expect(next).toEqual(expect.objectContaining({ transpiled: [], rebundled: true }));
    expect(execFileSync(process.execPath, [join(root, "dist", "main.js")], { encoding: "utf8" }).trim()).toBe("hi fleet");
  });
});
