import { Construct } from "constructs";
import { Aspects, TerraformOutput, TerraformOutputConfig } from "cdktf";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { EnvironmentConfig, langfuseHostname, protectsData, runs } from "../lib/config/schema";
import { clusterName as clusterNameOf, httpsUrl, Namer, postgresKind, stackName } from "../lib/naming";
import { STACK_OUTPUTS, StackOutput } from "../lib/outputs";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { Network } from "../modules/network";
import { CustomerManagedKey, environmentKey, KEY_SERVICES, logsServiceUse, ServiceUse } from "../modules/kms";
import { EksCluster, nodeGroupSpecs } from "../modules/eks";
import { ClusterAddons } from "../modules/cluster-addons";
import { LangsmithData } from "../modules/langsmith-data";
import { ClickhouseStorageClass } from "../modules/clickhouse";
import { K8sManifests } from "../modules/k8s-manifests";
import { Ingress, IngressRoute, langsmithRoute } from "../modules/ingress";
import { LangfuseData } from "../modules/langfuse-data";
import { LangfuseRelease } from "../modules/langfuse-release";
import { buildLangfuseValues, LANGFUSE_INGEST_PATH_PREFIXES, LANGFUSE_WEB_SERVICE } from "../lib/langfuse-values";
import { resolvePostgresEngine } from "../lib/engines";
import { LANGFUSE_ID_PREFIX } from "../lib/secrets/langfuse";
import { LangsmithRelease, requiredSecretValues, secretValuePreconditions } from "../modules/langsmith-release";
import { Observability, ROUTE53_METRICS_REGION } from "../modules/observability";
import { targetGroupBinding } from "../lib/target-group-binding";
import { FRONTEND_SERVICE, RELEASE } from "../lib/langsmith-values/chart";
import { buildLangsmithValues } from "../lib/langsmith-values";
import { ciArns } from "../lib/ci";
import { PermissionsBoundary, PlanRoleClusterAccess } from "../modules/ci-role";
import { configureBackend } from "./backend";
import { podSecurityLabels } from "../lib/pod-security";
import { networkPolicies } from "../lib/network-policies";
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
  /** The `langsmith` namespace; the release and its secrets live here. Absent without LangSmith. */
  readonly namespace?: NamespaceV1;
  /** PostgreSQL, Redis, blob bucket, the app's IRSA role, Secrets Manager + ESO objects. */
  readonly data: LangsmithData;
  /** ALB, listeners, target group, certificate, DNS, WAF. */
  readonly ingress: Ingress;
  /** Absent when LangSmith does not run (`applications`). */
  readonly release?: LangsmithRelease;
  /** The namespace's NetworkPolicies (default deny, explicit allows). Absent without LangSmith. */
  readonly networkPolicies?: K8sManifests;
  /** Langfuse's bucket and IRSA role, and its release; present when Langfuse runs. */
  readonly langfuse?: { readonly data: LangfuseData; readonly release: LangfuseRelease };
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
    const langsmith = runs(env, "langsmith");

    const key = (id: string, alias: string, purpose: string, services: ServiceUse[] | undefined, usedThrough: readonly string[] | "direct") =>
      environmentKey(this, id, { env, namer: n, alias, purpose, services, usedThrough, preventDestroy: protect });
    const logsKey = key("logs-key", "logs", "CloudWatch Logs encryption", [logsServiceUse(env.aws.region, env.aws.accountId)], KEY_SERVICES.logs);

    this.network = new Network(this, "network", {
      namer: n,
      region: env.aws.region,
      availabilityZones: env.aws.availabilityZones,
      clusterName,
      vpc: env.network,
      logsKmsKeyArn: logsKey.keyArn,
      accountId: env.aws.accountId,
    });

    this.keys = {
      logs: logsKey,
      // EKS encrypts with the cluster role's own calls (no kms:ViaService to name).
      eksSecrets: key("eks-secrets-key", "eks-secrets", "EKS envelope encryption of Kubernetes secrets", undefined, "direct"),
      ebs: key("ebs-key", "ebs", "EBS volumes of the gp3 StorageClass", undefined, KEY_SERVICES.ebs),
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
      // No externalSecretsRoleArn: the ESO controller has no AWS identity; the namespaced
      // SecretStore authenticates as its own service account (modules/secrets).
      namer: n,
      cluster: this.cluster,
      region: env.aws.region,
      accountId: env.aws.accountId,
      vpcId: this.network.vpcId,
      ebsKmsKeyArn: this.keys.ebs.keyArn,
    });

    // One ALB for every application: LangSmith first (the default action) when it runs.
    const routes: IngressRoute[] = [
      ...(langsmith ? [langsmithRoute(env.dns.hostname)] : []),
      ...(env.langfuse && runs(env, "langfuse")
        ? [{ id: "langfuse", hostname: langfuseHostname(env), containerPort: LANGFUSE_WEB_SERVICE.containerPort, healthCheckPath: LANGFUSE_WEB_SERVICE.healthCheckPath, application: "Langfuse web", ingestPathPrefixes: LANGFUSE_INGEST_PATH_PREFIXES }]
        : []),
    ];
    this.ingress = new Ingress(this, "ingress", {
      namer: n,
      exposure: env.exposure,
      accountId: env.aws.accountId,
      region: env.aws.region,
      hostname: env.dns.hostname,
      hostedZoneId: env.dns.hostedZoneId,
      certificateValidationZoneId: env.dns.certificateValidationZoneId,
      protectData: protect,
      sslPolicy: env.ingress.sslPolicy,
      idleTimeoutSeconds: env.ingress.idleTimeoutSeconds,
      wafRateLimit: env.ingress.wafRateLimit,
      wafIngestRateLimit: env.ingress.wafIngestRateLimit,
      accessLogs: env.ingress.accessLogs,
      logRetentionDays: env.observability.logRetentionDays,
      vpcId: this.network.vpcId,
      vpcCidr: this.network.vpcCidr,
      publicSubnetIds: this.network.publicSubnetIds,
      privateSubnetIds: this.network.privateSubnetIds,
      nodeSecurityGroupId: this.cluster.nodeSecurityGroupId,
      logsKmsKeyArn: logsKey.keyArn,
      routes,
    });

    if (langsmith) {
      this.namespace = new NamespaceV1(this, "langsmith-namespace", {
        metadata: {
          name: LANGSMITH_NAMESPACE,
          labels: {
            // The load balancer controller adds readiness gates to pods behind a TargetGroupBinding
            // here, so a rolling update waits until the ALB sees the new pods healthy.
            "elbv2.k8s.aws/pod-readiness-gate-inject": "enabled",
            // Pod Security Admission: baseline enforced, restricted warned (lib/pod-security.ts).
            ...podSecurityLabels(),
          },
        },
        // The readiness-gate webhook the label enables belongs to the load balancer controller.
        dependsOn: [this.addons.loadBalancerController],
      });

      // Default deny with explicit allows (lib/network-policies.ts), enforced by the VPC CNI's agent.
      const ch = env.clickhouse;
      this.networkPolicies = new K8sManifests(this, "network-policies", {
        releaseName: "langsmith-network-policies",
        namespace: LANGSMITH_NAMESPACE,
        manifests: networkPolicies({
          namespace: LANGSMITH_NAMESPACE,
          albSourceCidrs: this.network.publicSubnetCidrs,
          frontendPort: FRONTEND_SERVICE.containerPort,
          dataStoreCidrs: this.network.dataSubnetCidrs,
          dataStorePorts: [this.data.postgres.port, this.data.redis.port],
          egressPorts: [443, ...(ch.mode === "external" ? [ch.port, ch.nativePort] : [])],
        }),
        dependsOn: [this.namespace],
      });

      // Custom resources go through the local manifests chart: no CRD is needed at plan time.
      const appSecrets = new K8sManifests(this, "app-secrets", {
        releaseName: "langsmith-secrets",
        namespace: LANGSMITH_NAMESPACE,
        manifests: this.data.secrets.manifests,
        dependsOn: [this.addons.externalSecrets, this.namespace],
      });
      // Day 1 (release): no ExternalSecret is created, and LangSmith is not installed, while a secret it
      // reads is empty; the apply stops naming the secret and the command that fills it.
      const secretChecks = secretValuePreconditions(this, requiredSecretValues(env.name, this.data.secrets));
      appSecrets.release.addOverride(
        "lifecycle.precondition",
        secretChecks.map((c) => ({ condition: c.condition, error_message: c.errorMessage })),
      );

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
      const appRole = this.data.appRole!;
      this.release = new LangsmithRelease(this, "langsmith", {
        provider: this.helmProvider,
        namespace: this.namespace.metadata.name,
        values: buildLangsmithValues(env, {
          appRoleArn: appRole.roleArn,
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
        secretPreconditions: secretChecks,
      });
    }

    this.observability = new Observability(this, "observability", {
      namer: n,
      environment: env,
      settings: env.observability,
      // Route 53 checks reach only an internet-facing ALB: LangSmith's /health, or, without
      // LangSmith, Langfuse's health endpoint on its name (Langfuse has no /health).
      publicHostname: env.exposure !== "public" ? undefined : langsmith || !env.langfuse ? env.dns.hostname : langfuseHostname(env),
      ...(langsmith ? {} : { healthCheckPath: LANGFUSE_WEB_SERVICE.healthCheckPath }),
      langsmith,
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
      // Route 53 health-check metrics exist only in us-east-1 (construct id kept: state addresses).
      usEast1Provider: env.aws.region === ROUTE53_METRICS_REGION ? undefined : awsProvider(this, env, "aws-us-east-1", ROUTE53_METRICS_REGION),
      addonDependsOn: Object.values(this.cluster.nodeGroups),
    });

    let langfuseSecretIds: string[] = [];
    if (env.langfuse && runs(env, "langfuse")) {
      const data = new LangfuseData(this, "langfuse-data", { env, namer: n, oidcProviderArn: this.cluster.oidcProviderArn, oidcIssuer: this.cluster.oidcIssuer });
      const pg = this.data.langfusePostgres ?? this.data.postgres;
      const lfClickhouse = env.langfuse.clickhouse;
      // Langfuse's own secrets and the OIDC client secret it shares with LangSmith.
      langfuseSecretIds = Object.keys(this.data.secrets.secretArns).filter((id) => id.startsWith(LANGFUSE_ID_PREFIX) || id === "oauth-client-secret");
      const release = new LangfuseRelease(this, "langfuse", {
        namer: n,
        provider: this.helmProvider,
        values: buildLangfuseValues(env, { roleArn: data.roleArn, bucketName: data.bucketName }),
        region: env.aws.region,
        psqlImage: resolvePostgresEngine(env.postgres).clientImage,
        thresholds: env.observability.thresholds,
        egressPorts: lfClickhouse.mode === "external" ? [lfClickhouse.port, lfClickhouse.nativePort] : [],
        secrets: {
          region: env.aws.region,
          refreshInterval: "1h",
          secretArns: this.data.secrets.secretArns,
          postgres: { host: pg.endpointAddress, port: pg.port, adminDatabase: pg.databaseName, masterUserSecretArn: pg.masterUserSecretArn },
          redis: { host: this.data.redis.primaryEndpointAddress, port: this.data.redis.port, userName: this.data.redis.passwordUserNames.langfuse, database: env.langfuse.redisDb },
          oidc: env.auth.model === "oidc",
        },
        readable: {
          secretArns: [...langfuseSecretIds.map((id) => this.data.secrets.secretArns[id]), pg.masterUserSecretArn],
          kmsKeyArns: [this.data.secrets.kmsKeyArn, pg.kmsKeyArn],
        },
        oidcProviderArn: this.cluster.oidcProviderArn,
        oidcIssuer: this.cluster.oidcIssuer,
        network: { albSourceCidrs: this.network.publicSubnetCidrs, dataStoreCidrs: this.network.dataSubnetCidrs, dataStorePorts: [pg.port, this.data.redis.port] },
        targetGroup: this.ingress.targetGroups.langfuse,
        albArnSuffix: this.ingress.albArnSuffix,
        alarmTopicArn: this.observability.topicArn,
        prerequisites: {
          loadBalancerController: this.addons.loadBalancerController,
          externalSecrets: this.addons.externalSecrets,
          metricsServer: this.addons.releases.metricsServer,
          dataStores: [pg.instance ?? pg.cluster!, this.data.redis.replicationGroup],
        },
      });
      this.langfuse = { data, release };
    }
    // Among the environment's roles, only the secret stores (and the cluster admins, who can read
    // the Kubernetes Secrets anyway) read secret values: the secrets' resource policies.
    const allSecretIds = Object.keys(this.data.secrets.secretArns);
    this.data.secrets.restrictReads([
      ...(this.data.secrets.esoRoleArn ? [{ principalArn: this.data.secrets.esoRoleArn, secretIds: this.data.secrets.storeSecretIds }] : []),
      ...(this.langfuse ? [{ principalArn: this.langfuse.release.storeRole.roleArn, secretIds: langfuseSecretIds }] : []),
      ...env.eks.adminPrincipalArns.map((principalArn) => ({ principalArn, secretIds: allSecretIds })),
    ]);

    const output = (name: StackOutput, config: TerraformOutputConfig) => new TerraformOutput(this, STACK_OUTPUTS[name], config);
    output("vpcId", { value: this.network.vpcId, description: "VPC id" });
    output("privateSubnetIds", { value: this.network.privateSubnetIds, description: "Node subnets" });
    output("region", { value: env.aws.region });
    // dns.hostname is LangSmith's, or Langfuse's where Langfuse runs alone.
    const mainApp = runs(env, "langsmith") ? "LangSmith" : "Langfuse";
    output("hostname", { value: env.dns.hostname, description: `${mainApp} URL host` });
    output("clusterName", { value: this.cluster.clusterName, description: "EKS cluster" });
    output("clusterEndpoint", { value: this.cluster.clusterEndpoint, description: "Kubernetes API endpoint" });
    output("oidcIssuer", { value: this.cluster.oidcIssuer, description: "IRSA issuer (no https://)" });
    output("oidcProviderArn", { value: this.cluster.oidcProviderArn });
    output("nodeSecurityGroupId", { value: this.cluster.nodeSecurityGroupId, description: "Source/target for data store and ALB rules" });
    output("postgresIdentifier", { value: this.data.postgres.identifier });
    output("postgresKind", { value: postgresKind(this.data.postgres.engine) });
    output("redisReplicationGroupId", { value: this.data.redis.replicationGroupId });
    if (this.data.blob) output("blobBucketName", { value: this.data.blob.bucketName });
    if (this.data.appRole) output("appRoleArn", { value: this.data.appRole.roleArn });
    if (this.langfuse && env.langfuse) {
      output("langfuseUrl", { value: httpsUrl(langfuseHostname(env)), description: "Langfuse" });
      output("langfuseBucketName", { value: this.langfuse.data.bucketName });
      output("langfuseRoleArn", { value: this.langfuse.data.roleArn });
      output("langfuseTargetGroupArn", { value: this.ingress.targetGroups.langfuse.arn });
    }
    output("targetGroupArn", { value: this.ingress.targetGroupArn });
    output("albDnsName", { value: this.ingress.albDnsName, description: "The Route 53 record points here" });
    output("url", { value: httpsUrl(env.dns.hostname), description: mainApp });
    output("alarmTopicArn", { value: this.observability.topicArn });
    output("secretNames", { value: this.data.secrets.secretNames, description: "Secrets Manager names; put operator values with `npm run secrets:seed`" });
    output("kubeconfigCommand", {
      value: `aws eks update-kubeconfig --name ${this.cluster.clusterName} --region ${env.aws.region}`,
      description: "Connect kubectl (walkthrough 3.1)",
    });
    enforcePolicy(this, env);
  }
}
