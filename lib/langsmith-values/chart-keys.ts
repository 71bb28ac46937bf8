/**
 * Key paths of a chart's values.yaml, and the check that generated values use only those.
 * Helm ignores unknown keys silently (upstream's own example writes `apiUrl` for `apiURL`), so
 * this is the only thing that catches a misspelt or moved key before it silently does nothing.
 *
 * Extraction rule (what `scripts/chart-keys.ts` writes into the fixture):
 * - every mapping key is a path `a.b.c`; non-empty mappings are descended into;
 * - lists and scalars are leaves: a list is set whole (`commonEnv`, `extraEnv`, `tolerations`, ...),
 *   its items are not key paths;
 * - "open" mappings, written `path.*`, accept any children: mappings that are empty in values.yaml
 *   (`annotations: {}`, `nodeSelector: {}`, `labels: {}`, `podSecurityContext: {}`, agent
 *   `resources: {}` ...), which the chart passes through with `toYaml`, and mappings that are
 *   Kubernetes objects passed through whole even when values.yaml shows an example
 *   (OPEN_KEYS: container `resources` of limits/requests, probes, `commonDnsConfig`, rollout `strategy`).
 * No values, defaults or comments are kept, except which leaves default to a boolean (`booleans`).
 */
import { isPlainObject } from "../merge";

export interface ChartKeys {
  readonly chart: string;
  readonly version: string;
  /** Sorted key paths; an entry ending in `.*` is an open mapping. */
  readonly paths: readonly string[];
  /**
   * Sorted paths whose default in values.yaml is a boolean: an override there must be one too (a
   * template's `if` reads the string "false" as true). Absent in an older fixture: not checked.
   */
  readonly booleans?: readonly string[];
}

export const OPEN_SUFFIX = ".*";

/** Mapping keys the chart renders with `toYaml` as whole Kubernetes objects. */
const OPEN_KEYS = new Set(["startupProbe", "livenessProbe", "readinessProbe", "commonDnsConfig", "strategy"]);

/** `resources` is open when it is a container ResourceRequirements (not e.g. `config.agentBuilder.agent.resources`). */
function isResourceRequirements(key: string, node: Record<string, unknown>): boolean {
  return key === "resources" && Object.keys(node).every((k) => k === "limits" || k === "requests");
}

/** Key paths of a parsed values document. */
export function extractKeyPaths(doc: unknown): string[] {
  const paths: string[] = [];
  const walk = (node: Record<string, unknown>, prefix: string) => {
    for (const [key, value] of Object.entries(node)) {
      const path = prefix ? `${prefix}.${key}` : key;
      if (isPlainObject(value)) {
        if (Object.keys(value).length === 0 || OPEN_KEYS.has(key) || isResourceRequirements(key, value)) {
          paths.push(path + OPEN_SUFFIX);
        } else {
          paths.push(path);
          walk(value, path);
        }
      } else {
        paths.push(path);
      }
    }
  };
  if (!isPlainObject(doc)) throw new Error("values.yaml must be a mapping at the top level");
  walk(doc, "");
  return [...new Set(paths)].sort();
}

/** Paths of `extractKeyPaths` whose default is a boolean (open mappings are not descended into). */
export function extractBooleanPaths(doc: unknown): string[] {
  const open = new Set(extractKeyPaths(doc).filter((p) => p.endsWith(OPEN_SUFFIX)).map((p) => p.slice(0, -OPEN_SUFFIX.length)));
  const out: string[] = [];
  const walk = (node: Record<string, unknown>, prefix: string) => {
    for (const [key, value] of Object.entries(node)) {
      const path = prefix ? `${prefix}.${key}` : key;
      if (typeof value === "boolean") out.push(path);
      else if (isPlainObject(value) && !open.has(path)) walk(value, path);
    }
  };
  if (isPlainObject(doc)) walk(doc, "");
  return [...new Set(out)].sort();
}

/**
 * Override leaves that set a boolean key of the chart to something else (`enabled: "false"`):
 * Helm passes the string through, and a template's `if` reads any non-empty string as true.
 */
export function nonBooleanOverrides(values: unknown, keys: Pick<ChartKeys, "booleans">): { path: string; value: unknown }[] {
  const booleans = new Set(keys.booleans ?? []);
  const found: { path: string; value: unknown }[] = [];
  const walk = (node: unknown, path: string) => {
    if (isPlainObject(node)) {
      for (const [k, v] of Object.entries(node)) walk(v, path ? `${path}.${k}` : k);
      return;
    }
    if (booleans.has(path) && typeof node !== "boolean" && node !== null) found.push({ path, value: node });
  };
  walk(values, "");
  return found;
}

/** A path lookup over a fixture. */
export class KeyIndex {
  private readonly exact: Set<string>;
  private readonly open: Set<string>;

  constructor(keys: Pick<ChartKeys, "paths">) {
    this.exact = new Set(keys.paths.filter((p) => !p.endsWith(OPEN_SUFFIX)));
    this.open = new Set(keys.paths.filter((p) => p.endsWith(OPEN_SUFFIX)).map((p) => p.slice(0, -OPEN_SUFFIX.length)));
  }

  isOpen(path: string): boolean {
    return this.open.has(path);
  }

  /** The path exists, or lies at or under an open mapping. */
  allows(path: string): boolean {
    if (this.exact.has(path) || this.open.has(path)) return true;
    const parts = path.split(".");
    for (let i = parts.length - 1; i > 0; i--) if (this.open.has(parts.slice(0, i).join("."))) return true;
    return false;
  }
}

/**
 * Paths set by `values` that the chart does not have. Walks plain objects; stops at open
 * mappings (their children are free-form); lists, scalars and empty objects are leaves.
 */
export function unknownKeyPaths(values: unknown, keys: Pick<ChartKeys, "paths">): string[] {
  const index = new KeyIndex(keys);
  const unknown: string[] = [];
  const walk = (node: unknown, path: string) => {
    if (path && index.isOpen(path)) return;
    if (isPlainObject(node) && Object.keys(node).length > 0) {
      for (const [k, v] of Object.entries(node)) walk(v, path ? `${path}.${k}` : k);
      return;
    }
    if (path && !index.allows(path)) unknown.push(path);
  };
  walk(values, "");
  return unknown;
}
