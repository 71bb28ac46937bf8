/** Each gate against the fake: a passing world, and worlds broken in the ways the walkthrough lists. */
import { createServer } from "node:http";
import { AddressInfo } from "node:net";
import { makeClients } from "../../../scripts/verify/clients";
import { GATES, Gate, GateContext, VerifyOptions } from "../../../scripts/verify/gates";
import { runGates, GateReport } from "../../../scripts/verify/runner";
import { VerifyTarget } from "../../../scripts/verify/target";
import { API_KEY, fakeGateOptions, healthyWorld, loadSdk, startFake, World } from "./fake";

// The SDK's default chain reads these first: no profile, no IMDS, no real AWS.
process.env.AWS_ACCESS_KEY_ID = "AKIAFAKEFAKEFAKEFAKE";
process.env.AWS_SECRET_ACCESS_KEY = "fake-secret-access-key";
process.env.AWS_EC2_METADATA_DISABLED = "true";
delete process.env.AWS_PROFILE;

beforeAll(loadSdk, 60_000);

const gate = (id: string): Gate => {
  const g = GATES.find((x) => x.id === id);
  if (!g) throw new Error(`no gate ${id}`);
  return g;
};

interface Run {
  report: GateReport;
  printed: string;
}

interface Setup {
  world?: (w: World) => void;
  options?: Partial<VerifyOptions>;
  target?: (values: VerifyTarget["values"]) => void;
  /** LangSmith URL: the fake unless given; `closed`: a local port nothing listens on. */
  langsmithUrl?: string;
}

async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

async function run(id: string, setup: Setup = {}): Promise<Run> {
  const w = healthyWorld();
  setup.world?.(w);
  const fake = await startFake(w);
  const values: VerifyTarget["values"] = {
    region: "us-west-2",
    hostname: "langsmith.dev.example.com",
    clusterName: w.eks.name,
    vpcId: w.vpcId,
    privateSubnetIds: w.privateSubnetIds,
    nodeSecurityGroupId: w.nodeSecurityGroupId,
    postgresIdentifier: w.db.id,
    postgresKind: w.db.kind,
    redisReplicationGroupId: w.redis.id,
    blobBucketName: w.bucket,
    appRoleArn: w.appRoleArn,
    targetGroupArn: w.targetGroupArn,
  };
  setup.target?.(values);
  const clients = makeClients({ region: "us-west-2", endpoints: { aws: fake.url }, kubeconfig: fake.kubeconfig, maxAttempts: 1 });
  const memos = new Map<string, Promise<unknown>>();
  const ctx: GateContext = {
    target: { env: "dev", namespace: "langsmith", exposure: "public", values, sources: {} },
    clients,
    secrets: new Set(),
    memo: <T>(k: string, f: () => Promise<T>) => (memos.get(k) ?? memos.set(k, f()).get(k)) as Promise<T>,
    options: fakeGateOptions(fake.url, {
      langsmithUrl: setup.langsmithUrl === "closed" ? await closedPortUrl() : (setup.langsmithUrl ?? fake.url),
      env: { LANGSMITH_API_KEY: API_KEY },
      ...setup.options,
    }),
  };
  const lines: string[] = [];
  try {
    const report = await runGates([gate(id)], ctx, { print: (l) => lines.push(l) });
    return { report: report.gates[0], printed: lines.join("\n") };
  } finally {
    clients.destroy();
    await fake.close();
  }
}

