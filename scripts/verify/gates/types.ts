import type { VerifyClients } from "../clients";
import type { VerifyTarget } from "../target";

export interface VerifyOptions {
  /** Also open a TCP connection to Postgres and Redis (only works from inside the VPC). */
  readonly tcpProbe: boolean;
  /** Container restarts a LangSmith pod may have before gate 7 fails. */
  readonly maxRestarts: number;
  /** Secrets Manager secret holding the LangSmith API key (when LANGSMITH_API_KEY is unset). */
  readonly apiKeySecret?: string;
  /** LangSmith project (tracing session) the verification run is written to. */
  readonly project: string;
  readonly traceTimeoutMs: number;
  readonly pollIntervalMs: number;
  readonly httpTimeoutMs: number;
  /** S3 endpoint for the anonymous bucket probe (path-style); default the regional virtual-host endpoint. */
  readonly s3Endpoint?: string;
  /** LangSmith base URL; default `https://<hostname>`. */
  readonly langsmithUrl?: string;
  /** Environment variables (LANGSMITH_API_KEY). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

export interface GateContext {
  readonly target: VerifyTarget;
  readonly clients: VerifyClients;
  readonly options: VerifyOptions;
  /** Values that must never be printed (API keys): the runner masks them in every line. */
  readonly secrets: Set<string>;
  /** Calls shared by several gates (DescribeCluster) run once. */
  memo<T>(key: string, f: () => Promise<T>): Promise<T>;
}

export interface GateOutcome {
  readonly ok: boolean;
  /** What was observed: states, counts, status codes, reasons. Never secret values. */
  readonly evidence: string[];
  /** Failure-specific places to look, printed before the gate's general triage list. */
  readonly hints?: string[];
}

export interface Gate {
  /** Stable id, for `--only` and the JSON report. */
  readonly id: string;
  readonly title: string;
  /** The first places to look when the gate fails (walkthrough section 10 and the gate's own section). */
  readonly triage: readonly string[];
  run(ctx: GateContext): Promise<GateOutcome>;
}

export const pass = (evidence: string[]): GateOutcome => ({ ok: true, evidence });
export const fail = (evidence: string[], hints: string[] = []): GateOutcome => ({ ok: false, evidence, hints });

/** `a, b, c and 7 more`: evidence lines stay readable on large clusters. */
export function listed(items: readonly string[], max = 8): string {
  if (items.length === 0) return "none";
  return items.length <= max ? items.join(", ") : `${items.slice(0, max).join(", ")} and ${items.length - max} more`;
}
