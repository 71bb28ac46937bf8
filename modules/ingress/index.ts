import { Construct } from "constructs";
import { Lb, LbAccessLogs } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbListenerRule } from "@cdktf/provider-aws/lib/lb-listener-rule";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { AcmCertificateValidation } from "@cdktf/provider-aws/lib/acm-certificate-validation";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { Wafv2WebAcl, Wafv2WebAclRule } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { Wafv2WebAclAssociation } from "@cdktf/provider-aws/lib/wafv2-web-acl-association";
import { Wafv2WebAclLoggingConfiguration } from "@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CloudwatchLogResourcePolicy } from "@cdktf/provider-aws/lib/cloudwatch-log-resource-policy";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { elbLogDeliveryPrincipal } from "../../lib/elb-log-delivery";
import { denyInsecureTransport, policyDocument, policyJson } from "../../lib/iam";
import { FRONTEND_SERVICE, INGEST_PATH_PREFIXES } from "../../lib/langsmith-values/chart";
import { Namer } from "../../lib/naming";
import { MANAGED_RULE_GROUPS, RATE_LIMIT_RULES } from "../../lib/waf";

// The web ACL's rules are plain data in lib/waf.ts (the cost model counts them); re-exported here.
export { MANAGED_RULE_GROUPS, RATE_LIMIT_RULES } from "../../lib/waf";

/**
 * Trace ingestion (`INGEST_PATH_PREFIXES`) as one regex on the URI path. Traces are arbitrary model
 * inputs and outputs (code, shell commands, URLs such as 169.254.169.254, "../" paths) that the
 * body-inspecting managed rules match as attacks, and a blocked batch loses every run in it. The
 * ingestion API is authenticated by API key, so those groups skip these paths (scope-down) and the
 * paths get their own, higher per-IP rate limit. One regex leaf keeps the scope-down within WAF's
 * statement nesting (a `not` of an `or` would exceed it).
 */
export const INGEST_PATH_REGEX = ingestPathRegex(INGEST_PATH_PREFIXES);

/** One anchored regex over path prefixes (regex characters escaped). */
export function ingestPathRegex(prefixes: readonly string[]): string {
  return `^(${prefixes.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")})`;
}

/** Headers removed from WAF logs: LangSmith API keys (`x-api-key`), bearer tokens and session cookies. */
export const WAF_REDACTED_HEADERS = ["authorization", "x-api-key", "cookie"] as const;

/**
 * One application behind the ALB: its host name, the pods' port and health check. The first route
 * is the listener's default action and the certificate's domain name; every other gets a
 * host-header rule, a certificate SAN and its own alias record.
 */
export interface IngressRoute {
  /** Stable id: construct ids and the target group name. LangSmith's is "frontend". */
  readonly id: string;
  readonly hostname: string;
  /** Pod port the target group sends to (target type ip). */
  readonly containerPort: number;
  readonly healthCheckPath: string;
  /** For descriptions, e.g. "Langfuse web". */
  readonly application: string;
  /**
   * The application's own trace-ingestion path prefixes, beside LangSmith's: the body-inspecting
   * WAF groups skip them and the ingestion rate limit applies (as for LangSmith's).
   * @default []
   */
  readonly ingestPathPrefixes?: readonly string[];
}

/** LangSmith's route: the frontend Service's pods on 8080, `GET /health`. */
export function langsmithRoute(hostname: string): IngressRoute {
  return { id: "frontend", hostname, containerPort: FRONTEND_SERVICE.containerPort, healthCheckPath: FRONTEND_SERVICE.healthCheckPath, application: "LangSmith frontend" };
}

