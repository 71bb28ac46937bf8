/**
 * The subset of the pinned chart's values this project sets, typed. Every key here exists in
 * the chart's values.yaml (the key-path test checks the generated objects against
 * `__tests__/fixtures/langsmith-chart-keys.json`). Operator overrides may set any other chart key.
 */

export interface Quantities {
  /** Kubernetes CPU quantity, e.g. `500m`, `2`. */
  readonly cpu: string;
  /** Kubernetes memory quantity, e.g. `2Gi`, `2000Mi`. */
  readonly memory: string;
}

export interface Resources {
  readonly requests: Quantities;
  readonly limits: Quantities;
}

export interface Toleration {
  readonly key: string;
  readonly operator: "Equal" | "Exists";
  readonly value?: string;
  readonly effect: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
}

export interface ServiceAccountValues {
  readonly annotations?: Readonly<Record<string, string>>;
}

/** `<component>.autoscaling.hpa` of the main services. */
export interface HpaValues {
  readonly enabled: boolean;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly targetCPUUtilizationPercentage: number;
  readonly targetMemoryUtilizationPercentage: number;
}

export interface PdbValues {
  readonly enabled: boolean;
  readonly minAvailable?: number;
}

/** backend, platformBackend, queue, ingestQueue, frontend, aceBackend, playground, hostBackend. */
/** `securityContext` of a container (Kubernetes SecurityContext), the keys this project sets. */
export interface ContainerSecurityContext {
  readonly runAsNonRoot?: boolean;
  readonly allowPrivilegeEscalation?: boolean;
  readonly capabilities?: { readonly drop: readonly string[] };
  readonly readOnlyRootFilesystem?: boolean;
}

export interface ComponentValues {
  readonly deployment?: {
    readonly resources?: Resources;
    readonly securityContext?: ContainerSecurityContext;
    /** Container lifecycle hooks (the frontend's preStop drain, ALB_TARGET_LIFECYCLE). */
    readonly lifecycle?: { readonly preStop: { readonly sleep: { readonly seconds: number } } };
  };
  readonly autoscaling?: { readonly hpa?: HpaValues };
  readonly pdb?: PdbValues;
  readonly serviceAccount?: ServiceAccountValues;
}

/** Agent-feature workloads (`engineInsightsAgent.apiServer`, `polly.queue`, ...): old-style autoscaling. */
export interface AgentComponentValues {
  readonly deployment?: { readonly resources?: Resources };
  readonly autoscaling?: {
    readonly enabled: boolean;
    readonly minReplicas: number;
    readonly maxReplicas: number;
    readonly targetCPUUtilizationPercentage: number;
  };
  readonly pdb?: PdbValues;
  readonly serviceAccount?: ServiceAccountValues;
}

export interface AgentDatabaseValues {
  readonly external: {
    readonly enabled: boolean;
    /** Agent features call it `iamProvider` (main services: `iamAuthProvider`). */
    readonly iamProvider?: "" | "aws";
    readonly existingSecretName?: string;
  };
}

export interface AgentFeatureValues {
  readonly apiServer?: AgentComponentValues;
  readonly queue?: AgentComponentValues;
  readonly postgres?: AgentDatabaseValues;
  readonly redis?: AgentDatabaseValues;
}

export interface BlobStorageValues {
  readonly enabled: boolean;
  readonly engine?: "S3";
  readonly bucketName?: string;
  /** Note the capital URL: `apiUrl` (as in upstream's example) is not a chart key. */
  readonly apiURL?: string;
  readonly kmsEncryptionEnabled?: boolean;
  readonly kmsKeyArn?: string;
}

export interface ConfigValues {
  readonly existingSecretName?: string;
  readonly hostname?: string;
  readonly authType?: "mixed" | "oauth";
  readonly initialOrgAdminEmail?: string;
  readonly basicAuth?: { readonly enabled: boolean };
  readonly oauth?: { readonly enabled: boolean };
  readonly deployment?: { readonly enabled: boolean };
  readonly blobStorage?: BlobStorageValues;
  readonly ttl?: {
    readonly enabled: boolean;
    readonly ttl_period_seconds: { readonly longlived: string; readonly shortlived: string };
  };
}

export interface LangsmithValues {
  readonly commonEnv?: readonly { readonly name: string; readonly value: string }[];
  /** Merged into every pod's securityContext (component values win). */
  readonly commonPodSecurityContext?: { readonly seccompProfile?: { readonly type: "RuntimeDefault" } };
  readonly ingress?: { readonly enabled: boolean };
  readonly config?: ConfigValues;
  readonly postgres?: {
    readonly external: {
      readonly enabled: boolean;
      readonly existingSecretName: string;
      readonly connectionUrlSecretKey: string;
      /** values.yaml postgres.external.iamAuthProvider: renders POSTGRES_IAM_AUTH_PROVIDER. */
      readonly iamAuthProvider?: "" | "aws";
    };
  };
  readonly redis?: {
    readonly external: {
      readonly enabled: boolean;
      readonly existingSecretName: string;
      readonly connectionUrlSecretKey: string;
      readonly iamAuthProvider?: "" | "aws";
    };
  };
  readonly clickhouse?: {
    readonly enabled?: boolean;
    readonly external?: {
      readonly enabled: boolean;
      readonly existingSecretName?: string;
      /** Managed ClickHouse (ClickHouse Cloud). */
      readonly hybrid?: boolean;
      /** Cluster name for ON CLUSTER DDL (replicated ClickHouse), rendered as CLICKHOUSE_CLUSTER. */
      readonly cluster?: string;
    };
    readonly statefulSet?: {
      readonly resources?: Resources;
      readonly nodeSelector?: Readonly<Record<string, string>>;
      readonly tolerations?: readonly Toleration[];
      readonly persistence?: { readonly enabled: boolean; readonly size: string; readonly storageClassName: string };
    };
  };
  readonly frontend?: ComponentValues & {
    readonly service?: { readonly type: "ClusterIP" };
    /** nginx `keepalive_timeout`, seconds as a string (values.yaml default "75"). */
    readonly keepAliveTimeout?: string;
  };
  readonly backend?: ComponentValues;
  readonly platformBackend?: ComponentValues;
  readonly queue?: ComponentValues;
  readonly ingestQueue?: ComponentValues;
  readonly aceBackend?: ComponentValues;
  readonly playground?: ComponentValues;
  readonly hostBackend?: ComponentValues;
  readonly insights?: { readonly enabled: boolean };
  readonly polly?: { readonly enabled: boolean } & AgentFeatureValues;
  readonly engineInsightsAgent?: AgentFeatureValues;
}

/** The merged values: the typed part plus whatever the operator overrides set. */
export type RenderedValues = LangsmithValues & Record<string, unknown>;
