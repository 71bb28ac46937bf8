/**
 * Gates 1-5 and 8: the walkthrough's Terraform gates (section 2.3) and the ALB target gate
 * (section 3.4), checked through the AWS APIs.
 */
import { connect } from "node:net";
import type { RouteTable } from "@aws-sdk/client-ec2";
import type { Cluster } from "@aws-sdk/client-eks";
import { APP_COMPONENTS, IRSA_ANNOTATION, serviceAccountName } from "../../../lib/langsmith-values/chart";
import { POSTGRES_PORT, REDIS_PORT } from "../../../lib/engines";
import { asPostgresKind } from "../../../lib/naming";
import { describeError } from "../clients";
import { need, needList, OUTPUT_NAMES } from "../target";
import { fail, Gate, GateContext, listed, pass } from "./types";
import { sdk } from "../sdk";

/** Walkthrough section 10, culprit 1. */
const NETWORK_TRIAGE = "Networking / security groups (walkthrough 10.1): EKS cannot reach Postgres/Redis/ClickHouse";

/** The EKS DescribeCluster result, shared with gate 6 (kubeconfig must point at this cluster). */
export function describeCluster(ctx: GateContext): Promise<Cluster> {
  const name = need(ctx.target, "clusterName");
  return ctx.memo(`eks:${name}`, async () => {
    const out = await ctx.clients.eks.send(new sdk.eks.DescribeClusterCommand({ name }));
    if (!out.cluster) throw new Error(`DescribeCluster returned no cluster for ${name}`);
    return out.cluster;
  });
}

export const clusterActive: Gate = {
  id: "cluster-active",
  title: "EKS cluster is ACTIVE",
  triage: [
    "`aws eks describe-cluster --name <cluster> --region <region>`: status and health.issues",
    "the Terraform apply log of aws_eks_cluster (CloudTrail CreateCluster/UpdateClusterVersion errors)",
  ],
  async run(ctx) {
    const name = need(ctx.target, "clusterName");
    let c: Cluster;
    try {
      c = await describeCluster(ctx);
    } catch (e) {
      return fail([`DescribeCluster ${name} in ${need(ctx.target, "region")}: ${describeError(e)}`], [
        "is the region right and was the stack applied? (cluster name from " + (ctx.target.sources.clusterName ?? "?") + ")",
      ]);
    }
    const issues = (c.health?.issues ?? []).map((i) => `${i.code}: ${i.message}`);
    const evidence = [
      `cluster ${c.name}: ${c.status}, Kubernetes ${c.version}, platform ${c.platformVersion ?? "?"}`,
      `endpoint ${c.endpoint ?? "none"} (public access ${c.resourcesVpcConfig?.endpointPublicAccess ? "on" : "off"})`,
      ...issues.map((i) => `health issue ${i}`),
    ];
    return c.status === "ACTIVE" ? pass(evidence) : fail(evidence, [`status is ${c.status}: wait for ACTIVE, or read health.issues`]);
  },
};

