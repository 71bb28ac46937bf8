import { Construct } from "constructs";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { Ec2Tag } from "@cdktf/provider-aws/lib/ec2-tag";
import { planSubnets } from "../../lib/cidr";
import { policyDocument, policyJson, serviceTrust } from "../../lib/iam";
import { Namer } from "../../lib/naming";

/** Create a VPC from a CIDR. */
export interface CreateVpcProps {
  readonly mode: "create";
  readonly vpcCidr: string;
  /** `per-az`: a NAT gateway in every AZ; `single`: one, in the first AZ. */
  readonly natGateways: "single" | "per-az";
  readonly flowLogsRetentionDays: number;
}

/** Use an existing VPC: nothing is created, subnets are only tagged for EKS and the ALB. */
export interface ExistingVpcProps {
  readonly mode: "existing";
  readonly vpcId: string;
  readonly vpcCidr: string;
  readonly publicSubnetIds: readonly string[];
  readonly privateSubnetIds: readonly string[];
  readonly dataSubnetIds: readonly string[];
}

export interface NetworkProps {
  readonly namer: Namer;
  readonly region: string;
  readonly availabilityZones: readonly string[];
  /** EKS cluster name, for the `kubernetes.io/cluster/<name>` subnet tags. */
  readonly clusterName: string;
  readonly vpc: CreateVpcProps | ExistingVpcProps;
  /** KMS key for the flow-log group. */
  readonly logsKmsKeyArn: string;
  /** The account: the flow-logs role trusts the service only for this account (`aws:SourceAccount`). */
  readonly accountId: string;
}

/**
 * One VPC with public (ALB-only), private (nodes) and data subnets, one of each per AZ;
 * NAT per AZ or single; S3 gateway endpoint; flow logs to CloudWatch; default SG closed.
 */
export class Network extends Construct {
  readonly vpcId: string;
  readonly vpcCidr: string;
  readonly publicSubnetIds: string[];
  readonly privateSubnetIds: string[];
  readonly dataSubnetIds: string[];
  /** CIDRs of the public subnets (an existing VPC: its CIDR, the subnets' are not known at synth). */
  readonly publicSubnetCidrs: string[];
  /** CIDRs of the data subnets (an existing VPC: its CIDR). */
  readonly dataSubnetCidrs: string[];
  /** NAT gateway ids (empty for an existing VPC). */
  readonly natGatewayIds: string[] = [];

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    const clusterTag = `kubernetes.io/cluster/${props.clusterName}`;
    const v = props.vpc;
    if (v.mode === "existing") {
      this.vpcId = v.vpcId;
      this.vpcCidr = v.vpcCidr;
      this.publicSubnetIds = [...v.publicSubnetIds];
      this.privateSubnetIds = [...v.privateSubnetIds];
      this.dataSubnetIds = [...v.dataSubnetIds];
      this.publicSubnetCidrs = [v.vpcCidr];
      this.dataSubnetCidrs = [v.vpcCidr];
      const tag = (kind: string, ids: readonly string[], key: string, value: string) =>
        ids.forEach((subnetId, i) => new Ec2Tag(this, `${kind}-${i}-${key.replace(/[^a-z]/g, "")}`, { resourceId: subnetId, key, value }));
      tag("public", v.publicSubnetIds, "kubernetes.io/role/elb", "1");
      tag("private", v.privateSubnetIds, "kubernetes.io/role/internal-elb", "1");
      tag("private", v.privateSubnetIds, clusterTag, "shared");
      return;
    }

    const n = props.namer;
    const azs = props.availabilityZones;
    const plan = planSubnets(v.vpcCidr, azs.length);
    this.publicSubnetCidrs = [...plan.public];
    this.dataSubnetCidrs = [...plan.data];
    const vpc = new Vpc(this, "vpc", {
      cidrBlock: v.vpcCidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: { Name: n.name("vpc") },
    });
    this.vpcId = vpc.id;
    this.vpcCidr = v.vpcCidr;

    // Closed default security group: nothing may use it by accident (CIS 5.4).
    new DefaultSecurityGroup(this, "default-sg", { vpcId: vpc.id, ingress: [], egress: [], tags: { Name: n.name("default-closed") } });

    const igw = new InternetGateway(this, "igw", { vpcId: vpc.id, tags: { Name: n.name("igw") } });

