/**
 * LangSmith configurations unlike the shipped ones, derived from each environment of environments/
 * that runs LangSmith (never a fixed fleet): OIDC with Insights and Polly on the shared stores,
 * and external ClickHouse where the environment runs it in-cluster. The render tier checks them
 * beside the shipped environments.
 */
import { ENVIRONMENTS } from "../../environments";
import { loadEnvironment } from "../../lib/config/load";
import { type EnvironmentConfig, runs } from "../../lib/config/schema";
import type { Json } from "../helpers";

const EXTERNAL_CLICKHOUSE = { mode: "external", host: "clickhouse.internal.example.com", port: 8443, nativePort: 9440, database: "langsmith", user: "langsmith", tls: true, replicated: true, cluster: "langsmith" };

/** The environments of environments/ that run LangSmith, loaded once: what these configurations vary. */
const langsmithSources = () =>
  ENVIRONMENTS.map((source) => ({ source, config: loadEnvironment(source) })).filter(({ config }) => runs(config, "langsmith"));

/** Label (`environments/dev.ts + OIDC, ...`) and configuration of every fork (of environments that run LangSmith). */
export function forks(sources = langsmithSources()): [string, EnvironmentConfig][] {
  const out: [string, EnvironmentConfig][] = [];
  for (const { source, config } of sources) {
    const fork = (label: string, mutate: (i: Json) => void) => {
      const input = JSON.parse(JSON.stringify(source.input)) as Json;
      mutate(input);
      out.push([`${source.file} + ${label}`, loadEnvironment({ file: source.file, input })]);
    };
    fork("OIDC, Insights and Polly shared", (i) => {
      i.auth = { model: "oidc", clientId: "langsmith", issuerUrl: "https://sso.example.com" };
      i.langsmith = { ...i.langsmith, insights: "shared", polly: "shared" };
    });
    if (config.clickhouse.mode === "in-cluster") {
      fork("external ClickHouse", (i) => {
        i.clickhouse = EXTERNAL_CLICKHOUSE;
        if (i.nodePools) delete i.nodePools.clickhouse;
      });
    }
  }
  return out;
}

/** Every environment that runs LangSmith as shipped, then the forks. */
export function configurations(): [string, EnvironmentConfig][] {
  const sources = langsmithSources();
  return [...sources.map(({ source, config }) => [source.file, config] as [string, EnvironmentConfig]), ...forks(sources)];
}
