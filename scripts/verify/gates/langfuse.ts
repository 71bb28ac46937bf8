/**
 * `verify --app langfuse`: the same walk as LangSmith's (cluster, network, data stores, add-ons,
 * pods, ALB) with Langfuse's own last gates, through Langfuse's public API:
 * `GET /api/public/health` and `/api/public/ready` (the web pods' probes), then a first trace:
 * `POST /api/public/ingestion` (batch with one `trace-create` event, HTTP basic auth with the
 * project's public/secret key pair; 207 Multi-Status per event) and `GET /api/public/traces/<id>`
 * until the trace is readable (ingestion goes through Redis, the worker and ClickHouse).
 *
 * The key pair: LANGFUSE_PUBLIC_KEY / LANGFUSE_SECRET_KEY, else the headless-init pair that
 * `secrets:seed` generated into Secrets Manager (`{prefix}-{env}/langfuse/init-public-key`, `.../init-secret-key`).
 */
import { randomUUID } from "node:crypto";
import { LANGFUSE_SERVICE_ACCOUNT, LANGFUSE_WEB_SERVICE } from "../../../lib/langfuse-values/chart";
import { httpsUrl } from "../../../lib/naming";
import { secretName } from "../../../lib/secrets/catalog";
import { LANGFUSE_SECRET_IDS } from "../../../lib/secrets/langfuse";
import { describeError } from "../clients";
import { need } from "../target";
import { accountServices } from "./account";
import { albTargets, clusterActive, natEgress, postgresReachable, probeBucket, redisReachable, serviceAccountVerdict } from "./aws";
import { clusterAddons, langsmithPods } from "./kubernetes";
import { pollUntilRead, request } from "./langsmith";
import { fail, Gate, GateContext, pass } from "./types";
import { sdk } from "../sdk";

export function langfuseUrl(ctx: GateContext): string {
  return (ctx.options.langsmithUrl ?? httpsUrl(need(ctx.target, "hostname"))).replace(/\/+$/, "");
}

export const langfusePods: Gate = {
  ...langsmithPods,
  id: "langfuse-pods",
  title: "Langfuse web and worker pods are steady, the web Service has endpoints, secrets are synced",
  triage: [
    "`kubectl -n langfuse get externalsecrets`: langfuse-config, langfuse-connections, langfuse-database-setup Ready",
    "`kubectl -n langfuse logs deploy/langfuse-web` (Prisma P1001 = PostgreSQL unreachable; ClickHouse migration errors)",
    "`kubectl -n langfuse logs job/langfuse-create-database` when the database or role is missing",
  ],
};

export const langfuseStorage: Gate = {
  id: "langfuse-storage",
  title: "Langfuse's S3 bucket exists, is private, and its service account carries the IRSA role",
  triage: [
    "`kubectl -n langfuse get sa langfuse -o yaml`: the eks.amazonaws.com/role-arn annotation (chart langfuse.serviceAccount.annotations)",
    "the Langfuse role's trust (system:serviceaccount:langfuse:langfuse) and the bucket policy",
  ],
  async run(ctx) {
    const bucket = need(ctx.target, "blobBucketName");
    const region = need(ctx.target, "region");
    const evidence: string[] = [];
    const problems: string[] = [];
    const probe = await probeBucket(ctx, bucket, region);
    evidence.push(...probe.evidence);
    problems.push(...probe.problems);
    const verdict = (await serviceAccountVerdict(ctx, LANGFUSE_SERVICE_ACCOUNT, ctx.target.values.appRoleArn, "langfuse release"))!;
    if ("problem" in verdict) problems.push(verdict.problem);
    else evidence.push(verdict.evidence);
    return problems.length === 0 ? pass(evidence) : fail([...evidence, ...problems]);
  },
};

export const langfuseHttps: Gate = {
  id: "langfuse-https",
  title: "Langfuse answers over HTTPS (health and readiness)",
  triage: [
    "Route 53 record of langfuse.hostname → ALB, the certificate SAN, the host rule of the HTTPS listener",
    "`kubectl -n langfuse logs deploy/langfuse-web`: /api/public/ready fails while PostgreSQL, Redis or ClickHouse is unreachable",
  ],
  async run(ctx) {
    const base = langfuseUrl(ctx);
    const evidence: string[] = [];
    const problems: string[] = [];
    const hints: string[] = [];
    for (const path of [LANGFUSE_WEB_SERVICE.healthCheckPath, LANGFUSE_WEB_SERVICE.readinessPath]) {
      try {
        const a = await request(ctx, base + path);
        const line = `GET ${base}${path} → ${a.status} (${a.ms} ms)`;
        if (a.status === 200) evidence.push(line);
        else {
          problems.push(line);
          if (a.status === 403) hints.push("403: blocked by WAF? Check the web ACL's sampled requests");
          if (a.status >= 502 && a.status <= 504) hints.push(`${a.status} from the ALB: no healthy Langfuse target (gate alb-targets)`);
        }
      } catch (e) {
        problems.push(`GET ${base}${path}: ${describeError(e)}`);
        hints.push("no answer: DNS (langfuse.hostname alias), the certificate, the ALB security group, or exposure private (pass --langfuse-url <url>)");
        break;
      }
    }
    return problems.length === 0 ? pass(evidence) : fail([...evidence, ...problems], hints);
  },
};