export const natEgress: Gate = {
  id: "nat-egress",
  title: "Private subnets reach the internet through NAT",
  triage: [
    NETWORK_TRIAGE,
    "`aws ec2 describe-nat-gateways --filter Name=vpc-id,Values=<vpc>` (state, failureMessage) and the private route tables' 0.0.0.0/0 route",
  ],
  async run(ctx) {
    const vpcId = need(ctx.target, "vpcId");
    const subnets = needList(ctx.target, "privateSubnetIds");
    const ec2 = ctx.clients.ec2;
    const nats = (await ec2.send(new sdk.ec2.DescribeNatGatewaysCommand({ Filter: [{ Name: "vpc-id", Values: [vpcId] }] }))).NatGateways ?? [];
    const available = new Set(nats.filter((n) => n.State === "available").map((n) => n.NatGatewayId));
    const evidence = [`NAT gateways in ${vpcId}: ${listed(nats.map((n) => `${n.NatGatewayId} ${n.State}${n.FailureMessage ? ` (${n.FailureMessage})` : ""}`))}`];
    const tables = (await ec2.send(new sdk.ec2.DescribeRouteTablesCommand({ Filters: [{ Name: "association.subnet-id", Values: subnets }] }))).RouteTables ?? [];
    let main: RouteTable | undefined;
    const problems: string[] = [];
    for (const subnet of subnets) {
      let table = tables.find((t) => (t.Associations ?? []).some((a) => a.SubnetId === subnet));
      if (!table) {
        main ??= ((await ec2.send(new sdk.ec2.DescribeRouteTablesCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }, { Name: "association.main", Values: ["true"] }] }))).RouteTables ?? [])[0];
        table = main;
      }
      const route = table?.Routes?.find((r) => r.DestinationCidrBlock === "0.0.0.0/0");
      const where = `${subnet} (${table?.RouteTableId ?? "no route table"})`;
      if (!route) problems.push(`${where}: no default route`);
      else if (route.NatGatewayId && available.has(route.NatGatewayId) && route.State !== "blackhole") evidence.push(`${where}: 0.0.0.0/0 → ${route.NatGatewayId}`);
      else if (route.TransitGatewayId && route.State !== "blackhole") evidence.push(`${where}: 0.0.0.0/0 → ${route.TransitGatewayId} (transit gateway: egress beyond it not checked)`);
      else if (route.GatewayId?.startsWith("igw-")) problems.push(`${where}: default route to ${route.GatewayId}: a public subnet, not a private one`);
      else problems.push(`${where}: default route to ${route.NatGatewayId ?? route.GatewayId ?? route.NetworkInterfaceId ?? "?"} is ${route.State === "blackhole" ? "a blackhole" : "not an available NAT gateway"}`);
    }
    if (available.size === 0 && !evidence.some((e) => e.includes("transit gateway"))) problems.push("no NAT gateway is available");
    return problems.length === 0 ? pass(evidence) : fail([...evidence, ...problems]);
  },
};

/** Does one of `groupIds` allow TCP `port` from `source` (security-group reference)? */
async function sgPath(ctx: GateContext, groupIds: string[], port: number, source: string): Promise<{ ok: boolean; line: string }> {
  if (groupIds.length === 0) return { ok: false, line: "no security groups attached" };
  const groups = (await ctx.clients.ec2.send(new sdk.ec2.DescribeSecurityGroupsCommand({ GroupIds: groupIds }))).SecurityGroups ?? [];
  const allowing = groups.filter((g) =>
    (g.IpPermissions ?? []).some(
      (perm) =>
        (perm.IpProtocol === "-1" || (perm.IpProtocol === "tcp" && (perm.FromPort ?? 0) <= port && port <= (perm.ToPort ?? 65535))) &&
        (perm.UserIdGroupPairs ?? []).some((pair) => pair.GroupId === source),
    ),
  );
  return allowing.length > 0
    ? { ok: true, line: `${listed(allowing.map((g) => g.GroupId ?? "?"))} allows tcp/${port} from the node security group ${source}` }
    : { ok: false, line: `no rule in ${listed(groupIds)} allows tcp/${port} from the node security group ${source}` };
}

/**
 * The IRSA role annotation of a service account in the target's namespace: its value, "" when the
 * account has none, undefined when the account does not exist.
 */
async function serviceAccountRole(ctx: GateContext, name: string): Promise<string | undefined> {
  try {
    const sa = (await ctx.clients.kube().core.readNamespacedServiceAccount(name, ctx.target.namespace)).body;
    return sa.metadata?.annotations?.[IRSA_ANNOTATION] ?? "";
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode === 404) return undefined;
    throw e;
  }
}

/**
 * The storage gates' verdict on one service account's IRSA role: a problem when the account is
 * missing (`release` names what should have made it; without it the account is optional and a
 * missing one says nothing), has no role annotation, is annotated with another role than
 * `expected` (the stack's output, when given) or with no IAM role ARN; else its evidence line.
 */
