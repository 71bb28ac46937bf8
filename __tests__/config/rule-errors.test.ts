/** A cross-field rule with a bug fails loudly, naming itself, instead of passing every environment. */
import { RuleError, runEnvironmentRules } from "../../lib/config/load";
import type { EnvironmentRule } from "../../lib/config/rules";
import { envWith, Json, problemsWith } from "../helpers";

const buggyRule: EnvironmentRule = (env) => (env.postgres as unknown as { missing: { field: string } }).missing.field.length ? [] : [];
const fine: EnvironmentRule = () => [{ path: "tier", message: "is fine", value: "x" }];

describe("environment rules that throw", () => {
  test("on a schema-valid environment: rethrown with the rule's name and the file", () => {
    const run = () => runEnvironmentRules(envWith("dev"), { file: "environments/dev.ts", schemaValid: true, rules: [fine, buggyRule] });
    expect(run).toThrow(RuleError);
    expect(run).toThrow(/^environments\/dev\.ts: environment rule "buggyRule" \(lib\/config\/rules\.ts\) failed: Cannot read properties of undefined/);
  });

  test("on an input the schema rejected: skipped (the shape error reports the field), other rules still report", () => {
    const problems = runEnvironmentRules(envWith("dev"), { file: "environments/dev.ts", schemaValid: false, rules: [fine, buggyRule] });
    expect(problems).toEqual([{ path: "tier", message: "is fine", value: "x" }]);
  });

  test("the shipped rules do not throw on a shipped environment", () => {
    expect(() => runEnvironmentRules(envWith("dev"), { file: "environments/dev.ts", schemaValid: true })).not.toThrow();
  });
});

describe("rules do not run on values that already failed their type", () => {
  const readsPostgres: EnvironmentRule = (env) => [{ path: "postgres.allocatedStorageGib", message: "follow-up", value: env.postgres.allocatedStorageGib }];
  const readsRedis: EnvironmentRule = (env) => [{ path: "redis.replicas", message: "independent", value: env.redis.replicas }];

  test("a rule that read a rejected path (or under it) is not reported; the others are", () => {
    const run = (failedPaths: string[]) =>
      runEnvironmentRules(envWith("dev"), { file: "environments/dev.ts", schemaValid: false, rules: [readsPostgres, readsRedis], failedPaths }).map((p) => p.message);
    expect(run(["postgres.allocatedStorageGib"])).toEqual(["independent"]);
    expect(run(["postgres"])).toEqual(["independent"]);
    expect(run(["postgres.engine"])).toEqual(["follow-up", "independent"]);
    expect(run([])).toEqual(["follow-up", "independent"]);
  });

  test.each<[string, Json, string[]]>([
    [
      "negative and string node counts: only the type errors, no minSize <= desiredSize follow-up",
      { nodePools: { general: { minSize: -7, desiredSize: "3" } } },
      ["environments/dev.ts: nodePools.general.minSize must be at least 0, got -7", "environments/dev.ts: nodePools.general.desiredSize must be a number, got string 3; write it without quotes: 3"],
    ],
    [
      "a malformed instance type: no capacity follow-up",
      { nodePools: { general: { instanceTypes: ["m6i_2xlarge"] } } },
      ["environments/dev.ts: nodePools.general.instanceTypes.0 must be an EC2 instance type like m6i.2xlarge, got m6i_2xlarge"],
    ],
  ])("%s", (_t, changes, expected) => {
    expect(problemsWith("dev", changes)).toEqual(expected);
  });
});

describe("a rule that fails while loading", () => {
  test("is reported with the other problems of the run, naming the file and the rule, not thrown", () => {
    const { shippedInput } = require("../helpers") as typeof import("../helpers");
    const { loadEnvironments } = require("../../lib/config/load") as typeof import("../../lib/config/load");
    const sources = [
      { file: "environments/dev.ts", input: shippedInput("dev") },
      { file: "environments/prod.ts", input: { ...shippedInput("prod"), owner: "" } },
    ];
    let problems: string[] = [];
    try {
      loadEnvironments(sources, { rules: [buggyRule] });
    } catch (e) {
      problems = [...(e as { problems: string[] }).problems];
    }
    expect(problems).toEqual([
      expect.stringMatching(/^environments\/dev\.ts: environment rule "buggyRule" \(lib\/config\/rules\.ts\) failed: Cannot read properties of undefined/),
      "environments/prod.ts: owner must not be empty, got \"\"",
    ]);
  });
});
