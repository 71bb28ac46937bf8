import { Construct } from "constructs";
import { Aspects, TerraformOutput, TerraformOutputConfig } from "cdktf";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { EnvironmentConfig, protectsData } from "../lib/config/schema";
import { clusterName as clusterNameOf, httpsUrl, Namer, postgresKind, stackName } from "../lib/naming";
import { STACK_OUTPUTS, StackOutput } from "../lib/outputs";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { Network } from "../modules/network";
import { CustomerManagedKey, environmentKey, logsServiceUse, ServiceUse } from "../modules/kms";
import { EksCluster, nodeGroupSpecs } from "../modules/eks";
import { ClusterAddons, zoneDomain } from "../modules/cluster-addons";
import { LangsmithData } from "../modules/langsmith-data";
import { ClickhouseStorageClass } from "../modules/clickhouse";
import { K8sManifests } from "../modules/k8s-manifests";
import { Ingress } from "../modules/ingress";
import { LangsmithRelease } from "../modules/langsmith-release";
import { Observability } from "../modules/observability";
import { targetGroupBinding } from "../lib/target-group-binding";
import { RELEASE } from "../lib/langsmith-values/chart";
import { buildLangsmithValues } from "../lib/langsmith-values";
import { ciArns } from "../lib/ci";
import { PermissionsBoundary, PlanRoleClusterAccess } from "../modules/ci-role";
import { configureBackend } from "./backend";
import { awsProvider, clusterProviders, defaultTags, requireTerraformVersion } from "./providers";
import { enforcePolicy } from "../lib/policy/enforce";
import { IsolatedStack } from "./isolated-stack";

/** The namespace LangSmith is released into. */
export const LANGSMITH_NAMESPACE = RELEASE.namespace;

export interface LangsmithStackProps {
  readonly env: EnvironmentConfig;
}

/** Stack name of an environment: `langsmith-<name>` (decided in lib/naming.ts). */
export { stackName };

/** One environment = one state = one plan: network, EKS, data stores, the LangSmith release. */
export class LangsmithStack extends IsolatedStack {
  readonly namer: Namer;
  readonly network: Network;
  /** Customer-managed keys: control-plane and VPC logs, Kubernetes secrets, EBS volumes. */
  readonly keys: { readonly logs: CustomerManagedKey; readonly eksSecrets: CustomerManagedKey; readonly ebs: CustomerManagedKey };
  readonly cluster: EksCluster;
  readonly kubernetesProvider: KubernetesProvider;
  readonly helmProvider: HelmProvider;
  readonly addons: ClusterAddons;
  /** The `langsmith` namespace; the release and its secrets live here. */
  readonly namespace: NamespaceV1;
  /** PostgreSQL, Redis, blob bucket, the app's IRSA role, Secrets Manager + ESO objects. */
  readonly data: LangsmithData;
  /** ALB, listeners, target group, certificate, DNS, WAF. */
  readonly ingress: Ingress;
  readonly release: LangsmithRelease;
  readonly observability: Observability;

