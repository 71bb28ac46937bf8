/**
 * The cost model prices the alarms and WAF rules the stack creates, counted where they are decided
 * (lib/observability/alarms.ts `environmentAlarms`, lib/waf.ts `WAF_RULE_NAMES`), not estimates of
 * its own: for every kind of environment, the counts equal the synthesized stack's resources (and
 * the tiers' dashboards, a usage figure, the stack's one dashboard).
 */
import { estimateMonthlyCost, regionPrices, USAGE } from "../../../lib/cost/model";
import { EnvironmentConfig } from "../../../lib/config/schema";
import { environmentAlarms } from "../../../lib/observability/alarms";
import { WAF_RULE_NAMES } from "../../../lib/waf";
import { envWith, resources, synthEnv } from "../../helpers";
import { langfuseOnly, langfuseOnlyProduction, withLangfuse } from "../../langfuse-envs";

const KINDS: [string, () => EnvironmentConfig][] = [
  ["dev (RDS instance, one Redis node, public)", () => envWith("dev")],
  ["staging", () => envWith("staging")],
  ["prod (Multi-AZ, Redis replicas)", () => envWith("prod")],
  ["a private environment", () => envWith("dev", { exposure: "private" })],
  ["LangSmith and Langfuse", () => withLangfuse("dev")],
  ["Langfuse alone", () => langfuseOnly()],
  ["Langfuse alone, production", () => langfuseOnlyProduction()],
];

describe.each(KINDS)("%s", (_kind, make) => {
  const env = make();
  const stack = synthEnv(env);

  test("environmentAlarms counts the stack's CloudWatch alarms", () => {
    expect(environmentAlarms(env).length).toBe(resources(stack, "aws_cloudwatch_metric_alarm").length);
  });

  test("the tier's usage prices as many dashboards as the stack has", () => {
    expect(resources(stack, "aws_cloudwatch_dashboard").length).toBe(USAGE[env.tier].dashboards);
  });

  test("WAF_RULE_NAMES are the rules of the stack's web ACL, in priority order", () => {
    const [[, acl]] = resources(stack, "aws_wafv2_web_acl");
    const rules = [...(acl.rule as { name: string; priority: number }[])].sort((a, b) => a.priority - b.priority);
    expect(rules.map((r) => r.name)).toEqual(WAF_RULE_NAMES);
  });

  test("the cost lines quote those counts", () => {
    if (!regionPrices(env.aws.region)) return;
    const lines = estimateMonthlyCost(env).lines;
    expect(lines.find((l) => l.key === "cloudwatch")?.detail).toContain(`, ${environmentAlarms(env).length} alarms`);
    expect(lines.find((l) => l.key === "waf")?.detail).toContain(`1 ACL, ${WAF_RULE_NAMES.length} rules`);
  });
});