/** Two names as one: `a/init-{public,secret}-key` for `a/init-public-key` and `a/init-secret-key`. */
function braced(a: string, b: string): string {
  let p = 0;
  while (p < a.length && a[p] === b[p]) p++;
  let s = 0;
  while (s < a.length - p && s < b.length - p && a[a.length - 1 - s] === b[b.length - 1 - s]) s++;
  return `${a.slice(0, p)}{${a.slice(p, a.length - s)},${b.slice(p, b.length - s)}}${a.slice(a.length - s)}`;
}

/** The project key pair: environment variables, else the seeded headless-init pair in Secrets Manager. */
async function keyPair(ctx: GateContext): Promise<{ publicKey: string; secretKey: string; source: string } | { error: string }> {
  const env = ctx.options.env;
  if (env.LANGFUSE_PUBLIC_KEY && env.LANGFUSE_SECRET_KEY) return { publicKey: env.LANGFUSE_PUBLIC_KEY, secretKey: env.LANGFUSE_SECRET_KEY, source: "LANGFUSE_PUBLIC_KEY / LANGFUSE_SECRET_KEY" };
  const base = ctx.target.secretBase;
  if (!base) return { error: "no key pair: set LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY" };
  // The names the stack gave the seeded pair (lib/secrets/catalog.ts secretName), not re-typed here.
  const [pubName, secName] = [secretName(base, LANGFUSE_SECRET_IDS.initPublicKey), secretName(base, LANGFUSE_SECRET_IDS.initSecretKey)];
  const read = async (name: string) => (await ctx.clients.secrets.send(new sdk.secrets.GetSecretValueCommand({ SecretId: name }))).SecretString?.trim();
  try {
    const [publicKey, secretKey] = [await read(pubName), await read(secName)];
    if (!publicKey || !secretKey) return { error: `${pubName} or ${secName} has no value: run npm run secrets:seed -- ${ctx.target.env} --apply` };
    return { publicKey, secretKey, source: `Secrets Manager ${braced(pubName, secName)}` };
  } catch (e) {
    return { error: `reading ${pubName}: ${describeError(e)}` };
  }
}

export const langfuseFirstTrace: Gate = {
  id: "langfuse-first-trace",
  title: "A first Langfuse trace is ingested and readable",
  triage: [
    "401: the key pair is not the project's (headless init runs on the first start of langfuse-web; LANGFUSE_INIT_* in its env)",
    "accepted but never readable: `kubectl -n langfuse logs deploy/langfuse-worker` (Redis queue, ClickHouse inserts), S3 event uploads",
  ],
  async run(ctx) {
    const keys = await keyPair(ctx);
    if ("error" in keys) return fail([keys.error]);
    ctx.secrets.add(keys.secretKey);
    const auth = `Basic ${Buffer.from(`${keys.publicKey}:${keys.secretKey}`).toString("base64")}`;
    ctx.secrets.add(auth);
    const base = langfuseUrl(ctx);
    const id = randomUUID();
    const now = new Date().toISOString();
    const batch = {
      batch: [{ id: randomUUID(), type: "trace-create", timestamp: now, body: { id, name: "langfuse-verify", timestamp: now, metadata: { source: "npm run verify", environment: ctx.target.env } } }],
    };
    const evidence = [`key pair from ${keys.source} (public key ${keys.publicKey.slice(0, 10)}…, secret not shown)`];
    let posted;
    try {
      posted = await request(ctx, `${base}/api/public/ingestion`, { method: "POST", headers: { authorization: auth, "content-type": "application/json" }, body: JSON.stringify(batch) });
    } catch (e) {
      return fail([...evidence, `POST ${base}/api/public/ingestion: ${describeError(e)}`]);
    }
    evidence.push(`POST /api/public/ingestion (trace ${id}) → ${posted.status}`);
    if (posted.status === 401 || posted.status === 403) return fail(evidence, ["the key pair was rejected: is it this instance's project key (headless init) or one created in the UI?"]);
    if (posted.status !== 207 && posted.status !== 200) return fail([...evidence, `answer: ${posted.body.slice(0, 200)}`]);
    try {
      const errors = (JSON.parse(posted.body) as { errors?: unknown[] }).errors ?? [];
      if (errors.length > 0) return fail([...evidence, `the event was refused: ${JSON.stringify(errors[0]).slice(0, 200)}`]);
    } catch {
      // A non-JSON 2xx: accepted; the read below decides.
    }
    const read = await pollUntilRead(ctx, id, () => request(ctx, `${base}/api/public/traces/${id}`, { headers: { authorization: auth } }));
    if (read.found) {
      evidence.push(`GET /api/public/traces/${id} → 200 after ${read.seconds.toFixed(1)} s (${read.polls} poll${read.polls === 1 ? "" : "s"})`);
      return pass(evidence);
    }
    const { polls, last } = read;
    evidence.push(`trace ${id} accepted but not readable after ${(ctx.options.traceTimeoutMs / 1000).toFixed(0)} s (${polls} polls, last answer ${last})`);
    return fail(evidence, ["the worker consumes the ingestion queue from Redis and writes ClickHouse: its logs, Redis memory, ClickHouse inserts"]);
  },
};

/** The gates of `--app langfuse`, in the walkthrough's order. */
export const LANGFUSE_GATES: readonly Gate[] = [
  clusterActive,
  natEgress,
  postgresReachable,
  redisReachable,
  langfuseStorage,
  clusterAddons,
  langfusePods,
  albTargets,
  langfuseHttps,
  langfuseFirstTrace,
  // The account's services do not depend on the application (gate 11 of the LangSmith list).
  accountServices,
];
