/**
 * Gates 9 and 10: the UI over HTTPS (walkthrough 6.3) and the first trace (walkthrough 7),
 * through LangSmith's own endpoints: the frontend answers `/health` itself (chart nginx
 * `location = /health`, the target group's health check), and proxies `/api/v1/*` to the backend:
 * `GET /api/v1/info` (server info, unauthenticated by default), `POST /api/v1/runs` (create a run)
 * and `GET /api/v1/runs/<id>` (read it back once ingested).
 */
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { FRONTEND_SERVICE } from "../../../lib/langsmith-values/chart";
import { httpsUrl } from "../../../lib/naming";
import { describeError } from "../clients";
import { need } from "../target";
import { fail, Gate, GateContext, pass } from "./types";
import { sdk } from "../sdk";

/** The reference architecture's section 8.5 checklist for "traces created but not visible". */
export const BACKPRESSURE_CHECKLIST = [
  "ingestion backpressure (reference architecture 8.5): check, in order:",
  "1. ClickHouse query concurrency and disk I/O metrics",
  "2. queue depth and worker processing rates (langsmith-queue / langsmith-ingest-queue logs, Redis memory)",
  "3. ClickHouse merge operations and part counts",
  "4. ingestion delay (received_at → inserted_at)",
  "CLICKHOUSE_ASYNC_INSERT_WAIT_PCT_FLOAT=0 lowers write latency but does not fix a saturated ClickHouse",
];

export function langsmithUrl(ctx: GateContext): string {
  return (ctx.options.langsmithUrl ?? httpsUrl(need(ctx.target, "hostname"))).replace(/\/+$/, "");
}

interface Answer {
  readonly status: number;
  readonly ms: number;
  readonly contentType: string;
  readonly body: string;
}

export async function request(ctx: GateContext, url: string, init: RequestInit = {}): Promise<Answer> {
  const started = Date.now();
  const res = await fetch(url, { ...init, redirect: "manual", signal: AbortSignal.timeout(ctx.options.httpTimeoutMs) });
  const body = await res.text();
  return { status: res.status, ms: Date.now() - started, contentType: res.headers.get("content-type") ?? "", body };
}

/**
 * Reads `read()` every poll interval until it answers 200 with a JSON body whose `id` is `id`, for at
 * most the trace timeout: how a first trace is read back (LangSmith runs, Langfuse traces).
 */
export async function pollUntilRead(ctx: GateContext, id: string, read: () => Promise<Answer>): Promise<{ found: true; seconds: number; polls: number } | { found: false; polls: number; last: string }> {
  const t0 = Date.now();
  let polls = 0;
  let last = "";
  while (Date.now() - t0 <= ctx.options.traceTimeoutMs) {
    polls++;
    try {
      const a = await read();
      last = String(a.status);
      if (a.status === 200 && (JSON.parse(a.body) as { id?: string }).id === id) return { found: true, seconds: (Date.now() - t0) / 1000, polls };
    } catch (e) {
      last = describeError(e);
    }
    await sleep(ctx.options.pollIntervalMs);
  }
  return { found: false, polls, last };
}

/** What a transport error most likely means for an ALB + ACM + Route 53 setup. */
function transportHint(e: unknown, host: string): string {
  const text = describeError(e);
  if (/ENOTFOUND|EAI_AGAIN/.test(text)) return `DNS: ${host} does not resolve; check the Route 53 alias record to the ALB (dns.hostedZoneId)`;
  if (/CERT|TLS|SSL|self.signed|altname/i.test(text)) return "TLS: the certificate is not valid for this name (ACM validation, listener certificate)";
  if (/timeout|ETIMEDOUT|ECONNREFUSED|ECONNRESET/i.test(text))
    return "no connection: ALB security group (443 from your network), WAF, or exposure private (reach it over VPN or pass --langsmith-url)";
  return "the request failed before any HTTP answer; check DNS, the ALB listener and your network path";
}

function statusHint(status: number): string | undefined {
  if (status === 403) return "403: blocked by WAF (rate rule or managed rules)? Check the web ACL's sampled requests";
  if (status === 502 || status === 503 || status === 504) return `${status} from the ALB: no healthy target answered (gate alb-targets), or langsmith-frontend cannot reach the backend`;
  if (status >= 500) return "5xx from LangSmith: `kubectl -n langsmith logs deploy/langsmith-backend`";
  return undefined;
}

export const uiHttps: Gate = {
  id: "ui-https",
  title: "LangSmith UI and API answer over HTTPS",
  triage: [
    "Auth mismatch (walkthrough 10.4): UI loads but API calls fail: the backend logs and config.authType / OAuth settings",
    "Route 53 record → ALB, the ACM certificate on the 443 listener, the WAF web ACL",
  ],
  async run(ctx) {
    const base = langsmithUrl(ctx);
    const host = new URL(base).host;
    const evidence: string[] = [];
    const problems: string[] = [];
    const hints: string[] = [];
    if (!base.startsWith("https://")) evidence.push(`URL override ${base}: TLS is not checked`);
    let version: string | undefined;
    const checks: [string, (a: Answer) => string | undefined][] = [
      ["/", (a) => (a.contentType.includes("text/html") ? undefined : `expected the UI (text/html), got ${a.contentType || "no content type"}`)],
      // The target group's health check (one definition, lib/langsmith-values/chart.ts).
      [FRONTEND_SERVICE.healthCheckPath, () => undefined],
      [
        "/api/v1/info",
        (a) => {
          try {
            version = (JSON.parse(a.body) as { version?: string }).version;
            return version ? undefined : "no version in the answer";
          } catch {
            return "the answer is not JSON (is /api/v1 routed to the backend?)";
          }
        },
      ],
    ];
    for (const [path, check] of checks) {
      let a: Answer;
      try {
        a = await request(ctx, base + path);
      } catch (e) {
        problems.push(`GET ${base}${path}: ${describeError(e)}`);
        hints.push(transportHint(e, host));
        break;
      }
      const line = `GET ${base}${path} → ${a.status} (${a.ms} ms)`;
      const wrong = a.status === 200 ? check(a) : "expected 200";
      if (!wrong) evidence.push(line);
      else {
        problems.push(`${line}: ${wrong}`);
        const h = statusHint(a.status);
        if (h) hints.push(h);
      }
    }
    if (version) evidence.push(`LangSmith version ${version}`);
    return problems.length === 0 ? pass(evidence) : fail([...evidence, ...problems], hints);
  },
};

