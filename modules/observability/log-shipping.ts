/**
 * Container Insights metrics and container logs: the `amazon-cloudwatch-observability` add-on,
 * its IRSA role, and its log groups pre-created so retention and encryption are ours.
 */
import { Construct } from "constructs";
import { ITerraformDependable } from "cdktf";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import { PolicyDocument, policyDocument } from "../../lib/iam";
import { Namer } from "../../lib/naming";
import { EKS_ADDONS } from "../../versions";
import { IrsaRole } from "../irsa";

/** Log groups the `amazon-cloudwatch-observability` add-on writes (`/aws/containerinsights/<cluster>/<kind>`). */
export const CONTAINER_INSIGHTS_LOG_KINDS = ["application", "dataplane", "host", "performance"] as const;

/** Where the add-on's agent and Fluent Bit run (add-on defaults; the IRSA trust names them exactly). */
export const CLOUDWATCH_AGENT = { namespace: "amazon-cloudwatch", serviceAccount: "cloudwatch-agent" } as const;

/** Log group of Application Signals (its EMF records), which the add-on's agent also writes. */
export const APPLICATION_SIGNALS_LOG_GROUP = "/aws/application-signals/data";

/**
 * What the add-on's agent and Fluent Bit may do: AWS's CloudWatchAgentServerPolicy with its log
 * actions scoped to this cluster's Container Insights log groups (and Application Signals'),
 * instead of every log group of the account, without logs:PutRetentionPolicy (retention and KMS
 * are ours: the groups are created first) and without ssm:GetParameter (the add-on configures
 * the agent; no SSM parameter is read). PutMetricData, the EC2 and X-Ray calls have no
 * resource-level permissions (Service Authorization Reference): `*` there is AWS's form.
 */
export function cloudwatchAgentPolicy(input: { region: string; accountId: string; clusterName: string }): PolicyDocument {
  const logGroup = (name: string) => `arn:aws:logs:${input.region}:${input.accountId}:log-group:${name}`;
  return policyDocument(
    {
      Sid: "ClusterLogGroupsOnly",
      Effect: "Allow",
      Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
      // `<group>/*` covers the groups and their streams (`:log-stream:<name>`).
      Resource: [logGroup(`/aws/containerinsights/${input.clusterName}/*`), logGroup(APPLICATION_SIGNALS_LOG_GROUP), logGroup(`${APPLICATION_SIGNALS_LOG_GROUP}:*`)],
    },
    { Sid: "ListLogGroupsOfTheRegion", Effect: "Allow", Action: "logs:DescribeLogGroups", Resource: logGroup("*") },
    {
      Sid: "MetricsTracesAndDescribes",
      Effect: "Allow",
      Action: [
        "cloudwatch:PutMetricData", "ec2:DescribeTags", "ec2:DescribeVolumes",
        "xray:GetSamplingRules", "xray:GetSamplingStatisticSummaries", "xray:GetSamplingTargets", "xray:PutTelemetryRecords", "xray:PutTraceSegments",
      ],
      Resource: "*",
    },
  );
}

export interface LogShippingProps {
  readonly namer: Namer;
  /** Region and account of the log groups (the agent role's policy names them). */
  readonly region: string;
  readonly accountId: string;
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
    // Not the AWS-managed CloudWatchAgentServerPolicy: its logs:* writes (and PutRetentionPolicy)
    // reach every log group of the account, from a DaemonSet on every node.
    policies: { "cloudwatch-agent": cloudwatchAgentPolicy({ region: p.region, accountId: p.accountId, clusterName: p.clusterName }) },
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
