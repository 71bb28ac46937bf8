/**
 * The Job that prepares the shared PostgreSQL for LangSmith, as the master user (the only thing
 * besides the agents' secrets that uses it):
 *   - the application role `POSTGRES_APP_USER`: created once, `LOGIN` with no password, member of
 *     `rds_iam` (it can log in only with an IAM token), owner of the LangSmith database and of
 *     everything in it (objects the master user created before are reassigned to it);
 *   - the Insights / Polly databases (`langsmith.insights` / `langsmith.polly: "shared"`): RDS
 *     creates only the main database, and the agents do not create theirs.
 *
 * Delivered by the app-secrets release (charts/k8s-manifests) as a Helm post-install/post-upgrade
 * hook: it runs after the ExternalSecrets exist, on every apply, and is idempotent.
 */
import { CONNECTION_URL_KEY, SECRET_NAMES } from "../langsmith-values/chart";
import { ObjectMeta } from "./manifests";

export interface DatabaseJob {
  readonly apiVersion: "batch/v1";
  readonly kind: "Job";
  readonly metadata: ObjectMeta & { readonly annotations: Readonly<Record<string, string>> };
  readonly spec: {
    readonly backoffLimit: number;
    readonly ttlSecondsAfterFinished: number;
    readonly activeDeadlineSeconds: number;
    readonly template: {
      readonly metadata: { readonly labels: Readonly<Record<string, string>> };
      readonly spec: Readonly<Record<string, unknown>>;
    };
  };
}

/** The application role and the database it owns. */
export interface AppRole {
  /** e.g. `langsmith_app` (POSTGRES_APP_USER) */
  readonly user: string;
  /** The LangSmith database, e.g. `langsmith` (the master URL connects to it). */
  readonly database: string;
  /** Further databases the role owns (the shared Insights / Polly databases). @default [] */
  readonly alsoOwns?: readonly string[];
}

export interface DatabaseJobInput {
  readonly namespace: string;
  /** Databases to ensure, e.g. `langsmith_insights`. */
  readonly databases: readonly string[];
  /** The IAM-authenticated application role to ensure. @default none */
  readonly appRole?: AppRole;
  /** psql client image, the server's version: `resolvePostgresEngine(env.postgres).clientImage` (lib/engines.ts). */
  readonly image: string;
  /** @default "langsmith-database-setup" */
  readonly name?: string;
}

const IDENTIFIER = /^[a-z][a-z0-9_]*$/;

/** The database Jobs' container resources (LangSmith's and Langfuse's; the general pool's demand counts them: lib/general-pool.ts). */
export const DATABASE_JOB_RESOURCES = { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "200m", memory: "128Mi" } } as const;

/**
 * SQL of the application role, run in the LangSmith database as the master user. Idempotent:
 * GRANTs of a held membership only notice, REASSIGN finds nothing the second time, REVOKE of a
 * privilege PUBLIC no longer holds does nothing. REASSIGN also moves shared objects (databases)
 * the master owns, so every database but LangSmith's goes back.
 *
 * PostgreSQL gives PUBLIC `CONNECT` and `TEMPORARY` on every new database, so on a shared instance
 * any other application's role (Langfuse's `langfuse`) could connect to LangSmith's databases, read
 * their catalogs and make temporary tables. They are revoked from PUBLIC: only the owner (the role)
 * and its members (the master, through `GRANT role TO CURRENT_USER`, which is how this Job connects
 * again on every run) keep them.
 */
export function appRoleSql(role: AppRole): string {
  const owned = [role.database, ...(role.alsoOwns ?? [])];
  for (const name of [role.user, ...owned]) if (!IDENTIFIER.test(name)) throw new Error(`name ${name} must match [a-z][a-z0-9_]*`);
  const u = role.user;
  return [
    `GRANT rds_iam TO "${u}";`,
    // The master must be a member to hand objects to the role (PostgreSQL 16: ADMIN from CREATEROLE).
    `GRANT "${u}" TO CURRENT_USER;`,
    ...owned.map((db) => `ALTER DATABASE "${db}" OWNER TO "${u}";`),
    // As a member of the owner: the revoke is the owner's (it holds PUBLIC's default grant).
    ...owned.map((db) => `REVOKE CONNECT, TEMPORARY ON DATABASE "${db}" FROM PUBLIC;`),
    // In each owned database (psql \connect keeps host, user, password and sslmode), what the master created there.
    ...owned.flatMap((db, i) => [...(i === 0 ? [] : [`\\connect ${db}`]), `REASSIGN OWNED BY CURRENT_USER TO "${u}";`]),
    "DO $setup$ DECLARE d text; BEGIN",
    `  FOR d IN SELECT datname FROM pg_database WHERE datdba = (SELECT oid FROM pg_roles WHERE rolname = '${u}') AND datname NOT IN (${owned.map((d) => `'${d}'`).join(", ")}) LOOP`,
    "    EXECUTE format('ALTER DATABASE %I OWNER TO %I', d, current_user);",
    "  END LOOP;",
    "END $setup$;",
  ].join("\n");
}

