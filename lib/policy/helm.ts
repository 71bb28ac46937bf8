/** Reading a `helm_release`: its values documents (JSON or YAML strings) and `set` entries. */
import type { Json, PolicyResource } from "./types";
import { blocks } from "./values";

export interface ValuesDocument {
  /** Position in the release's `values` list. */
  readonly index: number;
  readonly doc: unknown;
}

/**
 * The release's values documents, parsed. A document that is a whole reference
 * (`${file(...)}`, `${local.values}`) or does not parse is skipped: it cannot be judged here.
 */
export function valuesDocuments(release: PolicyResource): ValuesDocument[] {
  // Several rules read every release's values: parsed once per resource (shared, read-only).
  let docs = parsedValues.get(release);
  if (!docs) {
    docs = parseValues(release);
    parsedValues.set(release, docs);
  }
  return docs;
}

const parsedValues = new WeakMap<PolicyResource, ValuesDocument[]>();

function parseValues(release: PolicyResource): ValuesDocument[] {
  const raw = release.values.values;
  const texts: unknown[] = Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw];
  return texts.flatMap((text, index) => {
    if (typeof text !== "string" || /^\s*\$\{[^}]*\}\s*$/.test(text)) return [];
    try {
      return [{ index, doc: JSON.parse(text) }];
    } catch {
      try {
        // Loaded on demand: values are usually JSON, and yaml costs ~50 ms at every synth's start.
        const yaml = require("yaml") as typeof import("yaml");
        return [{ index, doc: yaml.parse(text) as unknown }];
      } catch {
        return [];
      }
    }
  });
}

export interface SetEntry {
  readonly kind: "set" | "set_sensitive" | "set_list";
  readonly name: string;
  readonly value: unknown;
}

/** `set`, `set_sensitive` and `set_list` entries (blocks in helm provider 2.x, lists of objects in 3.x). */
export function setEntries(release: PolicyResource): SetEntry[] {
  return (["set", "set_sensitive", "set_list"] as const).flatMap((kind) =>
    blocks(release.values[kind])
      .filter((b: Json) => typeof b.name === "string")
      .map((b: Json) => ({ kind, name: b.name as string, value: b.value })),
  );
}

/** Last segment of a Helm `--set` path (`a.b\.c.d` → `d`), for matching key names. */
export function lastSegment(name: string): string {
  const parts = name.split(/(?<!\\)\./);
  return (parts[parts.length - 1] ?? name).replace(/\\\./g, ".");
}

/** A chart that comes from a repository or registry (a local chart directory pins itself in Chart.yaml). */
export function remoteChart(release: PolicyResource): boolean {
  const chart = release.values.chart;
  const repo = release.values.repository;
  return (typeof repo === "string" && repo !== "") || (typeof chart === "string" && /^(oci|https?):\/\//.test(chart));
}
