/**
 * `npm run verify -- --help`, a usage error and the tests that never call AWS do not load the AWS
 * SDK or the Kubernetes client (~0.7 s): the packages load when the clients are made (scripts/verify/sdk.ts).
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { TEST_DIST } from "../../synth-cache";

const loaded = (code: string) => {
  const r = spawnSync(process.execPath, ["-e", `${code}; console.log(JSON.stringify(Object.keys(require.cache).filter((k) => /[\\\\/]node_modules[\\\\/](@aws-sdk|@kubernetes)[\\\\/]/.test(k)).length))`], { cwd: TEST_DIST, encoding: "utf8" });
  expect(r.stderr).toBe("");
  return Number(r.stdout.trim());
};

describe("verify loads the AWS SDK and the Kubernetes client only when it makes its clients", () => {
  test("importing the command (what --help and a usage error run) loads neither", () => {
    expect(loaded(`require(${JSON.stringify(join(TEST_DIST, "scripts", "verify", "index.js"))})`)).toBe(0);
  });

  test("making the clients loads them", () => {
    const clients = JSON.stringify(join(TEST_DIST, "scripts", "verify", "clients.js"));
    expect(loaded(`require(${clients}).makeClients({ region: "us-east-1", endpoints: {} }).destroy()`)).toBeGreaterThan(0);
  });
});
