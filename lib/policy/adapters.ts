/**
 * Two adapters into one normalized view (`PolicyView`), so every rule is written once:
 *
 * - `fromSynth`: a synthesized stack (`cdk.tf.json`, `Testing.synth`, `stack.toTerraform()`):
 *   `resource.<type>.<name>` bodies; references stay as `${...}` strings.
 * - `fromPlan`: `terraform show -json <plan>`: `resource_changes[].change.after`. Values the plan
 *   does not know yet (`after_unknown`) are filled from the configuration's expression for that
 *   attribute, so they read exactly as in the synth view (`${aws_s3_bucket.state.id}`), or
 *   `${unknown}` where the configuration gives nothing better. Cross-resource rules therefore
 *   work on both.
 */
import type { Json, PolicyResource, PolicyView } from "./types";
import { isObject, list } from "./values";

/** Terraform meta-arguments and CDKTF metadata: not resource values. */
const META = ["//", "lifecycle", "depends_on", "provider", "count", "for_each", "provisioner", "connection"];

export function fromSynth(json: Json): PolicyView {
  const out: PolicyResource[] = [];
  for (const [type, byName] of Object.entries((json.resource ?? {}) as Json)) {
    for (const [name, body] of Object.entries(byName as Json)) {
      const values: Json = Object.fromEntries(Object.entries(body as Json).filter(([k]) => !META.includes(k)));
      out.push({ address: `${type}.${name}`, type, values, path: (body as Json)["//"]?.metadata?.path, lifecycle: (body as Json).lifecycle });
    }
  }
  // Non-resource blocks, for the scan for literal secrets (a provider `secret_key`, an output default...).
  for (const [type, byName] of Object.entries((json.data ?? {}) as Json)) {
    for (const [name, body] of Object.entries(byName as Json)) out.push(pseudo(`data.${type}.${name}`, "data", body));
  }
  for (const [name, configs] of Object.entries((json.provider ?? {}) as Json)) {
    const all = list(configs);
    all.forEach((c, i) => out.push(pseudo(`provider.${name}${all.length > 1 ? `[${i}]` : ""}`, "provider", c)));
  }
  for (const [kind, body] of Object.entries((json.terraform?.backend ?? {}) as Json)) out.push(pseudo(`terraform.backend.${kind}`, "backend", body));
  if (json.terraform?.cloud) out.push(pseudo("terraform.cloud", "backend", json.terraform.cloud));
  for (const [name, body] of Object.entries((json.output ?? {}) as Json)) out.push(pseudo(`output.${name}`, "output", body));
  for (const [name, body] of Object.entries((json.variable ?? {}) as Json)) out.push(pseudo(`var.${name}`, "variable", body));
  if (json.locals) out.push(pseudo("locals", "locals", json.locals));
  return { kind: "synth", resources: out };
}

function pseudo(address: string, type: string, body: unknown): PolicyResource {
  const values = isObject(body) ? Object.fromEntries(Object.entries(body).filter(([k]) => k !== "//")) : { value: body };
  return { address, type, values };
}

/**
 * Resources as the plan leaves them. Deleted resources are left out (nothing to judge); the
 * plan's provider blocks are left out too (the offline plan injects mock credentials there,
 * and the synthesized JSON they came from is scanned at synth).
 */
export function fromPlan(plan: Json): PolicyView {
  const config = new Map<string, Json>();
  indexConfig(plan.configuration?.root_module, "", config);
  const out: PolicyResource[] = [];
  for (const rc of (plan.resource_changes ?? []) as Json[]) {
    if (rc.mode !== "managed") continue;
    const after = rc.change?.after;
    if (after === null || after === undefined) continue;
    const expressions = config.get(configAddress(rc.address));
    const values = merge(after, rc.change?.after_unknown, expressions) as Json;
    out.push({ address: rc.address, type: rc.type, values });
  }
  return { kind: "plan", resources: out };
}

function indexConfig(module: Json | undefined, prefix: string, into: Map<string, Json>): void {
  if (!module) return;
  for (const r of (module.resources ?? []) as Json[]) if (r.mode === "managed") into.set(`${prefix}${r.address}`, r.expressions ?? {});
  for (const [name, call] of Object.entries((module.module_calls ?? {}) as Json)) indexConfig(call.module, `${prefix}module.${name}.`, into);
}

/** `module.a["x"].aws_s3_bucket.b[0]` → `module.a.aws_s3_bucket.b` (configuration addresses have no instance keys). */
export function configAddress(address: string): string {
  return address.replace(/\[[^\]]*\]/g, "");
}

function hasUnknown(u: unknown): boolean {
  if (u === true) return true;
  if (Array.isArray(u)) return u.some(hasUnknown);
  if (isObject(u)) return Object.values(u).some(hasUnknown);
  return false;
}

function isExpression(e: unknown): e is { constant_value?: unknown; references?: string[] } {
  return isObject(e) && ("constant_value" in e || "references" in e);
}

function child(expr: unknown, key: string | number): unknown {
  if (isExpression(expr)) {
    const cv = expr.constant_value;
    if (Array.isArray(cv) && typeof key === "number") return { constant_value: cv[key] };
    if (isObject(cv) && typeof key === "string") return { constant_value: cv[key] };
    return undefined;
  }
  if (Array.isArray(expr) && typeof key === "number") return expr[key];
  if (isObject(expr) && typeof key === "string") return expr[key];
  return undefined;
}

/** What the configuration says an unknown value will be. */
function fromExpression(expr: unknown): unknown {
  if (isExpression(expr)) {
    if (expr.constant_value !== undefined && expr.constant_value !== null) return expr.constant_value;
    if (expr.references?.length) return `\${${expr.references[0]}}`;
  }
  return "${unknown}";
}

function merge(after: unknown, unknown: unknown, expr: unknown): unknown {
  if (unknown === true) return fromExpression(expr);
  if (!hasUnknown(unknown)) return after;
  if (Array.isArray(unknown)) {
    const a = Array.isArray(after) ? after : [];
    return Array.from({ length: Math.max(a.length, unknown.length) }, (_, i) => merge(a[i], unknown[i], child(expr, i)));
  }
  const a: Json = isObject(after) ? after : {};
  const u = unknown as Json;
  const keys = [...new Set([...Object.keys(a), ...Object.keys(u)])];
  return Object.fromEntries(keys.map((k) => [k, merge(a[k], u[k], child(expr, k))]));
}
