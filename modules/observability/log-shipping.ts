/**
 * Container Insights metrics and container logs: the `amazon-cloudwatch-observability` add-on,
 * its IRSA role, and its log groups pre-created so retention and encryption are ours.
 */
import { Construct } from "constructs";
import { ITerraformDependable } from "cdktf";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import { Namer } from "../../lib/naming";
import { EKS_ADDONS } from "../../versions";
import { IrsaRole } from "../irsa";

/** Log groups the `amazon-cloudwatch-observability` add-on writes (`/aws/containerinsights/<cluster>/<kind>`). */
export const CONTAINER_INSIGHTS_LOG_KINDS = ["application", "dataplane", "host", "performance"] as const;

/** Where the add-on's agent and Fluent Bit run (add-on defaults; the IRSA trust names them exactly). */
export const CLOUDWATCH_AGENT = { namespace: "amazon-cloudwatch", serviceAccount: "cloudwatch-agent" } as const;

export interface LogShippingProps {
  readonly namer: Namer;
  readonly clusterName: string;
  readonly logRetentionDays: number;
  readonly logsKmsKeyArn: string;
  readonly oidcProviderArn: string;
  readonly oidcIssuer: string;
  /** What the add-on waits for besides its log groups (the node groups). */
  readonly addonDependsOn: readonly ITerraformDependable[];
}

/** Created in `scope` (ids `log-group-<kind>`, `cloudwatch-agent`, `cloudwatch-observability`). */
export function logShipping(scope: Construct, p: LogShippingProps): { readonly logGroupNames: string[]; readonly agentRoleArn: string } {
  const logGroups = CONTAINER_INSIGHTS_LOG_KINDS.map(
    (kind) =>
      new CloudwatchLogGroup(scope, `log-group-${kind}`, {
        name: `/aws/containerinsights/${p.clusterName}/${kind}`,
        retentionInDays: p.logRetentionDays,
        kmsKeyId: p.logsKmsKeyArn,
      }),
  );
  const agent = new IrsaRole(scope, "cloudwatch-agent", {
    roleName: p.namer.name("irsa-cloudwatch-agent", "iamRole"),
    oidcProviderArn: p.oidcProviderArn,
    oidcIssuer: p.oidcIssuer,
    namespace: CLOUDWATCH_AGENT.namespace,
    serviceAccounts: [CLOUDWATCH_AGENT.serviceAccount],
    // AWS-maintained: metrics (PutMetricData), EMF/container logs, EC2/EKS describe calls of the agent.
    managedPolicyArns: ["arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy"],
  });
  new EksAddon(scope, "cloudwatch-observability", {
    clusterName: p.clusterName,
    addonName: "amazon-cloudwatch-observability",
    addonVersion: EKS_ADDONS.cloudwatchObservability,
    serviceAccountRoleArn: agent.roleArn,
    resolveConflictsOnCreate: "OVERWRITE",
    resolveConflictsOnUpdate: "OVERWRITE",
    // The agent creates missing log groups itself, without retention or KMS: ours must exist first.
    dependsOn: [...logGroups, ...p.addonDependsOn],
  });
  return { logGroupNames: logGroups.map((g) => g.name), agentRoleArn: agent.roleArn };
}
