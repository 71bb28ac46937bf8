import { Construct } from "constructs";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { PolicyDocument, policyDocument, policyJson, PolicyStatement } from "../../lib/iam";
import { APP_COMPONENTS, RELEASE, serviceAccountName } from "../../lib/langsmith-values/chart";
import { Namer } from "../../lib/naming";
import { IrsaRole } from "../irsa";

/**
 * Service accounts of release `langsmith` that call AWS: blob storage through
 * the chart's shared `langsmith.commonEnv` (backend, platform-backend, queue, ingest-queue) and
 * ElastiCache IAM auth. host-backend renders only with LangSmith Deployments: `appServiceAccounts(env)`
 * adds it then. Names follow `<fullname>-<component>` (chart `_helpers.tpl`).
 */
export const LANGSMITH_APP_SERVICE_ACCOUNTS: readonly string[] = APP_COMPONENTS.map(serviceAccountName);

/** What the LangSmith pods may reach. */
export interface LangsmithAppAccess {
  readonly region: string;
  /** The blob bucket and its CMK (absent when `blobStorage.enabled` is false). */
  readonly blob?: { readonly bucketArn: string; readonly kmsKeyArn: string };
  /** ElastiCache IAM auth: `elasticache:Connect` needs both the group and the user ARN. */
  readonly redis: { readonly replicationGroupArn: string; readonly userArn: string };
  /** RDS IAM database auth: the `rds-db:connect` ARN of the application user (`Postgres.dbUserArn`). */
  readonly postgres?: { readonly dbUserArn: string };
}

/** The `langsmith-app` permissions: objects of one bucket, its key via S3, Postgres and Redis connect as one user each. Nothing else. */
export function langsmithAppPolicy(access: LangsmithAppAccess): PolicyDocument {
  const statements: PolicyStatement[] = [];
  if (access.blob) {
    statements.push(
      { Sid: "BlobObjects", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource: `${access.blob.bucketArn}/*` },
      { Sid: "BlobList", Effect: "Allow", Action: "s3:ListBucket", Resource: access.blob.bucketArn },
      {
        Sid: "BlobKey",
        Effect: "Allow",
        Action: ["kms:GenerateDataKey", "kms:Decrypt"],
        Resource: access.blob.kmsKeyArn,
        // Only when S3 uses the key on the pods' behalf (SSE-KMS), never directly.
        Condition: { StringEquals: { "kms:ViaService": `s3.${access.region}.amazonaws.com` } },
      },
    );
  }
  if (access.postgres) {
    // One database user of one database: not the master user, never `*`.
    statements.push({ Sid: "PostgresIamAuth", Effect: "Allow", Action: "rds-db:connect", Resource: access.postgres.dbUserArn });
  }
  statements.push({
    Sid: "RedisIamAuth",
    Effect: "Allow",
    Action: "elasticache:Connect",
    Resource: [access.redis.replicationGroupArn, access.redis.userArn],
  });
  return policyDocument(...statements);
}

export interface LangsmithAppRoleProps {
  readonly namer: Namer;
  readonly oidcProviderArn: string;
  /** Issuer host and path without `https://`. */
  readonly oidcIssuer: string;
  /** @default "langsmith" */
  readonly namespace?: string;
  /** @default LANGSMITH_APP_SERVICE_ACCOUNTS */
  readonly serviceAccounts?: readonly string[];
}

/**
 * The `langsmith-app` IRSA role. Built in two steps because the bucket policy
 * names this role while this role's policy names the bucket: construct the role, pass `roleArn`
 * to `BlobStorage`, then call `grant(...)` once with the bucket, key and Redis ARNs.
 * `LangsmithData` does both in the right order.
 */
export class LangsmithAppRole extends Construct {
  readonly roleArn: string;
  readonly roleName: string;
  /** Exact trust subjects `system:serviceaccount:langsmith:<sa>`. */
  readonly subjects: readonly string[];
  readonly serviceAccounts: readonly string[];
  private readonly irsa: IrsaRole;
  private granted?: PolicyDocument;

  constructor(scope: Construct, id: string, props: LangsmithAppRoleProps) {
    super(scope, id);
    this.serviceAccounts = [...(props.serviceAccounts ?? LANGSMITH_APP_SERVICE_ACCOUNTS)];
    this.irsa = new IrsaRole(this, "role", {
      roleName: props.namer.name("langsmith-app", "iamRole"),
      oidcProviderArn: props.oidcProviderArn,
      oidcIssuer: props.oidcIssuer,
      namespace: props.namespace ?? RELEASE.namespace,
      serviceAccounts: this.serviceAccounts,
    });
    this.roleArn = this.irsa.roleArn;
    this.roleName = this.irsa.roleName;
    this.subjects = this.irsa.subjects;
  }

  /** The permissions document, once granted. */
  get policy(): PolicyDocument | undefined {
    return this.granted;
  }

  /** Attaches the one inline policy `data-access`. Call exactly once. */
  grant(access: LangsmithAppAccess): PolicyDocument {
    if (this.granted) throw new Error(`LangsmithAppRole ${this.node.id}: grant() was already called; pass all access in one call`);
    this.granted = langsmithAppPolicy(access);
    new IamRolePolicy(this, "data-access", { role: this.irsa.role.id, name: "data-access", policy: policyJson(this.granted) });
    return this.granted;
  }
}
