/**
 * Each application's share of an environment's monthly estimate (`npm run cost`).
 *
 * Lines that serve one application go to it whole: LangSmith's ClickHouse pool and blob bucket,
 * Langfuse's bucket and own PostgreSQL instance. Everything shared (EKS, the general node pool,
 * NAT, ALB, WAF, the shared PostgreSQL and Redis, EBS roots, CloudWatch) is split by the
 * applications' CPU requests at minimum replicas (their sizing profiles): what each reserves on
 * the shared cluster. A rule of thumb for chargeback, not metering.
 */
import { Application, EnvironmentConfig, runs } from "../config/schema";
// The split key is the general pool's own arithmetic (one place).
import { requestedVcpu } from "../general-pool";
import type { CostEstimate } from "./model";

/** Cost lines that belong to one application (by CostLine.key). */
export const DEDICATED_LINES: Readonly<Record<string, Application>> = {
  "pool-clickhouse": "langsmith",
  s3: "langsmith",
  "clickhouse-external": "langsmith",
  "s3-langfuse": "langfuse",
  "rds-langfuse": "langfuse",
  "clickhouse-langfuse": "langfuse",
};

export interface ApplicationShare {
  readonly application: Application;
  /** USD per month: dedicated lines plus the application's part of the shared ones. */
  readonly monthly: number;
  /** Its part of the shared lines (0-1): its CPU requests at minimum replicas over all applications'. */
  readonly sharedFraction: number;
  /** vCPU requested at minimum replicas (the split key). */
  readonly requestedVcpu: number;
}

export function applicationShares(env: EnvironmentConfig, estimate: CostEstimate): ApplicationShare[] {
  const apps = env.applications.filter((a) => runs(env, a));
  const vcpu = Object.fromEntries(apps.map((a) => [a, requestedVcpu(env, a)])) as Record<Application, number>;
  const total = apps.reduce((s, a) => s + vcpu[a], 0);
  const shared = estimate.lines.filter((l) => !(l.key in DEDICATED_LINES)).reduce((s, l) => s + (l.monthly ?? 0), 0);
  return apps.map((app) => {
    const fraction = apps.length === 1 ? 1 : total > 0 ? vcpu[app] / total : 1 / apps.length;
    const dedicated = estimate.lines.filter((l) => DEDICATED_LINES[l.key] === app).reduce((s, l) => s + (l.monthly ?? 0), 0);
    return { application: app, monthly: Math.round((dedicated + shared * fraction) * 100) / 100, sharedFraction: Math.round(fraction * 1000) / 1000, requestedVcpu: Math.round(vcpu[app] * 100) / 100 };
  });
}