    const subnets = (kind: "public" | "private" | "data", tags: Record<string, string>) =>
      azs.map(
        (az, i) =>
          new Subnet(this, `${kind}-${az}`, {
            vpcId: vpc.id,
            availabilityZone: az,
            cidrBlock: plan[kind][i],
            mapPublicIpOnLaunch: false,
            tags: { Name: n.name(`${kind}-${az}`), "langsmith/subnet-tier": kind, ...tags },
          }),
      );
    // Public subnets host only the ALB; nothing there gets a public IP automatically.
    const publicSubnets = subnets("public", { "kubernetes.io/role/elb": "1" });
    const privateSubnets = subnets("private", { "kubernetes.io/role/internal-elb": "1", [clusterTag]: "shared" });
    const dataSubnets = subnets("data", {});
    this.publicSubnetIds = publicSubnets.map((s) => s.id);
    this.privateSubnetIds = privateSubnets.map((s) => s.id);
    this.dataSubnetIds = dataSubnets.map((s) => s.id);

    const publicRt = new RouteTable(this, "public-rt", { vpcId: vpc.id, tags: { Name: n.name("public") } });
    new Route(this, "public-default", { routeTableId: publicRt.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id });
    publicSubnets.forEach((s, i) => new RouteTableAssociation(this, `public-rta-${azs[i]}`, { subnetId: s.id, routeTableId: publicRt.id }));

    const natAzs = v.natGateways === "per-az" ? azs : azs.slice(0, 1);
    const nats = natAzs.map((az, i) => {
      const eip = new Eip(this, `nat-eip-${az}`, { domain: "vpc", tags: { Name: n.name(`nat-${az}`) } });
      return new NatGateway(this, `nat-${az}`, {
        allocationId: eip.allocationId,
        subnetId: publicSubnets[i].id,
        tags: { Name: n.name(`nat-${az}`) },
        dependsOn: [igw],
      });
    });
    this.natGatewayIds = nats.map((g) => g.id);

    // Nodes egress through the NAT of their AZ (or the single NAT).
    const privateRts = azs.map((az, i) => {
      const rt = new RouteTable(this, `private-rt-${az}`, { vpcId: vpc.id, tags: { Name: n.name(`private-${az}`) } });
      new Route(this, `private-default-${az}`, {
        routeTableId: rt.id,
        destinationCidrBlock: "0.0.0.0/0",
        natGatewayId: nats[Math.min(i, nats.length - 1)].id,
      });
      new RouteTableAssociation(this, `private-rta-${az}`, { subnetId: privateSubnets[i].id, routeTableId: rt.id });
      return rt;
    });

    // Data subnets have no route to the internet at all: RDS and ElastiCache need none.
    const dataRt = new RouteTable(this, "data-rt", { vpcId: vpc.id, tags: { Name: n.name("data") } });
    dataSubnets.forEach((s, i) => new RouteTableAssociation(this, `data-rta-${azs[i]}`, { subnetId: s.id, routeTableId: dataRt.id }));

    new VpcEndpoint(this, "s3-endpoint", {
      vpcId: vpc.id,
      serviceName: `com.amazonaws.${props.region}.s3`,
      vpcEndpointType: "Gateway",
      routeTableIds: [...privateRts.map((r) => r.id), dataRt.id],
      tags: { Name: n.name("s3") },
    });

    const logGroup = new CloudwatchLogGroup(this, "flow-logs", {
      name: `/aws/vpc/${n.name("flow-logs", "logGroup")}`,
      retentionInDays: v.flowLogsRetentionDays,
      kmsKeyId: props.logsKmsKeyArn,
    });
    const role = new IamRole(this, "flow-logs-role", {
      name: n.name("vpc-flow-logs", "iamRole"),
      // aws:SourceAccount: the service assumes it only on behalf of this account (confused deputy).
      assumeRolePolicy: policyJson(serviceTrust("vpc-flow-logs.amazonaws.com", props.accountId)),
    });
    new IamRolePolicy(this, "flow-logs-policy", {
      role: role.id,
      name: "write-flow-logs",
      policy: policyJson(
        policyDocument({
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
          Resource: [logGroup.arn, `${logGroup.arn}:*`],
        }),
      ),
    });
    new FlowLog(this, "flow-log", {
      vpcId: vpc.id,
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: logGroup.arn,
      iamRoleArn: role.arn,
      maxAggregationInterval: 60,
      tags: { Name: n.name("flow-log") },
    });
  }
}
