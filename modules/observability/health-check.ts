/** The Route 53 HTTPS health check of the public hostname. */
import { Construct } from "constructs";
import { Route53HealthCheck } from "@cdktf/provider-aws/lib/route53-health-check";
import { Namer } from "../../lib/naming";

/** Route 53 publishes health-check metrics only in this region (Route 53 developer guide, "Monitoring health checks"). */
export const ROUTE53_METRICS_REGION = "us-east-1";

/** A health check requesting `https://<hostname><path>` every 30 s, created in `scope` as `health-check`. */
export function healthCheck(scope: Construct, p: { readonly namer: Namer; readonly hostname: string; readonly path: string }): Route53HealthCheck {
  return new Route53HealthCheck(scope, "health-check", {
    fqdn: p.hostname,
    type: "HTTPS",
    port: 443,
    resourcePath: p.path,
    enableSni: true,
    failureThreshold: 3,
    requestInterval: 30,
    measureLatency: true,
    tags: { Name: p.namer.name("health") },
  });
}
