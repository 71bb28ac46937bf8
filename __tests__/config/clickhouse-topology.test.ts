/** Loader rules of the external ClickHouse's topology (replicated cluster, managed), with their messages. */
import { loadEnvironment } from "../../lib/config/load";
import { problemsWith } from "../helpers";
import { langfuseOnlyProductionFork } from "../langfuse-envs";

const external = (extra: Record<string, unknown>) => (i: Record<string, any>) => {
  const { replicated: _r, cluster: _c, hybrid: _h, ...rest } = i.clickhouse;
  i.clickhouse = { ...rest, ...extra };
};

describe("clickhouse topology rules", () => {
  test("a replicated ClickHouse needs its cluster name", () => {
    expect(problemsWith("prod", {}, external({ replicated: true }))).toEqual([
      'environments/prod.ts: clickhouse.cluster is required when clickhouse.replicated is true: without it the migrations create non-replicated tables on one replica (CLICKHOUSE_CLUSTER empty), got nothing; set it to the cluster name of the replicas in the ClickHouse remote_servers config, e.g. cluster: "langsmith"',
    ]);
  });

  test("a cluster name without replicated is refused", () => {
    expect(problemsWith("staging", {}, external({ replicated: false, cluster: "langsmith" }))).toEqual([
      "environments/staging.ts: clickhouse.cluster is only used with clickhouse.replicated: true (ON CLUSTER DDL), got langsmith; set replicated: true if the server is a cluster of replicas, else remove cluster",
    ]);
  });

  test("tier production must declare the topology (replicated or managed)", () => {
    expect(problemsWith("prod", {}, external({}))).toEqual([
      'environments/prod.ts: clickhouse.replicated must be declared for tier production: the reference architecture requires a replicated ClickHouse (3 replicas) or a managed one, and the tables are created accordingly, got nothing; add replicated: true and cluster: "<remote_servers cluster name>", or hybrid: true for ClickHouse Cloud',
    ]);
    expect(problemsWith("prod", {}, external({ hybrid: true }))).toEqual([]);
    expect(problemsWith("prod", {}, external({ replicated: false }))).toEqual([]);
  });

  test("the production topology rule is LangSmith's: a Langfuse-only environment declares its own (langfuse.clickhouse.clusterEnabled) and needs no top-level block", () => {
    const input = langfuseOnlyProductionFork() as Record<string, any>;
    expect(input.clickhouse).not.toHaveProperty("replicated");
    expect(() => loadEnvironment({ file: "environments/lfp.ts", input })).not.toThrow();
    // The same environment running LangSmith too is asked for LangSmith's topology.
    const both = { ...input, applications: ["langsmith", "langfuse"], langsmith: { initialOrgAdminEmail: "a@example.com" }, langfuse: { ...input.langfuse, hostname: "langfuse.example.com" } };
    expect(() => loadEnvironment({ file: "environments/lfp.ts", input: both })).toThrow(/environments\/lfp\.ts: clickhouse\.replicated must be declared for tier production/);
  });

  test("a cluster name is a ClickHouse identifier", () => {
    expect(problemsWith("prod", {}, external({ replicated: true, cluster: "my cluster" })).join("\n")).toMatch(/clickhouse\.cluster must be a ClickHouse cluster name/);
  });
});
