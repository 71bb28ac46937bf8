/** A cross-field rule with a bug fails loudly, naming itself, instead of passing every environment. */
import { RuleError, runEnvironmentRules } from "../../lib/config/load";
import type { EnvironmentRule } from "../../lib/config/rules";
import { envWith } from "../helpers";

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
