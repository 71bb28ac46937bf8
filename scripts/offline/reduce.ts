/**
 * Reduces a synthesized stack to what the AWS provider alone can check offline:
 * - drops the `helm` and `kubernetes` providers, their resources and data sources, and
 *   `depends_on` entries and outputs that point at them;
 * - swaps the backend for a local one;
 * - gives the AWS provider mock credentials and skips every AWS call it would make at init.
 *
 * Plain functions over JSON, unit-tested in `__tests__/scripts/reduce.test.ts`.
 */

export type TfJson = Record<string, any>;

/** Provider names dropped from the offline copy (no mirror for them; they need a live cluster). */
export const OFFLINE_DROPPED_PROVIDERS = ["helm", "kubernetes"] as const;

const MOCK_AWS = {
  access_key: "mock-access-key",
  secret_key: "mock-secret-key",
  skip_credentials_validation: true,
  skip_requesting_account_id: true,
  skip_metadata_api_check: true,
  skip_region_validation: true,
};

function droppedType(type: string): boolean {
  return OFFLINE_DROPPED_PROVIDERS.some((p) => type === p || type.startsWith(`${p}_`));
}

/** Every `type.name` (resources) and `data.type.name` (data sources) address in the config. */
function addresses(block: TfJson | undefined, prefix: string): string[] {
  return Object.entries(block ?? {}).flatMap(([type, byName]) => Object.keys(byName as TfJson).map((n) => `${prefix}${type}.${n}`));
}

function mentions(value: unknown, dropped: readonly string[]): boolean {
  const text = JSON.stringify(value);
  return dropped.some((a) => text.includes(a));
}

export interface Reduction {
  readonly config: TfJson;
  readonly dropped: string[];
}

export function reduceForOffline(input: TfJson): Reduction {
  const config: TfJson = JSON.parse(JSON.stringify(input));
  const dropped: string[] = [];

  for (const section of ["resource", "data"] as const) {
    const block = config[section] as TfJson | undefined;
    if (!block) continue;
    for (const type of Object.keys(block)) {
      if (!droppedType(type)) continue;
      dropped.push(...addresses({ [type]: block[type] }, section === "data" ? "data." : ""));
      delete block[type];
    }
    if (Object.keys(block).length === 0) delete config[section];
  }
  for (const p of OFFLINE_DROPPED_PROVIDERS) {
    if (config.provider) delete config.provider[p];
    if (config.terraform?.required_providers) delete config.terraform.required_providers[p];
  }

  // Remove depends_on entries that point at dropped addresses, then refuse any other reference:
  // an AWS resource that needs a Kubernetes value would be a design error worth failing on.
  for (const section of ["resource", "data"] as const) {
    for (const [type, byName] of Object.entries((config[section] ?? {}) as TfJson)) {
      for (const [name, body] of Object.entries(byName as TfJson)) {
        if (Array.isArray(body.depends_on)) {
          body.depends_on = body.depends_on.filter((d: string) => !dropped.some((a) => d === a || d.startsWith(`${a}[`)));
          if (body.depends_on.length === 0) delete body.depends_on;
        }
        if (mentions(body, dropped)) {
          throw new Error(`offline reduction: ${section === "data" ? "data." : ""}${type}.${name} references a dropped helm/kubernetes object`);
        }
      }
    }
  }
  for (const [name, body] of Object.entries((config.output ?? {}) as TfJson)) {
    if (mentions(body, dropped)) {
      delete config.output[name];
      dropped.push(`output.${name}`);
    }
  }
  if (config.locals && mentions(config.locals, dropped)) {
    throw new Error("offline reduction: locals reference a dropped helm/kubernetes object");
  }

  const { cloud: _cloud, ...terraform } = (config.terraform ?? {}) as TfJson;
  config.terraform = { ...terraform, backend: { local: { path: "terraform.tfstate" } } };
  const aws = config.provider?.aws;
  // allowed_account_ids needs the caller's account id, which mock credentials cannot give.
  if (Array.isArray(aws)) config.provider.aws = aws.map(({ allowed_account_ids: _ids, ...p }: TfJson) => ({ ...p, ...MOCK_AWS }));
  return { config, dropped };
}
