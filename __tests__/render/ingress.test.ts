/**
 * The ALB and WAF against the rendered frontend: idle timeout vs nginx's proxy_read_timeout and
 * keep-alive, and the WAF's ingestion paths vs the chart's ingestion locations.
 */
import { FRONTEND_PROXY_READ_TIMEOUT_SECONDS } from "../../lib/langsmith-values/chart";
import { INGEST_PATH_REGEX } from "../../modules/ingress";
import { resources, describeEach } from "../helpers";
import { describeRendered, LANGSMITH_ENVIRONMENT_NAMES, rendered } from "./rendered";

function nginxConfig(name: string): string {
  const cm = rendered(name).langsmith.manifests.find((m) => m.kind === "ConfigMap" && m.metadata.name.endsWith("-frontend"));
  return Object.values((cm?.data ?? {}) as Record<string, string>).join("\n");
}

const directive = (conf: string, name: string): number[] => [...conf.matchAll(new RegExp(`\\b${name}\\s+(\\d+)s?;`, "g"))].map((m) => Number(m[1]));

describeEach(LANGSMITH_ENVIRONMENT_NAMES, describeRendered)("%s: ALB and WAF fit the rendered frontend", (name) => {
  test("the chart's proxy_read_timeout is the constant the loader rule uses, and the ALB idle timeout is at least it", () => {
    const conf = nginxConfig(name);
    expect(new Set(directive(conf, "proxy_read_timeout"))).toEqual(new Set([FRONTEND_PROXY_READ_TIMEOUT_SECONDS]));
    const [, alb] = resources(rendered(name).stack, "aws_lb")[0];
    expect(alb.idle_timeout).toBeGreaterThanOrEqual(Math.max(...directive(conf, "proxy_read_timeout")));
  });

  test("nginx keeps idle connections longer than the ALB (no 502 on a connection nginx just closed)", () => {
    const [, alb] = resources(rendered(name).stack, "aws_lb")[0];
    const keepalive = directive(nginxConfig(name), "keepalive_timeout");
    expect(keepalive.length).toBeGreaterThan(0);
    for (const k of keepalive) expect(k).toBeGreaterThan(alb.idle_timeout);
  });

  test("every ingestion location of the rendered nginx config is one the WAF treats as ingestion", () => {
    const locations = [...nginxConfig(name).matchAll(/location\s+(?:=\s+)?(\S+)\s*\{/g)].map((m) => m[1]);
    const ingestion = locations.filter((l) => /\/runs(\/|$)|\/otel\//.test(l) && /^\/api\//.test(l));
    expect(ingestion.length).toBeGreaterThan(0);
    const re = new RegExp(INGEST_PATH_REGEX);
    expect(ingestion.filter((l) => !re.test(l))).toEqual([]);
  });
});
