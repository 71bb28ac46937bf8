/**
 * Network isolation (reference architecture sections 4 and 10: private subnets for data
 * services, ALB-only public subnets, WAF or rate limiting at ingress).
 */
import type { Json, PolicyResource, RuleContext } from "../types";
import { valuesDocuments } from "../helm";
import { block, blocks, isFalse, isSet, isTrue, list, unresolved } from "../values";
import { ALL_TIERS, each, PRODUCTION, rule } from "./rule";

const WORLD = ["0.0.0.0/0", "::/0"];

/** Subnets that route to an internet gateway or hand out public IPs. */
function publicSubnets(ctx: RuleContext): Set<string> {
  const toIgw = (v: unknown) => ctx.resolve(v, "aws_internet_gateway") !== undefined || (typeof v === "string" && v.startsWith("igw-"));
  const tables = new Set<string>();
  for (const rt of ctx.ofType("aws_route_table")) if (blocks(rt.values.route).some((r) => toIgw(r.gateway_id))) tables.add(rt.address);
  for (const route of ctx.ofType("aws_route")) {
    const rt = toIgw(route.values.gateway_id) ? ctx.resolve(route.values.route_table_id, "aws_route_table") : undefined;
    if (rt) tables.add(rt.address);
  }
  const out = new Set<string>();
  for (const a of ctx.ofType("aws_route_table_association")) {
    const rt = ctx.resolve(a.values.route_table_id, "aws_route_table");
    const subnet = ctx.resolve(a.values.subnet_id, "aws_subnet");
    if (rt && subnet && tables.has(rt.address)) out.add(subnet.address);
  }
  for (const s of ctx.ofType("aws_subnet")) if (isTrue(s.values.map_public_ip_on_launch)) out.add(s.address);
  return out;
}

/** One ingress permission, wherever it is declared (inline block, aws_security_group_rule, aws_vpc_security_group_ingress_rule). */
interface Ingress {
  /** The resource declaring it (the group itself for inline rules). */
  readonly declaredBy: PolicyResource;
  /** The group it opens, when that group is in the view. */
  readonly group?: PolicyResource;
  readonly cidrs: string[];
  readonly fromGroup: boolean;
  readonly protocol: string;
  readonly fromPort: number | undefined;
  readonly toPort: number | undefined;
}

const num = (v: unknown) => (v === undefined || v === null || v === "" || unresolved(v) ? undefined : Number(v));
const cidrList = (...vs: unknown[]) => vs.flatMap((v) => list(v)).filter((c): c is string => typeof c === "string" && c !== "");

function ingressRules(ctx: RuleContext): Ingress[] {
  const inline = ctx.ofType("aws_security_group").flatMap((sg) =>
    blocks(sg.values.ingress).map((i: Json) => ({
      declaredBy: sg,
      group: sg,
      cidrs: cidrList(i.cidr_blocks, i.ipv6_cidr_blocks),
      fromGroup: list(i.security_groups).length > 0 || isTrue(i.self),
      protocol: String(i.protocol ?? ""),
      fromPort: num(i.from_port),
      toPort: num(i.to_port),
    })),
  );
  const legacy = ctx
    .ofType("aws_security_group_rule")
    .filter((r) => r.values.type === "ingress")
    .map((r) => ({
      declaredBy: r,
      group: ctx.resolve(r.values.security_group_id, "aws_security_group"),
      cidrs: cidrList(r.values.cidr_blocks, r.values.ipv6_cidr_blocks),
      fromGroup: isSet(r.values.source_security_group_id) || isTrue(r.values.self),
      protocol: String(r.values.protocol ?? ""),
      fromPort: num(r.values.from_port),
      toPort: num(r.values.to_port),
    }));
  const vpc = ctx.ofType("aws_vpc_security_group_ingress_rule").map((r) => ({
    declaredBy: r,
    group: ctx.resolve(r.values.security_group_id, "aws_security_group"),
    cidrs: cidrList(r.values.cidr_ipv4, r.values.cidr_ipv6),
    fromGroup: isSet(r.values.referenced_security_group_id),
    protocol: String(r.values.ip_protocol ?? ""),
    fromPort: num(r.values.from_port),
    toPort: num(r.values.to_port),
  }));
  return [...inline, ...legacy, ...vpc];
}