export interface IngressProps {
  readonly namer: Namer;
  /** `public`: internet-facing in `publicSubnetIds`; `private`: internal in `privateSubnetIds` (config `exposure`). */
  readonly exposure: "public" | "private";
  /** Account and region of the access-log bucket name and its log-delivery principal (config `aws`). */
  readonly accountId: string;
  readonly region: string;
  /** The environment's URL host (`dns.hostname`): the default route and the web ACL's description. */
  readonly hostname: string;
  /** Route 53 zone of the alias records (`dns.hostedZoneId`). */
  readonly hostedZoneId: string;
  /**
   * Zone of the certificate's DNS validation records (`dns.certificateValidationZoneId`).
   * @default hostedZoneId
   */
  readonly certificateValidationZoneId?: string;
  /**
   * ALB deletion protection and a kept (prevent_destroy, no force_destroy) access-log bucket
   * (`protectsData(env)`: tier production).
   * @default false
   */
  readonly protectData?: boolean;
  /** ALB TLS security policy (`ingress.sslPolicy`). @default "ELBSecurityPolicy-TLS13-1-2-2021-06" */
  readonly sslPolicy?: string;
  /** ALB idle timeout in seconds (`ingress.idleTimeoutSeconds`). @default 3600 */
  readonly idleTimeoutSeconds?: number;
  /** WAF rate limit, requests per 5 min per IP, except ingestion (`ingress.wafRateLimit`). @default 2000 */
  readonly wafRateLimit?: number;
  /** WAF rate limit of the trace-ingestion paths (`ingress.wafIngestRateLimit`). @default 30000 */
  readonly wafIngestRateLimit?: number;
  /** ALB access logs to an S3 bucket of this environment (`ingress.accessLogs`). @default false */
  readonly accessLogs?: boolean;
  /** Retention of the WAF log group and the access logs (`observability.logRetentionDays`). @default 30 */
  readonly logRetentionDays?: number;
  readonly vpcId: string;
  /** The VPC's CIDR: who may reach an internal (`private`) ALB. */
  readonly vpcCidr: string;
  /** ALB subnets of a `public` environment. */
  readonly publicSubnetIds: readonly string[];
  /** ALB subnets of a `private` environment (the nodes' subnets). */
  readonly privateSubnetIds: readonly string[];
  /** The dedicated node security group: gets 8080 from the ALB. */
  readonly nodeSecurityGroupId: string;
  /** CMK for the WAF log group (its policy must allow CloudWatch Logs: `logsServiceUse`). */
  readonly logsKmsKeyArn: string;
  /**
   * More client CIDRs for a `private` ALB: Transit Gateway, Direct Connect or site-to-site VPN
   * ranges that keep their source address (AWS Client VPN translates to the VPC and needs none).
   * @default []
   */
  readonly additionalPrivateCidrs?: readonly string[];
  /**
   * Dual-stack ALB with an AAAA alias. Needs IPv6 CIDRs on the ALB's subnets, which the network
   * module does not assign; an AAAA alias to an IPv4-only ALB would answer nothing.
   * @default false
   */
  readonly dualStack?: boolean;
  /**
   * The applications behind the ALB, first one the default (`IngressRoute`).
   * @default [langsmithRoute(hostname)]
   */
  readonly routes?: readonly IngressRoute[];
}

const DEFAULTS = {
  additionalPrivateCidrs: [] as readonly string[],
  dualStack: false,
  protectData: false,
  sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
  idleTimeoutSeconds: 3600,
  wafRateLimit: 2000,
  wafIngestRateLimit: 30000,
  accessLogs: false,
  logRetentionDays: 30,
} as const;

/** HTTPS listener port and the plain-HTTP port that only redirects. */
const HTTPS = 443;
const HTTP = 80;

/**
 * The Terraform-owned ingress of LangSmith: ALB (internet-facing for `public`,
 * internal for `private`) with an HTTPS listener (ACM certificate, `ingress.sslPolicy`) and an
 * HTTP listener that only redirects, an IP target group for the frontend pods (bound by the AWS
 * Load Balancer Controller through a TargetGroupBinding), a WAFv2 web ACL with managed rules and a
 * rate limit, logged to CloudWatch, the DNS-validated certificate, the Route 53 alias, and
 * optionally access logs to S3.
 */