const LABELS = { "app.kubernetes.io/part-of": "langsmith", "app.kubernetes.io/component": "database-setup" } as const;

/**
 * The shell script: no `set -x` and the URL only ever in a variable expanded inside quotes, so
 * neither it nor the password reaches the log (psql's own errors name host and user, never the
 * password). `SELECT ... FROM pg_database` first: CREATE DATABASE has no IF NOT EXISTS.
 */
export function databaseScript(databases: readonly string[], appRole?: AppRole): string {
  for (const db of databases) if (!IDENTIFIER.test(db)) throw new Error(`database name ${db} must match [a-z][a-z0-9_]*`);
  const role = appRole
    ? [
        `if [ "$(psql -X -tA -v ON_ERROR_STOP=1 -d "$url" -c "SELECT 1 FROM pg_roles WHERE rolname='${appRole.user}'")" = "1" ]; ` +
          `then echo "role ${appRole.user} exists"; ` +
          `else psql -X -q -v ON_ERROR_STOP=1 -d "$url" -c 'CREATE ROLE "${appRole.user}" LOGIN' && echo "role ${appRole.user} created"; fi`,
        // A quoted heredoc: the shell expands nothing inside the SQL.
        `psql -X -q -v ON_ERROR_STOP=1 -d "$url" <<'SQL'\n${appRoleSql(appRole)}\nSQL`,
        `echo "role ${appRole.user} owns ${[appRole.database, ...(appRole.alsoOwns ?? [])].join(", ")}"`,
      ]
    : [];
  return [
    "set -eu",
    // The secret holds the chart's scheme-less form (values.yaml postgres.external).
    'url="postgresql://${PG_CONNECTION_URL}"',
    ...databases.map(
      (db) =>
        `if [ "$(psql -X -tA -v ON_ERROR_STOP=1 -d "$url" -c "SELECT 1 FROM pg_database WHERE datname='${db}'")" = "1" ]; ` +
        `then echo "database ${db} exists"; ` +
        `else psql -X -q -v ON_ERROR_STOP=1 -d "$url" -c 'CREATE DATABASE "${db}"' && echo "database ${db} created"; fi`,
    ),
    // After the databases: the role takes them over.
    ...role,
  ].join("\n");
}

/** The Job, or `undefined` when there is nothing to create. */
export function databaseJob(input: DatabaseJobInput): DatabaseJob | undefined {
  if (input.databases.length === 0 && !input.appRole) return undefined;
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: {
      name: input.name ?? "langsmith-database-setup",
      namespace: input.namespace,
      labels: LABELS,
      annotations: {
        // Helm runs hooks after the release's objects are applied, on install and on every upgrade;
        // the previous Job is deleted first, and a succeeded one right away.
        "helm.sh/hook": "post-install,post-upgrade",
        "helm.sh/hook-delete-policy": "before-hook-creation,hook-succeeded",
      },
    },
    spec: {
      backoffLimit: 6,
      // A failed Job stays an hour for `kubectl logs`, then goes.
      ttlSecondsAfterFinished: 3600,
      // Fails with its own reason before the release times out (K8sManifests timeout 300 s).
      activeDeadlineSeconds: 240,
      template: {
        metadata: { labels: LABELS },
        spec: {
          restartPolicy: "OnFailure",
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, runAsUser: 70, runAsGroup: 70, seccompProfile: { type: "RuntimeDefault" } },
          containers: [
            {
              name: "create-databases",
              image: input.image,
              command: ["/bin/sh", "-c", databaseScript(input.databases, input.appRole)],
              env: [
                // The master URL. Waits for it: the kubelet retries the container until ESO has
                // created the secret (CreateContainerConfigError meanwhile), within activeDeadlineSeconds.
                { name: "PG_CONNECTION_URL", valueFrom: { secretKeyRef: { name: SECRET_NAMES.postgresAdmin, key: CONNECTION_URL_KEY } } },
                { name: "PGCONNECT_TIMEOUT", value: "10" },
              ],
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
              resources: DATABASE_JOB_RESOURCES,
            },
          ],
        },
      },
    },
  };
}
