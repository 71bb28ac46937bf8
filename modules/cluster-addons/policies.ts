/**
 * IAM policies of the Helm-installed add-ons, as typed documents (lib/iam.ts).
 * Each statement keeps the upstream policy's shape; resources the upstream writes as `*` or
 * `arn:aws:<service>:*:*:...` are narrowed to this environment's region and account wherever
 * the actions support resource-level permissions.
 */
import { PolicyDocument, policyDocument } from "../../lib/iam";

export interface PolicyScope {
  readonly region: string;
  readonly accountId: string;
}

/**
 * AWS Load Balancer Controller, reduced to what a TargetGroupBinding needs here. Terraform owns
 * the ALB, its listeners, the WAF association and the node security-group rule from the ALB
 * (modules/ingress; the binding has no `spec.networking`, lib/target-group-binding.ts), so the
 * controller only reads (upstream `docs/install/iam_policy.json` Describe statement) and registers
 * pod IPs in the environment's target groups. No load balancer, listener, rule, security-group,
 * WAF or Shield write: with its credentials nobody can strip the WAF or open a security group.
 * Its WAF/Shield features are off in its values (cluster-addons ADDON_DEFAULTS).
 */
export function loadBalancerControllerPolicy(targetGroupArns: readonly string[]): PolicyDocument {
  return policyDocument(
    {
      Sid: "Describe",
      Effect: "Allow",
      Action: [
        "ec2:DescribeAvailabilityZones", "ec2:DescribeInstances", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSecurityGroups",
        "ec2:DescribeSubnets", "ec2:DescribeVpcs",
        "elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeRules",
        "elasticloadbalancing:DescribeTags", "elasticloadbalancing:DescribeTargetGroupAttributes", "elasticloadbalancing:DescribeTargetGroups",
        "elasticloadbalancing:DescribeTargetHealth",
      ],
      Resource: "*",
    },
    // TargetGroupBinding registers pod IPs in the Terraform-owned target groups, and nothing else.
    {
      Sid: "RegisterTargets",
      Effect: "Allow",
      Action: ["elasticloadbalancing:DeregisterTargets", "elasticloadbalancing:RegisterTargets"],
      Resource: [...targetGroupArns],
    },
  );
}

/**
 * Cluster Autoscaler on AWS (kubernetes/autoscaler `cloudprovider/aws/README.md`, least-privilege
 * policy): it may resize or shrink only Auto Scaling groups tagged as this cluster's, and
 * describe only this cluster's node groups.
 */
export function clusterAutoscalerPolicy(
  { region, accountId }: PolicyScope,
  clusterName: string,
  nodeGroupArns: readonly string[],
): PolicyDocument {
  return policyDocument(
    {
      Sid: "ScaleOwnNodeGroups",
      Effect: "Allow",
      Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
      Resource: `arn:aws:autoscaling:${region}:${accountId}:autoScalingGroup:*:autoScalingGroupName/*`,
      Condition: {
        StringEquals: {
          "aws:ResourceTag/k8s.io/cluster-autoscaler/enabled": "true",
          [`aws:ResourceTag/k8s.io/cluster-autoscaler/${clusterName}`]: "owned",
        },
      },
    },
    {
      // These actions have no resource-level permissions.
      Sid: "Discover",
      Effect: "Allow",
      Action: [
        "autoscaling:DescribeAutoScalingGroups", "autoscaling:DescribeAutoScalingInstances", "autoscaling:DescribeLaunchConfigurations",
        "autoscaling:DescribeScalingActivities", "autoscaling:DescribeTags", "ec2:DescribeImages", "ec2:DescribeInstanceTypes",
        "ec2:DescribeLaunchTemplateVersions", "ec2:GetInstanceTypesFromInstanceRequirements",
      ],
      Resource: "*",
    },
    // Node group labels and taints, for scaling a group up from zero.
    { Sid: "DescribeOwnNodeGroups", Effect: "Allow", Action: "eks:DescribeNodegroup", Resource: [...nodeGroupArns] },
  );
}
