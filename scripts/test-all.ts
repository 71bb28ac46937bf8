/**
 * `npm test`: the unit and stack tests (jest), then the offline Terraform plan of every stack,
 * then one closing line `tests: N passed, M failed` counting both.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

function main(): void {
  const results = join(mkdtempSync(join(tmpdir(), "ls-jest-")), "results.json");
  const jest = spawnSync(process.execPath, [require.resolve("jest/bin/jest"), "--json", `--outputFile=${results}`, ...process.argv.slice(2)], { stdio: "inherit" });
  let passed = 0;
  let failed = 0;
  try {
    const r = JSON.parse(readFileSync(results, "utf8"));
    passed += r.numPassedTests;
    failed += r.numFailedTests + r.numRuntimeErrorTestSuites;
  } catch {
    failed += 1;
  }
  if (jest.status !== 0 && failed === 0) failed += 1;

  const plan = spawnSync(process.execPath, [join(__dirname, "plan-offline.js")], { stdio: ["inherit", "pipe", "inherit"], encoding: "utf8" });
  process.stdout.write(plan.stdout ?? "");
  const m = /(\d+) passed, (\d+) failed/.exec(plan.stdout ?? "");
  if (m) {
    passed += Number(m[1]);
    failed += Number(m[2]);
  } else if (plan.status !== 0) {
    failed += 1;
  }
  console.log(`tests: ${passed} passed, ${failed} failed`);
  process.exitCode = failed === 0 && jest.status === 0 && plan.status === 0 ? 0 : 1;
}

main();
