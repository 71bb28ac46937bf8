/** Shipped environments and every option combination the values builder supports, validated. */
import { loadEnvironment } from "../../../lib/config/load";
import { EnvironmentConfig } from "../../../lib/config/schema";
import { LangsmithValuesInputs } from "../../../lib/langsmith-values";
import { Json, shippedInput } from "../../helpers";

export const SHIPPED = ["dev", "staging", "prod"] as const;
export type Shipped = (typeof SHIPPED)[number];

/** Placeholders for the infrastructure outputs (tokens at synth). */
export const INPUTS: LangsmithValuesInputs = {
  appRoleArn: "<langsmith-app IRSA role ARN>",
  blobStorage: { bucketName: "<blob bucket name>", kmsKeyArn: "<blob KMS key ARN>" },
};

/** A shipped environment changed by `mutate` (on its raw input), validated by the loader. */
export function loadWith(name: Shipped, mutate: (input: Json) => void = () => undefined): EnvironmentConfig {
  const input = shippedInput(name);
  mutate(input);
  return loadEnvironment({ file: `environments/${name}.ts`, input });
}

export const shipped = (name: Shipped) => loadWith(name);

const DEV_CLICKHOUSE_POOL = { instanceTypes: ["r6i.2xlarge"], minSize: 1, desiredSize: 1, maxSize: 1, capacityType: "ON_DEMAND", diskSizeGib: 50 };
const IN_CLUSTER = { mode: "in-cluster", storageGib: 200, storageIops: 3000, storageThroughputMiBps: 125, snapshotRetentionDays: 7 };
const EXTERNAL = { mode: "external", host: "clickhouse.internal.example.com", port: 8443, nativePort: 9440, database: "langsmith", user: "langsmith", tls: true, replicated: true, cluster: "langsmith" };

export interface Combination {
  readonly label: string;
  readonly env: EnvironmentConfig;
}

/**
 * Every shipped environment under every option: auth model, ClickHouse mode (in-cluster only
 * where the tier allows it), exposure, Insights, Polly, blob storage (off only where allowed).
 */
export function combinations(): Combination[] {
  const out: Combination[] = [];
  for (const name of SHIPPED) {
    const tier = shippedInput(name).tier as string;
    for (const auth of ["token", "oidc"] as const)
      for (const ch of tier === "production" ? (["external"] as const) : (["in-cluster", "external"] as const))
        for (const exposure of ["public", "private"] as const)
          for (const insights of ["disabled", "shared"] as const)
            for (const polly of ["disabled", "shared"] as const)
              for (const blob of tier === "production" ? [true] : [true, false]) {
                const env = loadWith(name, (i) => {
                  i.auth = auth === "token" ? { model: "token" } : { model: "oidc", clientId: "langsmith", issuerUrl: "https://sso.example.com" };
                  i.clickhouse = ch === "external" ? EXTERNAL : IN_CLUSTER;
                  if (ch === "external") delete i.nodePools.clickhouse;
                  else i.nodePools.clickhouse = DEV_CLICKHOUSE_POOL;
                  i.exposure = exposure;
                  i.langsmith = { ...i.langsmith, insights, polly };
                  i.blobStorage = { ...i.blobStorage, enabled: blob };
                });
                out.push({ label: `${name} auth=${auth} clickhouse=${ch} exposure=${exposure} insights=${insights} polly=${polly} blob=${blob}`, env });
              }
  }
  return out;
}
