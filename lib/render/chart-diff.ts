/**
 * What a chart bump changes for this project's values, as data (scripts/chart-diff.ts prints it):
 *
 *   - value keys we set that the candidate's values.yaml no longer has, or whose type changed;
 *   - validate.yaml rules and `required` values that are new (or gone);
 *   - per environment: service accounts, secret keys the pods read, Services (name and ports), and
 *     the manifests added, removed or changed (with the changed fields), rendered with real helm;
 *   - the candidate's render failing (a new rule our values break) as an error.
 *
 * `failed` is true when a value we set is gone or changed type, or the candidate does not render.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { Manifest, RenderError } from "./render";
import { parseYamlCached } from "./render-cache";

type Json = Record<string, any>;

/** `a.b[0].c` */
const pathText = (p: readonly (string | number)[]): string => p.map((s) => (typeof s === "number" ? `[${s}]` : `.${s}`)).join("").replace(/^\./, "");

function typeOf(v: unknown): string {
  if (v === null || v === undefined) return "null";
  if (Array.isArray(v)) return "list";
  return typeof v === "object" ? "map" : typeof v;
}

export interface KeyChange {
  /** The path we set. */
  readonly path: string;
  /** The chart key that changed (the path itself, or the free-form map it lives under). */
  readonly key: string;
  readonly change: "gone" | "type";
  readonly before: string;
  readonly after?: string;
}

/**
 * Keys we set (the leaves of `ours`) against two values.yaml trees. A path is followed as far as the
 * pinned values.yaml has it; below an empty map or a list the keys are free-form (annotations,
 * env lists), so the check is on that parent. A key whose pinned default is null is typed by us.
 */
export function keyChanges(pinned: Json, candidate: Json, ours: Json): KeyChange[] {
  const out = new Map<string, KeyChange>();
  const walk = (value: unknown, path: (string | number)[]) => {
    if (value && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length > 0) {
      for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
      return;
    }
    // Deepest prefix of `path` the pinned values.yaml defines.
    let p: unknown = pinned;
    let c: unknown = candidate;
    let depth = 0;
    for (const step of path) {
      if (!p || typeof p !== "object" || Array.isArray(p) || !(String(step) in (p as Json))) break;
      p = (p as Json)[step as string];
      c = c && typeof c === "object" && !Array.isArray(c) && String(step) in (c as Json) ? (c as Json)[step as string] : undefined;
      depth++;
      if (c === undefined) break;
    }
    if (depth === 0) return; // not a chart key (an override the key fixture reports)
    const key = pathText(path.slice(0, depth));
    if (c === undefined) out.set(key, { path: pathText(path), key, change: "gone", before: typeOf(p) });
    else if (typeOf(p) !== "null" && typeOf(c) !== "null" && typeOf(p) !== typeOf(c)) out.set(key, { path: pathText(path), key, change: "type", before: typeOf(p), after: typeOf(c) });
  };
  walk(ours, []);
  return [...out.values()].sort((a, b) => a.key.localeCompare(b.key));
}

function templateFiles(chartDir: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const f of readdirSync(dir)) {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(ya?ml|tpl|txt)$/.test(f)) out.push(p);
    }
  };
  if (existsSync(join(chartDir, "templates"))) walk(join(chartDir, "templates"));
  return out;
}