export async function serviceAccountVerdict(ctx: GateContext, name: string, expected: unknown, release?: string): Promise<{ problem: string } | { evidence: string } | undefined> {
  const annotation = await serviceAccountRole(ctx, name);
  const account = `service account ${ctx.target.namespace}/${name}`;
  if (annotation === undefined) return release === undefined ? undefined : { problem: `${account}: not found (is the ${release} installed?)` };
  if (!annotation) return { problem: `${account}: no ${IRSA_ANNOTATION} annotation` };
  if (typeof expected === "string" && annotation !== expected) return { problem: `${account}: annotated ${annotation}, expected ${expected}` };
  if (!/^arn:aws[a-z-]*:iam::\d{12}:role\/.+/.test(annotation)) return { problem: `${account}: ${annotation} is not an IAM role ARN` };
  return { evidence: `service account ${name} → ${annotation}` };
}

/**
 * Anonymous HEAD of a bucket: 403 = exists and private, 404 = missing, 2xx = publicly readable
 * (a finding), 301/307 = in another region. Shared by the LangSmith and Langfuse storage gates.
 */
export async function probeBucket(ctx: GateContext, bucket: string, region: string): Promise<{ evidence: string[]; problems: string[] }> {
  const evidence: string[] = [];
  const problems: string[] = [];
  const url = ctx.options.s3Endpoint ? `${ctx.options.s3Endpoint.replace(/\/$/, "")}/${bucket}` : `https://${bucket}.s3.${region}.amazonaws.com/`;
  try {
    const res = await fetch(url, { method: "HEAD", redirect: "manual", signal: AbortSignal.timeout(ctx.options.httpTimeoutMs) });
    const where = res.headers.get("x-amz-bucket-region");
    if (res.status === 403) evidence.push(`bucket ${bucket}: exists, private (anonymous HEAD → 403${where ? `, region ${where}` : ""})`);
    else if (res.status === 404) problems.push(`bucket ${bucket}: does not exist (anonymous HEAD → 404)`);
    else if (res.status >= 200 && res.status < 300) problems.push(`bucket ${bucket}: readable anonymously (HEAD → ${res.status}); block public access`);
    else if (res.status === 301 || res.status === 307) problems.push(`bucket ${bucket}: in another region (${where ?? "?"}), expected ${region}`);
    else problems.push(`bucket ${bucket}: unexpected HEAD status ${res.status}`);
  } catch (e) {
    problems.push(`bucket ${bucket}: HEAD ${url} failed: ${describeError(e)}`);
  }
  return { evidence, problems };
}

