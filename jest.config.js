/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  // The sources are roots too, so `jest --onlyChanged` (npm run test:changed) and --watch find the
  // tests that import a changed file; tests themselves live only under __tests__ (testMatch).
  roots: ["<rootDir>/__tests__", "<rootDir>/lib", "<rootDir>/modules", "<rootDir>/stacks", "<rootDir>/scripts", "<rootDir>/environments"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["@swc/jest", { jsc: { target: "es2022", parser: { syntax: "typescript" } } }] },
  moduleFileExtensions: ["ts", "js", "json"],
  // Synth-heavy suites share the provider classes; two workers match the 2-core CI machines.
  maxWorkers: 2,
  // Tests that start a fake AWS/Kubernetes API and the verify CLI load the AWS SDK on first use
  // (~0.7 s alone, several seconds on a loaded shared runner): jest's default 5 s made them flaky there.
  testTimeout: 30_000,
  // Jest's transform cache inside the repository: the tests leave no cache behind in the temp dir.
  cacheDirectory: "<rootDir>/node_modules/.cache/jest",
  // Loads cdktf and the provider packages once per worker, not once per test file (see the file).
  runtime: "<rootDir>/__tests__/shared-runtime.js",
  globalSetup: "<rootDir>/__tests__/global-setup.ts",
  globalTeardown: "<rootDir>/__tests__/global-teardown.ts",
  setupFiles: ["<rootDir>/__tests__/setup.ts"],
};
