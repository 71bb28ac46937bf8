/**
 * The Job that creates the Insights / Polly databases (`langsmith.insights` / `langsmith.polly:
 * "shared"`) in the shared PostgreSQL. RDS creates only the main database, and the agents' chart
 * keys point at their own databases (AGENT_DATABASES), which the agents do not create themselves.
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

export interface DatabaseJobInput {
  readonly namespace: string;
  /** Databases to ensure, e.g. `langsmith_insights`. */
  readonly databases: readonly string[];
  /** psql client image, the server's version: `resolvePostgresEngine(env.postgres).clientImage` (lib/engines.ts). */
  readonly image: string;
  /** @default "langsmith-create-agent-databases" */
  readonly name?: string;
}

const LABELS = { "app.kubernetes.io/part-of": "langsmith", "app.kubernetes.io/component": "database-setup" } as const;

/**
 * The shell script: no `set -x` and the URL only ever in a variable expanded inside quotes, so
 * neither it nor the password reaches the log (psql's own errors name host and user, never the
 * password). `SELECT ... FROM pg_database` first: CREATE DATABASE has no IF NOT EXISTS.
 */
export function databaseScript(databases: readonly string[]): string {
  for (const db of databases) if (!/^[a-z][a-z0-9_]*$/.test(db)) throw new Error(`database name ${db} must match [a-z][a-z0-9_]*`);
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
  ].join("\n");
}

/** The Job, or `undefined` when there is nothing to create. */
export function databaseJob(input: DatabaseJobInput): DatabaseJob | undefined {
  if (input.databases.length === 0) return undefined;
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: {
      name: input.name ?? "langsmith-create-agent-databases",
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
              command: ["/bin/sh", "-c", databaseScript(input.databases)],
              env: [
                // Waits for langsmith-postgres: the kubelet retries the container until ESO has
                // created the secret (CreateContainerConfigError meanwhile), within activeDeadlineSeconds.
                { name: "PG_CONNECTION_URL", valueFrom: { secretKeyRef: { name: SECRET_NAMES.postgres, key: CONNECTION_URL_KEY } } },
                { name: "PGCONNECT_TIMEOUT", value: "10" },
              ],
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
              resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "200m", memory: "128Mi" } },
            },
          ],
        },
      },
    },
  };
}