/** API key: `LANGSMITH_API_KEY`, else the Secrets Manager secret given by `--api-key-secret`. */
async function apiKey(ctx: GateContext): Promise<{ value: string; source: string } | { error: string }> {
  const fromEnv = ctx.options.env.LANGSMITH_API_KEY;
  if (fromEnv) return { value: fromEnv, source: "environment variable LANGSMITH_API_KEY" };
  const name = ctx.options.apiKeySecret;
  if (!name) return { error: "no API key: set LANGSMITH_API_KEY or pass --api-key-secret <Secrets Manager secret name>" };
  try {
    const s = (await ctx.clients.secrets.send(new sdk.secrets.GetSecretValueCommand({ SecretId: name }))).SecretString;
    if (!s) return { error: `secret ${name} has no string value` };
    // A plain key, or JSON with an api_key field (`aws secretsmanager put-secret-value --secret-string '{"api_key":"..."}'`).
    let value = s.trim();
    if (value.startsWith("{")) {
      const parsed = JSON.parse(value) as Record<string, unknown>;
      value = String(parsed.api_key ?? parsed.LANGSMITH_API_KEY ?? "");
    }
    return value ? { value, source: `Secrets Manager secret ${name}` } : { error: `secret ${name} has no api_key field` };
  } catch (e) {
    return { error: `reading secret ${name}: ${describeError(e)}` };
  }
}

/** `dotted_order` of a root run: `<UTC start as YYYYMMDDTHHMMSSffffffZ><run id>` (LangSmith run schema). */
export function dottedOrder(start: Date, id: string): string {
  const iso = start.toISOString(); // 2025-01-02T03:04:05.678Z
  return `${iso.slice(0, 19).replace(/[-:]/g, "")}${iso.slice(20, 23)}000Z${id}`;
}

export const firstTrace: Gate = {
  id: "first-trace",
  title: "A first trace is ingested and readable",
  triage: [
    "Auth mismatch (walkthrough 10.4): 401/403 means the key or the auth model (config.authType) is wrong",
    "ingestion errors: `kubectl -n langsmith logs deploy/langsmith-queue` and `deploy/langsmith-ingest-queue`, ClickHouse logs",
  ],
  async run(ctx) {
    const key = await apiKey(ctx);
    if ("error" in key) return fail([key.error], ["create a key in the UI (Settings → API Keys) as the initial org admin, then export LANGSMITH_API_KEY"]);
    ctx.secrets.add(key.value);
    const base = langsmithUrl(ctx);
    const id = randomUUID();
    const start = new Date();
    const run = {
      id,
      trace_id: id,
      dotted_order: dottedOrder(start, id),
      name: "langsmith-verify",
      run_type: "chain",
      start_time: start.toISOString(),
      end_time: new Date(start.getTime() + 1).toISOString(),
      inputs: { check: "first trace" },
      outputs: { result: "ok" },
      session_name: ctx.options.project,
      extra: { metadata: { source: "npm run verify", environment: ctx.target.env } },
    };
    const headers = { "x-api-key": key.value, "content-type": "application/json" };
    const evidence = [`API key from ${key.source} (value not shown)`];
    let created: Answer;
    try {
      created = await request(ctx, `${base}/api/v1/runs`, { method: "POST", headers, body: JSON.stringify(run) });
    } catch (e) {
      return fail([...evidence, `POST ${base}/api/v1/runs: ${describeError(e)}`]);
    }
    evidence.push(`POST /api/v1/runs (run ${id}, project ${ctx.options.project}) → ${created.status}`);
    if (created.status === 401 || created.status === 403) {
      return fail(evidence, ["the API key was rejected: is it from this instance and organization, and is the workspace right?"]);
    }
    if (created.status < 200 || created.status >= 300) return fail([...evidence, `answer: ${created.body.slice(0, 200)}`]);

    const read = await pollUntilRead(ctx, id, () => request(ctx, `${base}/api/v1/runs/${id}`, { headers: { "x-api-key": key.value } }));
    if (read.found) {
      evidence.push(`GET /api/v1/runs/${id} → 200 after ${read.seconds.toFixed(1)} s (${read.polls} poll${read.polls === 1 ? "" : "s"})`);
      return pass(evidence);
    }
    const { polls, last } = read;
    evidence.push(`traces created but not visible: run ${id} not readable after ${(ctx.options.traceTimeoutMs / 1000).toFixed(0)} s (${polls} polls, last answer ${last})`);
    return fail(evidence, BACKPRESSURE_CHECKLIST);
  },
};