/** [gate, evidence that proves it] */
const PASSING: [string, RegExp][] = [
  ["cluster-active", /cluster ls-dev-eks: ACTIVE, Kubernetes 1\.33/],
  ["nat-egress", /subnet-0aaa1111 \(rtb-0priv1111\): 0\.0\.0\.0\/0 → nat-0aaa1111/],
  ["postgres", /sg-0db12345 allows tcp\/5432 from the node security group sg-0node1234/],
  ["redis", /sg-0redis123 allows tcp\/6379 from the node security group sg-0node1234/],
  ["blob-storage", /bucket ls-dev-blobs-111111111111: exists, private \(anonymous HEAD → 403/],
  ["cluster-addons", /aws-load-balancer-controller: kube-system\/aws-load-balancer-controller 2\/2 ready/],
  ["langsmith-pods", /ExternalSecrets Ready: 4\/4/],
  ["alb-targets", /2\/2 healthy/],
  ["ui-https", /GET http:\/\/127\.0\.0\.1:\d+\/api\/v1\/info → 200/],
  ["first-trace", /GET \/api\/v1\/runs\/[0-9a-f-]+ → 200 after [0-9.]+ s \(3 polls\)/],
  ["account-services", /CloudTrail org-trail: multi-region, logging[\s\S]*GuardDuty EKS Protection \(audit logs\): ENABLED[\s\S]*GuardDuty RDS Protection \(login events\): ENABLED[\s\S]*GuardDuty S3 Protection \(data events\): ENABLED[\s\S]*AWS Config recorder default: recording/],
];

describe.each(PASSING)("gate %s passes on a healthy environment", (id, evidence) => {
  test("PASS with its evidence", async () => {
    const { report, printed } = await run(id);
    expect(report.status).toBe("pass");
    expect(report.evidence.join("\n")).toMatch(evidence);
    expect(printed).toContain(gate(id).title);
    expect(printed).toMatch(/PASS/);
    expect(report.lookAt).toEqual([]);
  });
});

/** [gate, what breaks, the world change, evidence, first place to look] */
const FAILING: [string, string, Setup, RegExp, RegExp][] = [
  ["cluster-active", "cluster still CREATING", { world: (w) => (w.eks.status = "CREATING") }, /ls-dev-eks: CREATING/, /wait for ACTIVE/],
  ["cluster-active", "no such cluster", { target: (v) => (v.clusterName = "ls-dev-missing") }, /DescribeCluster ls-dev-missing in us-west-2: ResourceNotFoundException/, /was the stack applied/],
  ["nat-egress", "NAT gateway failed", { world: (w) => (w.natGateways[0].state = "failed") }, /nat-0aaa1111 failed[\s\S]*not an available NAT gateway/, /Networking \/ security groups/],
  ["nat-egress", "no default route", { world: (w) => (w.routeTables[0].routes = w.routeTables[0].routes.slice(0, 1)) }, /subnet-0aaa1111 \(rtb-0priv1111\): no default route/, /describe-nat-gateways/],
  ["nat-egress", "subnet only on the main table", { world: (w) => (w.routeTables[0].subnets = ["subnet-0aaa1111"]) }, /subnet-0bbb2222 \(rtb-0main1111\): no default route/, /0\.0\.0\.0\/0 route/],
  ["postgres", "no 5432 rule from the nodes", { world: (w) => (w.securityGroups[0].ingress[0].sourceGroups = ["sg-0other"]) }, /no rule in sg-0db12345 allows tcp\/5432 from the node security group sg-0node1234/, /inbound 5432 rule/],
  ["postgres", "database modifying", { world: (w) => (w.db.status = "modifying") }, /DB instance ls-dev-postgres: modifying/, /status is modifying/],
  ["postgres", "Aurora cluster not found", { target: (v) => (v.postgresKind = "cluster") }, /DBClusterNotFoundFault/, /pg_isready/],
  ["redis", "TLS off", { world: (w) => (w.redis.tls = false) }, /in-transit encryption off/, /IAM authentication requires TLS/],
  ["redis", "no 6379 rule", { world: (w) => (w.securityGroups[1].ingress[0].from = 6380) }, /no rule in sg-0redis123 allows tcp\/6379/, /inbound 6379 rule/],
  ["blob-storage", "bucket missing", { world: (w) => (w.buckets = {}) }, /does not exist \(anonymous HEAD → 404\)/, /role-arn annotation/],
  ["blob-storage", "bucket public", { world: (w) => (w.buckets[w.bucket] = 200) }, /readable anonymously/, /bucket policy/],
  ["blob-storage", "service account annotated with another role", { world: (w) => (w.k8s.serviceAccounts[1].metadata.annotations["eks.amazonaws.com/role-arn"] = "arn:aws:iam::111111111111:role/other") }, /langsmith-queue: annotated arn:aws:iam::111111111111:role\/other, expected/, /trust policy/],
  ["blob-storage", "release not installed", { world: (w) => (w.k8s.serviceAccounts = []) }, /langsmith\/langsmith-backend: not found/, /role-arn/],
  ["cluster-addons", "a node NotReady", { world: (w) => (w.k8s.nodes[1].status.conditions[0].status = "False") }, /2\/3 nodes Ready[\s\S]*not Ready/, /kubectl describe node/],
  ["cluster-addons", "load balancer controller down", { world: (w) => (w.k8s.deployments[2].status.readyReplicas = 0) }, /aws-load-balancer-controller 0\/2 ready/, /app\.kubernetes\.io\/name in/],
  ["cluster-addons", "cluster-autoscaler missing", { world: (w) => w.k8s.deployments.splice(1, 1) }, /cluster-autoscaler: no Deployment labelled/, /their logs/],
  ["cluster-addons", "metrics API unavailable", { world: (w) => (w.k8s.nodeMetrics = -1) }, /metrics API \(metrics\.k8s\.io\/v1beta1\): HTTP 503/, /kubectl top nodes/],
  ["cluster-addons", "kubeconfig points at another cluster", { world: (w) => (w.eks.endpoint = "https://ABC.gr7.us-west-2.eks.amazonaws.com") }, /kubeconfig points at http:\/\/127\.0\.0\.1:\d+, cluster ls-dev-eks is https:\/\/ABC/, /update-kubeconfig --region us-west-2 --name ls-dev-eks/],
  [
    "langsmith-pods",
    "backend in CrashLoopBackOff",
    {
      world: (w) => {
        Object.assign(w.k8s.pods[0].status.containerStatuses[0], { ready: false, restartCount: 7, state: { waiting: { reason: "CrashLoopBackOff", message: "back-off 5m0s" } } });
        w.k8s.events = [{ type: "Warning", reason: "BackOff", message: "Back-off restarting failed container", involvedObject: { kind: "Pod", name: "langsmith-backend-7d9f8-abcde" }, metadata: { name: "e1" }, lastTimestamp: "2025-01-01T00:00:00Z" }];
      },
    },
    /container langsmith-backend CrashLoopBackOff[\s\S]*7 restarts \(more than 3\)[\s\S]*event Pod\/langsmith-backend-7d9f8-abcde: BackOff/,
    /Secrets handling \(walkthrough 10\.5\)/,
  ],
  ["langsmith-pods", "a service without endpoints", { world: (w) => (w.k8s.endpoints[1].subsets = []) }, /service langsmith-frontend: no ready endpoints/, /logs <pod> --previous/],
  [
    "langsmith-pods",
    "an ExternalSecret not synced",
    { world: (w) => (w.k8s.externalSecrets[1].status.conditions[0] = { type: "Ready", status: "False", reason: "SecretSyncedError", message: "could not get secret data from provider" }) },
    /ExternalSecret langsmith-postgres: not synced \(SecretSyncedError: could not get secret data from provider\)/,
    /get externalsecrets/,
  ],
  ["langsmith-pods", "a pod unschedulable", { world: (w) => Object.assign(w.k8s.pods[2].status, { phase: "Pending", containerStatuses: [], conditions: [{ type: "PodScheduled", status: "False", reason: "Unschedulable", message: "0/3 nodes are available: 3 Insufficient cpu." }] }) }, /Pending \(Unschedulable: 0\/3 nodes are available/, /describe pod/],
  ["langsmith-pods", "release not installed", { world: (w) => (w.k8s.pods = []) }, /no pods in namespace langsmith/, /ClickHouse undersized/],
  ["alb-targets", "an unhealthy target", { world: (w) => Object.assign(w.targets[1], { state: "unhealthy", reason: "Target.FailedHealthChecks", description: "Health checks failed" }) }, /10\.10\.48\.7:8080 unhealthy \(Target\.FailedHealthChecks: Health checks failed\)/, /Ingress misconfiguration \(walkthrough 10\.3\)/],
  ["alb-targets", "no targets registered", { world: (w) => (w.targets = []) }, /0\/0 healthy/, /TargetGroupBinding of langsmith-frontend is missing/],
  ["ui-https", "UI answers 503", { world: (w) => (w.langsmith.homeStatus = 503) }, /GET http:\/\/127\.0\.0\.1:\d+\/ → 503 \(\d+ ms\): expected 200/, /no healthy target answered/],
  ["ui-https", "WAF blocks", { world: (w) => (w.langsmith.healthStatus = 403) }, /\/health → 403/, /blocked by WAF/],
  ["ui-https", "API not routed to the backend", { world: (w) => (w.langsmith.info = "<html>") }, /\/api\/v1\/info → 200 \(\d+ ms\): the answer is not JSON/, /Auth mismatch/],
  ["ui-https", "nothing listens", { langsmithUrl: "closed" }, /GET http:\/\/127\.0\.0\.1:\d+\/: fetch failed \(ECONNREFUSED\)/, /no connection: ALB security group/],
  ["first-trace", "ingestion backpressure", { world: (w) => (w.langsmith.visibleAfterPolls = Infinity), options: { traceTimeoutMs: 50 } }, /traces created but not visible: run [0-9a-f-]+ not readable after 0 s \(\d+ polls, last answer 404\)/, /ClickHouse query concurrency and disk I\/O[\s\S]*received_at → inserted_at/],
  ["first-trace", "API key rejected", { options: { env: { LANGSMITH_API_KEY: "lsv2_pt_wrong_key_0000" } } }, /POST \/api\/v1\/runs .* → 401/, /the API key was rejected/],
  ["first-trace", "no API key", { options: { env: {} } }, /no API key: set LANGSMITH_API_KEY or pass --api-key-secret/, /Settings → API Keys/],
  ["first-trace", "secret missing", { options: { env: {}, apiKeySecret: "ls-dev/nope" } }, /reading secret ls-dev\/nope: ResourceNotFoundException/, /Settings → API Keys/],
  ["account-services", "no multi-region trail logging", { world: (w) => (w.account.trails = [{ name: "org-trail", multiRegion: true, logging: false }, { name: "local", multiRegion: false, logging: true }]) }, /CloudTrail org-trail: multi-region, NOT logging/, /start-logging/],
  ["account-services", "GuardDuty without RDS and S3 protection", { world: (w) => Object.assign(w.account.guardduty!.features, { RDS_LOGIN_EVENTS: "DISABLED", S3_DATA_EVENTS: "DISABLED" }) }, /GuardDuty RDS Protection \(login events\): DISABLED[\s\S]*S3 Protection \(data events\): DISABLED/, /turn on RDS_LOGIN_EVENTS, S3_DATA_EVENTS/],
  ["account-services", "no GuardDuty detector", { world: (w) => delete w.account.guardduty }, /GuardDuty: no detector in us-west-2/, /GuardDuty: enable it in us-west-2/],
  ["account-services", "AWS Config not recording", { world: (w) => (w.account.recorders[0].recording = false) }, /AWS Config recorder default: NOT recording/, /start-configuration-recorder/],
  ["account-services", "AWS Config not readable", { world: (w) => (w.account.denied = "config") }, /AWS Config: cannot read \(AccessDeniedException/, /needs read access/],
];

describe.each(FAILING)("gate %s fails when: %s", (id, _what, setup, evidence, hint) => {
  test("FAIL with the evidence and the first place to look", async () => {
    const { report, printed } = await run(id, setup);
    expect(report.status).toBe("fail");
    expect(printed).toContain(gate(id).title);
    expect(printed).toMatch(/FAIL/);
    expect(report.evidence.join("\n")).toMatch(evidence);
    expect(report.lookAt.join("\n")).toMatch(hint);
    expect(printed).toContain("first place to look:");
  });
});

describe("gate details", () => {
  test("every gate has a passing and a failing case", () => {
    const passing = new Set(PASSING.map(([id]) => id));
    const failing = new Set(FAILING.map(([id]) => id));
    expect(GATES.map((g) => g.id).filter((id) => !passing.has(id) || !failing.has(id))).toEqual([]);
  });

  test("a missing stack output fails the gate and names the output", async () => {
    const { report } = await run("nat-egress", { target: (v) => delete v.vpcId });
    expect(report.status).toBe("fail");
    expect(report.evidence[0]).toMatch(/missing input: stack output "vpc_id".*terraform output -json/);
  });

  test("a failed Job attempt followed by a success is steady state", async () => {
    const { report } = await run("langsmith-pods");
    expect(report.evidence[0]).toMatch(/9 pods: 7 Running, 1 Failed, 1 Succeeded/);
  });

  test("a failed Job pod without a later success is a failure", async () => {
    const { report } = await run("langsmith-pods", { world: (w) => w.k8s.pods.pop() });
    expect(report.evidence.join("\n")).toMatch(/pod langsmith-backend-migrations-x1y2z: Failed/);
  });

  test("ExternalSecrets served only as v1beta1 (older ESO) are still read", async () => {
    const { report } = await run("langsmith-pods", { world: (w) => (w.k8s.esoVersion = "v1beta1") });
    expect(report.status).toBe("pass");
  });

  test("without the app role output, annotations are checked for shape and the gap is said", async () => {
    const { report } = await run("blob-storage", { target: (v) => delete v.appRoleArn });
    expect(report.status).toBe("pass");
    expect(report.evidence.join("\n")).toMatch(/app role ARN not given \(output langsmith_app_role_arn\)/);
  });

  test("the API key can come from Secrets Manager, and is never printed", async () => {
    const { report, printed } = await run("first-trace", { options: { env: {}, apiKeySecret: "ls-dev/verify-api-key" } });
    expect(report.status).toBe("pass");
    expect(report.evidence[0]).toBe("API key from Secrets Manager secret ls-dev/verify-api-key (value not shown)");
    expect(printed).not.toContain(API_KEY);
  });

  test("a TCP probe is reported when asked for (here: nothing listens on the fake DB host)", async () => {
    const { report } = await run("postgres", { world: (w) => Object.assign(w.db, { host: "127.0.0.1", port: 9 }), options: { tcpProbe: true } });
    expect(report.status).toBe("fail");
    expect(report.evidence.join("\n")).toMatch(/TCP connect to 127\.0\.0\.1:9 failed: .*ECONNREFUSED/);
  });
});
