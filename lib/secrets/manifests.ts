/**
 * The External Secrets Operator objects that turn Secrets Manager secrets into the Kubernetes
 * secrets the LangSmith chart reads, as plain typed objects. They are
 * delivered through the local `charts/k8s-manifests` Helm chart (no CRD needed at plan time), never as
 * `kubernetes_manifest`.
 *
 * Only references and non-secret facts appear here (secret ARNs, host names, ports, the OIDC
 * client id); every secret value is fetched by ESO in the cluster. The `{{ ... }}` strings are
 * ESO (Go) templates: the chart that renders these objects must emit them verbatim (`toYaml`,
 * never `tpl`).
 */
import { EXTERNAL_SECRETS_API } from "../../versions";
import { ClickhouseConnection } from "../clickhouse";
import { K8S_SECRETS, SecretSpec } from "./catalog";
import { IRSA_ANNOTATION } from "../iam";

export interface ObjectMeta {
  readonly name: string;
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * A namespaced store with its own identity: ESO requests a token for `serviceAccountRef` and
 * assumes the IAM role annotated on that service account (ESO docs, AWS provider, "EKS service
 * account credentials"). The controller itself has no AWS identity, so an ExternalSecret or a
 * store in any other namespace cannot read these secrets.
 */
export interface SecretStore {
  readonly apiVersion: string;
  readonly kind: "SecretStore";
  readonly metadata: ObjectMeta;
  readonly spec: {
    readonly provider: {
      readonly aws: {
        readonly service: "SecretsManager";
        readonly region: string;
        readonly auth: { readonly jwt: { readonly serviceAccountRef: { readonly name: string } } };
      };
    };
  };
}

/** The service account the store authenticates as, annotated with its IRSA role. */
export interface ServiceAccount {
  readonly apiVersion: "v1";
  readonly kind: "ServiceAccount";
  readonly metadata: ObjectMeta & { readonly annotations: Readonly<Record<string, string>> };
  /** It only exists to be impersonated by ESO's token request: no pod mounts its token. */
  readonly automountServiceAccountToken: false;
}

export interface ExternalSecretData {
  readonly secretKey: string;
  readonly remoteRef: { readonly key: string; readonly property?: string };
}

export interface ExternalSecret {
  readonly apiVersion: string;
  readonly kind: "ExternalSecret";
  readonly metadata: ObjectMeta;
  readonly spec: {
    readonly refreshInterval: string;
    readonly secretStoreRef: { readonly kind: "SecretStore"; readonly name: string };
    readonly target: {
      readonly name: string;
      readonly creationPolicy: "Owner";
      readonly deletionPolicy: "Retain";
      readonly template: { readonly engineVersion: "v2"; readonly type: "Opaque"; readonly data: Readonly<Record<string, string>> };
    };
    readonly data: readonly ExternalSecretData[];
  };
}

export interface PlainSecret {
  readonly apiVersion: "v1";
  readonly kind: "Secret";
  readonly metadata: ObjectMeta;
  readonly type: "Opaque";
  readonly stringData: Readonly<Record<string, string>>;
}

export type SecretManifest = ServiceAccount | SecretStore | ExternalSecret | PlainSecret;

export interface EsoManifestInput {
  /** Namespace of the LangSmith release, where the store, its service account and the secrets live. */
  readonly namespace: string;
  /** SecretStore name. */
  readonly storeName: string;
  /** The store's service account and the IRSA role annotated on it (the only AWS identity that reads the secrets). */
  readonly serviceAccount: { readonly name: string; readonly roleArn: string };
  readonly region: string;
  /** How often ESO re-reads Secrets Manager (picks up RDS password rotations and operator edits). */
  readonly refreshInterval: string;
  /** The catalog entries, each with the ARN (or name) of its Secrets Manager secret. */
  readonly secrets: readonly (SecretSpec & { readonly ref: string })[];
  /** OIDC client id and issuer URL (not secret), present with `auth.model: oidc`. */
  readonly oauth?: { readonly clientId: string; readonly issuerUrl: string };
  readonly postgres: {
    readonly host: string;
    readonly port: number;
    readonly database: string;
    readonly masterUserSecretArn: string;
    /** The IAM-authenticated role LangSmith connects as (POSTGRES_APP_USER). */
    readonly appUser: string;
  };
  /** `rediss://<iam-user-id>@<host>:6379`: no password exists (ElastiCache IAM auth). */
  readonly redis: { readonly connectionUrl: string };
  readonly clickhouse: Omit<ClickhouseConnection, "password">;
  /**
   * Agent features on the shared data stores (`langsmith.insights` / `langsmith.polly: "shared"`):
   * one secret each, same RDS master user, own database and Redis logical database.
   * @default []
   */
  readonly agents?: readonly AgentDatabase[];
}

/** One `langsmith-insights-db` / `langsmith-polly-db` secret (AGENT_DATABASES in lib/langsmith-values/chart.ts). */
export interface AgentDatabase {
  readonly secretName: string;
  readonly database: string;
  readonly redisDb: number;
}

const LABELS = { "app.kubernetes.io/part-of": "langsmith", "app.kubernetes.io/component": "secrets" } as const;

/** A literal inside an ESO template: refuse anything the template engine would interpret. */
function literal(value: string, what: string): string {
  if (value.includes("{{") || value.includes("}}")) throw new Error(`${what} must not contain "{{" or "}}" (ESO template syntax), got ${value}`);
  return value;
}

/** Secret-key names double as template variables: keep them identifiers. */
function variable(key: string): string {
  if (!/^[a-z][a-z0-9_]*$/.test(key)) throw new Error(`secret key ${key} must match [a-z][a-z0-9_]*`);
  return key;
}

function externalSecret(input: EsoManifestInput, name: string, data: ExternalSecretData[], template: Record<string, string>): ExternalSecret {
  return {
    apiVersion: EXTERNAL_SECRETS_API.externalSecret,
    kind: "ExternalSecret",
    metadata: { name, namespace: input.namespace, labels: LABELS },
    spec: {
      refreshInterval: input.refreshInterval,
      secretStoreRef: { kind: "SecretStore", name: input.storeName },
      // Retain: if Secrets Manager is unreachable or a secret is deleted, running pods keep their secret.
      target: { name, creationPolicy: "Owner", deletionPolicy: "Retain", template: { engineVersion: "v2", type: "Opaque", data: template } },
      data,
    },
  };
}

/** Every object: the store's service account and the store first. */
export function esoManifests(input: EsoManifestInput): SecretManifest[] {
  const serviceAccount: ServiceAccount = {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: { name: input.serviceAccount.name, namespace: input.namespace, labels: LABELS, annotations: { [IRSA_ANNOTATION]: input.serviceAccount.roleArn } },
    automountServiceAccountToken: false,
  };
  const store: SecretStore = {
    apiVersion: EXTERNAL_SECRETS_API.secretStore,
    kind: "SecretStore",
    metadata: { name: input.storeName, namespace: input.namespace, labels: LABELS },
    spec: { provider: { aws: { service: "SecretsManager", region: input.region, auth: { jwt: { serviceAccountRef: { name: input.serviceAccount.name } } } } } },
  };

  const fromCatalog = (secret: string) => input.secrets.filter((s) => s.target.secret === secret);

  // langsmith-config: every remote value by key, plus the OIDC client id and issuer (not secret).
  const configSecrets = fromCatalog(K8S_SECRETS.config);
  const configTemplate: Record<string, string> = Object.fromEntries(configSecrets.map((s) => [s.target.key, `{{ .${variable(s.target.key)} }}`]));
  if (input.oauth) {
    configTemplate.oauth_client_id = literal(input.oauth.clientId, "auth.clientId");
    configTemplate.oauth_issuer_url = literal(input.oauth.issuerUrl, "auth.issuerUrl");
  }
  const config = externalSecret(
    input,
    K8S_SECRETS.config,
    configSecrets.map((s) => ({ secretKey: s.target.key, remoteRef: { key: s.ref } })),
    configTemplate,
  );

  // langsmith-postgres (master, break-glass: the setup Job and the agents only): chart format
  // user:password@host:port/db?sslmode=require, no scheme (values.yaml L3185). RDS-generated
  // passwords may hold URL-reserved characters: escaped.
  const pg = input.postgres;
  const master: ExternalSecretData[] = [
    { secretKey: "username", remoteRef: { key: pg.masterUserSecretArn, property: "username" } },
    { secretKey: "password", remoteRef: { key: pg.masterUserSecretArn, property: "password" } },
  ];
  const pgUrl = (database: string) =>
    `{{ .username | urlquery }}:{{ .password | urlquery }}@${literal(pg.host, "postgres host")}:${pg.port}/${literal(database, "postgres database")}?sslmode=require`;
  const postgresAdmin = externalSecret(input, K8S_SECRETS.postgresAdmin, master, { connection_url: pgUrl(pg.database) });
  // langsmith-postgres-app: what LangSmith reads. IAM database auth, so no password exists: a plain
  // Secret (ESO refuses an ExternalSecret without data), like langsmith-redis.
  const postgres: PlainSecret = {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: K8S_SECRETS.postgres, namespace: input.namespace, labels: LABELS },
    type: "Opaque",
    stringData: { connection_url: `${literal(pg.appUser, "postgres app user")}@${literal(pg.host, "postgres host")}:${pg.port}/${literal(pg.database, "postgres database")}?sslmode=require` },
  };

  // langsmith-insights-db / langsmith-polly-db: the agents' chart keys want the scheme
  // (postgresql://, rediss://) and their own databases. Both URLs are IAM-authenticated (the app
  // user, no password; the Redis user id): nothing secret. They stay ExternalSecrets so the Kubernetes
  // secret keeps its owner across upgrades; ESO refuses one without data, so it fetches the master
  // user's name, which the template does not use (only templated keys reach the secret).
  const agents = (input.agents ?? []).map((a) =>
    externalSecret(input, a.secretName, [master[0]], {
      postgres_connection_url: `postgresql://${literal(pg.appUser, "postgres app user")}@${literal(pg.host, "postgres host")}:${pg.port}/${literal(a.database, "postgres database")}?sslmode=require`,
      redis_connection_url: `${literal(input.redis.connectionUrl, "redis connection url")}/${a.redisDb}`,
    }),
  );

  // langsmith-redis: nothing secret to fetch (IAM auth), and ESO refuses an ExternalSecret
  // without data, so this is a plain Secret holding the user id and endpoint.
  const redis: PlainSecret = {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: K8S_SECRETS.redis, namespace: input.namespace, labels: LABELS },
    type: "Opaque",
    stringData: { connection_url: input.redis.connectionUrl },
  };

  // langsmith-clickhouse: the seven keys (chart clickhouse.external.*SecretKey), password remote.
  const ch = input.clickhouse;
  const chSecrets = fromCatalog(K8S_SECRETS.clickhouse);
  const clickhouse = externalSecret(
    input,
    K8S_SECRETS.clickhouse,
    chSecrets.map((s) => ({ secretKey: s.target.key, remoteRef: { key: s.ref } })),
    {
      clickhouse_host: literal(ch.host, "clickhouse host"),
      clickhouse_port: String(ch.port),
      clickhouse_native_port: String(ch.nativePort),
      clickhouse_user: literal(ch.user, "clickhouse user"),
      clickhouse_password: "{{ .clickhouse_password }}",
      clickhouse_db: literal(ch.database, "clickhouse database"),
      clickhouse_tls: String(ch.tls),
    },
  );
  if (chSecrets.length !== 1) throw new Error(`esoManifests: expected one ClickHouse password secret, got ${chSecrets.length}`);

  return [serviceAccount, store, config, postgresAdmin, postgres, redis, clickhouse, ...agents];
}
