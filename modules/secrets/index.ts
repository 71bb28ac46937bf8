import { Construct } from "constructs";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { SecretsmanagerSecretPolicy } from "@cdktf/provider-aws/lib/secretsmanager-secret-policy";
import { EXTERNAL_SECRETS_SERVICE_ACCOUNT } from "../../lib/addons";
import { clickhouseConnection } from "../../lib/clickhouse";
import { resolvePostgresEngine } from "../../lib/engines";
import { EnvironmentConfig, EnvironmentIdentity, runs } from "../../lib/config/schema";
import { PolicyDocument, policyDocument, policyJson } from "../../lib/iam";
import { AGENT_DATABASES, POSTGRES_APP_USER, RELEASE } from "../../lib/langsmith-values/chart";
import { Namer } from "../../lib/naming";
import { K8S_SECRETS, secretCatalog, secretName, SecretSpec } from "../../lib/secrets/catalog";
import { DatabaseJob, databaseJob } from "../../lib/secrets/database-job";
import { LANGFUSE_ID_PREFIX } from "../../lib/secrets/langfuse";
import { esoManifests, SecretManifest } from "../../lib/secrets/manifests";
import { IrsaRole } from "../irsa";
import { environmentKey, KEY_SERVICES } from "../kms";

export { K8S_SECRETS } from "../../lib/secrets/catalog";

/**
 * The ESO controller's service account (external-secrets chart, release `external-secrets`):
 * lib/addons.ts. It has no AWS identity: the store authenticates as its own service account.
 */
export const ESO_SERVICE_ACCOUNT = EXTERNAL_SECRETS_SERVICE_ACCOUNT;

/**
 * The service account the namespaced SecretStore authenticates as (`auth.jwt.serviceAccountRef`),
 * in the LangSmith namespace. Its IRSA role is the only AWS identity that can read the secrets.
 */
export const SECRET_STORE_SERVICE_ACCOUNT = "langsmith-secrets-reader";

