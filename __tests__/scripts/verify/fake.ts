/**
 * A fake of everything `verify` talks to, on one 127.0.0.1 port: the AWS APIs (EKS REST-JSON;
 * EC2, RDS, ElastiCache and ELBv2 query protocols answered in the XML the SDK parses; Secrets
 * Manager, CloudTrail and AWS Config JSON 1.1; GuardDuty REST-JSON; an S3 HEAD), the Kubernetes API (JSON lists), and LangSmith (UI, health,
 * info, runs). The world it serves is plain data: tests start from `healthyWorld()` and break
 * one thing. The server is bounded: it answers at most `maxRequests` and closes itself after `ttlMs`.
 */
import { createServer, IncomingMessage, ServerResponse } from "node:http";
import { AddressInfo } from "node:net";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sdk } from "../../../scripts/verify/sdk";
import type { VerifyOptions } from "../../../scripts/verify/gates";

export type Json = Record<string, any>;

export interface World {
  eks: { name: string; status: string; version: string; endpoint?: string };
  vpcId: string;
  privateSubnetIds: string[];
  nodeSecurityGroupId: string;
  natGateways: { id: string; state: string; subnetId: string }[];
  routeTables: { id: string; main?: boolean; subnets: string[]; routes: { cidr: string; nat?: string; gateway?: string; tgw?: string; state?: string }[] }[];
  securityGroups: { id: string; ingress: { protocol: string; from: number; to: number; sourceGroups: string[] }[] }[];
  vpcEndpoints: { id: string; service: string; type: string; state: string; routeTables: string[] }[];
  db: { kind: "instance" | "cluster"; id: string; status: string; host: string; port: number; securityGroups: string[] };
  redis: { id: string; status: string; members: string[]; host: string; port: number; tls: boolean; securityGroups: string[] };
  targetGroupArn: string;
  targets: { id: string; port: number; state: string; reason?: string; description?: string }[];
  bucket: string;
  /** Anonymous HEAD status per bucket name. */
  buckets: Record<string, number>;
  appRoleArn: string;
  /** Secret values by name (the current version). */
  secrets: Record<string, string>;
  /**
   * Secrets that exist without a value (Terraform creates them with no version): DescribeSecret
   * answers for these and for `secrets`, PutSecretValue writes into `secrets` (secrets:seed).
   */
  emptySecrets?: string[];
  /** ElastiCache user id → the password ModifyUser set and whether it is on (secrets:seed --apply). */
  redisUsers?: Record<string, { password: string; accessString: string }>;
  k8s: {
    nodes: Json[];
    deployments: Json[];
    pods: Json[];
    services: Json[];
    endpoints: Json[];
    externalSecrets: Json[];
    /** API group version ESO serves; the other answers 404. */
    esoVersion: "v1" | "v1beta1";
    events: Json[];
    serviceAccounts: Json[];
    /** Node metrics items; -1: the metrics API is unavailable (503). */
    nodeMetrics: number;
  };
  langsmith: {
    homeStatus: number;
    healthStatus: number;
    infoStatus: number;
    info: Json | string;
    apiKey: string;
    postStatus: number;
    /** Reads answering 404 before the run is visible; Infinity: never (ingestion backpressure). */
    visibleAfterPolls: number;
  };
  /** Account-level services (gate account-services). */
  account: {
    trails: { name: string; multiRegion: boolean; logging: boolean; organization?: boolean }[];
    /** Absent: no GuardDuty detector in the region. */
    guardduty?: { detectorId: string; status: "ENABLED" | "DISABLED"; features: Record<string, "ENABLED" | "DISABLED"> };
    recorders: { name: string; recording: boolean; lastStatus: "Success" | "Failure" | "Pending" }[];
    /** An API answering AccessDeniedException. */
    denied?: "cloudtrail" | "guardduty" | "config";
  };
  /** Langfuse's public API (`verify --app langfuse`); absent: its routes answer 404. */
  langfuse?: {
    healthStatus: number;
    readyStatus: number;
    publicKey: string;
    secretKey: string;
    /** Status of POST /api/public/ingestion for an authorized batch (207 in Langfuse). */
    ingestionStatus: number;
    /** Reads answering 404 before the trace is visible; Infinity: never. */
    visibleAfterPolls: number;
  };
}

/** A healthy environment running Langfuse: its pods, secrets, service account and API (see langfuseWorld). */
export const LANGFUSE_KEYS = { publicKey: "pk-lf-00000000-0000-4000-8000-000000000001", secretKey: "sk-lf-00000000-0000-4000-8000-000000000002" } as const;

const API_KEY = "lsv2_pt_0123456789abcdef0123456789abcdef_fake";

