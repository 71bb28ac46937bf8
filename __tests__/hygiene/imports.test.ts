import { projectSources } from "./source-scan";

/** Importing a provider package root loads every resource class: ~9x synth time, ~1 GB. */
const ROOT_IMPORT = /(from\s+|require\(\s*|import\(\s*)["']@cdktf\/provider-(aws|helm|kubernetes)["']/;

describe("provider imports", () => {
  test("sources import provider classes only by deep path (@cdktf/provider-*/lib/<resource>)", () => {
    const offenders = projectSources()
      .flatMap(([file, text]) => text.split("\n").map((line, i) => [file, i + 1, line] as const))
      .filter(([, , line]) => ROOT_IMPORT.test(line))
      .map(([file, n, line]) => `${file}:${n}: ${line.trim()}`);
    expect(offenders).toEqual([]);
  });

  test("the scan sees the sources and would catch a root import", () => {
    expect(projectSources().length).toBeGreaterThan(10);
    expect(ROOT_IMPORT.test('import { Vpc } from "@cdktf/provider-aws";')).toBe(true);
    expect(ROOT_IMPORT.test('import { Vpc } from "@cdktf/provider-aws/lib/vpc";')).toBe(false);
  });
});