/** What ESO may read: exactly these secrets, decrypted only through Secrets Manager. */
export function esoReadPolicy(input: { secretArns: readonly string[]; kmsKeyArns: readonly string[]; region: string }): PolicyDocument {
  return policyDocument(
    { Sid: "ReadLangsmithSecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], Resource: [...input.secretArns] },
    {
      Sid: "DecryptViaSecretsManager",
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: [...input.kmsKeyArns],
      Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${input.region}.amazonaws.com` } },
    },
  );
}

/**
 * A secret's resource policy. Identity policies already give values only to the secret stores;
 * this makes it hold whatever else an environment role is granted later (a widened pod role, a
 * CI role, a node role): among the environment's own roles (`environmentRoles`, e.g.
 * `arn:aws:iam::<account>:role/ls-dev-*`: pods, nodes, controllers, CI), only `readers` get the
 * value, and none puts one (operators seed values). It only denies: people and admin roles outside
 * the environment's names keep what IAM gives them (docs/secrets.md: the first admin password),
 * and readers may include the cluster admins (they can read the Kubernetes Secrets anyway).
 */
export function secretResourcePolicy(input: { environmentRoles: string; readerArns: readonly string[] }): PolicyDocument {
  const environmentRole = { "aws:PrincipalArn": input.environmentRoles };
  return policyDocument(
    {
      Sid: "OnlyItsSecretStoresReadAmongEnvironmentRoles",
      Effect: "Deny",
      Principal: "*",
      Action: "secretsmanager:GetSecretValue",
      Resource: "*",
      Condition:
        input.readerArns.length > 0
          ? { ArnLike: environmentRole, ArnNotLike: { "aws:PrincipalArn": [...input.readerArns] } }
          : { ArnLike: environmentRole },
    },
    { Sid: "NoEnvironmentRolePutsValues", Effect: "Deny", Principal: "*", Action: "secretsmanager:PutSecretValue", Resource: "*", Condition: { ArnLike: environmentRole } },
  );
}

function requireLangsmithRedis(scope: Construct, url: string | undefined): string {
  if (url === undefined) throw new Error(`Secrets ${scope.node.path}: LangSmith runs, so redis.connectionUrl (Redis with its IAM user, iamUser: true) is required`);
  return url;
}

/** A principal that reads some of the environment's secrets: a SecretStore's IRSA role, a cluster admin. */
export interface SecretReader {
  /** Role or user ARN (wildcards allowed, as in `eks.adminPrincipalArns`). */
  readonly principalArn: string;
  /** Catalog ids it reads (`Secrets.secretArns` keys). */
  readonly secretIds: readonly string[];
}

/** The parts of `Postgres` the secrets need (structural, so tests can pass plain values). */
export interface PostgresSecretSource {
  readonly endpointAddress: string;
  readonly port: number;
  readonly databaseName: string;
  /** RDS-managed master user secret (JSON `username`, `password`). */
  readonly masterUserSecretArn: string;
  /** The CMK that encrypts that secret. */
  readonly kmsKeyArn: string;
}

/**
 * The environment-file sections the secrets follow (lib/config/schema.ts documents each field):
 * `auth` (basic auth or OIDC secrets), `langsmith` (Insights / Polly), `clickhouse` (its
 * password), `postgres` (the psql client of the database Job).
 */
export type SecretsSettings = Pick<EnvironmentConfig, "auth" | "langsmith" | "clickhouse" | "postgres" | "applications" | "langfuse">;

export interface SecretsProps {
  readonly namer: Namer;
  /** The environment: name (descriptions), account and region (key, ESO store). */
  readonly environment: EnvironmentIdentity;
  readonly settings: SecretsSettings;
  readonly oidcProviderArn: string;
  /** Issuer host and path without `https://`. */
  readonly oidcIssuer: string;
  readonly postgres: PostgresSecretSource;
  /** `Redis.connectionUrl` (no password: IAM auth); required when LangSmith runs. */
  readonly redis: { readonly connectionUrl?: string };
  /**
   * `lifecycle.prevent_destroy` on the secrets and their key: losing `api-key-salt` or an
   * encryption key breaks every API key or encrypted record.
   * (modules/langsmith-data passes `protectsData(env)`: true in production).
   * @default false
   */
  readonly preventDestroy?: boolean;
  /** Days a deleted secret stays recoverable (0 deletes at once). @default 30 when preventDestroy, else 7 */
  readonly recoveryWindowDays?: number;
  /** @default "langsmith" */
  readonly namespace?: string;
  /** @default "langsmith-secrets-manager" */
  readonly storeName?: string;
  /** @default "1h" */
  readonly refreshInterval?: string;
}

/**
 * Application secrets in Secrets Manager (own CMK), created without a version so no value is
 * ever in Terraform state; the IRSA role of the ESO controller, limited to exactly these secrets
 * plus the RDS-managed master secret; and the ESO objects (`manifests`) that build
 * `langsmith-config`, `langsmith-postgres`, `langsmith-redis` and `langsmith-clickhouse` (plus
 * `langsmith-insights-db` / `langsmith-polly-db` and the Job creating their databases when "shared").
 */
export class Secrets extends Construct {
  readonly kmsKeyArn: string;
  /** The catalog (lib/secrets/catalog.ts) of this environment. */
  readonly catalog: readonly SecretSpec[];
  /** Secrets Manager ARN by catalog id. */
  readonly secretArns: Readonly<Record<string, string>>;
  /** Secrets Manager name by catalog id (`{prefix}-{env}/langsmith/{id}`). */
  readonly secretNames: Readonly<Record<string, string>>;
  /**
   * The SecretStore's role, annotated on `SECRET_STORE_SERVICE_ACCOUNT` in the LangSmith namespace.
   * Absent when LangSmith does not run: no LangSmith store, so no role that reads the RDS master secret.
   */
  readonly esoRoleArn?: string;
  /** The role's trusted service accounts (`[]` without LangSmith). */
  readonly esoRoleSubjects: readonly string[];
  /** Catalog ids the LangSmith store reads (Langfuse's are read by its own store; `[]` without LangSmith). */
  readonly storeSecretIds: readonly string[];
  private readonly environmentRoles: string;
  private restricted = false;
  /** The LangSmith store role's policy (absent without LangSmith). */
  readonly esoPolicy?: PolicyDocument;
  readonly storeName: string;
  /** Kubernetes secret names the chart values point at. */
  readonly k8sSecretNames = K8S_SECRETS;
  /**
   * The store's ServiceAccount, the namespaced SecretStore, ExternalSecrets and the Redis Secret, for the local k8s-manifests chart;
   * plus the Job creating the Insights / Polly databases when either is `"shared"`.
   */
  readonly manifests: (SecretManifest | DatabaseJob)[];

  constructor(scope: Construct, id: string, props: SecretsProps) {
    super(scope, id);
    const { environment: env, settings, namer } = props;
    const protect = props.preventDestroy ?? false;
    this.storeName = props.storeName ?? "langsmith-secrets-manager";

    const key = environmentKey(this, "key", { env, namer, alias: "secrets", purpose: "application secrets in Secrets Manager", preventDestroy: protect, usedThrough: KEY_SERVICES.secrets });
    this.kmsKeyArn = key.keyArn;

    this.catalog = secretCatalog(settings);
    const arns: Record<string, string> = {};
    const names: Record<string, string> = {};
    for (const spec of this.catalog) {
      // No aws_secretsmanager_secret_version: the value is put out of band and Terraform never
      // reads or overwrites it (the secret resource does not track versions).
      const secret = new SecretsmanagerSecret(this, spec.id, {
        name: secretName(namer.base, spec.id),
        description: `LangSmith ${env.name}: ${spec.description}`,
        kmsKeyId: key.keyArn,
        recoveryWindowInDays: props.recoveryWindowDays ?? (protect ? 30 : 7),
        tags: { "langsmith/secret-source": spec.source, "langsmith/k8s-secret": `${spec.target.secret}.${spec.target.key}` },
        lifecycle: protect ? { preventDestroy: true } : undefined,
      });
      arns[spec.id] = secret.arn;
      names[spec.id] = secret.name;
    }
    this.secretArns = arns;
    this.secretNames = names;

    this.environmentRoles = `arn:aws:iam::${env.aws.accountId}:role/${namer.base}-*`;
    const namespace = props.namespace ?? RELEASE.namespace;
    // Everything below is LangSmith's store: Langfuse brings its own (modules/langfuse-release), so
    // a Langfuse-only environment has no LangSmith store role, objects or database Job.
    if (!runs(settings, "langsmith")) {
      this.storeSecretIds = [];
      this.esoRoleSubjects = [];
      this.manifests = [];
      return;
    }
    // Langfuse's secrets are read by Langfuse's own store (modules/langfuse-release), not this one.
    this.storeSecretIds = Object.keys(arns).filter((id) => !id.startsWith(LANGFUSE_ID_PREFIX));
    const esoPolicy = (this.esoPolicy = esoReadPolicy({
      secretArns: [...this.storeSecretIds.map((id) => arns[id]), props.postgres.masterUserSecretArn],
      kmsKeyArns: [key.keyArn, props.postgres.kmsKeyArn],
      region: env.aws.region,
    }));
    // Trusted by the store's service account in the LangSmith namespace, not by the ESO
    // controller: anyone who can create a store elsewhere gets no identity from it.
    const eso = new IrsaRole(this, "eso-role", {
      roleName: namer.name("irsa-external-secrets", "iamRole"),
      oidcProviderArn: props.oidcProviderArn,
      oidcIssuer: props.oidcIssuer,
      namespace,
      serviceAccounts: [SECRET_STORE_SERVICE_ACCOUNT],
      policies: { "read-langsmith-secrets": esoPolicy },
    });
    this.esoRoleArn = eso.roleArn;
    this.esoRoleSubjects = eso.subjects;

    const { password: _source, ...clickhouse } = clickhouseConnection(settings.clickhouse);
    const agents = (["insights", "polly"] as const).filter((f) => settings.langsmith[f] === "shared").map((f) => AGENT_DATABASES[f]);
    // Always: LangSmith connects as POSTGRES_APP_USER (IAM auth), which this Job creates and makes owner.
    const job = databaseJob({
      namespace,
      databases: agents.map((a) => a.database),
      appRole: { user: POSTGRES_APP_USER, database: props.postgres.databaseName, alsoOwns: agents.map((a) => a.database) },
      image: resolvePostgresEngine(settings.postgres).clientImage,
    });
    this.manifests = [
      ...esoManifests({
        namespace,
        storeName: this.storeName,
        serviceAccount: { name: SECRET_STORE_SERVICE_ACCOUNT, roleArn: eso.roleArn },
        region: env.aws.region,
        refreshInterval: props.refreshInterval ?? "1h",
        secrets: this.catalog.map((s) => ({ ...s, ref: arns[s.id] })),
        oauth: settings.auth.model === "oidc" ? { clientId: settings.auth.clientId, issuerUrl: settings.auth.issuerUrl } : undefined,
        postgres: {
          host: props.postgres.endpointAddress,
          port: props.postgres.port,
          database: props.postgres.databaseName,
          masterUserSecretArn: props.postgres.masterUserSecretArn,
          appUser: POSTGRES_APP_USER,
        },
        redis: { connectionUrl: requireLangsmithRedis(this, props.redis.connectionUrl) },
        clickhouse,
        agents,
      }),
      ...(job ? [job] : []),
    ];
  }

  /**
   * Puts each secret's resource policy (`secretResourcePolicy`): among the environment's roles,
   * only the stores that read it get its value. Call once, after every store role exists (the
   * LangSmith store: `{ principalArn: esoRoleArn, secretIds: storeSecretIds }`; Langfuse's store;
   * the cluster admins).
   * The RDS-managed master secret is RDS's (not in the catalog) and keeps its own policy.
   */
  restrictReads(readers: readonly SecretReader[]): void {
    if (this.restricted) throw new Error(`Secrets ${this.node.path}: restrictReads was already called; pass every store in one call`);
    this.restricted = true;
    for (const r of readers) {
      const unknown = r.secretIds.filter((id) => !(id in this.secretArns));
      if (unknown.length > 0) throw new Error(`Secrets ${this.node.path}: readers name secrets not in the catalog: ${unknown.join(", ")} (catalog: ${Object.keys(this.secretArns).join(", ")})`);
    }
    for (const [id, arn] of Object.entries(this.secretArns)) {
      const readerArns = [...new Set(readers.filter((r) => r.secretIds.includes(id)).map((r) => r.principalArn))];
      new SecretsmanagerSecretPolicy(this, `${id}-policy`, {
        secretArn: arn,
        policy: policyJson(secretResourcePolicy({ environmentRoles: this.environmentRoles, readerArns })),
      });
    }
  }
}
