/**
 * `npm run verify -- <env> [options]`: the walkthrough's verification gates against a deployed
 * environment, in order, stopping at the first failure (docs/operations.md).
 *
 * Exit code: 0 every gate passed, 1 a gate failed, 2 bad usage or configuration.
 */
import { parseArgs } from "node:util";
import type { EnvironmentSource } from "../../lib/config/load";
import { ENVIRONMENTS } from "../../environments";
import { stackName } from "../../lib/naming";
import { makeClients, VerifyClients } from "./clients";
import { Gate, GATES, GateContext, VerifyOptions } from "./gates";
import { LANGFUSE_GATES } from "./gates/langfuse";
import { APPLICATIONS, type Application } from "../../lib/config/schema";
import { runGates } from "./runner";
import { loadTarget, VerifyTarget } from "./target";

/** The option defaults: the usage text, the parser and docs/operations.md's option table (checked by a test) read these. */
export const VERIFY_DEFAULTS = { maxRestarts: 3, project: "langsmith-verify", traceTimeoutSeconds: 120, pollIntervalSeconds: 3 } as const;

export const USAGE = `usage: npm run verify -- <env> [options]

Inputs (later wins): the environment file, cdktf.out/stacks/langsmith-<env>/cdk.tf.json, --outputs.
  --outputs <file>         JSON of \`terraform output -json\` (run in cdktf.out/stacks/langsmith-<env>)
  --cdktf-out <dir>        synthesized app directory (default cdktf.out)
  --kubeconfig <file>      kubeconfig (default: $KUBECONFIG or ~/.kube/config)
  --context <name>         kubeconfig context (default: the current one)
Application:
  --app <langsmith|langfuse>  which application's gates and first trace (default langsmith); langfuse
                           reads its key pair from LANGFUSE_PUBLIC_KEY/LANGFUSE_SECRET_KEY or the
                           seeded {prefix}-{env}/langfuse/init-{public,secret}-key
Gates:
  --continue               run every gate even after a failure
  --only <id,...>          run only these gates (langsmith: ${GATES.map((g) => g.id).join(", ")};
                           langfuse: ${LANGFUSE_GATES.map((g) => g.id).join(", ")})
  --tcp-probe              also open TCP connections to Postgres and Redis (from inside the VPC)
  --max-restarts <n>       container restarts a LangSmith pod may have (default ${VERIFY_DEFAULTS.maxRestarts})
First trace:
  --api-key-secret <name>  Secrets Manager secret with the API key (when LANGSMITH_API_KEY is unset)
  --project <name>         LangSmith project for the verification run (default ${VERIFY_DEFAULTS.project})
  --trace-timeout <s>      how long to wait for the run to become readable (default ${VERIFY_DEFAULTS.traceTimeoutSeconds})
  --poll-interval <s>      between reads (default ${VERIFY_DEFAULTS.pollIntervalSeconds})
Endpoints (port-forwards, private exposure, tests):
  --aws-endpoint <url>  --s3-endpoint <url>  --kube-server <url>
  --langsmith-url <url>    LangSmith's URL (--app langsmith; default https://<dns.hostname>)
  --langfuse-url <url>     Langfuse's URL (--app langfuse; default https://<langfuse.hostname>)
Output:
  --json                   print a JSON report on stdout (progress goes to stderr)`;

