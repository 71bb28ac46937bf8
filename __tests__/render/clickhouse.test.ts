/**
 * External ClickHouse as the pods see it: every pod that runs ClickHouse migrations or queries gets
 * CLICKHOUSE_CLUSTER = the declared cluster (replicated tables ON CLUSTER) and CLICKHOUSE_HYBRID.
 */
import { containersOf, envValue, pods } from "./manifests";
import { describeRendered, LANGSMITH_ENVIRONMENT_NAMES, rendered } from "./rendered";
import { describeEach } from "../helpers";

describeEach(LANGSMITH_ENVIRONMENT_NAMES, describeRendered)("%s: ClickHouse topology reaches the pods", (name) => {
  test("CLICKHOUSE_CLUSTER and CLICKHOUSE_HYBRID are what the environment declares, in every pod that sets them, the migrations included", () => {
    const { config, langsmith } = rendered(name);
    const ch = config.clickhouse;
    const expected = ch.mode === "external" ? { cluster: ch.replicated ? ch.cluster : "", hybrid: String(ch.hybrid ?? false) } : { cluster: "", hybrid: "false" };
    const withClickhouse = pods(langsmith.manifests).flatMap((p) => containersOf(p).filter((c) => envValue(c, "CLICKHOUSE_CLUSTER") !== undefined).map((c) => ({ pod: p, c })));
    expect(withClickhouse.some(({ pod }) => /ch-migrations/.test(pod.name))).toBe(true);
    for (const { pod, c } of withClickhouse) {
      expect({ pod: pod.owner, cluster: envValue(c, "CLICKHOUSE_CLUSTER"), hybrid: envValue(c, "CLICKHOUSE_HYBRID") }).toEqual({ pod: pod.owner, ...expected });
    }
    if (ch.mode === "external" && ch.replicated) expect(expected.cluster).not.toBe("");
  });
});
