/**
 * `npm run verify -- --help`, a usage error and the tests that never call AWS do not load the AWS
 * SDK or the Kubernetes client (~0.7 s): the packages load when the clients are made (scripts/verify/sdk.ts).
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { TEST_DIST } from "../../synth-cache";

test("verify loads the AWS SDK and the Kubernetes client only when it makes its clients", () => {
  // One child process: how many of their modules are loaded after importing the command, then after making the clients.
  const count = `Object.keys(require.cache).filter((k) => /[\\\\/]node_modules[\\\\/](@aws-sdk|@kubernetes)[\\\\/]/.test(k)).length`;
  const code = [
    `require(${JSON.stringify(join(TEST_DIST, "scripts", "verify", "index.js"))});`,
    `const imported = ${count};`,
    `require(${JSON.stringify(join(TEST_DIST, "scripts", "verify", "clients.js"))}).makeClients({ region: "us-east-1", endpoints: {} }).destroy();`,
    `console.log(JSON.stringify({ imported, made: ${count} }));`,
  ].join("\n");
  const r = spawnSync(process.execPath, ["-e", code], { cwd: TEST_DIST, encoding: "utf8" });
  expect(r.stderr).toBe("");
  const { imported, made } = JSON.parse(r.stdout) as { imported: number; made: number };
  expect(imported).toBe(0); // what --help and a usage error run
  expect(made).toBeGreaterThan(0);
});
