import { AGENT_SERVICE_ACCOUNTS } from "../../lib/langsmith-values/chart";
import { resolvePostgresEngine } from "../../lib/engines";
import { secretFindings } from "../modules/data-fixtures";
import { envWith, Json, resources, synthEnv } from "../helpers";

const release = (json: Json, name: string) => resources(json, "helm_release").find(([, r]) => r.name === name)?.[1] as Json;
const appSecrets = (json: Json): Json[] => JSON.parse(release(json, "langsmith-secrets").values[0]).manifests;
const trustedSubjects = (json: Json): string[] => {
  const role = resources(json, "aws_iam_role").find(([n]) => n.includes("langsmith-app"))?.[1];
  if (!role) throw new Error("no langsmith-app role");
  const doc = JSON.parse(role.assume_role_policy);
  return doc.Statement.flatMap((s: Json) => Object.entries(s.Condition?.StringEquals ?? {}).filter(([k]) => k.endsWith(":sub")).flatMap(([, v]) => [v].flat()));
};

describe.each([
  ["both shared", { insights: "shared", polly: "shared" }, ["langsmith-insights-db", "langsmith-polly-db"], ["langsmith_insights", "langsmith_polly"]],
  ["polly only", { polly: "shared" }, ["langsmith-polly-db"], ["langsmith_polly"]],
] as const)("a dev stack with %s", (_l, langsmith, secrets, databases) => {
  const json = synthEnv(envWith("dev", { langsmith }));
  const manifests = appSecrets(json);

  test("the app-secrets release delivers the agent ExternalSecrets and the database Job hook", () => {
    const names = manifests.map((m) => `${m.kind}/${m.metadata.name}`);
    for (const s of secrets) expect(names).toContain(`ExternalSecret/${s}`);
    expect(names.filter((n) => /-(insights|polly)-db$/.test(n))).toHaveLength(secrets.length);
    const jobs = manifests.filter((m) => m.kind === "Job");
    expect(jobs).toHaveLength(1);
    expect(jobs[0].metadata.annotations["helm.sh/hook"]).toBe("post-install,post-upgrade");
    const container = jobs[0].spec.template.spec.containers[0];
    expect(container.image).toBe(resolvePostgresEngine(envWith("dev").postgres).clientImage);
    const script: string = container.command[2];
    for (const db of ["langsmith_insights", "langsmith_polly"]) expect(script.includes(`CREATE DATABASE "${db}"`)).toBe((databases as readonly string[]).includes(db));
  });

  test("the agent secrets take the RDS endpoint (IAM-authenticated app user, no password) and the Redis IAM user and endpoint, from Terraform", () => {
    for (const s of secrets) {
      const es = manifests.find((m) => m.metadata.name === s)!;
      // Only the master user's name is fetched (ESO needs one data entry); the template ignores it.
      expect(es.spec.data).toEqual([{ secretKey: "username", remoteRef: { key: expect.stringMatching(/aws_db_instance\..*master_user_secret/), property: "username" } }]);
      expect(es.spec.target.template.data.postgres_connection_url).toMatch(/^postgresql:\/\/langsmith_app@\$\{aws_db_instance\.[^}]+\.address\}:5432\/langsmith_(insights|polly)\?sslmode=require$/);
      expect(es.spec.target.template.data.redis_connection_url).toMatch(/^rediss:\/\/\$\{aws_elasticache_user\.[^}]+\.user_id\}@\$\{aws_elasticache_replication_group\.[^}]+\.primary_endpoint_address\}:6379\/[23]$/);
    }
  });

  test("the langsmith-app role trusts the agents' service accounts", () => {
    const subjects = trustedSubjects(json);
    for (const f of ["insights", "polly"] as const) {
      const on = f in langsmith;
      for (const sa of AGENT_SERVICE_ACCOUNTS[f]) expect(subjects.includes(`system:serviceaccount:langsmith:${sa}`)).toBe(on);
    }
    expect(subjects).toContain("system:serviceaccount:langsmith:langsmith-backend");
  });

  test("no secret value in the synthesized JSON", () => {
    expect(secretFindings(json)).toEqual([]);
  });
});

test("the shipped dev stack has no agent secrets (its setup Job creates only the app role), and the role trusts only the main service accounts", () => {
  const json = synthEnv(envWith("dev"));
  expect(appSecrets(json).map((m) => m.metadata.name)).toEqual(["langsmith-secrets-reader", "langsmith-secrets-manager", "langsmith-config", "langsmith-postgres", "langsmith-postgres-app", "langsmith-redis", "langsmith-clickhouse", "langsmith-database-setup"]);
  expect(trustedSubjects(json).filter((s) => s.includes("standalone"))).toEqual([]);
});
