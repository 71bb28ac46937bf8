/** The whole command (`main`) against the fake: passes when healthy, stops at the right gate otherwise. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../../scripts/verify";
import { GATES } from "../../../scripts/verify/gates";
import { FIXTURE_ENVIRONMENTS } from "../../fixtures/environments";
import { API_KEY, healthyWorld, loadSdk, outputsOf, startFake, World, writeKubeconfig } from "./fake";

process.env.AWS_ACCESS_KEY_ID = "AKIAFAKEFAKEFAKEFAKE";
process.env.AWS_SECRET_ACCESS_KEY = "fake-secret-access-key";
process.env.AWS_EC2_METADATA_DISABLED = "true";
delete process.env.AWS_PROFILE;
const FIXTURES = Object.values(FIXTURE_ENVIRONMENTS);
beforeAll(loadSdk, 60_000);

interface Result {
  code: number;
  out: string;
  err: string;
}

async function verify(mutate: (w: World) => void = () => {}, extra: string[] = [], env: Record<string, string> = { LANGSMITH_API_KEY: API_KEY }): Promise<Result> {
  const w = healthyWorld();
  mutate(w);
  const fake = await startFake(w);
  const dir = mkdtempSync(join(tmpdir(), "verify-cli-"));
  const outputs = join(dir, "outputs.json");
  writeFileSync(outputs, JSON.stringify(outputsOf(w)));
  const out: string[] = [];
  const err: string[] = [];
  try {
    const args = [
      "dev",
      "--outputs", outputs,
      "--cdktf-out", join(dir, "no-synth"),
      "--aws-endpoint", fake.url,
      "--s3-endpoint", fake.url,
      "--kubeconfig", fake.kubeconfig,
      "--langsmith-url", fake.url,
      "--poll-interval", "0.01",
      // A trace that never becomes readable waits out the timeout: 0.05 s, not 0.5 s, where the
      // timeout path is what is under test (it was 1 s of this file's time in two tests).
      "--trace-timeout", w.langsmith.visibleAfterPolls === Infinity ? "0.05" : "0.5",
      ...extra,
    ];
    const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), env }, { maxAttempts: 1, environments: FIXTURES });
    return { code, out: out.join("\n"), err: err.join("\n") };
  } finally {
    await fake.close();
  }
}

test("a healthy environment passes every gate, in the walkthrough's order, exit 0", async () => {
  const r = await verify();
  expect(r.code).toBe(0);
  const titles = GATES.map((g) => r.out.indexOf(g.title));
  expect(titles.every((i) => i >= 0)).toBe(true);
  expect([...titles].sort((a, b) => a - b)).toEqual(titles);
  expect(r.out.match(/PASS/g)).toHaveLength(GATES.length);
  expect(r.out).toMatch(/verify langsmith-dev: region us-west-2, cluster ls-dev-eks, host langsmith\.dev\.example\.com/);
  expect(r.out).toContain(`${GATES.length} passed, 0 failed, 0 skipped`);
  expect(r.out).not.toContain(API_KEY);
});

/** [what breaks, the change, the gate that must fail] */
const SCENARIOS: [string, (w: World) => void, string][] = [
  ["cluster creating", (w) => (w.eks.status = "CREATING"), "cluster-active"],
  ["NAT gateway failed", (w) => (w.natGateways[0].state = "failed"), "nat-egress"],
  ["Postgres closed to the nodes", (w) => (w.securityGroups[0].ingress = []), "postgres"],
  ["Redis snapshotting", (w) => (w.redis.status = "snapshotting"), "redis"],
  ["bucket missing", (w) => (w.buckets = {}), "blob-storage"],
  ["node NotReady", (w) => (w.k8s.nodes[0].status.conditions[0].status = "False"), "cluster-addons"],
  ["backend crash-looping", (w) => (w.k8s.pods[0].status.containerStatuses[0].state = { waiting: { reason: "CrashLoopBackOff" } }), "langsmith-pods"],
  ["target unhealthy", (w) => w.targets.forEach((t) => Object.assign(t, { state: "unhealthy", reason: "Target.Timeout" })), "alb-targets"],
  ["UI down", (w) => (w.langsmith.homeStatus = 502), "ui-https"],
  ["traces never visible", (w) => (w.langsmith.visibleAfterPolls = Infinity), "first-trace"],
  ["GuardDuty S3 protection off", (w) => (w.account.guardduty!.features.S3_DATA_EVENTS = "DISABLED"), "account-services"],
];

