import { Testing } from "cdktf";
import { INGEST_PATH_REGEX, Ingress, IngressProps } from "../../modules/ingress";
import { Namer } from "../../lib/naming";
import { EnvironmentConfig, protectsData } from "../../lib/config/schema";
import { ELB_LOG_DELIVERY_SERVICE, elbLogDeliveryPrincipal } from "../../lib/elb-log-delivery";
import { Json, resource, resources } from "../helpers";
import { loadWith, shipped } from "../lib/langsmith-values/envs";

function synth(env: EnvironmentConfig, extra: Partial<IngressProps> = {}): Json {
  return JSON.parse(
    Testing.synthScope((scope) => {
      new Ingress(scope, "ingress", {
        namer: new Namer(env.prefix, env.name),
        exposure: env.exposure,
        accountId: env.aws.accountId,
        region: env.aws.region,
        hostname: env.dns.hostname,
        hostedZoneId: env.dns.hostedZoneId,
        certificateValidationZoneId: env.dns.certificateValidationZoneId,
        protectData: protectsData(env),
        ...env.ingress,
        logRetentionDays: env.observability.logRetentionDays,
        vpcId: "vpc-0123456789abcdef0",
        vpcCidr: env.network.vpcCidr,
        publicSubnetIds: ["subnet-pub-a", "subnet-pub-b"],
        privateSubnetIds: ["subnet-prv-a", "subnet-prv-b"],
        nodeSecurityGroupId: "sg-nodes",
        logsKmsKeyArn: "arn:aws:kms:us-west-2:111111111111:key/logs",
        ...extra,
      });
    }),
  );
}

const dev = synth(shipped("dev")); // public, development, no access logs
const staging = synth(shipped("staging")); // private, production
const prod = synth(shipped("prod")); // public, production, access logs
const ingressRules = (json: Json) => resources(json, "aws_vpc_security_group_ingress_rule").map(([, r]) => r);

