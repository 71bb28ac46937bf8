/**
 * What the CI apply role can hand out: the boundary on every role it creates is narrow, and an
 * environment that protects its data denies its apply role deleting data or keys.
 */
import { ENVIRONMENTS } from "../../environments";
import { loadEnvironments } from "../../lib/config/load";
import { EnvironmentConfig, protectsData } from "../../lib/config/schema";
import { boundaryPolicy, CiScope, protectDataPolicy } from "../../modules/ci-role/policies";
import { bootstrapStackName, bootstrapTargets } from "../../stacks/bootstrap-stack";
import { Json, resources, shippedStack, synthEnv, testEach } from "../helpers";
import { withLangfuse } from "../langfuse-envs";
import { globMatch } from "../../lib/policy/values";

const SCOPE = { accountId: "111111111111", region: "us-west-2", resourcePrefix: "ls-prod-", environmentTag: "prod" } as CiScope;
const list = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v as string]);

describe("the permissions boundary", () => {
  const doc = boundaryPolicy(SCOPE);
  const actions = doc.Statement.flatMap((s) => list(s.Action));

  test.each(["ssm:", "ssmmessages:", "ec2messages:", "shield:", "waf-regional:", "wafv2:", "route53:", "iam:Pass"])("allows nothing of %s", (prefix) => {
    expect(actions.filter((a) => a.startsWith(prefix))).toEqual([]);
  });

  test("no tag:TagResources, no logs:* and no log group deletion", () => {
    expect(actions).not.toContain("tag:TagResources");
    expect(actions.filter((a) => a === "logs:*" || a === "logs:DeleteLogGroup")).toEqual([]);
  });

  test("log writes only on the environment's groups (and RDS Enhanced Monitoring's fixed group)", () => {
    for (const s of doc.Statement.filter((x) => list(x.Action).some((a) => a.startsWith("logs:") && a !== "logs:DescribeLogGroups"))) {
      for (const r of list(s.Resource)) expect(r).toMatch(/^arn:aws:logs:us-west-2:111111111111:log-group:(\*ls-prod-\*|RDSOSMetrics)/);
    }
  });

  test("KMS only on keys tagged with the environment", () => {
    const kms = doc.Statement.filter((s) => list(s.Action).some((a) => a.startsWith("kms:")));
    expect(kms).toHaveLength(1);
    expect(kms[0].Condition).toEqual({ StringEquals: { "aws:ResourceTag/environment": "prod" } });
  });

  test("load balancer writes only on the environment's target groups", () => {
    const writes = doc.Statement.filter((s) => list(s.Action).some((a) => a.startsWith("elasticloadbalancing:") && !a.startsWith("elasticloadbalancing:Describe")));
    expect(writes.flatMap((s) => list(s.Resource))).toEqual(["arn:aws:elasticloadbalancing:us-west-2:111111111111:targetgroup/ls-prod-*/*"]);
    expect(actions).not.toContain("elasticloadbalancing:*");
  });
});

describe("an environment that protects its data", () => {
  const denied = protectDataPolicy({ ...SCOPE, protectData: true } as CiScope).Statement;

  test("denies key deletion, database, cache, bucket and secret deletion", () => {
    expect(denied.every((s) => s.Effect === "Deny")).toBe(true);
    expect(denied.flatMap((s) => list(s.Action))).toEqual(
      expect.arrayContaining(["kms:ScheduleKeyDeletion", "rds:DeleteDBInstance", "rds:DeleteDBCluster", "elasticache:DeleteReplicationGroup", "s3:DeleteBucket", "secretsmanager:DeleteSecret"]),
    );
  });

  const envs = loadEnvironments(ENVIRONMENTS).map((e) => e.config).filter((e) => e.ci && e.state.backend === "s3");
  const targets = bootstrapTargets(envs);
  testEach(envs.map((e) => [e.name, e] as const))("%s: the deny policy is attached to its apply role exactly when it protects data", (_n, env) => {
    const t = targets.find((x) => x.ci.some((c) => c.environment === env.name))!;
    const json = shippedStack(bootstrapStackName(t, targets));
    const attached = resources(json, "aws_iam_role_policy_attachment").filter(([n]) => n.startsWith(`ci-${env.name}_apply-protect-data`));
    expect(attached.length).toBe(protectsData(env) ? 1 : 0);
    expect(resources(json, "aws_iam_role_policy_attachment").filter(([n]) => n.startsWith(`ci-${env.name}_apply-`)).length).toBeGreaterThan(3);
    if (protectsData(env)) {
      const policy = resources(json, "aws_iam_policy").find(([n]) => n.startsWith(`ci-${env.name}_policy-protect-data`))?.[1] as Json;
      expect(JSON.parse(policy.policy).Statement.map((s: Json) => s.Effect)).toEqual(denied.map(() => "Deny"));
    }
  });
});

/** Every action the environment's roles are granted inline must fit under their boundary, or it is dead (denied at run time). */
const fitsStacks: [string, EnvironmentConfig, () => Json][] = [
  ...loadEnvironments(ENVIRONMENTS).filter((e) => e.config.ci).map((e): [string, EnvironmentConfig, () => Json] => [`langsmith-${e.config.name}`, e.config, () => shippedStack(`langsmith-${e.config.name}`)]),
  ["dev with Langfuse", withLangfuse("dev"), () => synthEnv(withLangfuse("dev"))],
];
testEach(fitsStacks)("%s: every inline grant of a bounded role is inside the boundary (a narrower boundary never silently breaks a pod)", (_name, env, synth) => {
  expect(env.ci).toBeDefined();
  const json = synth();
  const boundary = boundaryPolicy({ accountId: env.aws.accountId, region: env.aws.region, resourcePrefix: `${env.prefix}-${env.name}-`, environmentTag: env.name } as CiScope);
  const allowed = boundary.Statement.filter((s) => s.Effect === "Allow").flatMap((s) => list(s.Action));
  const outside = resources(json, "aws_iam_role_policy").flatMap(([address, p]) =>
    (JSON.parse(p.policy).Statement as Json[])
      .filter((s) => s.Effect === "Allow")
      .flatMap((s) => list(s.Action))
      .filter((a) => !allowed.some((g) => globMatch(g, a)))
      .map((a) => `${address}: ${a}`),
  );
  expect(outside).toEqual([]);
});
