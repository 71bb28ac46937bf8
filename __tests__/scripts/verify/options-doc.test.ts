/** docs/operations.md's verify option table quotes the defaults verify uses (scripts/verify VERIFY_DEFAULTS). */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { USAGE, VERIFY_DEFAULTS as D } from "../../../scripts/verify";

const DOC = "docs/operations.md";
const row = (option: string) => readFileSync(join(__dirname, "..", "..", "..", DOC), "utf8").split("\n").find((l) => l.startsWith(`| \`${option}`));

test.each([
  ["--max-restarts", `| ${D.maxRestarts} |`],
  ["--project", `| \`${D.project}\` |`],
  ["--trace-timeout", `| ${D.traceTimeoutSeconds}, ${D.pollIntervalSeconds} |`],
])(`${DOC}: the %s row shows the default verify uses`, (option, cell) => {
  expect(row(option)).toContain(cell);
});

test("the usage text states the same defaults", () => {
  expect(USAGE).toContain(`(default ${D.maxRestarts})`);
  expect(USAGE).toContain(`(default ${D.project})`);
  expect(USAGE).toContain(`(default ${D.traceTimeoutSeconds})`);
});