export function tcpProbe(host: string, port: number, timeoutMs: number): Promise<number> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, timeout: timeoutMs });
    socket.once("connect", () => {
      socket.destroy();
      resolve(Date.now() - started);
    });
    socket.once("timeout", () => {
      socket.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms`));
    });
    socket.once("error", (e) => reject(e));
  });
}

async function probeLine(ctx: GateContext, host: string | undefined, port: number): Promise<{ ok: boolean; line: string } | undefined> {
  if (!ctx.options.tcpProbe || !host) return undefined;
  try {
    return { ok: true, line: `TCP connect to ${host}:${port} in ${await tcpProbe(host, port, 3000)} ms` };
  } catch (e) {
    return { ok: false, line: `TCP connect to ${host}:${port} failed: ${describeError(e)}` };
  }
}

export const postgresReachable: Gate = {
  id: "postgres",
  title: "PostgreSQL is available and reachable from the nodes",
  triage: [
    NETWORK_TRIAGE,
    "the database security group's inbound 5432 rule from the node security group; RDS events (`aws rds describe-events`)",
    "from a pod: `kubectl run pg-check --rm -it --image=postgres:16 -- pg_isready -h <endpoint>`",
  ],
  async run(ctx) {
    const id = need(ctx.target, "postgresIdentifier");
    const kind = asPostgresKind(ctx.target.values.postgresKind);
    const nodeSg = need(ctx.target, "nodeSecurityGroupId");
    let status: string | undefined, host: string | undefined, port: number, sgs: string[], extra: string;
    if (kind === "instance") {
      const db = (await ctx.clients.rds.send(new sdk.rds.DescribeDBInstancesCommand({ DBInstanceIdentifier: id }))).DBInstances?.[0];
      status = db?.DBInstanceStatus;
      host = db?.Endpoint?.Address;
      port = db?.Endpoint?.Port ?? POSTGRES_PORT;
      sgs = (db?.VpcSecurityGroups ?? []).map((g) => g.VpcSecurityGroupId ?? "").filter(Boolean);
      extra = `${db?.Engine ?? "?"} ${db?.EngineVersion ?? "?"}, Multi-AZ ${db?.MultiAZ ? "on" : "off"}`;
    } else {
      const db = (await ctx.clients.rds.send(new sdk.rds.DescribeDBClustersCommand({ DBClusterIdentifier: id }))).DBClusters?.[0];
      status = db?.Status;
      host = db?.Endpoint;
      port = db?.Port ?? POSTGRES_PORT;
      sgs = (db?.VpcSecurityGroups ?? []).map((g) => g.VpcSecurityGroupId ?? "").filter(Boolean);
      extra = `${db?.Engine ?? "?"} ${db?.EngineVersion ?? "?"}, ${(db?.DBClusterMembers ?? []).length} member(s)`;
    }
    const path = await sgPath(ctx, sgs, port, nodeSg);
    const probe = await probeLine(ctx, host, port);
    const evidence = [`DB ${kind} ${id}: ${status ?? "not found"}, ${extra}`, `endpoint ${host ?? "none"}:${port}`, path.line, ...(probe ? [probe.line] : [])];
    const ok = status === "available" && path.ok && (probe?.ok ?? true);
    return ok ? pass(evidence) : fail(evidence, status !== "available" ? [`status is ${status ?? "unknown"}: wait for "available" or read the RDS events`] : []);
  },
};

export const redisReachable: Gate = {
  id: "redis",
  title: "Redis is available and reachable from the nodes",
  triage: [
    NETWORK_TRIAGE,
    "the cache security group's inbound 6379 rule from the node security group; ElastiCache events",
    "IAM auth needs TLS: the chart's Redis URL is rediss://",
  ],
  async run(ctx) {
    const id = need(ctx.target, "redisReplicationGroupId");
    const nodeSg = need(ctx.target, "nodeSecurityGroupId");
    const rg = (await ctx.clients.elasticache.send(new sdk.elasticache.DescribeReplicationGroupsCommand({ ReplicationGroupId: id }))).ReplicationGroups?.[0];
    const primary = rg?.NodeGroups?.[0]?.PrimaryEndpoint;
    const port = primary?.Port ?? REDIS_PORT;
    const members = rg?.MemberClusters ?? [];
    const cache = members.length
      ? (await ctx.clients.elasticache.send(new sdk.elasticache.DescribeCacheClustersCommand({ CacheClusterId: members[0] }))).CacheClusters?.[0]
      : undefined;
    const sgs = (cache?.SecurityGroups ?? []).map((g) => g.SecurityGroupId ?? "").filter(Boolean);
    const path = await sgPath(ctx, sgs, port, nodeSg);
    const probe = await probeLine(ctx, primary?.Address, port);
    const tls = rg?.TransitEncryptionEnabled === true;
    const evidence = [
      `replication group ${id}: ${rg?.Status ?? "not found"}, members ${listed(members)}`,
      `primary endpoint ${primary?.Address ?? "none"}:${port}, in-transit encryption ${tls ? "on" : "off"}`,
      path.line,
      ...(probe ? [probe.line] : []),
    ];
    const hints = [
      ...(rg?.Status !== "available" ? [`status is ${rg?.Status ?? "unknown"}: wait for "available"`] : []),
      ...(!tls ? ["in-transit encryption is off: ElastiCache IAM authentication requires TLS"] : []),
    ];
    return rg?.Status === "available" && tls && path.ok && (probe?.ok ?? true) ? pass(evidence) : fail(evidence, hints);
  },
};

/** Service accounts that carry the app role: the chart components the role trusts (lib/langsmith-values/chart.ts). */
export const APP_SERVICE_ACCOUNTS: readonly string[] = APP_COMPONENTS.map(serviceAccountName);
/** The chart renders these whatever the features: a missing one means the release is not installed. */
const ALWAYS_RENDERED = new Set([serviceAccountName("backend"), serviceAccountName("queue")]);

export const blobStorage: Gate = {
  id: "blob-storage",
  title: "S3 bucket exists and the IAM access path (IRSA) is defined",
  triage: [
    "`kubectl -n langsmith get sa langsmith-backend -o yaml`: the eks.amazonaws.com/role-arn annotation (chart serviceAccount.annotations)",
    "the app role's trust policy (system:serviceaccount:langsmith:<sa>, the cluster's OIDC issuer) and the bucket policy",
    "service accounts are read through the Kubernetes API: `aws eks update-kubeconfig` (or --kubeconfig/--context) first",
  ],
  async run(ctx) {
    const bucket = need(ctx.target, "blobBucketName");
    const region = need(ctx.target, "region");
    const evidence: string[] = [];
    const problems: string[] = [];

    const probe = await probeBucket(ctx, bucket, region);
    evidence.push(...probe.evidence);
    problems.push(...probe.problems);

    // Without an S3 gateway endpoint, blob traffic still works through NAT (slower, billed per GB).
    const vpcId = ctx.target.values.vpcId;
    if (typeof vpcId === "string") {
      const eps = (await ctx.clients.ec2.send(new sdk.ec2.DescribeVpcEndpointsCommand({
        Filters: [{ Name: "vpc-id", Values: [vpcId] }, { Name: "service-name", Values: [`com.amazonaws.${region}.s3`] }],
      }))).VpcEndpoints ?? [];
      const gw = eps.find((e) => e.VpcEndpointType === "Gateway" && e.State?.toLowerCase() === "available");
      evidence.push(gw ? `S3 gateway endpoint ${gw.VpcEndpointId} on ${listed(gw.RouteTableIds ?? [])}` : "no available S3 gateway endpoint: blob traffic goes through NAT");
    }

    // The access path: every LangSmith service account that talks to AWS carries the app role.
    const expected = ctx.target.values.appRoleArn;
    for (const name of APP_SERVICE_ACCOUNTS) {
      const verdict = await serviceAccountVerdict(ctx, name, expected, ALWAYS_RENDERED.has(name) ? "release" : undefined);
      if (verdict && "problem" in verdict) problems.push(verdict.problem);
      else if (verdict) evidence.push(verdict.evidence);
    }
    if (typeof expected !== "string") evidence.push(`app role ARN not given (output ${OUTPUT_NAMES.appRoleArn}): annotations checked for shape only`);
    return problems.length === 0 ? pass(evidence) : fail([...evidence, ...problems]);
  },
};

export const albTargets: Gate = {
  id: "alb-targets",
  title: "ALB target group has healthy targets",
  triage: [
    "Ingress misconfiguration (walkthrough 10.3): ALB created but no healthy targets",
    "target health reasons: Target.FailedHealthChecks → frontend /health; Target.Timeout → node security group must allow 8080 from the ALB",
    "`kubectl -n langsmith get targetgroupbindings` and the AWS Load Balancer Controller logs (`kubectl -n kube-system logs deploy/aws-load-balancer-controller`)",
  ],
  async run(ctx) {
    const arn = need(ctx.target, "targetGroupArn");
    const targets = (await ctx.clients.elbv2.send(new sdk.elbv2.DescribeTargetHealthCommand({ TargetGroupArn: arn }))).TargetHealthDescriptions ?? [];
    const lines = targets.map((t) => {
      const h = t.TargetHealth;
      return `${t.Target?.Id}:${t.Target?.Port} ${h?.State}${h?.Reason ? ` (${h.Reason}${h.Description ? `: ${h.Description}` : ""})` : ""}`;
    });
    const healthy = targets.filter((t) => t.TargetHealth?.State === "healthy").length;
    const unhealthy = targets.filter((t) => t.TargetHealth?.State === "unhealthy").length;
    const evidence = [`target group ${arn.split(":").pop()}: ${healthy}/${targets.length} healthy`, ...lines];
    if (targets.length === 0) return fail(evidence, ["no targets registered: the TargetGroupBinding of langsmith-frontend is missing or the controller cannot register pod IPs"]);
    return healthy > 0 && unhealthy === 0 ? pass(evidence) : fail(evidence);
  },
};