describe.each(SCENARIOS)("%s", (_what, mutate, failing) => {
  test(`stops at ${failing}, skips the rest, exit 1`, async () => {
    const r = await verify(mutate);
    const n = GATES.findIndex((g) => g.id === failing) + 1;
    expect(r.code).toBe(1);
    expect(r.out).toMatch(new RegExp(`\\[ ?${n}/${GATES.length}\\] ${GATES[n - 1].title.replace(/[().]/g, "\\$&")} \\.\\.\\.\\n\\s+FAIL`));
    expect(r.out.match(/PASS/g) ?? []).toHaveLength(n - 1);
    expect(r.out).toContain("first place to look:");
    GATES.slice(n).forEach((g) => expect(r.out).toContain(`${g.title}: skipped (stopped at the first failure; --continue runs every gate)`));
    expect(r.out).toContain(`${n - 1} passed, 1 failed, ${GATES.length - n} skipped`);
    expect(r.out).not.toContain(API_KEY);
  });
});

test("the trace gate's timeout names the symptom and the section 8.5 checklist", async () => {
  const r = await verify((w) => (w.langsmith.visibleAfterPolls = Infinity));
  expect(r.out).toMatch(/traces created but not visible/);
  expect(r.out).toMatch(/→ 1\. ClickHouse query concurrency and disk I\/O metrics/);
  expect(r.out).toMatch(/→ 4\. ingestion delay \(received_at → inserted_at\)/);
});

test("--continue runs every gate after a failure", async () => {
  const r = await verify((w) => (w.natGateways[0].state = "failed"), ["--continue"]);
  expect(r.code).toBe(1);
  expect(r.out).toContain(`${GATES.length - 1} passed, 1 failed, 0 skipped`);
});

test("--json prints a report on stdout and progress on stderr", async () => {
  const r = await verify((w) => (w.targets = []), ["--json"]);
  expect(r.code).toBe(1);
  const report = JSON.parse(r.out);
  expect(report.environment).toBe("dev");
  expect(report.gates.map((g: { id: string; status: string }) => `${g.id}:${g.status}`)).toEqual([
    ...GATES.slice(0, 7).map((g) => `${g.id}:pass`),
    "alb-targets:fail",
    ...GATES.slice(8).map((g) => `${g.id}:skipped`),
  ]);
  expect(report.gates[7].lookAt.join("\n")).toMatch(/TargetGroupBinding/);
  expect(r.err).toContain(`[ 8/${GATES.length}] ALB target group has healthy targets`);
});

test("--only runs the named gates; the API key read from Secrets Manager is never printed", async () => {
  const r = await verify(() => {}, ["--only", "ui-https,first-trace", "--api-key-secret", "ls-dev/verify-api-key"], {});
  expect(r.code).toBe(0);
  expect(r.out).toContain("[1/2] LangSmith UI and API answer over HTTPS");
  expect(r.out).toContain("API key from Secrets Manager secret ls-dev/verify-api-key (value not shown)");
  expect(r.out).not.toContain(API_KEY);
});

test.each([
  [["dev", "--only", "nope"], /--only: unknown gate nope; gates are cluster-active, nat-egress/],
  [[], /name one environment/],
  [["no-such-env"], /unknown environment "no-such-env"; known: dev, staging, prod/],
  [["dev", "--trace-timeout", "soon"], /--trace-timeout must be a number of seconds, got soon/],
  [["dev", "--bogus"], /Unknown option '--bogus'/],
])("usage error %j exits 2", async (args, message) => {
  const err: string[] = [];
  const code = await main(args, { out: () => undefined, err: (l) => err.push(l), env: {} }, { environments: FIXTURES });
  expect(code).toBe(2);
  expect(err.join("\n")).toMatch(message);
});

test("--kube-server replaces the kubeconfig's server (e.g. a port-forward or tunnel)", async () => {
  const dir = mkdtempSync(join(tmpdir(), "verify-kube-"));
  const kubeconfig = writeKubeconfig(dir, "https://unreachable.invalid");
  const w = healthyWorld();
  const fake = await startFake(w);
  const out: string[] = [];
  try {
    const code = await main(
      ["dev", "--only", "cluster-addons", "--cdktf-out", dir, "--aws-endpoint", fake.url, "--kubeconfig", kubeconfig, "--kube-server", fake.url],
      { out: (l) => out.push(l), err: (l) => out.push(l), env: {} },
      { maxAttempts: 1, environments: FIXTURES },
    );
    expect(out.join("\n")).toContain(`kubeconfig context → ls-dev-eks (${fake.url})`);
    expect(code).toBe(0);
  } finally {
    await fake.close();
  }
});