function pod(name: string, opts: { phase?: string; ready?: boolean; restarts?: number; waiting?: string; job?: string } = {}): Json {
  const phase = opts.phase ?? "Running";
  return {
    metadata: { name, namespace: "langsmith", ...(opts.job ? { ownerReferences: [{ kind: "Job", name: opts.job, apiVersion: "batch/v1", uid: "u", controller: true }] } : {}) },
    status: {
      phase,
      containerStatuses: [
        {
          name: name.replace(/-[a-z0-9]+-[a-z0-9]+$/, ""),
          ready: opts.ready ?? phase === "Running",
          restartCount: opts.restarts ?? 0,
          image: "docker.io/langchain/x",
          imageID: "",
          state: opts.waiting ? { waiting: { reason: opts.waiting, message: "back-off restarting failed container" } } : phase === "Running" ? { running: {} } : { terminated: { exitCode: 0 } },
        },
      ],
    },
  };
}

function service(name: string): Json {
  return { metadata: { name, namespace: "langsmith" }, spec: { type: "ClusterIP", selector: { "app.kubernetes.io/name": name } } };
}

function endpoints(name: string, ips: string[]): Json {
  return { metadata: { name, namespace: "langsmith" }, subsets: ips.length ? [{ addresses: ips.map((ip) => ({ ip })), ports: [{ port: 80 }] }] : [] };
}

function deployment(namespace: string, name: string, label: string, ready = 1, replicas = 1): Json {
  return { metadata: { name, namespace, labels: { "app.kubernetes.io/name": label } }, spec: { replicas }, status: { replicas, readyReplicas: ready } };
}

function node(name: string, ready = true): Json {
  return {
    metadata: { name },
    status: {
      conditions: [{ type: "Ready", status: ready ? "True" : "False", reason: ready ? "KubeletReady" : "KubeletNotReady", message: ready ? "kubelet is posting ready status" : "container runtime is down" }],
      allocatable: { cpu: "7910m", memory: "31958100Ki" },
    },
  };
}

export function langfuseWorld(): World {
  const w = healthyWorld();
  const roleArn = "arn:aws:iam::111111111111:role/ls-dev-irsa-langfuse";
  w.appRoleArn = roleArn;
  w.bucket = "ls-dev-langfuse-111111111111";
  w.buckets[w.bucket] = 403;
  w.targetGroupArn = "arn:aws:elasticloadbalancing:us-west-2:111111111111:targetgroup/ls-dev-langfuse/0123456789abcdef";
  w.targets = [{ id: "10.10.32.40", port: 3000, state: "healthy" }];
  w.secrets["ls-dev/langfuse/init-public-key"] = LANGFUSE_KEYS.publicKey;
  w.secrets["ls-dev/langfuse/init-secret-key"] = LANGFUSE_KEYS.secretKey;
  const components = ["langfuse-web", "langfuse-worker"];
  w.k8s.pods = components.map((c) => ({ ...pod(`${c}-6c8d9-abcde`), metadata: { name: `${c}-6c8d9-abcde`, namespace: "langfuse" } }));
  w.k8s.services = [service("langfuse-web")];
  w.k8s.endpoints = [endpoints("langfuse-web", ["10.10.32.40"])];
  w.k8s.externalSecrets = ["langfuse-config", "langfuse-connections", "langfuse-database-setup"].map((name) => ({
    apiVersion: "external-secrets.io/v1",
    kind: "ExternalSecret",
    metadata: { name, namespace: "langfuse" },
    status: { conditions: [{ type: "Ready", status: "True", reason: "SecretSynced", message: "secret synced" }] },
  }));
  w.k8s.serviceAccounts = [{ metadata: { name: "langfuse", namespace: "langfuse", annotations: { "eks.amazonaws.com/role-arn": roleArn } } }];
  w.langfuse = { healthStatus: 200, readyStatus: 200, ...LANGFUSE_KEYS, ingestionStatus: 207, visibleAfterPolls: 2 };
  return w;
}

