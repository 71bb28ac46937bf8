/**
 * `npm run verify -- --help`, a usage error and the tests that never call AWS do not load the AWS
 * SDK or the Kubernetes client (~0.7 s): the packages load when the clients are made (scripts/verify/sdk.ts).
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { TEST_DIST } from "../../synth-cache";

// That making the clients loads them is what every gate test does (gates.test.ts, cli.test.ts).
test("importing verify (what --help and a usage error run) loads neither the AWS SDK nor the Kubernetes client", () => {
  const count = `Object.keys(require.cache).filter((k) => /[\\\\/]node_modules[\\\\/](@aws-sdk|@kubernetes)[\\\\/]/.test(k)).length`;
  const code = [
    `require(${JSON.stringify(join(TEST_DIST, "scripts", "verify", "index.js"))});`,
    `console.log(JSON.stringify({ imported: ${count}, modules: Object.keys(require.cache).length }));`,
  ].join("\n");
  const r = spawnSync(process.execPath, ["-e", code], { cwd: TEST_DIST, encoding: "utf8" });
  expect(r.stderr).toBe("");
  const { imported, modules } = JSON.parse(r.stdout) as { imported: number; modules: number };
  expect(modules).toBeGreaterThan(10); // the command and its own modules did load
  expect(imported).toBe(0);
});
