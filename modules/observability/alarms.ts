/** Alarm notifications (encrypted SNS topics with email subscribers) and the alarms of the table (lib/observability/alarms.ts). */
import { Construct } from "constructs";
import { TerraformProvider } from "cdktf";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { EnvironmentIdentity } from "../../lib/config/schema";
import { accountRootArn, policyDocument, policyJson } from "../../lib/iam";
import { Namer } from "../../lib/naming";
import type { AlarmSpec } from "../../lib/observability/alarms";
import { CustomerManagedKey, KEY_SERVICES } from "../kms";

export interface AlarmTopicProps {
  readonly namer: Namer;
  readonly environment: EnvironmentIdentity;
  /** Name component and id prefix: `alarms` → topic `{prefix}-{env}-alarms`, ids `alarms-key`, `alarms-topic`, … */
  readonly key: string;
  readonly region: string;
  readonly emails: readonly string[];
  /** `prevent_destroy` on the topic's key. */
  readonly preventDestroy: boolean;
  readonly provider?: TerraformProvider;
}

/** An encrypted topic that CloudWatch alarms of this account may publish to, with the email subscribers. */
export function alarmTopic(scope: Construct, p: AlarmTopicProps): SnsTopic {
  const { namer, environment: env, key, region, provider } = p;
  const account = env.aws.accountId;
  // SNS-managed keys (alias/aws/sns) cannot be used by CloudWatch: alarms need a CMK that allows it.
  const cmk = new CustomerManagedKey(scope, `${key}-key`, {
    alias: namer.name(key),
    description: `LangSmith ${env.name}: alarm notifications (SNS) in ${region}`,
    accountId: account,
    region,
    // SNS docs (encrypted topics, CloudWatch alarms): the alarm service only needs a data key to publish.
    services: [
      {
        principal: "cloudwatch.amazonaws.com",
        condition: { StringEquals: { "aws:SourceAccount": account }, ArnLike: { "aws:SourceArn": `arn:aws:cloudwatch:${region}:${account}:alarm:*` } },
        actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
      },
    ],
    preventDestroy: p.preventDestroy,
    usedThrough: KEY_SERVICES.topic,
    provider,
  });
  const topic = new SnsTopic(scope, `${key}-topic`, { name: namer.name(key), kmsMasterKeyId: cmk.keyArn, provider });
  new SnsTopicPolicy(scope, `${key}-topic-policy`, {
    arn: topic.arn,
    provider,
    policy: policyJson(
      policyDocument(
        {
          Sid: "AccountManages",
          Effect: "Allow",
          Principal: { AWS: accountRootArn("aws", account) },
          Action: ["sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:Subscribe", "sns:ListSubscriptionsByTopic", "sns:Publish"],
          Resource: topic.arn,
        },
        {
          Sid: "CloudWatchAlarmsPublish",
          Effect: "Allow",
          Principal: { Service: "cloudwatch.amazonaws.com" },
          Action: "sns:Publish",
          Resource: topic.arn,
          Condition: {
            StringEquals: { "aws:SourceAccount": account },
            ArnLike: { "aws:SourceArn": `arn:aws:cloudwatch:${region}:${account}:alarm:*` },
          },
        },
      ),
    ),
  });
  p.emails.forEach((email, i) => new SnsTopicSubscription(scope, `${key}-email-${i}`, { topicArn: topic.arn, protocol: "email", endpoint: email, provider }));
  return topic;
}

/** One alarm of the table, created in `scope` as `alarm-<key>`, notifying `topicArn` on ALARM and OK. */
export function metricAlarm(scope: Construct, namer: Namer, spec: AlarmSpec, topicArn: string, provider?: TerraformProvider): CloudwatchMetricAlarm {
  const m = spec.metric;
  const percentile = m && /^p\d+(\.\d+)?$/.test(m.stat);
  return new CloudwatchMetricAlarm(scope, `alarm-${spec.key}`, {
    alarmName: namer.name(spec.key),
    alarmDescription: spec.description,
    comparisonOperator: spec.comparison,
    threshold: spec.threshold,
    evaluationPeriods: spec.evaluationPeriods,
    datapointsToAlarm: spec.datapointsToAlarm,
    treatMissingData: spec.treatMissingData,
    alarmActions: [topicArn],
    okActions: [topicArn],
    ...(m
      ? {
          namespace: m.namespace,
          metricName: m.name,
          dimensions: { ...m.dimensions },
          period: spec.periodSeconds,
          ...(percentile ? { extendedStatistic: m.stat } : { statistic: m.stat }),
        }
      : { metricQuery: [...(spec.query ?? [])] }),
    provider,
  });
}