  constructor(scope: Construct, props: LangsmithStackProps) {
    const env = props.env;
    super(scope, stackName(env));
    requireTerraformVersion(this);
    configureBackend(this, env);
    awsProvider(this, env);
    // The CI apply role may only create roles that carry this boundary (docs/ci-role.md).
    if (env.ci) Aspects.of(this).add(new PermissionsBoundary(ciArns(env).boundaryPolicy));

    const n = (this.namer = new Namer(env.prefix, env.name));
    const clusterName = clusterNameOf(env);
    const protect = protectsData(env);

    const key = (id: string, alias: string, purpose: string, services?: ServiceUse[]) =>
      environmentKey(this, id, { env, namer: n, alias, purpose, services, preventDestroy: protect });
    const logsKey = key("logs-key", "logs", "CloudWatch Logs encryption", [logsServiceUse(env.aws.region, env.aws.accountId)]);

    this.network = new Network(this, "network", {
      namer: n,
      region: env.aws.region,
      availabilityZones: env.aws.availabilityZones,
      clusterName,
      vpc: env.network,
      logsKmsKeyArn: logsKey.keyArn,
    });

    this.keys = {
      logs: logsKey,
      eksSecrets: key("eks-secrets-key", "eks-secrets", "EKS envelope encryption of Kubernetes secrets"),
      ebs: key("ebs-key", "ebs", "EBS volumes of the gp3 StorageClass"),
    };

    this.cluster = new EksCluster(this, "eks", {
      namer: n,
      clusterName,
      vpcId: this.network.vpcId,
      subnetIds: this.network.privateSubnetIds,
      endpointPublicAccess: env.eks.endpointPublicAccess,
      publicAccessCidrs: env.eks.publicAccessCidrs,
      // The CI apply role applies (and so runs the helm/kubernetes providers): an explicit entry.
      adminPrincipalArns: [...(env.ci ? [ciArns(env).applyRole] : []), ...env.eks.adminPrincipalArns],
      controlPlaneLogRetentionDays: env.eks.controlPlaneLogRetentionDays,
      logsKmsKeyArn: logsKey.keyArn,
      secretsKmsKeyArn: this.keys.eksSecrets.keyArn,
      ebsKmsKeyArn: this.keys.ebs.keyArn,
      nodeGroups: nodeGroupSpecs(env.nodePools),
      instanceTags: defaultTags(env),
    });
    // CI pull-request plans refresh the helm/kubernetes resources as the plan role (docs/ci-role.md).
    // It reads no Secret: a custom read-only group, Helm release records in ConfigMaps.
    if (env.ci) {
      new PlanRoleClusterAccess(this, "ci-plan-cluster-access", {
        clusterName: this.cluster.clusterName,
        principalArn: ciArns(env).planRole,
        dependsOn: this.cluster.readyDependencies,
      });
    }
    const providers = clusterProviders(this, env, this.cluster);
    this.kubernetesProvider = providers.kubernetes;
    this.helmProvider = providers.helm;

    this.data = new LangsmithData(this, "data", {
      env,
      namer: n,
      vpcId: this.network.vpcId,
      dataSubnetIds: this.network.dataSubnetIds,
      nodeSecurityGroupId: this.cluster.nodeSecurityGroupId,
      oidcProviderArn: this.cluster.oidcProviderArn,
      oidcIssuer: this.cluster.oidcIssuer,
      logsKmsKeyArn: logsKey.keyArn,
    });

    this.addons = new ClusterAddons(this, "addons", {
      // The controller may read exactly the secrets of this environment (modules/secrets).
      externalSecretsRoleArn: this.data.secrets.esoRoleArn,
      namer: n,
      cluster: this.cluster,
      region: env.aws.region,
      accountId: env.aws.accountId,
      vpcId: this.network.vpcId,
      hostedZoneId: env.dns.hostedZoneId,
      domainFilters: [zoneDomain(env.dns.hostname)],
      ebsKmsKeyArn: this.keys.ebs.keyArn,
    });

    this.namespace = new NamespaceV1(this, "langsmith-namespace", {
      metadata: {
        name: LANGSMITH_NAMESPACE,
        labels: {
          // The load balancer controller adds readiness gates to pods behind a TargetGroupBinding
          // here, so a rolling update waits until the ALB sees the new pods healthy.
          "elbv2.k8s.aws/pod-readiness-gate-inject": "enabled",
        },
      },
      // The readiness-gate webhook the label enables belongs to the load balancer controller.
      dependsOn: [this.addons.loadBalancerController],
    });

    // Custom resources go through the local manifests chart: no CRD is needed at plan time.
    const appSecrets = new K8sManifests(this, "app-secrets", {
      releaseName: "langsmith-secrets",
      namespace: LANGSMITH_NAMESPACE,
      manifests: this.data.secrets.manifests,
      dependsOn: [this.addons.externalSecrets, this.namespace],
    });

    this.ingress = new Ingress(this, "ingress", {
      namer: n,
      env,
      vpcId: this.network.vpcId,
      vpcCidr: this.network.vpcCidr,
      publicSubnetIds: this.network.publicSubnetIds,
      privateSubnetIds: this.network.privateSubnetIds,
      nodeSecurityGroupId: this.cluster.nodeSecurityGroupId,
      logsKmsKeyArn: logsKey.keyArn,
    });
    // Binds the frontend Service to the Terraform-owned target group.
    const binding = new K8sManifests(this, "target-group-binding", {
      releaseName: "langsmith-target-group-binding",
      namespace: LANGSMITH_NAMESPACE,
      manifests: [targetGroupBinding({ targetGroupArn: this.ingress.targetGroupArn, namespace: LANGSMITH_NAMESPACE })],
      dependsOn: [this.addons.loadBalancerController, this.namespace],
    });

    const clickhouseClass =
      env.clickhouse.mode === "in-cluster"
        ? new ClickhouseStorageClass(this, "clickhouse-storage", { settings: env.clickhouse, ebsKmsKeyArn: this.keys.ebs.keyArn, dependsOn: this.cluster.readyDependencies })
        : undefined;
    const blob = this.data.blob;
    this.release = new LangsmithRelease(this, "langsmith", {
      provider: this.helmProvider,
      namespace: this.namespace.metadata.name,
      values: buildLangsmithValues(env, {
        appRoleArn: this.data.appRole.roleArn,
        blobStorage: blob ? { bucketName: blob.bucketName, kmsKeyArn: blob.kmsKeyArn } : undefined,
        clickhouseStorageClassName: clickhouseClass?.storageClassName ?? this.addons.storageClassName,
      }),
      prerequisites: {
        loadBalancerController: binding.release,
        externalSecrets: this.addons.externalSecrets,
        appSecrets: appSecrets.release,
        ebsCsiDriver: this.cluster.addons.ebsCsiDriver,
        storageClass: clickhouseClass?.storageClass ?? this.addons.storageClass,
        metricsServer: this.addons.releases.metricsServer,
        dataStores: [this.data.postgres.instance ?? this.data.postgres.cluster!, this.data.redis.replicationGroup],
      },
    });

    this.observability = new Observability(this, "observability", {
      namer: n,
      environment: env,
      settings: env.observability,
      // Route 53 checks reach only an internet-facing ALB.
      publicHostname: env.exposure === "public" ? env.dns.hostname : undefined,
      preventDestroy: protect,
      clusterName: this.cluster.clusterName,
      albArnSuffix: this.ingress.albArnSuffix,
      targetGroupArnSuffix: this.ingress.targetGroupArnSuffix,
      database: { identifier: this.data.postgres.identifier, kind: postgresKind(this.data.postgres.engine) },
      redisReplicationGroupId: this.data.redis.replicationGroupId,
      redisReplicas: env.redis.replicas,
      oidcProviderArn: this.cluster.oidcProviderArn,
      oidcIssuer: this.cluster.oidcIssuer,
      logsKmsKeyArn: logsKey.keyArn,
      usEast1Provider: env.aws.region === "us-east-1" ? undefined : awsProvider(this, env, "aws-us-east-1", "us-east-1"),
      addonDependsOn: Object.values(this.cluster.nodeGroups),
    });

    const output = (name: StackOutput, config: TerraformOutputConfig) => new TerraformOutput(this, STACK_OUTPUTS[name], config);
    output("vpcId", { value: this.network.vpcId, description: "VPC id" });
    output("privateSubnetIds", { value: this.network.privateSubnetIds, description: "Node subnets" });
    output("region", { value: env.aws.region });
    output("hostname", { value: env.dns.hostname, description: "LangSmith URL host" });
    output("clusterName", { value: this.cluster.clusterName, description: "EKS cluster" });
    output("clusterEndpoint", { value: this.cluster.clusterEndpoint, description: "Kubernetes API endpoint" });
    output("oidcIssuer", { value: this.cluster.oidcIssuer, description: "IRSA issuer (no https://)" });
    output("oidcProviderArn", { value: this.cluster.oidcProviderArn });
    output("nodeSecurityGroupId", { value: this.cluster.nodeSecurityGroupId, description: "Source/target for data store and ALB rules" });
    output("postgresIdentifier", { value: this.data.postgres.identifier });
    output("postgresKind", { value: postgresKind(this.data.postgres.engine) });
    output("redisReplicationGroupId", { value: this.data.redis.replicationGroupId });
    if (blob) output("blobBucketName", { value: blob.bucketName });
    output("appRoleArn", { value: this.data.appRole.roleArn });
    output("targetGroupArn", { value: this.ingress.targetGroupArn });
    output("albDnsName", { value: this.ingress.albDnsName, description: "The Route 53 record points here" });
    output("url", { value: httpsUrl(env.dns.hostname), description: "LangSmith" });
    output("alarmTopicArn", { value: this.observability.topicArn });
    output("secretNames", { value: this.data.secrets.secretNames, description: "Secrets Manager names; put operator values with `npm run secrets:seed`" });
    output("kubeconfigCommand", {
      value: `aws eks update-kubeconfig --name ${this.cluster.clusterName} --region ${env.aws.region}`,
      description: "Connect kubectl (walkthrough 3.1)",
    });
    enforcePolicy(this, env);
  }
}
