import { main, SecretsApi, seedSecrets } from "../../scripts/seed-secrets";
import { langfuseOnly, langfuseOnlyFork, withLangfuse } from "../langfuse-envs";

function fakeApi(): SecretsApi & { values: Map<string, string> } {
  const values = new Map<string, string>();
  return {
    values,
    async hasValue(name) {
      return values.has(name);
    },
    async putValue(name, value) {
      values.set(name, value);
    },
    async getValue(name) {
      return values.get(name)!;
    },
  };
}

describe("secrets:seed with Langfuse", () => {
  test("generates SALT, a 64-hex ENCRYPTION_KEY, NEXTAUTH_SECRET, the init user's password and a pk-lf/sk-lf key pair; asks the operator for ClickHouse", async () => {
    const api = fakeApi();
    const results = await seedSecrets(langfuseOnly(), api, true, undefined, { setPassword: async () => undefined });
    const v = (x: string) => api.values.get(`ls-lf/langfuse/${x}`) ?? "";
    expect(v("encryption-key")).toMatch(/^[0-9a-f]{64}$/);
    expect(v("init-public-key")).toMatch(/^pk-lf-[0-9a-f-]{36}$/);
    expect(v("init-secret-key")).toMatch(/^sk-lf-[0-9a-f-]{36}$/);
    expect(v("salt").length).toBeGreaterThanOrEqual(43);
    expect(v("nextauth-secret").length).toBeGreaterThanOrEqual(43);
    expect(results.find((r) => r.id === "langfuse-clickhouse-password")).toMatchObject({ status: "operator-missing", name: "ls-lf/langfuse/clickhouse-password" });
    // A Langfuse-only environment has none of LangSmith's secrets.
    expect(results.some((r) => r.id === "license-key")).toBe(false);
  });

  test("sets Langfuse's ElastiCache user's password from Secrets Manager on every --apply (and never without it)", async () => {
    const api = fakeApi();
    const calls: [string, string][] = [];
    const users = { setPassword: async (u: string, p: string) => void calls.push([u, p]) };
    await seedSecrets(withLangfuse("dev"), api, false, undefined, users);
    expect(calls).toEqual([]);
    const results = await seedSecrets(withLangfuse("dev"), api, true, undefined, users);
    expect(calls).toEqual([["ls-dev-langfuse", api.values.get("ls-dev/langfuse/redis-password")]]);
    expect(results.at(-1)).toMatchObject({ status: "user-updated", name: "elasticache user ls-dev-langfuse" });
    await seedSecrets(withLangfuse("dev"), api, true, undefined, users);
    expect(calls).toHaveLength(2);
    expect(calls[1]).toEqual(calls[0]);
  });

  test("no credentials on --apply: the message also names the two permissions Langfuse's Redis step needs", async () => {
    const noCredentials = Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" });
    const err: string[] = [];
    const code = await main(["lf", "--apply"], {
      sources: [{ file: "environments/lf.ts", input: langfuseOnlyFork() }],
      api: () => ({ hasValue: () => Promise.reject(noCredentials), putValue: () => Promise.reject(noCredentials) }),
      redisUsers: () => ({ setPassword: async () => undefined }),
      out: () => undefined,
      err: (l) => err.push(l),
    });
    expect(code).toBe(1);
    expect(err.join("\n")).toContain(
      "secretsmanager:DescribeSecret, secretsmanager:PutSecretValue and kms:GenerateDataKey on the environment's secrets (Langfuse: also secretsmanager:GetSecretValue and elasticache:ModifyUser).\n  Nothing was written.",
    );
  });
});
