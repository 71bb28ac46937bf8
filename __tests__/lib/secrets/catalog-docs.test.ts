/**
 * docs/secrets.md's table of LangSmith's secrets is checked against the catalog (lib/secrets/catalog.ts):
 * the row naming a Secrets Manager secret names the Kubernetes secret and key the catalog sends it
 * to, and who provides the value. A renamed key or secret fails here instead of misleading an operator.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { secretCatalog, SecretSpec } from "../../../lib/secrets/catalog";
import { envWith } from "../../helpers";

const DOC = "docs/secrets.md";
const rows = readFileSync(join(__dirname, "..", "..", "..", DOC), "utf8").split("\n").filter((l) => l.startsWith("| "));

/** Every LangSmith secret some environment can have: both auth models, both ClickHouse modes, every feature on. */
const features = { langsmith: { insights: "shared", polly: "shared" } };
const specs = new Map<string, SecretSpec>();
for (const env of [envWith("dev", features), envWith("prod", features)]) {
  for (const s of secretCatalog({ ...env, applications: ["langsmith"] })) specs.set(`${s.id} (${s.source})`, s);
}

describe(`${DOC} agrees with the secret catalog`, () => {
  test("both auth models and both ClickHouse modes are covered", () => {
    expect([...specs.keys()]).toEqual(expect.arrayContaining(["jwt-secret (generated)", "oauth-client-secret (operator)", "clickhouse-password (generated)", "clickhouse-password (operator)", "polly-encryption-key (generated)"]));
  });

  test.each([...specs.entries()])("%s", (_id, s) => {
    const row = rows.filter((r) => r.includes(`\`${s.id}\``));
    expect(row).toHaveLength(1);
    expect(row[0]).toContain(`\`${s.target.secret}\``);
    expect(row[0]).toContain(`\`${s.target.key}\``);
    expect(row[0]).toContain(s.source === "generated" ? "`seed-secrets`" : "operator");
  });
});
