import { fit, Namer } from "../../lib/naming";

describe("naming", () => {
  test("builds {prefix}-{env}-{component}", () => {
    expect(new Namer("ls", "dev").name("eks")).toBe("ls-dev-eks");
  });
  test("shortens past the kind's limit with a stable hash, never exceeding it", () => {
    const n = new Namer("ls", "staging");
    const long = n.name("a-very-long-component-name-for-a-replication-group", "elasticacheReplicationGroup");
    expect(long.length).toBeLessThanOrEqual(40);
    expect(long).toMatch(/^ls-staging-a-very-long-component-[0-9a-f]{6}$/);
    expect(n.name("a-very-long-component-name-for-a-replication-group", "elasticacheReplicationGroup")).toBe(long);
    expect(fit("x".repeat(70), 63)).toHaveLength(63);
  });
});