/** Security groups of internet-facing load balancers. */
function publicLbGroups(ctx: RuleContext): PolicyResource[] {
  return ctx
    .ofType("aws_lb", "aws_alb")
    .filter((lb) => !isTrue(lb.values.internal) && !unresolved(lb.values.internal))
    .flatMap((lb) => list(lb.values.security_groups).map((g) => ctx.resolve(g, "aws_security_group")))
    .filter((g): g is PolicyResource => g !== undefined);
}

const WEB_PORTS = [80, 443];
const isWebOnly = (i: Ingress) =>
  ["tcp", "6"].includes(i.protocol.toLowerCase()) && i.fromPort !== undefined && i.fromPort === i.toPort && WEB_PORTS.includes(i.fromPort);

const ports = (i: Ingress) => (i.protocol === "-1" || i.protocol.toLowerCase() === "all" ? "all ports" : i.fromPort === i.toPort ? `port ${i.fromPort}` : `ports ${i.fromPort}-${i.toPort}`);

/** Data stores and the attribute holding their security groups. */
const DATA_STORES: [string, string][] = [
  ["aws_db_instance", "vpc_security_group_ids"],
  ["aws_rds_cluster", "vpc_security_group_ids"],
  ["aws_elasticache_replication_group", "security_group_ids"],
];