export function healthyWorld(): World {
  const appRoleArn = "arn:aws:iam::111111111111:role/ls-dev-langsmith-app";
  const components = ["langsmith-backend", "langsmith-frontend", "langsmith-platform-backend", "langsmith-queue", "langsmith-playground", "langsmith-ace-backend"];
  return {
    eks: { name: "ls-dev-eks", status: "ACTIVE", version: "1.33" },
    vpcId: "vpc-0abc1234",
    privateSubnetIds: ["subnet-0aaa1111", "subnet-0bbb2222"],
    nodeSecurityGroupId: "sg-0node1234",
    natGateways: [{ id: "nat-0aaa1111", state: "available", subnetId: "subnet-0pub1111" }],
    routeTables: [
      { id: "rtb-0priv1111", subnets: ["subnet-0aaa1111", "subnet-0bbb2222"], routes: [{ cidr: "10.10.0.0/16", gateway: "local" }, { cidr: "0.0.0.0/0", nat: "nat-0aaa1111" }] },
      { id: "rtb-0main1111", main: true, subnets: [], routes: [{ cidr: "10.10.0.0/16", gateway: "local" }] },
    ],
    securityGroups: [
      { id: "sg-0db12345", ingress: [{ protocol: "tcp", from: 5432, to: 5432, sourceGroups: ["sg-0node1234"] }] },
      { id: "sg-0redis123", ingress: [{ protocol: "tcp", from: 6379, to: 6379, sourceGroups: ["sg-0node1234"] }] },
    ],
    vpcEndpoints: [{ id: "vpce-0s3a1111", service: "com.amazonaws.us-west-2.s3", type: "Gateway", state: "available", routeTables: ["rtb-0priv1111"] }],
    db: { kind: "instance", id: "ls-dev-postgres", status: "available", host: "ls-dev-postgres.abc.us-west-2.rds.amazonaws.com", port: 5432, securityGroups: ["sg-0db12345"] },
    redis: { id: "ls-dev-redis", status: "available", members: ["ls-dev-redis-001"], host: "master.ls-dev-redis.abc.usw2.cache.amazonaws.com", port: 6379, tls: true, securityGroups: ["sg-0redis123"] },
    targetGroupArn: "arn:aws:elasticloadbalancing:us-west-2:111111111111:targetgroup/ls-dev-frontend/0123456789abcdef",
    targets: [
      { id: "10.10.32.15", port: 8080, state: "healthy" },
      { id: "10.10.48.7", port: 8080, state: "healthy" },
    ],
    bucket: "ls-dev-blobs-111111111111",
    buckets: { "ls-dev-blobs-111111111111": 403 },
    appRoleArn,
    secrets: { "ls-dev/verify-api-key": JSON.stringify({ api_key: API_KEY }) },
    k8s: {
      nodes: [node("ip-10-10-32-1.us-west-2.compute.internal"), node("ip-10-10-48-2.us-west-2.compute.internal"), node("ip-10-10-32-3.us-west-2.compute.internal")],
      deployments: [
        deployment("kube-system", "metrics-server", "metrics-server"),
        deployment("kube-system", "cluster-autoscaler-aws-cluster-autoscaler", "aws-cluster-autoscaler"),
        deployment("kube-system", "aws-load-balancer-controller", "aws-load-balancer-controller", 2, 2),
        deployment("external-secrets", "external-secrets", "external-secrets"),
      ],
      pods: [
        ...components.map((c) => pod(`${c}-7d9f8-abcde`)),
        pod("langsmith-clickhouse-0", {}),
        pod("langsmith-backend-migrations-x1y2z", { phase: "Failed", job: "langsmith-backend-migrations" }),
        pod("langsmith-backend-migrations-a1b2c", { phase: "Succeeded", job: "langsmith-backend-migrations" }),
      ],
      services: [...components.map(service), service("langsmith-clickhouse")],
      endpoints: [...components, "langsmith-clickhouse"].map((c, i) => endpoints(c, [`10.10.32.${20 + i}`])),
      externalSecrets: ["langsmith-config", "langsmith-postgres", "langsmith-redis", "langsmith-clickhouse"].map((name) => ({
        apiVersion: "external-secrets.io/v1",
        kind: "ExternalSecret",
        metadata: { name, namespace: "langsmith" },
        status: { conditions: [{ type: "Ready", status: "True", reason: "SecretSynced", message: "secret synced" }] },
      })),
      esoVersion: "v1",
      events: [],
      serviceAccounts: ["langsmith-backend", "langsmith-queue", "langsmith-platform-backend", "langsmith-ingest-queue"].map((name) => ({
        metadata: { name, namespace: "langsmith", annotations: { "eks.amazonaws.com/role-arn": appRoleArn } },
      })),
      nodeMetrics: 3,
    },
    account: {
      trails: [{ name: "org-trail", multiRegion: true, logging: true, organization: true }],
      guardduty: {
        detectorId: "12abc34d567e8fa901bc2d34eexample",
        status: "ENABLED",
        features: { CLOUD_TRAIL: "ENABLED", EKS_AUDIT_LOGS: "ENABLED", RDS_LOGIN_EVENTS: "ENABLED", S3_DATA_EVENTS: "ENABLED", RUNTIME_MONITORING: "ENABLED" },
      },
      recorders: [{ name: "default", recording: true, lastStatus: "Success" }],
    },
    langsmith: {
      homeStatus: 200,
      healthStatus: 200,
      infoStatus: 200,
      info: { version: "0.16.45", instance_flags: {} },
      apiKey: API_KEY,
      postStatus: 202,
      visibleAfterPolls: 2,
    },
  };
}