export class Ingress extends Construct {
  readonly albArn: string;
  /** For CloudWatch metrics (`LoadBalancer` dimension). */
  readonly albArnSuffix: string;
  readonly albDnsName: string;
  readonly albZoneId: string;
  /** The first route's target group. */
  readonly targetGroupArn: string;
  /** For CloudWatch metrics (`TargetGroup` dimension). */
  readonly targetGroupArnSuffix: string;
  /** Every route's target group by route id (ARN, and its suffix for metrics). */
  readonly targetGroups: Readonly<Record<string, { readonly arn: string; readonly arnSuffix: string }>>;
  readonly albSecurityGroupId: string;
  readonly webAclArn: string;
  /** The validated certificate (the HTTPS listener waits for validation). */
  readonly certificateArn: string;
  readonly httpsListenerArn: string;
  readonly wafLogGroupName: string;
  /** Access-log bucket, when `ingress.accessLogs`. */
  readonly accessLogsBucketName?: string;

  constructor(scope: Construct, id: string, props: IngressProps) {
    super(scope, id);
    const p = { ...DEFAULTS, ...props };
    const { namer } = p;
    const isPublic = p.exposure === "public";
    const protect = p.protectData;
    const { accountId, region } = p;
    const routes = p.routes ?? [langsmithRoute(p.hostname)];
    if (routes.length === 0) throw new Error(`Ingress ${id}: routes must name at least one application`);
    const primary = routes[0];
    const extraIngest = routes.flatMap((r) => r.ingestPathPrefixes ?? []);

    // Security groups: the ALB takes 443/80 from its clients and talks only to the nodes' 8080.
    const albSg = new SecurityGroup(this, "alb-sg", {
      // A prefix, not a fixed name: a replacement is created before the old group (still attached
      // to the ALB) can be deleted.
      namePrefix: `${namer.name("alb")}-`,
      description: `LangSmith ALB (${p.exposure}): HTTPS/HTTP in, frontend pods on ${primary.containerPort} out`,
      vpcId: p.vpcId,
      tags: { Name: namer.name("alb") },
      lifecycle: { createBeforeDestroy: true },
    });
    const clients = isPublic ? ["0.0.0.0/0"] : [p.vpcCidr, ...p.additionalPrivateCidrs];
    const clientsV6 = isPublic && p.dualStack ? ["::/0"] : [];
    for (const port of [HTTPS, HTTP]) {
      clients.forEach((cidr, i) =>
        new VpcSecurityGroupIngressRule(this, `alb-in-${port}-${i}`, {
          securityGroupId: albSg.id, ipProtocol: "tcp", fromPort: port, toPort: port, cidrIpv4: cidr,
          description: `${port === HTTPS ? "HTTPS" : "HTTP (redirected to HTTPS)"} from ${isPublic ? "the internet" : cidr}`,
        }),
      );
      clientsV6.forEach((cidr, i) =>
        new VpcSecurityGroupIngressRule(this, `alb-in6-${port}-${i}`, { securityGroupId: albSg.id, ipProtocol: "tcp", fromPort: port, toPort: port, cidrIpv6: cidr }),
      );
    }
    // The ALB reaches exactly the routes' pod ports on the nodes (first route: the original rule ids).
    routes.forEach((r, i) => {
      if (routes.slice(0, i).some((o) => o.containerPort === r.containerPort)) return;
      const suffix = i === 0 ? "" : `-${r.id}`;
      new VpcSecurityGroupEgressRule(this, `alb-out-pods${suffix}`, {
        securityGroupId: albSg.id, ipProtocol: "tcp", fromPort: r.containerPort, toPort: r.containerPort,
        referencedSecurityGroupId: p.nodeSecurityGroupId, description: i === 0 ? "LangSmith frontend pods (target type ip)" : `${r.application} pods (target type ip)`,
      });
      new VpcSecurityGroupIngressRule(this, `nodes-in-alb${suffix}`, {
        securityGroupId: p.nodeSecurityGroupId, ipProtocol: "tcp", fromPort: r.containerPort, toPort: r.containerPort,
        referencedSecurityGroupId: albSg.id, description: i === 0 ? "LangSmith ALB to frontend pods" : `LangSmith ALB to ${r.application} pods`,
      });
    });

    // Access logs (ALB writes only to SSE-S3 buckets, so no CMK here).
    let accessLogs: LbAccessLogs | undefined;
    let logsPolicy: S3BucketPolicy | undefined;
    if (p.accessLogs) {
      const prefix = "alb";
      const bucket = new S3Bucket(this, "access-logs", {
        bucket: namer.name(`alb-logs-${accountId}`, "s3Bucket"),
        // Production keeps its logs through a destroy; other tiers may be torn down with them.
        forceDestroy: !protect,
        lifecycle: protect ? { preventDestroy: true } : undefined, // policy LS-STATE-001
      });
      // Versioned, so a deleted log (covering tracks) stays recoverable until it expires (policy LS-BAK-005).
      new S3BucketVersioningA(this, "access-logs-versioning", { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } });
      new S3BucketOwnershipControls(this, "access-logs-ownership", { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } });
      new S3BucketPublicAccessBlock(this, "access-logs-public-access", { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
      new S3BucketServerSideEncryptionConfigurationA(this, "access-logs-sse", { bucket: bucket.id, rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] });
      new S3BucketLifecycleConfiguration(this, "access-logs-lifecycle", {
        bucket: bucket.id,
        rule: [{ id: "expire-access-logs", status: "Enabled", filter: [{ prefix: "" }], expiration: [{ days: p.logRetentionDays }], noncurrentVersionExpiration: [{ noncurrentDays: 30 }], abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }] }],
      });
      logsPolicy = new S3BucketPolicy(this, "access-logs-policy", {
        bucket: bucket.id,
        policy: policyJson(
          policyDocument(
            denyInsecureTransport(bucket.arn),
            { Sid: "ElbLogDelivery", Effect: "Allow", Principal: elbLogDeliveryPrincipal(region), Action: "s3:PutObject", Resource: `${bucket.arn}/${prefix}/AWSLogs/${accountId}/*` },
          ),
        ),
      });
      accessLogs = { bucket: bucket.id, prefix, enabled: true };
      this.accessLogsBucketName = bucket.bucket;
    }

    const alb = new Lb(this, "alb", {
      name: namer.name("alb", "loadBalancer"),
      loadBalancerType: "application",
      internal: !isPublic,
      subnets: [...(isPublic ? p.publicSubnetIds : p.privateSubnetIds)],
      securityGroups: [albSg.id],
      ipAddressType: p.dualStack ? "dualstack" : "ipv4",
      // Reject requests with header names that are not valid HTTP (request smuggling).
      dropInvalidHeaderFields: true,
      enableDeletionProtection: protect,
      // At least the frontend nginx's proxy_read_timeout (300 s: long playground streams and exports;
      // a loader rule), and below the nginx keep-alive, which the values set to this plus 5 s
      // (frontend.keepAliveTimeout), so the ALB never reuses a connection nginx has just closed (502s).
      idleTimeout: p.idleTimeoutSeconds,
      accessLogs,
      // The bucket policy must exist first: ELB writes a test object when logging is enabled.
      dependsOn: logsPolicy ? [logsPolicy] : undefined,
    });

    // Target groups of pod IPs (target type ip: the controller registers pods, not nodes).
    const targetGroups = routes.map(
      (r) =>
        new LbTargetGroup(this, r.id, {
          name: namer.name(r.id, "targetGroup"),
          targetType: "ip",
          port: r.containerPort,
          protocol: "HTTP",
          vpcId: p.vpcId,
          // Pods get SIGTERM when deregistration starts; 30 s matches their terminationGracePeriodSeconds.
          deregistrationDelay: "30",
          healthCheck: {
            enabled: true,
            path: r.healthCheckPath,
            port: "traffic-port",
            protocol: "HTTP",
            matcher: "200",
            interval: 15,
            timeout: 5,
            healthyThreshold: 2,
            unhealthyThreshold: 3,
          },
        }),
    );
    const tg = targetGroups[0];

    // Certificate, validated over DNS (validation records in a public zone; ACM resolves them publicly).
    // One certificate for every route's name (the first as domain name, the others as SANs).
    const cert = new AcmCertificate(this, "certificate", {
      domainName: primary.hostname,
      subjectAlternativeNames: routes.length > 1 ? routes.slice(1).map((r) => r.hostname) : undefined,
      validationMethod: "DNS",
      lifecycle: { createBeforeDestroy: true },
    });
    // One record per name; which option sits at which index does not matter, every one gets a record.
    const validationRecords = routes.map((_r, i) => {
      const option = cert.domainValidationOptions.get(i);
      return new Route53Record(this, i === 0 ? "certificate-validation-record" : `certificate-validation-record-${i}`, {
        zoneId: p.certificateValidationZoneId ?? p.hostedZoneId,
        name: option.resourceRecordName,
        type: option.resourceRecordType,
        records: [option.resourceRecordValue],
        ttl: 60,
        // The record is a function of the certificate; re-creating it must not fail on the old one.
        allowOverwrite: true,
      });
    });
    const validation = new AcmCertificateValidation(this, "certificate-validation", {
      certificateArn: cert.arn,
      validationRecordFqdns: validationRecords.map((r) => r.fqdn),
    });

    const https = new LbListener(this, "https", {
      loadBalancerArn: alb.arn,
      port: HTTPS,
      protocol: "HTTPS",
      sslPolicy: p.sslPolicy,
      certificateArn: validation.certificateArn,
      // HSTS from the ALB: browsers stop trying plain HTTP for a year.
      routingHttpResponseStrictTransportSecurityHeaderValue: "max-age=31536000",
      // Only the environment's host names reach a pod: a request for any other (the ALB's own DNS
      // name, its IP addresses, a name someone else points here) gets the ALB's 404.
      defaultAction: [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", messageBody: "Not Found", statusCode: "404" } }],
    });
    // Each application by its host name (priorities: 1 for the first, 10, 11, ... for the others).
    routes.forEach((r, i) => {
      new LbListenerRule(this, `host-${r.id}`, {
        listenerArn: https.arn,
        priority: i === 0 ? 1 : 9 + i,
        condition: [{ hostHeader: { values: [r.hostname] } }],
        action: [{ type: "forward", targetGroupArn: targetGroups[i].arn }],
      });
    });
    new LbListener(this, "http", {
      loadBalancerArn: alb.arn,
      port: HTTP,
      protocol: "HTTP",
      defaultAction: [{ type: "redirect", redirect: { protocol: "HTTPS", port: String(HTTPS), statusCode: "HTTP_301" } }],
    });

    // WAF: managed rule groups (the body-inspecting ones skip trace ingestion), then per-IP rate
    // limits (requests per 5 minutes): one for ingestion, one for everything else.
    const visibility = (metricName: string) => ({ cloudwatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true });
    const ingest = {
      regex_match_statement: { regex_string: extraIngest.length > 0 ? ingestPathRegex([...INGEST_PATH_PREFIXES, ...extraIngest]) : INGEST_PATH_REGEX, field_to_match: { uri_path: {} }, text_transformation: [{ priority: 0, type: "NONE" }] },
    };
    const notIngest = { not_statement: { statement: [ingest] } };
    const rules: Wafv2WebAclRule[] = MANAGED_RULE_GROUPS.map((g, priority) => ({
      name: g.name,
      priority,
      overrideAction: { none: {} },
      // `statement` is untyped in the provider bindings (nested depth); written in Terraform's snake_case.
      statement: {
        managed_rule_group_statement: {
          name: g.name,
          vendor_name: "AWS",
          rule_action_override: g.countOnly.map((name) => ({ name, action_to_use: { count: {} } })),
          ...(g.inspectsBodies ? { scope_down_statement: notIngest } : {}),
        },
      },
      visibilityConfig: visibility(g.name),
    }));
    rules.push(
      {
        name: RATE_LIMIT_RULES[0],
        priority: MANAGED_RULE_GROUPS.length,
        action: { block: {} },
        statement: { rate_based_statement: { limit: p.wafIngestRateLimit, aggregate_key_type: "IP", evaluation_window_sec: 300, scope_down_statement: ingest } },
        visibilityConfig: visibility(RATE_LIMIT_RULES[0]),
      },
      {
        name: RATE_LIMIT_RULES[1],
        priority: MANAGED_RULE_GROUPS.length + 1,
        action: { block: {} },
        statement: { rate_based_statement: { limit: p.wafRateLimit, aggregate_key_type: "IP", evaluation_window_sec: 300, scope_down_statement: notIngest } },
        visibilityConfig: visibility(RATE_LIMIT_RULES[1]),
      },
    );
    const acl = new Wafv2WebAcl(this, "waf", {
      name: namer.name("waf", "wafAcl"),
      description: `LangSmith ${p.hostname}`,
      scope: "REGIONAL",
      defaultAction: { allow: {} },
      rule: rules,
      visibilityConfig: visibility(namer.name("waf")),
    });
    new Wafv2WebAclAssociation(this, "waf-association", { resourceArn: alb.arn, webAclArn: acl.arn });

    // WAF logs: the group name must start with aws-waf-logs-; CloudWatch Logs delivery is allowed
    // by a resource policy scoped to this account (WAF developer guide, "CloudWatch Logs").
    const wafLogs = new CloudwatchLogGroup(this, "waf-logs", {
      name: `aws-waf-logs-${namer.name("waf", "logGroup")}`,
      retentionInDays: p.logRetentionDays,
      kmsKeyId: p.logsKmsKeyArn,
    });
    const delivery = new CloudwatchLogResourcePolicy(this, "waf-logs-delivery", {
      policyName: namer.name("waf-logs-delivery"),
      policyDocument: policyJson(
        policyDocument({
          Sid: "WafLogDelivery",
          Effect: "Allow",
          Principal: { Service: "delivery.logs.amazonaws.com" },
          Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
          Resource: `${wafLogs.arn}:*`,
          Condition: { StringEquals: { "aws:SourceAccount": accountId }, ArnLike: { "aws:SourceArn": `arn:aws:logs:${region}:${accountId}:*` } },
        }),
      ),
    });
    new Wafv2WebAclLoggingConfiguration(this, "waf-logging", {
      resourceArn: acl.arn,
      logDestinationConfigs: [wafLogs.arn],
      redactedFields: WAF_REDACTED_HEADERS.map((name) => ({ singleHeader: { name } })),
      dependsOn: [delivery],
    });

    // DNS: the LangSmith hostname is an alias of the ALB.
    routes.forEach((r, i) => {
      for (const type of p.dualStack ? ["A", "AAAA"] : ["A"]) {
        new Route53Record(this, `alias-${type.toLowerCase()}${i === 0 ? "" : `-${r.id}`}`, {
          zoneId: p.hostedZoneId,
          name: r.hostname,
          type,
          alias: { name: alb.dnsName, zoneId: alb.zoneId, evaluateTargetHealth: true },
        });
      }
    });

    this.albArn = alb.arn;
    this.albArnSuffix = alb.arnSuffix;
    this.albDnsName = alb.dnsName;
    this.albZoneId = alb.zoneId;
    this.targetGroupArn = tg.arn;
    this.targetGroupArnSuffix = tg.arnSuffix;
    this.targetGroups = Object.fromEntries(routes.map((r, i) => [r.id, { arn: targetGroups[i].arn, arnSuffix: targetGroups[i].arnSuffix }]));
    this.albSecurityGroupId = albSg.id;
    this.webAclArn = acl.arn;
    this.certificateArn = validation.certificateArn;
    this.httpsListenerArn = https.arn;
    this.wafLogGroupName = wafLogs.name;
  }
}