export interface Io {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export interface MainDeps {
  readonly environments?: readonly EnvironmentSource[];
  /** AWS SDK attempts per call (tests: 1). @default 3 */
  readonly maxAttempts?: number;
}

const defaultIo: Io = { out: (l) => console.log(l), err: (l) => console.error(l), env: process.env };

export async function main(argv: readonly string[], io: Io = defaultIo, deps: MainDeps = {}): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        outputs: { type: "string" },
        app: { type: "string" },
        "cdktf-out": { type: "string" },
        kubeconfig: { type: "string" },
        context: { type: "string" },
        continue: { type: "boolean" },
        only: { type: "string" },
        "tcp-probe": { type: "boolean" },
        "max-restarts": { type: "string" },
        "api-key-secret": { type: "string" },
        project: { type: "string" },
        "trace-timeout": { type: "string" },
        "poll-interval": { type: "string" },
        "aws-endpoint": { type: "string" },
        "s3-endpoint": { type: "string" },
        "kube-server": { type: "string" },
        "langsmith-url": { type: "string" },
        "langfuse-url": { type: "string" },
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (e) {
    io.err(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const v = args.values;
  if (v.help) {
    io.out(USAGE);
    return 0;
  }
  if (args.positionals.length !== 1) {
    io.err(`name one environment\n${USAGE}`);
    return 2;
  }
  const seconds = (name: string, value: string | undefined, fallback: number): number => {
    const n = value === undefined ? fallback : Number(value);
    if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a number of seconds, got ${value}`);
    return n;
  };
  const app = (v.app ?? "langsmith") as Application;
  if (!(APPLICATIONS as readonly string[]).includes(app)) {
    io.err(`--app must be one of ${APPLICATIONS.join(" | ")}, got ${v.app}`);
    return 2;
  }
  const gates: readonly Gate[] = app === "langfuse" ? LANGFUSE_GATES : GATES;
  // Each application's URL has its own flag: the other one would be ignored silently.
  const otherUrl = app === "langfuse" ? "langsmith-url" : "langfuse-url";
  if (v[otherUrl] !== undefined) {
    io.err(`--${otherUrl} is for --app ${app === "langfuse" ? "langsmith" : "langfuse"}; with --app ${app} use --${app}-url`);
    return 2;
  }
  const appUrl = app === "langfuse" ? v["langfuse-url"] : v["langsmith-url"];
  const only = v.only?.split(",").map((s) => s.trim());
  const unknown = (only ?? []).filter((id) => !gates.some((g) => g.id === id));
  if (unknown.length > 0) {
    io.err(`--only: unknown gate ${unknown.join(", ")}; gates are ${gates.map((g) => g.id).join(", ")}`);
    return 2;
  }

  let target: VerifyTarget;
  let options: VerifyOptions;
  try {
    target = loadTarget({ env: args.positionals[0], environments: deps.environments ?? ENVIRONMENTS, outputsFile: v.outputs, cdktfOut: v["cdktf-out"], app });
    options = {
      tcpProbe: v["tcp-probe"] ?? false,
      maxRestarts: Math.floor(seconds("max-restarts", v["max-restarts"], VERIFY_DEFAULTS.maxRestarts)),
      apiKeySecret: v["api-key-secret"],
      project: v.project ?? VERIFY_DEFAULTS.project,
      traceTimeoutMs: seconds("trace-timeout", v["trace-timeout"], VERIFY_DEFAULTS.traceTimeoutSeconds) * 1000,
      pollIntervalMs: seconds("poll-interval", v["poll-interval"], VERIFY_DEFAULTS.pollIntervalSeconds) * 1000,
      httpTimeoutMs: 15_000,
      s3Endpoint: v["s3-endpoint"],
      // The application's URL (the option keeps its first name; --app langfuse gates read it as Langfuse's).
      langsmithUrl: appUrl,
      env: io.env,
    };
  } catch (e) {
    io.err(`verify: ${(e as Error).message}`);
    return 2;
  }

  const region = target.values.region as string;
  const clients: VerifyClients = makeClients({
    region,
    endpoints: { aws: v["aws-endpoint"], s3: v["s3-endpoint"], kubeServer: v["kube-server"], langsmithUrl: appUrl },
    kubeconfig: v.kubeconfig,
    context: v.context,
    maxAttempts: deps.maxAttempts,
  });
  const memos = new Map<string, Promise<unknown>>();
  const ctx: GateContext = {
    target,
    clients,
    options,
    secrets: new Set(),
    memo: <T>(key: string, f: () => Promise<T>) => {
      if (!memos.has(key)) memos.set(key, f());
      return memos.get(key) as Promise<T>;
    },
  };
  const progress = v.json ? io.err : io.out;
  const sources = [...new Set(Object.values(target.sources))];
  progress(`verify ${stackName({ name: target.env })}: region ${region}, cluster ${target.values.clusterName ?? "?"}, host ${target.values.hostname ?? "?"}`);
  progress(`inputs: ${sources.join(", ")}`);
  try {
    const report = await runGates(only ? gates.filter((g) => only.includes(g.id)) : gates, ctx, { continueOnFailure: v.continue, print: progress });
    if (v.json) io.out(JSON.stringify({ environment: target.env, ...report }, null, 2));
    return report.ok ? 0 : 1;
  } finally {
    clients.destroy();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e) => {
      console.error(e instanceof Error ? e.message : e);
      process.exitCode = 2;
    },
  );
}
