/** `verify --app langfuse`: Langfuse's own gates against the fake, healthy and broken; the CLI picks them. */
import { makeClients } from "../../../scripts/verify/clients";
import { Gate, GateContext, VerifyOptions } from "../../../scripts/verify/gates";
import { LANGFUSE_GATES } from "../../../scripts/verify/gates/langfuse";
import { runGates, GateReport } from "../../../scripts/verify/runner";
import { loadTarget, VerifyTarget } from "../../../scripts/verify/target";
import { main } from "../../../scripts/verify";
import { langfuseOnlyFork, LANGFUSE_DEV } from "../../langfuse-envs";
import { shippedInput } from "../../helpers";
import { fakeGateOptions, LANGFUSE_KEYS, langfuseWorld, loadSdk, startFake, World } from "./fake";

process.env.AWS_ACCESS_KEY_ID = "AKIAFAKEFAKEFAKEFAKE";
process.env.AWS_SECRET_ACCESS_KEY = "fake-secret-access-key";
process.env.AWS_EC2_METADATA_DISABLED = "true";
delete process.env.AWS_PROFILE;

beforeAll(loadSdk, 60_000);

const gate = (id: string): Gate => LANGFUSE_GATES.find((g) => g.id === id)!;

interface Setup {
  world?: (w: World) => void;
  options?: Partial<VerifyOptions>;
  target?: (t: { values: VerifyTarget["values"]; secretBase?: string }) => void;
}

async function run(id: string, setup: Setup = {}): Promise<GateReport> {
  const w = langfuseWorld();
  setup.world?.(w);
  const fake = await startFake(w);
  const t = {
    values: {
      region: "us-west-2",
      hostname: "langfuse.dev.example.com",
      clusterName: w.eks.name,
      vpcId: w.vpcId,
      blobBucketName: w.bucket,
      appRoleArn: w.appRoleArn,
      targetGroupArn: w.targetGroupArn,
    } as VerifyTarget["values"],
    secretBase: "ls-dev" as string | undefined,
  };
  setup.target?.(t);
  const clients = makeClients({ region: "us-west-2", endpoints: { aws: fake.url }, kubeconfig: fake.kubeconfig, maxAttempts: 1 });
  const ctx: GateContext = {
    target: { env: "dev", namespace: "langfuse", app: "langfuse", secretBase: t.secretBase, exposure: "public", values: t.values, sources: {} },
    clients,
    secrets: new Set(),
    memo: <T>(_k: string, f: () => Promise<T>) => f(),
    options: fakeGateOptions(fake.url, setup.options),
  };
  try {
    return (await runGates([gate(id)], ctx, { print: () => undefined })).gates[0];
  } finally {
    clients.destroy();
    await fake.close();
  }
}

describe.each([
  ["langfuse-storage", /bucket ls-dev-langfuse-111111111111: exists, private[\s\S]*service account langfuse → arn:aws:iam::111111111111:role\/ls-dev-irsa-langfuse/],
  ["langfuse-pods", /ExternalSecrets Ready: 3\/3 \(langfuse-config, langfuse-connections, langfuse-database-setup\)/],
  ["alb-targets", /1\/1 healthy/],
  ["langfuse-https", /GET http:\/\/127\.0\.0\.1:\d+\/api\/public\/health → 200[\s\S]*\/api\/public\/ready → 200/],
  ["langfuse-first-trace", /key pair from Secrets Manager ls-dev\/langfuse\/init-\{public,secret\}-key[\s\S]*POST \/api\/public\/ingestion \(trace [0-9a-f-]+\) → 207[\s\S]*GET \/api\/public\/traces\/[0-9a-f-]+ → 200 after [0-9.]+ s \(3 polls\)/],
])("gate %s on a healthy Langfuse", (id, evidence) => {
  test("passes with its evidence", async () => {
    const r = await run(id);
    expect(r.status).toBe("pass");
    expect(r.evidence.join("\n")).toMatch(evidence);
  });
});

