/**
 * What each application owns exists exactly when it runs (`applications`): a Langfuse-only
 * environment carries nothing only LangSmith uses (roles, Redis user, secrets, IAM database auth,
 * alarms, health check), and a LangSmith-only one nothing only Langfuse uses. Over every
 * environment of the fleet (environments/), a Langfuse-only fork and one running both.
 */
import { ENVIRONMENTS } from "../../environments";
import { loadEnvironments } from "../../lib/config/load";
import { Application, EnvironmentConfig, runs } from "../../lib/config/schema";
import { LANGFUSE_RELEASE } from "../../lib/langfuse-values/chart";
import { RELEASE } from "../../lib/langsmith-values/chart";
import { stackName } from "../../lib/naming";
import { Json, resources, shippedStack, synthEnv } from "../helpers";
import { langfuseOnly, withLangfuse } from "../langfuse-envs";

const some = (json: Json, type: string, match: (address: string, r: Json) => boolean) => resources(json, type).some(([n, r]) => match(n, r));
const named = (json: Json, type: string, fragment: string) => some(json, type, (n) => n.includes(fragment));
const alarm = (json: Json, key: string) => some(json, "aws_cloudwatch_metric_alarm", (_, a) => String(a.alarm_name).endsWith(`-${key}`));
const secrets = (json: Json, app: Application) =>
  resources(json, "aws_secretsmanager_secret")
    .map(([, s]) => String(s.name))
    // The OIDC client secret is both applications' (one client): kept while either runs.
    .filter((name) => name.includes(`/${app}/`) && !name.endsWith("/oauth-client-secret"));
const releases = (json: Json, namespace: string) => resources(json, "helm_release").filter(([, r]) => r.namespace === namespace || String(r.namespace).includes(`${namespace}_namespace`) || String(r.namespace).includes(`${namespace}-namespace`));

/** [what, whose, present in this synthesized stack?, and only where (besides the application running)] */
type Row = [string, Application, (json: Json) => boolean, (env: EnvironmentConfig) => boolean];
// Every row has all four elements: jest would take a missing last argument for a `done` callback.
const row = (what: string, app: Application, present: (json: Json) => boolean, where: (env: EnvironmentConfig) => boolean = () => true): Row => [what, app, present, where];
const OWNED: Row[] = [

  row("LangSmith's secret store role (reads the RDS master secret) and its policy", "langsmith", (j) => named(j, "aws_iam_role", "secrets_eso-role") || named(j, "aws_iam_role_policy", "secrets_eso-role")),
  row("LangSmith's IRSA role", "langsmith", (j) => named(j, "aws_iam_role", "langsmith-app")),
  row("LangSmith's Redis IAM user", "langsmith", (j) => named(j, "aws_elasticache_user", "iam-user")),
  row("IAM database authentication on the environment's PostgreSQL (LangSmith's token logins)", "langsmith", (j) =>
    [...resources(j, "aws_db_instance"), ...resources(j, "aws_rds_cluster")].some(([n, d]) => n.startsWith("data_postgres") && d.iam_database_authentication_enabled === true)),
  row("LangSmith's secrets", "langsmith", (j) => secrets(j, "langsmith").length > 0),
  row("LangSmith's namespace and releases", "langsmith", (j) => named(j, "kubernetes_namespace_v1", "langsmith-namespace") || releases(j, RELEASE.namespace).length > 0),
  row("alarms on LangSmith's pods and target-group health", "langsmith", (j) => ["alb-unhealthy-targets", "alb-no-healthy-targets", "langsmith-pod-restarts"].some((k) => alarm(j, k))),
  row("a health check of LangSmith's /health", "langsmith", (j) => some(j, "aws_route53_health_check", (_, h) => h.resource_path === "/health"), (e) => e.exposure === "public"),
  row("Langfuse's IRSA and secret store roles", "langfuse", (j) => named(j, "aws_iam_role", "langfuse")),
  row("Langfuse's Redis password user", "langfuse", (j) => named(j, "aws_elasticache_user", "user-langfuse")),
  row("Langfuse's bucket", "langfuse", (j) => named(j, "aws_s3_bucket", "langfuse")),
  row("Langfuse's secrets", "langfuse", (j) => secrets(j, "langfuse").length > 0),
  row("Langfuse's namespace and releases", "langfuse", (j) => named(j, "kubernetes_namespace_v1", "langfuse") || releases(j, LANGFUSE_RELEASE.namespace).length > 0),
  row("Langfuse's target group and alarms", "langfuse", (j) => named(j, "aws_lb_target_group", "langfuse") || some(j, "aws_cloudwatch_metric_alarm", (_, a) => String(a.alarm_name).includes("-langfuse-"))),
];

const ENVS: [string, () => [EnvironmentConfig, Json]][] = [
  ...loadEnvironments(ENVIRONMENTS).map((e) => [`${e.file} (${e.config.applications.join(", ")})`, () => [e.config, shippedStack(stackName(e.config))]] as [string, () => [EnvironmentConfig, Json]]),
  ["a Langfuse-only fork", () => [langfuseOnly(), synthEnv(langfuseOnly())]],
  ["a fork running both", () => [withLangfuse("dev"), synthEnv(withLangfuse("dev"))]],
];

describe.each(ENVS)("%s", (_label, make) => {
  const [env, json] = make();
  test.each(OWNED)("%s: present exactly when %s runs", (_what, app, present, where) => {
    expect(present(json)).toBe(runs(env, app) && where(env));
  });
});

test("without LangSmith, the health check requests Langfuse's health endpoint on its name", () => {
  const env = langfuseOnly();
  const checks = resources(synthEnv(env), "aws_route53_health_check").map(([, h]) => [h.fqdn, h.resource_path]);
  expect(checks).toEqual([[env.dns.hostname, "/api/public/health"]]);
});

test("the url and hostname outputs say whose they are: Langfuse's without LangSmith (langfuse_url the same), LangSmith's beside it", () => {
  const describe = (j: Json) => [j.output.url, j.output.hostname, j.output.langfuse_url].map((o: Json | undefined) => o && `${o.description}: ${o.value}`);
  expect(describe(synthEnv(langfuseOnly()))).toEqual(["Langfuse: https://langfuse.lf.example.com", "Langfuse URL host: langfuse.lf.example.com", "Langfuse: https://langfuse.lf.example.com"]);
  expect(describe(synthEnv(withLangfuse("dev")))).toEqual(["LangSmith: https://langsmith.dev.example.com", "LangSmith URL host: langsmith.dev.example.com", "Langfuse: https://langfuse.dev.example.com"]);
});