describe("load balancer", () => {
  test.each([
    ["public", dev, false, ["subnet-pub-a", "subnet-pub-b"]],
    ["private", staging, true, ["subnet-prv-a", "subnet-prv-b"]],
  ] as const)("%s exposure: internal=%s in its subnets", (_e, json, internal, subnets) => {
    expect(resource(json, "aws_lb", "alb")).toMatchObject({ load_balancer_type: "application", internal, subnets, drop_invalid_header_fields: true, ip_address_type: "ipv4" });
  });

  test.each([["development", dev, false], ["production", prod, true]] as const)("deletion protection for tier %s: %s", (_t, json, on) => {
    expect(resource(json, "aws_lb", "alb").enable_deletion_protection).toBe(on);
  });

  test("HTTPS listener: TLS policy from config, the validated certificate, HSTS; the environment's host name forwards to the target group, any other gets 404", () => {
    const https = resources(prod, "aws_lb_listener").map(([, r]) => r).find((r) => r.port === 443)!;
    expect(https).toMatchObject({ protocol: "HTTPS", ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06", routing_http_response_strict_transport_security_header_value: "max-age=31536000" });
    expect(https.certificate_arn).toMatch(/aws_acm_certificate_validation\..*\.certificate_arn/);
    expect(https.default_action).toEqual([{ type: "fixed-response", fixed_response: { content_type: "text/plain", message_body: "Not Found", status_code: "404" } }]);
    const primary = resources(prod, "aws_lb_listener_rule").map(([, r]) => r).find((r) => r.priority === 1)!;
    expect(primary.condition).toEqual([{ host_header: { values: [shipped("prod").dns.hostname] } }]);
    expect(primary.listener_arn).toMatch(/aws_lb_listener\.ingress_https.*\.arn/);
    expect(primary.action).toEqual([{ type: "forward", target_group_arn: expect.stringMatching(/aws_lb_target_group\..*\.arn/) }]);
  });

  test("a custom TLS policy is used as given", () => {
    const json = synth(loadWith("dev", (i) => (i.ingress.sslPolicy = "ELBSecurityPolicy-TLS13-1-3-2021-06")));
    expect(resources(json, "aws_lb_listener").map(([, r]) => r).find((r) => r.port === 443)!.ssl_policy).toBe("ELBSecurityPolicy-TLS13-1-3-2021-06");
  });

  test("HTTP listener only redirects to HTTPS with 301", () => {
    const http = resources(dev, "aws_lb_listener").map(([, r]) => r).find((r) => r.port === 80)!;
    expect(http.protocol).toBe("HTTP");
    expect(http.default_action).toEqual([{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", status_code: "HTTP_301" } }]);
  });

  test("target group: pod IPs on 8080 over HTTP, health check /health", () => {
    expect(resource(dev, "aws_lb_target_group", "frontend")).toMatchObject({
      target_type: "ip",
      port: 8080,
      protocol: "HTTP",
      vpc_id: "vpc-0123456789abcdef0",
      health_check: { path: "/health", port: "traffic-port", protocol: "HTTP", matcher: "200" },
    });
  });
});

describe("security groups per exposure", () => {
  test("public: 443 and 80 from anywhere, nothing else in", () => {
    const alb = ingressRules(dev).filter((r) => r.cidr_ipv4);
    expect(alb.map((r) => [r.from_port, r.cidr_ipv4]).sort()).toEqual([[443, "0.0.0.0/0"], [80, "0.0.0.0/0"]]);
  });

  test("private: 443 and 80 from the VPC CIDR only, never from anywhere", () => {
    const alb = ingressRules(staging).filter((r) => r.cidr_ipv4);
    expect(alb.map((r) => [r.from_port, r.cidr_ipv4]).sort()).toEqual([[443, "10.20.0.0/16"], [80, "10.20.0.0/16"]]);
    expect(JSON.stringify(staging)).not.toContain("0.0.0.0/0");
  });

  test("private: additional client CIDRs (Transit Gateway, site-to-site VPN)", () => {
    const json = synth(shipped("staging"), { additionalPrivateCidrs: ["172.16.0.0/12"] });
    expect(ingressRules(json).filter((r) => r.cidr_ipv4 === "172.16.0.0/12").map((r) => r.from_port).sort()).toEqual([443, 80]);
  });

  test("nodes take 8080 from the ALB only; the ALB sends only to the nodes' 8080", () => {
    const node = ingressRules(dev).filter((r) => r.security_group_id === "sg-nodes");
    expect(node).toEqual([expect.objectContaining({ from_port: 8080, to_port: 8080, ip_protocol: "tcp", referenced_security_group_id: expect.stringMatching(/aws_security_group\..*\.id/) })]);
    const egress = resources(dev, "aws_vpc_security_group_egress_rule").map(([, r]) => r);
    expect(egress).toEqual([expect.objectContaining({ from_port: 8080, to_port: 8080, referenced_security_group_id: "sg-nodes" })]);
  });
});

describe("WAF", () => {
  const acl = resource(prod, "aws_wafv2_web_acl", "waf");

  const ingest = { regex_match_statement: { regex_string: INGEST_PATH_REGEX, field_to_match: { uri_path: {} }, text_transformation: [{ priority: 0, type: "NONE" }] } };
  const notIngest = { not_statement: { statement: [ingest] } };

  test("regional, allow by default, the three managed groups then the ingestion and general rate limits from config", () => {
    expect(acl.scope).toBe("REGIONAL");
    expect(acl.default_action).toEqual({ allow: {} });
    expect(acl.rule.map((r: Json) => [r.priority, r.name])).toEqual([
      [0, "AWSManagedRulesAmazonIpReputationList"],
      [1, "AWSManagedRulesCommonRuleSet"],
      [2, "AWSManagedRulesKnownBadInputsRuleSet"],
      [3, "RateLimitIngestPerIp"],
      [4, "RateLimitPerIp"],
    ]);
    for (const r of acl.rule.slice(0, 3)) {
      expect(r.override_action).toEqual({ none: {} });
      expect(r.statement.managed_rule_group_statement).toMatchObject({ name: r.name, vendor_name: "AWS" });
    }
    expect(acl.rule[3].action).toEqual({ block: {} });
    expect(acl.rule[3].statement.rate_based_statement).toEqual({ limit: 300000, aggregate_key_type: "IP", evaluation_window_sec: 300, scope_down_statement: ingest });
    expect(acl.rule[4].statement.rate_based_statement).toEqual({ limit: 10000, aggregate_key_type: "IP", evaluation_window_sec: 300, scope_down_statement: notIngest });
    const devRules = resource(dev, "aws_wafv2_web_acl", "waf").rule;
    expect(devRules.map((r: Json) => r.statement.rate_based_statement?.limit).filter(Boolean)).toEqual([30000, 2000]);
  });

  test("trace ingestion: the body-inspecting managed groups skip the ingestion paths, the IP reputation list does not", () => {
    expect(INGEST_PATH_REGEX).toBe("^(/api/v1/runs|/api/runs|/api/v1/otel/)");
    expect(acl.rule[0].statement.managed_rule_group_statement.scope_down_statement).toBeUndefined();
    expect(acl.rule[1].statement.managed_rule_group_statement.scope_down_statement).toEqual(notIngest);
    expect(acl.rule[2].statement.managed_rule_group_statement.scope_down_statement).toEqual(notIngest);
    const re = new RegExp(INGEST_PATH_REGEX);
    expect(["/api/v1/runs", "/api/v1/runs/multipart", "/api/runs/batch", "/api/v1/otel/v1/traces"].every((p) => re.test(p))).toBe(true);
    expect(["/api/v1/sessions", "/api/v1/datasets", "/", "/api/v2/runs"].some((p) => re.test(p))).toBe(false);
  });

  test("trace bodies: only the body-size and body-XSS rules of the common set count instead of blocking", () => {
    expect(acl.rule[1].statement.managed_rule_group_statement.rule_action_override).toEqual([
      { name: "SizeRestrictions_BODY", action_to_use: { count: {} } },
      { name: "CrossSiteScripting_BODY", action_to_use: { count: {} } },
    ]);
  });

  test("is associated with the ALB and logs to a KMS-encrypted aws-waf-logs-* group, credentials redacted", () => {
    expect(resource(prod, "aws_wafv2_web_acl_association", "waf")).toMatchObject({ resource_arn: expect.stringMatching(/aws_lb\..*\.arn/), web_acl_arn: expect.stringMatching(/aws_wafv2_web_acl\..*\.arn/) });
    const group = resource(prod, "aws_cloudwatch_log_group", "waf");
    expect(group.name).toBe("aws-waf-logs-ls-prod-waf");
    expect(group.kms_key_id).toBe("arn:aws:kms:us-west-2:111111111111:key/logs");
    expect(group.retention_in_days).toBe(365); // production profile: a year (LS-LOG-008)
    const logging = resource(prod, "aws_wafv2_web_acl_logging_configuration", "waf");
    expect(logging.log_destination_configs).toEqual([expect.stringMatching(/aws_cloudwatch_log_group\..*\.arn/)]);
    expect(logging.redacted_fields).toEqual(["authorization", "x-api-key", "cookie"].map((name) => ({ single_header: { name } })));
    const delivery = JSON.parse(resource(prod, "aws_cloudwatch_log_resource_policy", "waf").policy_document);
    expect(delivery.Statement[0]).toMatchObject({ Principal: { Service: "delivery.logs.amazonaws.com" }, Condition: { StringEquals: { "aws:SourceAccount": "333333333333" } } });
  });
});

describe("certificate and DNS", () => {
  test("ACM certificate for dns.hostname, validated by a record in the hosted zone", () => {
    expect(resource(prod, "aws_acm_certificate", "certificate")).toMatchObject({ domain_name: "langsmith.example.com", validation_method: "DNS" });
    const record = resource(prod, "aws_route53_record", "validation");
    expect(record.zone_id).toBe("Z0PROD0000000000000001");
    expect(record.name).toMatch(/tolist\(aws_acm_certificate\..*\.domain_validation_options\)(\[0\]|\.0)\.resource_record_name/);
    expect(resource(prod, "aws_acm_certificate_validation", "certificate").validation_record_fqdns).toEqual([expect.stringMatching(/aws_route53_record\..*\.fqdn/)]);
  });

  test("validation records can go to a separate public zone (private exposure)", () => {
    const json = synth(loadWith("staging", (i) => (i.dns.certificateValidationZoneId = "Z0PUBLIC00000000000001")));
    expect(resource(json, "aws_route53_record", "validation").zone_id).toBe("Z0PUBLIC00000000000001");
    expect(resource(json, "aws_route53_record", "alias").zone_id).toBe("Z0STAGING0000000000001");
  });

  test("alias A record of the hostname to the ALB; AAAA only for a dual-stack ALB", () => {
    expect(resource(dev, "aws_route53_record", "alias-a")).toMatchObject({
      name: "langsmith.dev.example.com",
      type: "A",
      zone_id: "Z0DEV00000000000000001",
      alias: { name: expect.stringMatching(/aws_lb\..*\.dns_name/), zone_id: expect.stringMatching(/aws_lb\..*\.zone_id/), evaluate_target_health: true },
    });
    expect(resources(dev, "aws_route53_record").filter(([, r]) => r.type === "AAAA")).toHaveLength(0);
    const dual = synth(shipped("dev"), { dualStack: true });
    expect(resource(dual, "aws_lb", "alb").ip_address_type).toBe("dualstack");
    expect(resource(dual, "aws_route53_record", "alias-aaaa").type).toBe("AAAA");
    expect(ingressRules(dual).filter((r) => r.cidr_ipv6 === "::/0")).toHaveLength(2);
  });
});

describe("access logs", () => {
  test("off: no bucket", () => {
    expect(resources(dev, "aws_s3_bucket")).toHaveLength(0);
    expect(resource(dev, "aws_lb", "alb").access_logs).toBeUndefined();
  });

  test("on: SSE-S3 bucket, public access blocked, TLS only, ELB delivery scoped to the account's prefix", () => {
    expect(resource(prod, "aws_lb", "alb").access_logs).toMatchObject({ enabled: true, prefix: "alb" });
    expect(resource(prod, "aws_lb", "alb").depends_on).toEqual([expect.stringMatching(/aws_s3_bucket_policy\./)]);
    expect(resource(prod, "aws_s3_bucket_server_side_encryption_configuration", "access-logs").rule).toEqual([{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }]);
    expect(resource(prod, "aws_s3_bucket_public_access_block", "access-logs")).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    const policy = JSON.parse(resource(prod, "aws_s3_bucket_policy", "access-logs").policy);
    expect(policy.Statement[0]).toMatchObject({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } });
    // us-east-1 predates the service principal: the regional ELB account writes the logs.
    expect(policy.Statement[1]).toMatchObject({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::127311923021:root" }, Action: "s3:PutObject" });
    expect(policy.Statement[1].Resource).toMatch(/\/alb\/AWSLogs\/333333333333\/\*$/);
    expect(resource(prod, "aws_s3_bucket", "access-logs")).toMatchObject({ bucket: "ls-prod-alb-logs-333333333333", force_destroy: false });
  });

  test.each([
    ["us-west-2", { AWS: "arn:aws:iam::797873946194:root" }],
    ["us-east-1", { AWS: "arn:aws:iam::127311923021:root" }],
    ["eu-central-2", { Service: ELB_LOG_DELIVERY_SERVICE }],
  ])("delivery principal in %s", (region, principal) => {
    expect(elbLogDeliveryPrincipal(region)).toEqual(principal);
  });
});
