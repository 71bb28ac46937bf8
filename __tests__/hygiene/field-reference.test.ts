/** The environment field reference is generated from the schema (npm run docs) and every field is described there. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { FIELD_REFERENCE_FILE, fieldReference, fieldRows, rulePaths, schemaDescriptions } from "../../lib/docs/field-reference";

const ROOT = join(__dirname, "..", "..");

describe("environment field reference", () => {
  const rows = fieldRows();

  test(`${FIELD_REFERENCE_FILE} is the one generated from the schema (run npm run docs)`, () => {
    expect(readFileSync(join(ROOT, FIELD_REFERENCE_FILE), "utf8")).toBe(fieldReference());
  });

  test("every schema field has a description (a doc comment on the field in lib/config/schema.ts)", () => {
    expect(rows.length).toBeGreaterThan(100);
    expect(rows.filter((r) => r.description === "").map((r) => r.path)).toEqual([]);
  });

  test("per-tier defaults and rules are found", () => {
    const engine = rows.find((r) => r.path === "postgres.engineVersion");
    expect(engine?.rules).toContain("postgres");
    const retention = rows.find((r) => r.path === "postgres.backupRetentionDays");
    expect(retention?.defaults).toEqual({ development: "`7`", production: "`14`" });
    expect(rows.find((r) => r.path === "name")?.defaults.development).toBe("—");
  });

  test("the parsers would see a new undocumented field and a rule's template path", () => {
    const schema = 'const EnvironmentSchema = z.object({\n  /** Documented. */\n  a: z.string(),\n  b: z.object({ c: z.number() }),\n});';
    expect([...schemaDescriptions(schema)]).toEqual([["a", "Documented."]]);
    const [rule] = rulePaths("const pools: EnvironmentRule = (env) => [{ path: `nodePools.${name}` }];\n");
    expect(rule.rule).toBe("pools");
    expect(rule.pattern.test("nodePools.general")).toBe(true);
    // A literal field with one segment under it: the rule applies to the field too (free-form overrides).
    expect(rule.pattern.test("nodePools")).toBe(true);
    expect(rule.pattern.test("nodePools.general.minSize")).toBe(false);
    const [inner] = rulePaths("const sizes: EnvironmentRule = (env) => [{ path: `nodePools.${name}.minSize` }];\n");
    expect([inner.pattern.test("nodePools.general.minSize"), inner.pattern.test("nodePools.general"), inner.pattern.test("nodePools")]).toEqual([true, false, false]);
    const overrides = rows.filter((r) => r.path.endsWith(".valuesOverrides"));
    expect(overrides.map((r) => [r.path, r.rules])).toEqual([
      ["langfuse.valuesOverrides", ["valuesOverrideKeys", "valuesOverrideLists"]],
      ["langsmith.valuesOverrides", ["valuesOverrideKeys", "valuesOverrideLists"]],
    ]);
  });
});