/** `terraform output -json` for the world (what the stack's outputs contain). */
export function outputsOf(w: World): Json {
  const o = (value: unknown) => ({ value, type: Array.isArray(value) ? ["list", "string"] : "string", sensitive: false });
  return {
    cluster_name: o(w.eks.name),
    vpc_id: o(w.vpcId),
    private_subnet_ids: o(w.privateSubnetIds),
    node_security_group_id: o(w.nodeSecurityGroupId),
    postgres_identifier: o(w.db.id),
    postgres_kind: o(w.db.kind),
    redis_replication_group_id: o(w.redis.id),
    blob_bucket_name: o(w.bucket),
    langsmith_app_role_arn: o(w.appRoleArn),
    alb_target_group_arn: o(w.targetGroupArn),
  };
}

// ---------------------------------------------------------------------------------------------
// XML helpers (only what the SDK deserializers read).

const esc = (s: unknown) => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const el = (name: string, content: unknown) => (content === undefined ? "" : `<${name}>${content}</${name}>`);
const list = (name: string, item: string, items: string[]) => `<${name}>${items.map((i) => `<${item}>${i}</${item}>`).join("")}</${name}>`;

/** EC2 answers `<ActionResponse>` with `item` lists; the query protocols wrap a `<ActionResult>`. */
const ec2 = (action: string, body: string) => `<?xml version="1.0" encoding="UTF-8"?><${action}Response><requestId>r-1</requestId>${body}</${action}Response>`;
const query = (action: string, body: string) =>
  `<?xml version="1.0"?><${action}Response><${action}Result>${body}</${action}Result><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></${action}Response>`;
const queryError = (code: string, message: string) => `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${esc(message)}</Message></Error><RequestId>r-1</RequestId></ErrorResponse>`;

/** EC2 query filters: `Filter.1.Name=x&Filter.1.Value.1=y` → { x: [y] }. */
function filters(params: URLSearchParams): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of params) {
    const m = /^Filter\.(\d+)\.Name$/.exec(k);
    if (!m) continue;
    out[v] = [...params].filter(([kk]) => kk.startsWith(`Filter.${m[1]}.Value.`)).map(([, vv]) => vv);
  }
  return out;
}

