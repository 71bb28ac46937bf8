/**
 * IAM policies of the Helm-installed add-ons, as typed documents (lib/iam.ts).
 * Each statement keeps the upstream policy's shape; resources the upstream writes as `*` or
 * `arn:aws:<service>:*:*:...` are narrowed to this environment's region and account wherever
 * the actions support resource-level permissions.
 */
import { PolicyDocument, policyDocument, PolicyStatement } from "../../lib/iam";

export interface PolicyScope {
  readonly region: string;
  readonly accountId: string;
}

const CLUSTER_TAG_SET = { "aws:RequestTag/elbv2.k8s.aws/cluster": "true", "aws:ResourceTag/elbv2.k8s.aws/cluster": "false" } as const;
const CLUSTER_TAGGED = { "aws:ResourceTag/elbv2.k8s.aws/cluster": "false" } as const;
const CLUSTER_TAG_REQUESTED = { "aws:RequestTag/elbv2.k8s.aws/cluster": "false" } as const;

/**
 * AWS Load Balancer Controller v2.13/v2.14 (`docs/install/iam_policy.json` of
 * kubernetes-sigs/aws-load-balancer-controller, statement for statement; notes/versions.md §5).
 * `Resource: "*"` remains only where the action has no resource-level permissions (Describe*,
 * Get*, WAF/Shield lookups); load balancer actions are limited to this account and region.
 */
