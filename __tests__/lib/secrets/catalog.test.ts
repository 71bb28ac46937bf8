import { secretCatalog, secretName } from "../../../lib/secrets/catalog";
import { envWith } from "../../helpers";

describe("secret catalog", () => {
  test.each([
    ["dev (basic auth, in-cluster ClickHouse)", envWith("dev"), { "license-key": "operator", "api-key-salt": "generated", "jwt-secret": "generated", "initial-org-admin-password": "generated", "clickhouse-password": "generated" }],
    ["prod (OIDC, external ClickHouse)", envWith("prod"), { "license-key": "operator", "api-key-salt": "generated", "oauth-client-secret": "operator", "clickhouse-password": "operator" }],
    ["staging with insights", envWith("staging", { langsmith: { insights: "shared" } }), { "license-key": "operator", "api-key-salt": "generated", "oauth-client-secret": "operator", "insights-encryption-key": "generated", "clickhouse-password": "operator" }],
  ] as const)("%s", (_l, env, expected) => {
    const catalog = secretCatalog(env);
    expect(Object.fromEntries(catalog.map((s) => [s.id, s.source]))).toEqual(expected);
    // Every generated secret says how; operator secrets never get a generator (the license key is never generated).
    for (const s of catalog) expect(s.generator === undefined).toBe(s.source === "operator");
  });

  test("names are {prefix}-{env}/langsmith/{id}", () => {
    expect(secretName("ls-dev", "license-key")).toBe("ls-dev/langsmith/license-key");
  });
});