const FAILING: [string, string, Setup, RegExp][] = [
  ["langfuse-storage", "bucket missing", { world: (w) => (w.buckets[w.bucket] = 404) }, /bucket ls-dev-langfuse-111111111111: does not exist/],
  ["langfuse-storage", "service account without the role", { world: (w) => (w.k8s.serviceAccounts[0].metadata.annotations = {}) }, /service account langfuse\/langfuse: no eks\.amazonaws\.com\/role-arn annotation/],
  ["langfuse-storage", "service account annotated with another role", { world: (w) => (w.k8s.serviceAccounts[0].metadata.annotations["eks.amazonaws.com/role-arn"] = "arn:aws:iam::111111111111:role/other") }, /service account langfuse\/langfuse: annotated arn:aws:iam::111111111111:role\/other, expected arn:aws:iam::111111111111:role\/ls-dev-irsa-langfuse/],
  [
    "langfuse-storage",
    "the app role output not given and the annotation no role ARN",
    { world: (w) => (w.k8s.serviceAccounts[0].metadata.annotations["eks.amazonaws.com/role-arn"] = "ls-dev-irsa-langfuse"), target: (t) => delete t.values.appRoleArn },
    /service account langfuse\/langfuse: ls-dev-irsa-langfuse is not an IAM role ARN/,
  ],
  ["langfuse-pods", "an ExternalSecret not synced", { world: (w) => (w.k8s.externalSecrets[1].status.conditions[0] = { type: "Ready", status: "False", reason: "SecretSyncedError", message: "could not get secret data" }) }, /ExternalSecret langfuse-connections: not synced \(SecretSyncedError/],
  ["alb-targets", "the web pod unhealthy", { world: (w) => (w.targets[0] = { id: "10.10.32.40", port: 3000, state: "unhealthy", reason: "Target.FailedHealthChecks" }) }, /0\/1 healthy/],
  ["langfuse-https", "not ready (ClickHouse unreachable)", { world: (w) => (w.langfuse!.readyStatus = 503) }, /\/api\/public\/ready → 503/],
  ["langfuse-first-trace", "keys not seeded", { world: (w) => delete w.secrets["ls-dev/langfuse/init-secret-key"] }, /reading ls-dev\/langfuse\/init-public-key: .*ResourceNotFoundException|init-secret-key/],
  ["langfuse-first-trace", "a wrong key pair", { options: { env: { LANGFUSE_PUBLIC_KEY: "pk-lf-x", LANGFUSE_SECRET_KEY: "sk-lf-wrong" } } }, /→ 401/],
  ["langfuse-first-trace", "accepted but never readable", { world: (w) => (w.langfuse!.visibleAfterPolls = Infinity), options: { traceTimeoutMs: 50 } }, /accepted but not readable after 0 s/],
];

describe.each(FAILING)("gate %s fails when %s", (id, _what, setup, evidence) => {
  test("FAIL with what was seen", async () => {
    const r = await run(id, setup);
    expect(r.status).toBe("fail");
    expect(r.evidence.join("\n")).toMatch(evidence);
  });
});

test("the secret key never appears in the evidence", async () => {
  const r = await run("langfuse-first-trace");
  expect(JSON.stringify(r)).not.toContain(LANGFUSE_KEYS.secretKey);
});

describe("verify --app langfuse", () => {
  const sources = [
    { file: "environments/dev.ts", input: { ...shippedInput("dev"), applications: ["langsmith", "langfuse"], langfuse: LANGFUSE_DEV } },
    { file: "environments/lf.ts", input: langfuseOnlyFork() },
  ];

  test("targets Langfuse's host, namespace and outputs", () => {
    const t = loadTarget({ env: "dev", environments: sources, app: "langfuse", cdktfOut: "/nonexistent" });
    expect(t).toMatchObject({ namespace: "langfuse", app: "langfuse", secretBase: "ls-dev", values: { hostname: "langfuse.dev.example.com" } });
    expect(loadTarget({ env: "lf", environments: sources, app: "langfuse", cdktfOut: "/nonexistent" }).values.hostname).toBe("langfuse.lf.example.com");
  });

  test("refuses an application the environment does not run, and an unknown one", async () => {
    const err: string[] = [];
    const io = { out: () => undefined, err: (l: string) => err.push(l), env: {} };
    expect(await main(["lf", "--app", "langsmith"], io, { environments: sources })).toBe(2);
    expect(err.join("\n")).toContain("environment lf does not run langsmith (applications: langfuse in environments/lf.ts)");
    expect(await main(["lf", "--app", "langfus"], io, { environments: sources })).toBe(2);
    expect(err.join("\n")).toContain("--app must be one of langsmith | langfuse, got langfus");
    expect(await main(["lf", "--app", "langfuse", "--only", "first-trace"], io, { environments: sources })).toBe(2);
    expect(err.join("\n")).toContain("--only: unknown gate first-trace; gates are cluster-active, nat-egress, postgres, redis, langfuse-storage");
  });
});