export const NETWORK_RULES = [
  rule({
    id: "LS-NET-001",
    title: "Nothing gets a public IP automatically (subnets, launch templates, instances)",
    severity: "high",
    tiers: ALL_TIERS,
    rationale: "Public subnets host only the ALB and NAT gateways (with their own EIPs); nodes and data stay unreachable from the internet.",
    source: "AWS FSBP EC2.15, EC2.25; CIS EKS Benchmark 5.4.3",
    check: (ctx, fail) => [
      ...each(ctx, ["aws_subnet"], (r) =>
        isTrue(r.values.map_public_ip_on_launch) ? fail(r, "subnet assigns public IPs to everything launched in it", "set map_public_ip_on_launch = false") : undefined,
      ),
      ...each(ctx, ["aws_launch_template"], (r) =>
        blocks(r.values.network_interfaces).some((n) => isTrue(n.associate_public_ip_address))
          ? fail(r, "launch template gives instances a public IP", "remove associate_public_ip_address (nodes egress through NAT)")
          : undefined,
      ),
      ...each(ctx, ["aws_instance"], (r) =>
        isTrue(r.values.associate_public_ip_address) ? fail(r, "instance has a public IP", "set associate_public_ip_address = false") : undefined,
      ),
    ],
  }),
  rule({
    id: "LS-NET-002",
    title: "Databases are not publicly accessible",
    severity: "critical",
    tiers: ALL_TIERS,
    rationale: "A publicly accessible database gets a public DNS name and address; one security-group mistake exposes it.",
    source: "AWS FSBP RDS.2; reference architecture section 10 (network isolation)",
    check: (ctx, fail) =>
      each(ctx, ["aws_db_instance", "aws_rds_cluster_instance"], (r) =>
        isTrue(r.values.publicly_accessible) ? fail(r, "database is publicly accessible", "set publicly_accessible = false (the data subnets have no internet route anyway)") : undefined,
      ),
  }),
  rule({
    id: "LS-NET-003",
    title: "Data stores admit traffic only from security groups (the nodes), never from CIDR ranges",
    severity: "high",
    tiers: ALL_TIERS,
    rationale: "Only pods on the nodes talk to PostgreSQL and Redis; a CIDR rule also admits anything else in that range.",
    source: "Reference architecture sections 4 and 10; AWS FSBP EC2.18",
    check: (ctx, fail) => {
      const ingress = ingressRules(ctx);
      return DATA_STORES.flatMap(([type, attr]) =>
        each(ctx, [type], (r) => {
          const value = r.values[attr];
          if (unresolved(value) && !Array.isArray(value)) return undefined;
          if (!isSet(value)) {
            return fail(r, `data store has no security group of its own (${attr}), so it gets the VPC default group`, `set ${attr} to a dedicated group that admits only the node security group`);
          }
          const groups = list(value).map((g) => ctx.resolve(g, "aws_security_group")).filter((g): g is PolicyResource => g !== undefined);
          return ingress
            .filter((i) => i.group && groups.includes(i.group) && (i.cidrs.length > 0 || !i.fromGroup))
            .map((i) =>
              fail(
                r,
                `data store is reachable from ${i.cidrs.length > 0 ? i.cidrs.join(", ") : "a source other than a security group"} (${i.declaredBy.address})`,
                "replace the rule by one whose source is the node security group (referenced_security_group_id)",
              ),
            );
        }),
      );
    },
  }),
  rule({
    id: "LS-NET-004",
    title: "Node groups and data-store subnet groups use private subnets only",
    severity: "high",
    tiers: ALL_TIERS,
    rationale: "Nodes and data services belong in subnets without a route from the internet gateway.",
    source: "CIS EKS Benchmark 5.4.3; reference architecture section 4",
    check: (ctx, fail) => {
      const pub = publicSubnets(ctx);
      return each(ctx, ["aws_eks_node_group", "aws_db_subnet_group", "aws_elasticache_subnet_group"], (r) => {
        const bad = list(r.values.subnet_ids)
          .map((s) => ctx.resolve(s, "aws_subnet"))
          .filter((s): s is PolicyResource => s !== undefined && pub.has(s.address));
        return bad.length === 0
          ? undefined
          : fail(r, `uses public subnet${bad.length > 1 ? "s" : ""} ${bad.map((s) => s.address).join(", ")}`, "use the private (nodes) or data subnets: network.privateSubnetIds / network.dataSubnetIds");
      });
    },
  }),
  rule({
    id: "LS-NET-005",
    title: "The EKS API endpoint is not open to the whole internet (production)",
    severity: "critical",
    tiers: PRODUCTION,
    rationale: "A world-reachable Kubernetes API leaves only authentication between the internet and cluster-admin.",
    source: "CIS EKS Benchmark 5.4.1, 5.4.2; AWS FSBP EKS.1",
    check: (ctx, fail) =>
      each(ctx, ["aws_eks_cluster"], (r) => {
        const vpc = block(r.values.vpc_config);
        if (!vpc || isFalse(vpc.endpoint_public_access) || unresolved(vpc.endpoint_public_access)) return undefined;
        const cidrs = vpc.public_access_cidrs;
        if (unresolved(cidrs)) return undefined;
        const open = list(cidrs).length === 0 ? "unset (AWS defaults to 0.0.0.0/0)" : list(cidrs).find((c) => WORLD.includes(String(c)));
        return open
          ? fail(r, `EKS API endpoint is public and open to the world (public_access_cidrs ${open})`, "set eks.endpointPublicAccess to false, or eks.publicAccessCidrs to your VPN/CI egress ranges")
          : undefined;
      }),
  }),
  rule({
    id: "LS-NET-006",
    title: "No security group admits 0.0.0.0/0 or ::/0, except an internet-facing load balancer on 80/443",
    severity: "critical",
    tiers: ALL_TIERS,
    rationale: "World-open ports are scanned within minutes; only the public ALB's listeners are meant to be reachable.",
    source: "AWS FSBP EC2.18, EC2.19; CIS AWS Foundations 5.2",
    check: (ctx, fail) => {
      const lbGroups = publicLbGroups(ctx);
      const seen = new Set<string>();
      return ingressRules(ctx).flatMap((i) => {
        const world = i.cidrs.filter((c) => WORLD.includes(c));
        if (world.length === 0) return [];
        if (i.group && lbGroups.includes(i.group) && isWebOnly(i)) return [];
        const v = fail(i.declaredBy, `security group admits ${world.join(", ")} on ${ports(i)}`, "admit a security group or your own CIDRs instead; only an internet-facing ALB may take 0.0.0.0/0, and only on 80/443");
        const key = `${v.address} ${v.message}`;
        if (seen.has(key)) return [];
        seen.add(key);
        return [v];
      });
    },
  }),
  rule({
    id: "LS-NET-007",
    title: "The EKS API endpoint is reachable privately from the VPC",
    severity: "medium",
    tiers: ALL_TIERS,
    rationale: "Nodes and in-VPC tooling reach the API without leaving the VPC; the public endpoint can then be turned off.",
    source: "CIS EKS Benchmark 5.4.2",
    check: (ctx, fail) =>
      each(ctx, ["aws_eks_cluster"], (r) => {
        const vpc = block(r.values.vpc_config);
        if (!vpc || isTrue(vpc.endpoint_private_access) || unresolved(vpc.endpoint_private_access)) return undefined;
        return fail(r, "EKS API endpoint has no private access", "set vpc_config.endpoint_private_access = true");
      }),
  }),
  rule({
    id: "LS-NET-008",
    title: "S3 buckets block all public access",
    severity: "high",
    tiers: ALL_TIERS,
    rationale: "The four public-access-block settings stop a later ACL or policy from making objects public.",
    source: "AWS FSBP S3.8",
    check: (ctx, fail) =>
      each(ctx, ["aws_s3_bucket"], (r) => {
        const keys = ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"];
        const blocks_ = ctx.pointingAt(r, "aws_s3_bucket_public_access_block", "bucket");
        if (blocks_.some((b) => keys.every((k) => isTrue(b.values[k]) || unresolved(b.values[k])))) return undefined;
        return fail(r, blocks_.length === 0 ? "S3 bucket has no public access block" : "S3 bucket's public access block leaves a setting off", `add aws_s3_bucket_public_access_block for this bucket with ${keys.join(", ")} all true`);
      }),
  }),
  rule({
    id: "LS-NET-009",
    title: "The VPC's default security group allows nothing",
    severity: "medium",
    tiers: ALL_TIERS,
    rationale: "Resources launched without a group land in the default one; it must not allow traffic.",
    source: "AWS FSBP EC2.2; CIS AWS Foundations 5.4",
    check: (ctx, fail) =>
      each(ctx, ["aws_default_security_group"], (r) =>
        blocks(r.values.ingress).length + blocks(r.values.egress).length > 0
          ? fail(r, "default security group has rules", "set ingress = [] and egress = [] (the network module does)")
          : undefined,
      ),
  }),
  rule({
    id: "LS-NET-010",
    title: "Node groups allow no SSH (remote_access)",
    severity: "medium",
    tiers: ALL_TIERS,
    rationale: "Nodes are cattle: use SSM Session Manager or kubectl debug, not SSH keys and an open port 22.",
    source: "EKS Best Practices Guide (Security: minimize access to worker nodes)",
    check: (ctx, fail) =>
      each(ctx, ["aws_eks_node_group"], (r) =>
        block(r.values.remote_access) ? fail(r, "node group opens SSH (remote_access)", "remove remote_access; use SSM Session Manager") : undefined,
      ),
  }),
  rule({
    id: "LS-WAF-001",
    title: "Every application load balancer has a WAF web ACL",
    severity: "high",
    tiers: ALL_TIERS,
    rationale: "The reference architecture requires WAF or equivalent rate limiting at ingress.",
    source: "Reference architecture section 10 (MUST); AWS FSBP ELB.16",
    check: (ctx, fail) =>
      each(ctx, ["aws_lb", "aws_alb"], (r) => {
        if ((r.values.load_balancer_type ?? "application") !== "application") return undefined;
        return ctx.pointingAt(r, "aws_wafv2_web_acl_association", "resource_arn").length > 0
          ? undefined
          : fail(r, "load balancer has no WAF web ACL association", "add aws_wafv2_web_acl_association { resource_arn = <alb>.arn, web_acl_arn = <acl>.arn }");
      }),
  }),
  rule({
    id: "LS-WAF-002",
    title: "WAF web ACLs include a rate-based rule",
    severity: "high",
    tiers: ALL_TIERS,
    rationale: "Rate limiting per client IP is the reference's minimum ingress protection (ingress.wafRateLimit).",
    source: "Reference architecture section 10 (MUST: WAF or equivalent rate limiting)",
    check: (ctx, fail) =>
      each(ctx, ["aws_wafv2_web_acl"], (r) => {
        if (unresolved(r.values.rule) || (typeof r.values.rule_json === "string" && (unresolved(r.values.rule_json) || r.values.rule_json.includes("RateBasedStatement")))) return undefined;
        const rateBased = blocks(r.values.rule).some((x) => blocks(x.statement).some((s) => block(s.rate_based_statement)));
        return rateBased ? undefined : fail(r, "web ACL has no rate-based rule", "add a rule with statement { rate_based_statement { limit = ingress.wafRateLimit, aggregate_key_type = \"IP\" } } and action { block {} }");
      }),
  }),
  rule({
    id: "LS-NET-011",
    title: "Namespaces Terraform creates have a default-deny NetworkPolicy, and the VPC CNI enforces NetworkPolicies",
    severity: "high",
    tiers: ALL_TIERS,
    rationale:
      "Without default deny any pod in the cluster reaches LangSmith's services, and LangSmith's pods reach anything (other namespaces, the metadata service); without the VPC CNI's network policy agent, NetworkPolicies are stored but not enforced.",
    source: "CIS EKS Benchmark 4.3.2 (all namespaces have NetworkPolicies); EKS user guide, network policies with the VPC CNI",
    check: (ctx, fail) => {
      const denied = new Set<string>();
      for (const r of ctx.ofType("helm_release")) {
        for (const { doc } of valuesDocuments(r)) {
          const manifests = doc && typeof doc === "object" && Array.isArray((doc as Json).manifests) ? ((doc as Json).manifests as Json[]) : [];
          for (const m of manifests) {
            const spec = m?.spec as Json | undefined;
            const selectsAll = spec && Object.keys(spec.podSelector ?? {}).length === 0;
            const both = list(spec?.policyTypes).includes("Ingress") && list(spec?.policyTypes).includes("Egress");
            if (m?.kind === "NetworkPolicy" && selectsAll && both && !spec?.ingress && !spec?.egress) denied.add(String(m.metadata?.namespace ?? r.values.namespace));
          }
        }
      }
      const namespaces = each(ctx, ["kubernetes_namespace_v1", "kubernetes_namespace"], (r) => {
        const name = block(r.values.metadata)?.name;
        if (unresolved(name) || denied.has(String(name))) return undefined;
        return fail(r, `namespace ${name} has no default-deny NetworkPolicy`, "deliver networkPolicies() (lib/network-policies.ts) through the local manifests chart");
      });
      const cni = each(ctx, ["aws_eks_addon"], (r) => {
        if (r.values.addon_name !== "vpc-cni" || unresolved(r.values.configuration_values)) return undefined;
        let config: Json = {};
        try {
          config = JSON.parse(String(r.values.configuration_values ?? "{}"));
        } catch {
          config = {};
        }
        return String(config.enableNetworkPolicy) === "true" ? undefined : fail(r, "the VPC CNI does not enforce NetworkPolicies (enableNetworkPolicy)", 'set configuration_values = jsonencode({ enableNetworkPolicy = "true" })');
      });
      return [...namespaces, ...cni];
    },
  }),
];
