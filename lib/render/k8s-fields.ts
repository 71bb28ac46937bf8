/**
 * Fields of a Kubernetes object that its API does not have. The API server drops an unknown field
 * of a built-in kind (Helm and server-side apply do not ask for strict field validation), so a
 * misspelt `activeDeadlineSecond` in a Job or `podSelectr` in a NetworkPolicy installs cleanly and
 * does nothing. This walks a manifest against the OpenAPI models @kubernetes/client-node generates
 * (`dist/gen/model/<type>.js`, `attributeTypeMap`; its API release is `k8sModelsRelease()`).
 *
 * Built-in kinds only: a kind without a model (a CRD: ExternalSecret, TargetGroupBinding, ...)
 * is not checked, and says so. Leaves the models type loosely (`object`, `any`, `IntOrString`,
 * `Date`, raw extensions) are not descended into.
 */
import { readFileSync } from "node:fs";
import { isPlainObject } from "../merge";
import type { Manifest } from "./render";

const MODEL_DIR = "@kubernetes/client-node/dist/gen/model";

/** The Kubernetes API release of the models, from their file headers ("The version of the OpenAPI document: release-1.30"). */
export function k8sModelsRelease(): string | undefined {
  const header = readFileSync(require.resolve(`${MODEL_DIR}/v1Job`), "utf8").slice(0, 600);
  return /OpenAPI document: release-([\d.]+)/.exec(header)?.[1];
}

interface Attribute {
  readonly baseName: string;
  readonly type: string;
}

const models = new Map<string, readonly Attribute[] | null>();

/** The attributes of model `type` (`V1JobSpec`), or null when there is no such model. */
function attributes(type: string): readonly Attribute[] | null {
  let found = models.get(type);
  if (found === undefined) {
    found = null;
    if (/^V\d+(?:(?:alpha|beta)\d+)?[A-Z]\w*$/.test(type)) {
      try {
        const file = `${MODEL_DIR}/${type[0].toLowerCase()}${type.slice(1)}`;
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const mod = require(file) as Record<string, { attributeTypeMap?: Attribute[] }>;
        found = mod[type]?.attributeTypeMap ?? null;
      } catch {
        found = null;
      }
    }
    models.set(type, found);
  }
  return found;
}

/** The model of a manifest's kind: `batch/v1` Job -> V1Job, `autoscaling/v2` HPA -> V2HorizontalPodAutoscaler. */
export function modelOf(apiVersion: string, kind: string): string | undefined {
  const version = apiVersion.split("/").pop() ?? "";
  const type = `${version[0]?.toUpperCase() ?? ""}${version.slice(1)}${kind}`;
  return attributes(type) ? type : undefined;
}

/** Paths of `value` (typed `type`) that the model does not have, prefixed with `path`. */
function walk(value: unknown, type: string, path: string, out: string[]): void {
  const array = /^Array<(.+)>$/.exec(type);
  if (array) {
    if (Array.isArray(value)) value.forEach((item, i) => walk(item, array[1], `${path}[${i}]`, out));
    return;
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) {
    if (isPlainObject(value)) for (const [k, v] of Object.entries(value)) walk(v, map[1], `${path}.${k}`, out);
    return;
  }
  const attrs = attributes(type);
  if (!attrs || !isPlainObject(value)) return;
  for (const [k, v] of Object.entries(value)) {
    const attr = attrs.find((a) => a.baseName === k);
    if (!attr) out.push(path ? `${path}.${k}` : k);
    else walk(v, attr.type, path ? `${path}.${k}` : k, out);
  }
}

export interface FieldCheck {
  /** `Job/langsmith-database-setup` */
  readonly object: string;
  /** The model it was checked against, or undefined for a kind without one (a CRD). */
  readonly model?: string;
  /** Field paths the API does not have (`spec.template.spec.containers[0].resourcez`). */
  readonly unknown: readonly string[];
}

/** Checks one manifest (status is the API server's, not ours: not checked). */
export function checkFields(m: Pick<Manifest, "apiVersion" | "kind" | "metadata"> & Record<string, unknown>): FieldCheck {
  const object = `${m.kind}/${(m.metadata as { name?: string } | undefined)?.name ?? "?"}`;
  const model = typeof m.apiVersion === "string" && typeof m.kind === "string" ? modelOf(m.apiVersion, m.kind) : undefined;
  if (!model) return { object, unknown: [] };
  const unknown: string[] = [];
  // `source` is the render's note of the template it came from (lib/render/render.ts), not a field.
  const { source: _source, ...fields } = m;
  walk(fields, model, "", unknown);
  return { object, model, unknown };
}