function awsQuery(w: World, params: URLSearchParams): { status: number; body: string } {
  const action = params.get("Action") ?? "";
  switch (action) {
    case "DescribeNatGateways":
      return { status: 200, body: ec2(action, list("natGatewaySet", "item", w.natGateways.map((n) => el("natGatewayId", n.id) + el("state", n.state) + el("subnetId", n.subnetId) + el("vpcId", w.vpcId)))) };
    case "DescribeRouteTables": {
      const f = filters(params);
      const tables = f["association.main"] ? w.routeTables.filter((t) => t.main) : w.routeTables.filter((t) => t.subnets.some((s) => (f["association.subnet-id"] ?? []).includes(s)));
      const render = (t: World["routeTables"][number]) =>
        el("routeTableId", t.id) +
        el("vpcId", w.vpcId) +
        list("routeSet", "item", t.routes.map((r) => el("destinationCidrBlock", r.cidr) + el("natGatewayId", r.nat) + el("gatewayId", r.gateway) + el("transitGatewayId", r.tgw) + el("state", r.state ?? "active"))) +
        list("associationSet", "item", [...t.subnets.map((s) => el("routeTableId", t.id) + el("subnetId", s) + el("main", "false")), ...(t.main ? [el("routeTableId", t.id) + el("main", "true")] : [])]);
      return { status: 200, body: ec2(action, list("routeTableSet", "item", tables.map(render))) };
    }
    case "DescribeSecurityGroups": {
      const ids = [...params].filter(([k]) => k.startsWith("GroupId.")).map(([, v]) => v);
      const groups = w.securityGroups.filter((g) => ids.includes(g.id));
      const render = (g: World["securityGroups"][number]) =>
        el("groupId", g.id) +
        el("groupName", g.id) +
        list("ipPermissions", "item", g.ingress.map((i) => el("ipProtocol", i.protocol) + el("fromPort", i.from) + el("toPort", i.to) + list("groups", "item", i.sourceGroups.map((s) => el("groupId", s) + el("userId", "111111111111"))) + "<ipRanges/>"));
      return { status: 200, body: ec2(action, list("securityGroupInfo", "item", groups.map(render))) };
    }
    case "DescribeVpcEndpoints":
      return {
        status: 200,
        body: ec2(action, list("vpcEndpointSet", "item", w.vpcEndpoints.map((e) => el("vpcEndpointId", e.id) + el("vpcEndpointType", e.type) + el("serviceName", e.service) + el("state", e.state) + el("vpcId", w.vpcId) + list("routeTableIdSet", "item", e.routeTables)))),
      };
    case "DescribeDBInstances": {
      const d = w.db;
      if (d.kind !== "instance" || params.get("DBInstanceIdentifier") !== d.id) return { status: 404, body: queryError("DBInstanceNotFound", `DBInstance ${params.get("DBInstanceIdentifier")} not found.`) };
      const sgs = list("VpcSecurityGroups", "VpcSecurityGroupMembership", d.securityGroups.map((g) => el("VpcSecurityGroupId", g) + el("Status", "active")));
      return {
        status: 200,
        body: query(action, list("DBInstances", "DBInstance", [el("DBInstanceIdentifier", d.id) + el("DBInstanceStatus", d.status) + el("Engine", "postgres") + el("EngineVersion", "16.10") + el("MultiAZ", "false") + el("Endpoint", el("Address", d.host) + el("Port", d.port)) + sgs])),
      };
    }
    case "DescribeDBClusters": {
      const d = w.db;
      if (d.kind !== "cluster" || params.get("DBClusterIdentifier") !== d.id) return { status: 404, body: queryError("DBClusterNotFoundFault", `DBCluster ${params.get("DBClusterIdentifier")} not found.`) };
      const sgs = list("VpcSecurityGroups", "VpcSecurityGroupMembership", d.securityGroups.map((g) => el("VpcSecurityGroupId", g) + el("Status", "active")));
      return { status: 200, body: query(action, list("DBClusters", "DBCluster", [el("DBClusterIdentifier", d.id) + el("Status", d.status) + el("Engine", "aurora-postgresql") + el("EngineVersion", "16.9") + el("Endpoint", d.host) + el("Port", d.port) + sgs])) };
    }
    case "DescribeReplicationGroups": {
      const r = w.redis;
      if (params.get("ReplicationGroupId") !== r.id) return { status: 404, body: queryError("ReplicationGroupNotFoundFault", `ReplicationGroup ${params.get("ReplicationGroupId")} not found.`) };
      const group =
        el("ReplicationGroupId", r.id) +
        el("Status", r.status) +
        list("MemberClusters", "ClusterId", r.members) +
        list("NodeGroups", "NodeGroup", [el("NodeGroupId", "0001") + el("Status", r.status) + el("PrimaryEndpoint", el("Address", r.host) + el("Port", r.port))]) +
        el("TransitEncryptionEnabled", String(r.tls));
      return { status: 200, body: query(action, list("ReplicationGroups", "ReplicationGroup", [group])) };
    }
    case "DescribeCacheClusters": {
      const r = w.redis;
      const id = params.get("CacheClusterId") ?? "";
      if (!r.members.includes(id)) return { status: 404, body: queryError("CacheClusterNotFound", `CacheCluster ${id} not found.`) };
      const sgs = list("SecurityGroups", "member", r.securityGroups.map((g) => el("SecurityGroupId", g) + el("Status", "active")));
      return { status: 200, body: query(action, list("CacheClusters", "CacheCluster", [el("CacheClusterId", id) + el("CacheClusterStatus", r.status) + sgs])) };
    }
    case "DescribeTargetHealth": {
      if (params.get("TargetGroupArn") !== w.targetGroupArn) return { status: 400, body: queryError("TargetGroupNotFound", "One or more target groups not found") };
      const items = w.targets.map(
        (t) => el("Target", el("Id", t.id) + el("Port", t.port)) + el("HealthCheckPort", t.port) + el("TargetHealth", el("State", t.state) + el("Reason", t.reason) + el("Description", t.description && esc(t.description))),
      );
      return { status: 200, body: query(action, list("TargetHealthDescriptions", "member", items)) };
    }
    case "ModifyUser": {
      const id = params.get("UserId") ?? "";
      if (!w.redisUsers || !(id in w.redisUsers)) return { status: 404, body: queryError("UserNotFound", `User ${id} not found.`) };
      w.redisUsers[id] = { password: params.get("AuthenticationMode.Passwords.member.1") ?? "", accessString: params.get("AccessString") ?? "" };
      return { status: 200, body: query(action, el("UserId", id) + el("Status", "modifying") + el("AccessString", esc(w.redisUsers[id].accessString))) };
    }
    default:
      return { status: 400, body: queryError("InvalidAction", `fake does not know ${action}`) };
  }
}

