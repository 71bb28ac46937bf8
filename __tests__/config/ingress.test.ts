/** Loader rules of `ingress`: ALB idle timeout against the chart's proxy timeout, WAF ingestion limit. */
import { FRONTEND_PROXY_READ_TIMEOUT_SECONDS } from "../../lib/langsmith-values/chart";
import { ENVIRONMENTS } from "../../environments";
import { loadEnvironments } from "../../lib/config/load";
import { problemsWith, shippedInput } from "../helpers";

describe("ingress rules", () => {
  test("an idle timeout below the frontend's proxy_read_timeout is refused, naming the field, the value and the fix", () => {
    expect(problemsWith("dev", { ingress: { idleTimeoutSeconds: 60 } })).toEqual([
      `environments/dev.ts: ingress.idleTimeoutSeconds must be at least ${FRONTEND_PROXY_READ_TIMEOUT_SECONDS}, the LangSmith frontend's proxy_read_timeout: a shorter ALB idle timeout cuts long playground streams and exports with 504s, got 60; use 3600 (upstream's value) or remove the field to take the tier's default`,
    ]);
    expect(problemsWith("dev", { ingress: { idleTimeoutSeconds: FRONTEND_PROXY_READ_TIMEOUT_SECONDS } })).toEqual([]);
  });

  test("the ALB maximum (4000 s) is the schema's bound", () => {
    expect(problemsWith("prod", { ingress: { idleTimeoutSeconds: 4001 } }).join("\n")).toMatch(/^environments\/prod\.ts: ingress\.idleTimeoutSeconds .*4000/);
  });

  test("an ingestion rate limit below the general one is refused", () => {
    const general = shippedInput("prod").ingress.wafRateLimit as number;
    expect(problemsWith("prod", { ingress: { wafIngestRateLimit: general - 1 } })).toEqual([
      `environments/prod.ts: ingress.wafIngestRateLimit must be at least ingress.wafRateLimit (${general}): trace ingestion from a whole fleet arrives from one NAT address per VPC, got ${general - 1}; raise it to ${general} or more`,
    ]);
  });

  test("every environment's idle timeout fits the chart", () => {
    for (const { config: c } of loadEnvironments(ENVIRONMENTS)) expect(c.ingress.idleTimeoutSeconds).toBeGreaterThanOrEqual(FRONTEND_PROXY_READ_TIMEOUT_SECONDS);
  });
});