export function loadBalancerControllerPolicy({ region, accountId }: PolicyScope): PolicyDocument {
  const elb = `arn:aws:elasticloadbalancing:${region}:${accountId}`;
  /** Every load balancer, listener, rule and target group of this account and region. */
  const anyElb = `${elb}:*`;
  const sg = `arn:aws:ec2:${region}:${accountId}:security-group/*`;
  const lbAndTg = [`${elb}:targetgroup/*/*`, `${elb}:loadbalancer/net/*/*`, `${elb}:loadbalancer/app/*/*`];
  const statements: PolicyStatement[] = [
    {
      Sid: "CreateElbServiceLinkedRole",
      Effect: "Allow",
      Action: "iam:CreateServiceLinkedRole",
      Resource: "*",
      Condition: { StringEquals: { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" } },
    },
    {
      Sid: "Describe",
      Effect: "Allow",
      Action: [
        "ec2:DescribeAccountAttributes", "ec2:DescribeAddresses", "ec2:DescribeAvailabilityZones", "ec2:DescribeInternetGateways",
        "ec2:DescribeVpcs", "ec2:DescribeVpcPeeringConnections", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups",
        "ec2:DescribeInstances", "ec2:DescribeNetworkInterfaces", "ec2:DescribeTags", "ec2:GetCoipPoolUsage", "ec2:DescribeCoipPools",
        "ec2:GetSecurityGroupsForVpc", "ec2:DescribeIpamPools", "ec2:DescribeRouteTables",
        "elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeLoadBalancerAttributes",
        "elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeListenerCertificates",
        "elasticloadbalancing:DescribeSSLPolicies", "elasticloadbalancing:DescribeRules", "elasticloadbalancing:DescribeTargetGroups",
        "elasticloadbalancing:DescribeTargetGroupAttributes", "elasticloadbalancing:DescribeTargetHealth", "elasticloadbalancing:DescribeTags",
        "elasticloadbalancing:DescribeTrustStores", "elasticloadbalancing:DescribeListenerAttributes",
        "elasticloadbalancing:DescribeCapacityReservation",
      ],
      Resource: "*",
    },
    {
      Sid: "IntegrationsLookup",
      Effect: "Allow",
      Action: [
        "cognito-idp:DescribeUserPoolClient", "acm:ListCertificates", "acm:DescribeCertificate", "iam:ListServerCertificates",
        "iam:GetServerCertificate", "waf-regional:GetWebACL", "waf-regional:GetWebACLForResource", "waf-regional:AssociateWebACL",
        "waf-regional:DisassociateWebACL", "wafv2:GetWebACL", "wafv2:GetWebACLForResource", "wafv2:AssociateWebACL",
        "wafv2:DisassociateWebACL", "shield:GetSubscriptionState", "shield:DescribeProtection", "shield:CreateProtection",
        "shield:DeleteProtection",
      ],
      Resource: "*",
    },
    // Node and pod security groups are not tagged by the controller; it opens the target port on them.
    { Sid: "NodeSecurityGroupIngress", Effect: "Allow", Action: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"], Resource: sg },
    { Sid: "CreateSecurityGroup", Effect: "Allow", Action: "ec2:CreateSecurityGroup", Resource: [sg, `arn:aws:ec2:${region}:${accountId}:vpc/*`] },
    {
      Sid: "TagNewSecurityGroup",
      Effect: "Allow",
      Action: "ec2:CreateTags",
      Resource: sg,
      Condition: { StringEquals: { "ec2:CreateAction": "CreateSecurityGroup" }, Null: CLUSTER_TAG_REQUESTED },
    },
    { Sid: "RetagOwnSecurityGroup", Effect: "Allow", Action: ["ec2:CreateTags", "ec2:DeleteTags"], Resource: sg, Condition: { Null: CLUSTER_TAG_SET } },
    {
      Sid: "ManageOwnSecurityGroup",
      Effect: "Allow",
      Action: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress", "ec2:DeleteSecurityGroup"],
      Resource: sg,
      Condition: { Null: CLUSTER_TAGGED },
    },
    {
      Sid: "CreateTaggedLoadBalancer",
      Effect: "Allow",
      Action: ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"],
      Resource: anyElb,
      Condition: { Null: CLUSTER_TAG_REQUESTED },
    },
    {
      Sid: "ListenersAndRules",
      Effect: "Allow",
      Action: ["elasticloadbalancing:CreateListener", "elasticloadbalancing:DeleteListener", "elasticloadbalancing:CreateRule", "elasticloadbalancing:DeleteRule"],
      Resource: anyElb,
    },
    {
      Sid: "RetagOwnLoadBalancer",
      Effect: "Allow",
      Action: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
      Resource: lbAndTg,
      Condition: { Null: CLUSTER_TAG_SET },
    },
    {
      Sid: "TagListenersAndRules",
      Effect: "Allow",
      Action: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
      Resource: [`${elb}:listener/net/*/*/*`, `${elb}:listener/app/*/*/*`, `${elb}:listener-rule/net/*/*/*`, `${elb}:listener-rule/app/*/*/*`],
    },
    {
      Sid: "ModifyOwnLoadBalancer",
      Effect: "Allow",
      Action: [
        "elasticloadbalancing:ModifyLoadBalancerAttributes", "elasticloadbalancing:SetIpAddressType", "elasticloadbalancing:SetSecurityGroups",
        "elasticloadbalancing:SetSubnets", "elasticloadbalancing:DeleteLoadBalancer", "elasticloadbalancing:ModifyTargetGroup",
        "elasticloadbalancing:ModifyTargetGroupAttributes", "elasticloadbalancing:DeleteTargetGroup",
        "elasticloadbalancing:ModifyListenerAttributes", "elasticloadbalancing:ModifyCapacityReservation", "elasticloadbalancing:ModifyIpPools",
      ],
      Resource: anyElb,
      Condition: { Null: CLUSTER_TAGGED },
    },
    {
      Sid: "TagOnCreate",
      Effect: "Allow",
      Action: "elasticloadbalancing:AddTags",
      Resource: lbAndTg,
      Condition: { StringEquals: { "elasticloadbalancing:CreateAction": ["CreateTargetGroup", "CreateLoadBalancer"] }, Null: CLUSTER_TAG_REQUESTED },
    },
    // TargetGroupBinding registers pod IPs in the Terraform-owned target group.
    { Sid: "RegisterTargets", Effect: "Allow", Action: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"], Resource: `${elb}:targetgroup/*/*` },
    {
      Sid: "ListenerSettings",
      Effect: "Allow",
      Action: [
        "elasticloadbalancing:SetWebAcl", "elasticloadbalancing:ModifyListener", "elasticloadbalancing:AddListenerCertificates",
        "elasticloadbalancing:RemoveListenerCertificates", "elasticloadbalancing:ModifyRule", "elasticloadbalancing:SetRulePriorities",
      ],
      Resource: anyElb,
    },
  ];
  return policyDocument(...statements);
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