/** CloudTrail and AWS Config (JSON 1.1, by X-Amz-Target) and GuardDuty (REST-JSON); undefined: not an account API. */
function accountApi(w: World, method: string, path: string, target: string | undefined, body: string): { status: number; type: string; body: Json } | undefined {
  const a = w.account;
  const json11 = "application/x-amz-json-1.1";
  const denied = (type: string) => ({ status: 400, type, body: { __type: "AccessDeniedException", message: "User is not authorized to perform this action", Message: "User is not authorized to perform this action" } });
  if (target?.includes("CloudTrail_20131101.")) {
    if (a.denied === "cloudtrail") return denied(json11);
    if (target.endsWith(".DescribeTrails")) {
      return {
        status: 200,
        type: json11,
        body: { trailList: a.trails.map((t) => ({ Name: t.name, TrailARN: `arn:aws:cloudtrail:us-west-2:111111111111:trail/${t.name}`, IsMultiRegionTrail: t.multiRegion, IsOrganizationTrail: t.organization ?? false, LogFileValidationEnabled: true, HomeRegion: "us-west-2" })) },
      };
    }
    if (target.endsWith(".GetTrailStatus")) {
      const name = String((JSON.parse(body || "{}") as Json).Name ?? "").split("/").pop();
      const trail = a.trails.find((t) => t.name === name);
      return trail ? { status: 200, type: json11, body: { IsLogging: trail.logging } } : { status: 400, type: json11, body: { __type: "TrailNotFoundException", message: `Unknown trail: ${name}` } };
    }
  }
  if (target?.startsWith("StarlingDoveService.")) {
    if (a.denied === "config") return denied(json11);
    if (target.endsWith(".DescribeConfigurationRecorderStatus")) {
      return { status: 200, type: json11, body: { ConfigurationRecordersStatus: a.recorders.map((r) => ({ name: r.name, recording: r.recording, lastStatus: r.lastStatus })) } };
    }
  }
  if (method === "GET" && (path === "/detector" || path.startsWith("/detector/"))) {
    if (a.denied === "guardduty") return denied("application/json");
    const g = a.guardduty;
    if (path === "/detector") return { status: 200, type: "application/json", body: { detectorIds: g ? [g.detectorId] : [] } };
    if (!g || path !== `/detector/${g.detectorId}`) return { status: 400, type: "application/json", body: { __type: "BadRequestException", message: "The request is rejected because the input detectorId is not owned by the current account." } };
    return {
      status: 200,
      type: "application/json",
      body: { status: g.status, serviceRole: "arn:aws:iam::111111111111:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty", createdAt: "2025-01-01T00:00:00.000Z", features: Object.entries(g.features).map(([name, status]) => ({ name, status })) },
    };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------

export interface Fake {
  readonly url: string;
  readonly requests: string[];
  /** kubeconfig file whose only context points at the fake. */
  readonly kubeconfig: string;
  close(): Promise<void>;
}

export interface FakeLimits {
  /** @default 500 */
  readonly maxRequests?: number;
  /** @default 30000 */
  readonly ttlMs?: number;
}

export async function startFake(w: World, limits: FakeLimits = {}): Promise<Fake> {
  const requests: string[] = [];
  const runs = new Map<string, { run: Json; pollsLeft: number }>();
  /** A posted run or trace once it has been polled its `visibleAfterPolls` times (LangSmith and Langfuse alike); each earlier read counts one. */
  const readable = (id: string) => {
    const r = runs.get(id);
    if (r && r.pollsLeft > 0) r.pollsLeft--;
    else if (r) return r;
    return undefined;
  };
  const maxRequests = limits.maxRequests ?? 500;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://fake");
    const path = url.pathname;
    const method = req.method ?? "GET";
    const send = (status: number, payload: string | Json, type = "application/json") => {
      res.writeHead(status, { "content-type": type });
      res.end(typeof payload === "string" ? payload : JSON.stringify(payload));
    };
    const k8sList = (kind: string, items: Json[]) => send(200, { kind, apiVersion: "v1", metadata: {}, items });
    const notFound = (what: string) => send(404, { kind: "Status", apiVersion: "v1", status: "Failure", message: `${what} not found`, reason: "NotFound", code: 404 });

    const target = req.headers["x-amz-target"];
    const action = method === "POST" && path === "/" && !target ? new URLSearchParams(body).get("Action") : undefined;
    requests.push(`${method} ${path}${action ? ` ${action}` : ""}${target ? ` ${target}` : ""}`);
    if (requests.length > maxRequests) return send(503, { message: "fake: request limit reached" });

    // --- AWS ---
    if (method === "HEAD") {
      res.writeHead(w.buckets[path.slice(1)] ?? 404, { "x-amz-bucket-region": "us-west-2" });
      return res.end();
    }
    const accountAnswer = accountApi(w, method, path, typeof target === "string" ? target : undefined, body);
    if (accountAnswer) {
      const headers: Record<string, string> = { "content-type": accountAnswer.type };
      if (accountAnswer.status >= 400) headers["x-amzn-errortype"] = String(accountAnswer.body.__type);
      res.writeHead(accountAnswer.status, headers);
      return res.end(JSON.stringify(accountAnswer.body));
    }
    if (target === "secretsmanager.DescribeSecret" || target === "secretsmanager.PutSecretValue") {
      const req = JSON.parse(body) as { SecretId: string; SecretString?: string };
      const id = req.SecretId;
      const arn = `arn:aws:secretsmanager:us-west-2:111111111111:secret:${id}`;
      if (!(id in w.secrets) && !(w.emptySecrets ?? []).includes(id)) {
        res.writeHead(400, { "content-type": "application/x-amz-json-1.1", "x-amzn-errortype": "ResourceNotFoundException" });
        return res.end(JSON.stringify({ __type: "ResourceNotFoundException", message: "Secrets Manager can't find the specified secret." }));
      }
      if (target === "secretsmanager.PutSecretValue") {
        w.secrets[id] = String(req.SecretString);
        return send(200, { ARN: arn, Name: id, VersionId: "v-seeded", VersionStages: ["AWSCURRENT"] }, "application/x-amz-json-1.1");
      }
      return send(200, { ARN: arn, Name: id, ...(id in w.secrets ? { VersionIdsToStages: { "v-1": ["AWSCURRENT"] } } : {}) }, "application/x-amz-json-1.1");
    }
    if (target === "secretsmanager.GetSecretValue") {
      const id = (JSON.parse(body) as { SecretId: string }).SecretId;
      if (!(id in w.secrets)) {
        res.writeHead(400, { "content-type": "application/x-amz-json-1.1", "x-amzn-errortype": "ResourceNotFoundException" });
        return res.end(JSON.stringify({ __type: "ResourceNotFoundException", message: "Secrets Manager can't find the specified secret." }));
      }
      return send(200, { ARN: `arn:aws:secretsmanager:us-west-2:111111111111:secret:${id}`, Name: id, SecretString: w.secrets[id] }, "application/x-amz-json-1.1");
    }
    if (action) {
      const r = awsQuery(w, new URLSearchParams(body));
      return send(r.status, r.body, "text/xml");
    }
    if (path.startsWith("/clusters/")) {
      const name = decodeURIComponent(path.split("/")[2]);
      if (name !== w.eks.name) {
        res.writeHead(404, { "content-type": "application/json", "x-amzn-errortype": "ResourceNotFoundException" });
        return res.end(JSON.stringify({ message: `No cluster found for name: ${name}.` }));
      }
      const { endpoint, ...c } = w.eks;
      return send(200, { cluster: { ...c, arn: `arn:aws:eks:us-west-2:111111111111:cluster/${name}`, endpoint: endpoint ?? fakeUrl, platformVersion: "eks.9", resourcesVpcConfig: { endpointPublicAccess: false } } });
    }

    // --- Kubernetes ---
    const k = w.k8s;
    if (path === "/api/v1/nodes") return k8sList("NodeList", k.nodes);
    if (path === "/apis/apps/v1/deployments") return k8sList("DeploymentList", k.deployments);
    if (path === "/apis/metrics.k8s.io/v1beta1/nodes") {
      if (k.nodeMetrics < 0) return send(503, { kind: "Status", status: "Failure", message: "the server is currently unable to handle the request", code: 503 });
      return send(200, { kind: "NodeMetricsList", apiVersion: "metrics.k8s.io/v1beta1", items: Array.from({ length: k.nodeMetrics }, (_, i) => ({ metadata: { name: `n${i}` }, usage: { cpu: "250m", memory: "2Gi" } })) });
    }
    const ns = /^\/api\/v1\/namespaces\/([^/]+)\/([a-z]+)(?:\/([^/]+))?$/.exec(path);
    if (ns) {
      const [, , kind, name] = ns;
      if (kind === "pods") return k8sList("PodList", k.pods);
      if (kind === "services") return k8sList("ServiceList", k.services);
      if (kind === "endpoints") return k8sList("EndpointsList", k.endpoints);
      if (kind === "events") {
        const selector = url.searchParams.get("fieldSelector");
        return k8sList("EventList", k.events.filter((e) => selector !== "type=Warning" || e.type === "Warning"));
      }
      if (kind === "serviceaccounts" && name) {
        const sa = k.serviceAccounts.find((s) => s.metadata.name === name);
        return sa ? send(200, { kind: "ServiceAccount", apiVersion: "v1", ...sa }) : notFound(`serviceaccounts "${name}"`);
      }
    }
    const es = /^\/apis\/external-secrets\.io\/([a-z0-9]+)\/namespaces\/[^/]+\/externalsecrets$/.exec(path);
    if (es) return es[1] === k.esoVersion ? send(200, { apiVersion: `external-secrets.io/${es[1]}`, kind: "ExternalSecretList", items: k.externalSecrets }) : notFound("the server could not find the requested resource");

    // --- Langfuse ---
    const lf = w.langfuse;
    if (lf && path.startsWith("/api/public/")) {
      const basic = `Basic ${Buffer.from(`${lf.publicKey}:${lf.secretKey}`).toString("base64")}`;
      const ok = req.headers.authorization === basic;
      if (method === "GET" && path === "/api/public/health") return send(lf.healthStatus, { status: lf.healthStatus === 200 ? "OK" : "FAIL", version: "4.4.0" });
      if (method === "GET" && path === "/api/public/ready") return send(lf.readyStatus, { status: lf.readyStatus === 200 ? "OK" : "FAIL" });
      if (method === "POST" && path === "/api/public/ingestion") {
        if (!ok) return send(401, { message: "Invalid credentials" });
        const events = (JSON.parse(body) as { batch: Json[] }).batch;
        for (const e of events) if (e.type === "trace-create") runs.set(e.body.id, { run: e.body, pollsLeft: lf.visibleAfterPolls });
        return send(lf.ingestionStatus, { successes: events.map((e) => ({ id: e.id, status: 201 })), errors: [] });
      }
      const trace = /^\/api\/public\/traces\/([0-9a-f-]+)$/.exec(path);
      if (method === "GET" && trace) {
        if (!ok) return send(401, { message: "Invalid credentials" });
        const r = readable(trace[1]);
        return r ? send(200, { ...r.run, observations: [], scores: [] }) : send(404, { message: "Trace not found" });
      }
    }

    // --- LangSmith ---
    const l = w.langsmith;
    const authorized = req.headers["x-api-key"] === l.apiKey;
    if (method === "GET" && path === "/") return send(l.homeStatus, "<!doctype html><title>LangSmith</title>", "text/html");
    if (method === "GET" && path === "/health") return send(l.healthStatus, "", "text/plain");
    if (method === "GET" && path === "/api/v1/info") return send(l.infoStatus, l.info);
    if (method === "POST" && path === "/api/v1/runs") {
      if (!authorized) return send(401, { detail: "Invalid token" });
      const run = JSON.parse(body) as Json;
      runs.set(run.id, { run, pollsLeft: l.visibleAfterPolls });
      return send(l.postStatus, {});
    }
    const read = /^\/api\/v1\/runs\/([0-9a-f-]+)$/.exec(path);
    if (method === "GET" && read) {
      if (!authorized) return send(401, { detail: "Invalid token" });
      const r = readable(read[1]);
      if (!r) return send(404, { detail: "Run not found" });
      return send(200, { ...r.run, status: "success" });
    }
    return send(404, { message: `fake: no route for ${method} ${path}` });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e) => {
      res.writeHead(500);
      res.end(String(e));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const fakeUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  // Closes itself even if a test forgets: never outlives the test run.
  setTimeout(() => void close(), limits.ttlMs ?? 30_000).unref();

  const kubeconfig = writeKubeconfig(mkdtempSync(join(tmpdir(), "verify-fake-")), fakeUrl);
  return { url: fakeUrl, requests, kubeconfig, close };
}

/** Writes `<dir>/kubeconfig` with one context whose cluster is `server` (token auth); returns its path. */
export function writeKubeconfig(dir: string, server: string): string {
  const kubeconfig = join(dir, "kubeconfig");
  writeFileSync(
    kubeconfig,
    JSON.stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: "fake", cluster: { server } }],
      users: [{ name: "fake", user: { token: "fake-token" } }],
      contexts: [{ name: "fake", context: { cluster: "fake", user: "fake" } }],
      "current-context": "fake",
    }),
  );
  return kubeconfig;
}

export { API_KEY };

/**
 * Loads the AWS SDK clients and the Kubernetes client (scripts/verify/sdk.ts loads them on first
 * use). For a `beforeAll` with its own timeout: otherwise the first test that reaches AWS pays
 * the ~0.7 s load inside its 5 s budget, which a loaded 2-core machine stretches past 5 s.
 */
export function loadSdk(): void {
  for (const k of Object.keys(sdk) as (keyof typeof sdk)[]) void sdk[k];
}

/** The gate options the gate tests run with: every endpoint the fake, short polls and timeouts; `over` wins. */
export function fakeGateOptions(fakeUrl: string, over: Partial<VerifyOptions> = {}): VerifyOptions {
  return {
    tcpProbe: false,
    maxRestarts: 3,
    project: "langsmith-verify",
    traceTimeoutMs: 2000,
    pollIntervalMs: 10,
    httpTimeoutMs: 2000,
    s3Endpoint: fakeUrl,
    langsmithUrl: fakeUrl,
    env: {},
    ...over,
  };
}