/** The chart's own rules: the messages of `fail` calls in templates/validate.yaml (printf verbs kept). */
export function validateRules(chartDir: string): Set<string> {
  const file = join(chartDir, "templates", "validate.yaml");
  if (!existsSync(file)) return new Set();
  return new Set([...readFileSync(file, "utf8").matchAll(/\bfail\s+\(?(?:printf\s+)?"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]));
}

/** `required "<message>" <value>` calls across the templates, as `<value>: <message>`. */
export function requiredValues(chartDir: string): Set<string> {
  const out = new Set<string>();
  for (const f of templateFiles(chartDir)) {
    for (const m of readFileSync(f, "utf8").matchAll(/\brequired\s+"((?:[^"\\]|\\.)*)"\s+([^\s|)}]+)/g)) out.add(`${m[2]}: ${m[1]}`);
  }
  return out;
}

export interface SetChange {
  readonly added: string[];
  readonly removed: string[];
}

export function setChange(before: Iterable<string>, after: Iterable<string>): SetChange {
  const a = new Set(before);
  const b = new Set(after);
  return { added: [...b].filter((x) => !a.has(x)).sort(), removed: [...a].filter((x) => !b.has(x)).sort() };
}

const WORKLOADS = ["Deployment", "StatefulSet", "Job", "DaemonSet", "CronJob"];

/** What the wiring depends on: service accounts, secret keys read by pods, Services with ports. */
export function wiringSummary(manifests: readonly Manifest[]): { serviceAccounts: string[]; secretKeys: string[]; services: string[] } {
  const secretKeys = new Set<string>();
  for (const m of manifests.filter((x) => WORKLOADS.includes(x.kind))) {
    const spec = (m.kind === "CronJob" ? m.spec.jobTemplate.spec.template : m.spec.template).spec;
    for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
      for (const e of c.env ?? []) if (e.valueFrom?.secretKeyRef) secretKeys.add(`${e.valueFrom.secretKeyRef.name}/${e.valueFrom.secretKeyRef.key}${e.valueFrom.secretKeyRef.optional ? " (optional)" : ""}`);
      for (const f of c.envFrom ?? []) if (f.secretRef) secretKeys.add(`${f.secretRef.name}/*`);
    }
    for (const v of spec.volumes ?? []) if (v.secret) secretKeys.add(`${v.secret.secretName}/${(v.secret.items ?? []).map((i: Json) => i.key).join(",") || "*"}`);
  }
  return {
    serviceAccounts: manifests.filter((m) => m.kind === "ServiceAccount").map((m) => m.metadata.name).sort(),
    secretKeys: [...secretKeys].sort(),
    services: manifests
      .filter((m) => m.kind === "Service")
      .map((m) => `${m.metadata.name} ${(m.spec.ports ?? []).map((p: Json) => `${p.port}->${p.targetPort ?? p.port}`).join(",")}`)
      .sort(),
  };
}

const id = (m: Manifest) => `${m.kind}/${m.metadata.name}`;

function leaves(v: unknown, path: (string | number)[] = [], out = new Map<string, string>()): Map<string, string> {
  if (v && typeof v === "object") {
    if (Array.isArray(v)) v.forEach((x, i) => leaves(x, [...path, i], out));
    else for (const [k, x] of Object.entries(v)) leaves(x, [...path, k], out);
  } else out.set(pathText(path), JSON.stringify(v));
  return out;
}

export interface ManifestChange {
  readonly id: string;
  /** Changed fields, `path: before -> after` (checksums and chart labels left out). */
  readonly fields: string[];
}

/** Chart and app version labels/annotations and config checksums change with every bump: not shown. */
const NOISE = /(^|\.)(labels|annotations)\.(helm\.sh\/chart|app\.kubernetes\.io\/version|checksum\/[^.]+)$/;

/** Manifests added, removed and changed between two renders (by kind/name). */
export function manifestDiff(before: readonly Manifest[], after: readonly Manifest[]): { added: string[]; removed: string[]; changed: ManifestChange[] } {
  const a = new Map(before.map((m) => [id(m), m]));
  const b = new Map(after.map((m) => [id(m), m]));
  const changed: ManifestChange[] = [];
  for (const [k, m] of b) {
    const old = a.get(k);
    if (!old) continue;
    const { source: _s1, ...x } = old;
    const { source: _s2, ...y } = m;
    const lx = leaves(x);
    const ly = leaves(y);
    const fields = [...new Set([...lx.keys(), ...ly.keys()])]
      .filter((p) => lx.get(p) !== ly.get(p) && !NOISE.test(p))
      .flatMap((p) => {
        const [u, v] = [lx.get(p), ly.get(p)].map((j) => (j === undefined ? undefined : (JSON.parse(j) as unknown)));
        // Embedded files (nginx.conf): the lines that differ, not two escaped blobs.
        if (typeof u === "string" && typeof v === "string" && (u.includes("\n") || v.includes("\n"))) {
          const lu = new Set(u.split("\n").map((l) => l.trim()));
          const lv = new Set(v.split("\n").map((l) => l.trim()));
          return [...[...lu].filter((l) => l && !lv.has(l)).map((l) => `${p}: - ${l}`), ...[...lv].filter((l) => l && !lu.has(l)).map((l) => `${p}: + ${l}`)];
        }
        return [`${p}: ${lx.get(p) ?? "(absent)"} -> ${ly.get(p) ?? "(absent)"}`];
      });
    if (fields.length > 0) changed.push({ id: k, fields });
  }
  return { added: [...b.keys()].filter((k) => !a.has(k)).sort(), removed: [...a.keys()].filter((k) => !b.has(k)).sort(), changed };
}

export interface EnvironmentDiff {
  readonly environment: string;
  /** The candidate's render error (a rule our values break), when it failed. */
  readonly renderError?: string;
  readonly serviceAccounts?: SetChange;
  readonly secretKeys?: SetChange;
  readonly services?: SetChange;
  readonly manifests?: ReturnType<typeof manifestDiff>;
}

export interface ChartDiffReport {
  readonly pinned: string;
  readonly candidate: string;
  readonly keys: KeyChange[];
  readonly rules: SetChange;
  readonly required: SetChange;
  readonly environments: EnvironmentDiff[];
  readonly failed: boolean;
}

export interface ChartDiffInput {
  readonly pinnedDir: string;
  readonly candidateDir: string;
  readonly environments: readonly { readonly name: string; readonly values: Json }[];
  /** Renders a chart directory with values (throws RenderError on a chart failure). */
  readonly render: (chartDir: string, values: Json) => Manifest[];
}

const chartLabel = (dir: string) => {
  const meta = parse(readFileSync(join(dir, "Chart.yaml"), "utf8")) as { name: string; version: string };
  return `${meta.name} ${meta.version} (${dir})`;
};

export function chartDiff(input: ChartDiffInput): ChartDiffReport {
  const yamlOf = (dir: string) => (parseYamlCached<Json | null>(readFileSync(join(dir, "values.yaml"), "utf8")) ?? {}) as Json;
  const pinnedValues = yamlOf(input.pinnedDir);
  const candidateValues = yamlOf(input.candidateDir);
  const keys = new Map<string, KeyChange>();
  for (const e of input.environments) for (const k of keyChanges(pinnedValues, candidateValues, e.values)) keys.set(k.key, k);
  const environments = input.environments.map((e): EnvironmentDiff => {
    const before = input.render(input.pinnedDir, e.values);
    let after: Manifest[];
    try {
      after = input.render(input.candidateDir, e.values);
    } catch (err) {
      if (err instanceof RenderError) return { environment: e.name, renderError: err.stderr.trim() };
      throw err;
    }
    const x = wiringSummary(before);
    const y = wiringSummary(after);
    return {
      environment: e.name,
      serviceAccounts: setChange(x.serviceAccounts, y.serviceAccounts),
      secretKeys: setChange(x.secretKeys, y.secretKeys),
      services: setChange(x.services, y.services),
      manifests: manifestDiff(before, after),
    };
  });
  const keyList = [...keys.values()].sort((a, b) => a.key.localeCompare(b.key));
  return {
    pinned: chartLabel(input.pinnedDir),
    candidate: chartLabel(input.candidateDir),
    keys: keyList,
    rules: setChange(validateRules(input.pinnedDir), validateRules(input.candidateDir)),
    required: setChange(requiredValues(input.pinnedDir), requiredValues(input.candidateDir)),
    environments,
    failed: keyList.length > 0 || environments.some((e) => e.renderError !== undefined),
  };
}

const list = (title: string, c: SetChange | undefined, indent = "  "): string[] =>
  !c || (c.added.length === 0 && c.removed.length === 0) ? [] : [`${indent}${title}:`, ...c.removed.map((x) => `${indent}  - ${x}`), ...c.added.map((x) => `${indent}  + ${x}`)];

/** The report as text, most important first. */
export function formatChartDiff(r: ChartDiffReport, maxFieldsPerManifest = 8): string {
  const out: string[] = [`chart:diff ${r.pinned} -> ${r.candidate}`, ""];
  out.push(r.keys.length === 0 ? "Values we set: every key still exists with the same type." : "Values we set that the candidate dropped or retyped (FAIL):");
  for (const k of r.keys) out.push(`  ${k.change === "gone" ? "gone" : `type ${k.before} -> ${k.after}`}: ${k.key}${k.key === k.path ? "" : ` (we set ${k.path})`}`);
  out.push("", "validate.yaml rules (- removed, + new):", ...(list("rules", r.rules).slice(1).length ? list("rules", r.rules).slice(1) : ["  (unchanged)"]));
  out.push("", "required values (- removed, + new):", ...(list("required", r.required).slice(1).length ? list("required", r.required).slice(1) : ["  (unchanged)"]));
  for (const e of r.environments) {
    out.push("", `environment ${e.environment}:`);
    if (e.renderError) {
      out.push(`  the candidate does not render with these values (FAIL):`, ...e.renderError.split("\n").map((l) => `    ${l}`));
      continue;
    }
    const wiring = [...list("service accounts", e.serviceAccounts), ...list("secret keys read by pods", e.secretKeys), ...list("services", e.services)];
    out.push(...(wiring.length ? wiring : ["  service accounts, secret keys and services: unchanged"]));
    const m = e.manifests!;
    out.push(`  manifests: ${m.added.length} added, ${m.removed.length} removed, ${m.changed.length} changed`);
    for (const a of m.added) out.push(`    + ${a}`);
    for (const a of m.removed) out.push(`    - ${a}`);
    for (const c of m.changed) {
      out.push(`    ~ ${c.id}`);
      for (const f of c.fields.slice(0, maxFieldsPerManifest)) out.push(`        ${f.length > 200 ? `${f.slice(0, 200)}...` : f}`);
      if (c.fields.length > maxFieldsPerManifest) out.push(`        ... ${c.fields.length - maxFieldsPerManifest} more`);
    }
  }
  out.push("", r.failed ? "chart:diff: FAIL (a value we set is gone or retyped, or the candidate does not render)" : "chart:diff: ok (review the changes above)");
  return out.join("\n");
}
