import { SecretsApi, seedSecrets } from "../../scripts/seed-secrets";
import { envWith } from "../helpers";

/** An in-memory Secrets Manager: names with a value, and the writes it received. */
function fakeApi(present: string[]): SecretsApi & { writes: [string, string][] } {
  const values = new Map(present.map((n) => [n, "existing"]));
  const writes: [string, string][] = [];
  return {
    writes,
    async hasValue(name) {
      return values.has(name);
    },
    async putValue(name, value) {
      writes.push([name, value]);
      values.set(name, value);
    },
    async getValue(name) {
      const v = values.get(name);
      if (v === undefined) throw new Error(`no value for ${name}`);
      return v;
    },
  };
}

describe("seed-secrets", () => {
  const env = envWith("dev");

  test("without --apply it changes nothing and says what it would seed", async () => {
    const api = fakeApi([]);
    const results = await seedSecrets(env, api, false);
    expect(api.writes).toEqual([]);
    expect(Object.fromEntries(results.map((r) => [r.id, r.status]))).toEqual({
      "license-key": "operator-missing",
      "api-key-salt": "would-seed",
      "jwt-secret": "would-seed",
      "initial-org-admin-password": "would-seed",
      "clickhouse-password": "would-seed",
    });
  });

  test("with --apply it fills only generated secrets that have no value, each with its generator", async () => {
    const api = fakeApi(["ls-dev/langsmith/api-key-salt"]);
    const results = await seedSecrets(env, api, true, (kind) => `generated-${kind}`);
    expect(api.writes).toEqual([
      ["ls-dev/langsmith/jwt-secret", "generated-token"],
      ["ls-dev/langsmith/initial-org-admin-password", "generated-password"],
      ["ls-dev/langsmith/clickhouse-password", "generated-alphanumeric"],
    ]);
    expect(results.find((r) => r.id === "api-key-salt")?.status).toBe("present");
  });

  test("never generates an operator secret; prints the put-secret-value command instead", async () => {
    const api = fakeApi([]);
    const results = await seedSecrets(envWith("prod"), api, true, () => "x");
    expect(api.writes.map(([n]) => n)).toEqual(["ls-prod/langsmith/api-key-salt"]);
    const license = results.find((r) => r.id === "license-key");
    expect(license?.status).toBe("operator-missing");
    expect(license?.command).toBe("aws secretsmanager put-secret-value --region us-east-1 --secret-id ls-prod/langsmith/license-key --secret-string file://<file holding the license-key>");
  });

  test("a second run is a no-op", async () => {
    const api = fakeApi([]);
    await seedSecrets(env, api, true);
    const writes = api.writes.length;
    await seedSecrets(env, api, true);
    expect(api.writes).toHaveLength(writes);
  });
});
