/**
 * A content-addressed cache of `helm template` results, in `node_modules/.cache/helm-renders/`
 * (inside the repository; `npm ci` and a fresh CI clone start empty).
 *
 * Why caching a render is sound: `helm template` (no cluster: `lookup` returns nothing,
 * `.Capabilities` come from `--kube-version`/`--api-versions`) is a function of the chart's files,
 * the values, the release name, namespace and flags, and the helm binary. The key hashes all of
 * them: the helm version and binary path, a sha256 of every file of the chart directory (paths and
 * contents; not its location, so the mirror and a pulled copy share entries), the values as JSON and
 * the options. Any change to any input is another key; nothing is ever invalidated by hand.
 *
 * Templates that call random or clock functions (`randAlphaNum`, `uuidv4`, `genCA`, `now`, ...) are
 * the exception: helm gives another output on every run, the cache replays the first one. That
 * replay is one render helm really produced for these inputs, so an assertion that holds for every
 * render holds for it; an assertion that needs two renders to differ, or fresh material, must
 * bypass the cache (`{ cache: false }`). No template we render with our values calls one today
 * (LangSmith's `genCA` is under `sandboxes.proxyCa` mode `generatedSecret`, which our values leave off).
 *
 * helm's own environment (HELM_* variables, repositories, plugins) is not in the key: `helm
 * template` of a local chart directory reads none of it, and the tier passes what the templates
 * see (`--kube-version`, `--api-versions`) as flags. Parsed output is kept only when JSON gives it
 * back exactly (exactJson), so a hit parses to what a fresh render would.
 *
 * A chart's own failure (`fail`/`required`, exit 1) is cached too: it is as much a function of the
 * inputs. A helm that did not run (spawn error, timeout, signal) is never cached.
 *
 * Bounded: after a write, entries beyond `maxBytes` are removed oldest-used first (a hit refreshes
 * an entry's mtime). `LS_RENDER_CACHE=0` bypasses it (every render runs helm and nothing is stored).
 */
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parse } from "yaml";
import { cacheDir } from "./paths";

/** Bumped when the entry format or the key's composition changes. */
const FORMAT = 2;

/** @default 256 MiB: ~300 LangSmith renders, with their parsed manifests. */
export const RENDER_CACHE_MAX_BYTES = 256 * 1024 * 1024;

export const RENDER_CACHE_ENV = "LS_RENDER_CACHE";

/** False when `LS_RENDER_CACHE` is `0`, `off` or `false`. */
export function renderCacheEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return !["0", "off", "false"].includes((env[RENDER_CACHE_ENV] ?? "").toLowerCase());
}

const digests = new Map<string, { readonly signature: string; readonly digest: string }>();

function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const p = join(d, e.name);
      if (e.isDirectory() || (e.isSymbolicLink() && statSync(p).isDirectory())) walk(p);
      else out.push(p);
    }
  };
  walk(dir);
  return out;
}

/**
 * sha256 over every file of a chart directory (relative paths and contents, sorted). Memoized per
 * process on the files' paths, sizes and mtimes, so a chart rendered many times is read once.
 */
export function chartDigest(dir: string): string {
  const list = files(dir);
  const stats = list.map((f) => statSync(f));
  const signature = list.map((f, i) => `${relative(dir, f)}\0${stats[i].size}\0${stats[i].mtimeMs}`).join("\n");
  const memo = digests.get(dir);
  if (memo?.signature === signature) return memo.digest;
  const h = createHash("sha256");
  for (const f of list) h.update(relative(dir, f)).update("\0").update(readFileSync(f)).update("\0");
  const digest = h.digest("hex");
  digests.set(dir, { signature, digest });
  return digest;
}

/** What a render produced: helm's output, or the chart's own failure (helm's stderr). */
export type RenderOutcome = { readonly text: string } | { readonly stderr: string };

export class RenderCache {
  constructor(
    readonly dir: string = cacheDir("helm-renders"),
    readonly maxBytes: number = RENDER_CACHE_MAX_BYTES,
  ) {}

  /** The key of one render: every input of `helm template` (see the file comment). */
  key(parts: { readonly helm: { readonly path: string; readonly version: string }; readonly chartDir: string; readonly values: unknown; readonly options: unknown }): string {
    return createHash("sha256")
      .update(JSON.stringify([FORMAT, parts.helm.version, parts.helm.path, chartDigest(parts.chartDir), parts.values, parts.options]))
      .digest("hex");
  }

  private file(key: string, kind: "out" | "err" | "json"): string {
    return join(this.dir, `${key}.${kind}`);
  }

  private read(file: string): string | undefined {
    try {
      const text = readFileSync(file, "utf8");
      const now = new Date();
      utimesSync(file, now, now); // most recently used: pruned last
      return text;
    } catch {
      return undefined;
    }
  }

  /** Bytes in the cache as this process last counted them, plus what it wrote since. */
  private bytes: number | undefined;

  private write(file: string, text: string): void {
    mkdirSync(this.dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, text);
    renameSync(tmp, file); // atomic: the other test worker reads a whole entry or none
    // Counted once, then kept up to date by this process's writes (another process's writes are
    // seen at the next count, so the cache can exceed the bound by what the others wrote meanwhile).
    this.bytes = (this.bytes ?? this.prune()) + Buffer.byteLength(text);
    if (this.bytes > this.maxBytes) this.bytes = this.prune();
  }

  get(key: string): RenderOutcome | undefined {
    const text = this.read(this.file(key, "out"));
    if (text !== undefined) return { text };
    const stderr = this.read(this.file(key, "err"));
    return stderr === undefined ? undefined : { stderr };
  }

  put(key: string, outcome: RenderOutcome): void {
    if ("text" in outcome) this.write(this.file(key, "out"), outcome.text);
    else this.write(this.file(key, "err"), outcome.stderr);
  }

  /** The parsed form of a cached output (JSON reads ~10x faster than YAML), when stored. */
  getParsed<T>(key: string): T | undefined {
    const text = this.read(this.file(key, "json"));
    return text === undefined ? undefined : (JSON.parse(text) as T);
  }

  /** Keeps `value` as JSON, unless JSON cannot give it back as it is (then nothing is stored). */
  putParsed(key: string, value: unknown): void {
    const text = exactJson(value);
    if (text !== undefined) this.write(this.file(key, "json"), text);
  }

  /**
   * `parse(text)` of the yaml package, kept as JSON under the hash of the text and the package's
   * version (a pure function of both): a chart's 115 kB values.yaml takes ~190 ms to parse, ~3 ms to read back.
   */
  parseYaml<T>(text: string): T {
    const key = `yaml-${createHash("sha256").update(JSON.stringify([FORMAT, YAML_VERSION, text])).digest("hex")}`;
    const hit = this.getParsed<{ value: T }>(key);
    if (hit) return hit.value;
    const value = parse(text) as T;
    this.putParsed(key, { value });
    return value;
  }

  /**
   * Removes the least recently used entries while the cache holds more than maxBytes (down to
   * three quarters of it); the bytes left.
   */
  prune(): number {
    const entries: { file: string; size: number; used: number }[] = [];
    for (const f of readdirSync(this.dir)) {
      if (f.endsWith(".tmp")) continue;
      try {
        const s = statSync(join(this.dir, f));
        entries.push({ file: join(this.dir, f), size: s.size, used: s.mtimeMs });
      } catch {
        // removed by another process meanwhile
      }
    }
    let total = entries.reduce((a, e) => a + e.size, 0);
    if (total <= this.maxBytes) return total;
    for (const e of entries.sort((a, b) => a.used - b.used)) {
      if (total <= this.maxBytes * 0.75) break;
      rmSync(e.file, { force: true });
      total -= e.size;
    }
    return total;
  }
}

const YAML_VERSION = (require("yaml/package.json") as { version: string }).version;

/**
 * JSON of a value JSON.parse gives back equal: plain objects, arrays, strings, booleans, null and
 * finite numbers. undefined when the value holds anything else (YAML's .inf/.nan, a Date, a
 * binary), so a cached parse can never differ from a fresh one.
 */
export function exactJson(value: unknown): string | undefined {
  let exact = true;
  const text = JSON.stringify(value, function (this: Record<string, unknown>, key: string, v: unknown) {
    const original = key === "" ? value : this[key]; // before toJSON (a Date arrives here as a string)
    if (typeof original === "number" ? !Number.isFinite(original) : typeof original === "object" && original !== null && !Array.isArray(original) && Object.getPrototypeOf(original) !== Object.prototype) exact = false;
    else if (original === undefined || typeof original === "function" || typeof original === "bigint" || typeof original === "symbol") exact = false;
    return typeof v === "bigint" ? null : v;
  });
  return exact ? text : undefined;
}

let shared: RenderCache | undefined;

/** The repository's render cache, or undefined when bypassed (`LS_RENDER_CACHE=0`). */
export function defaultRenderCache(): RenderCache | undefined {
  if (!renderCacheEnabled()) return undefined;
  return (shared ??= new RenderCache());
}

/** `parse` of the yaml package through the repository's cache (parsed directly when bypassed). */
export function parseYamlCached<T>(text: string): T {
  const cache = defaultRenderCache();
  return cache ? cache.parseYaml<T>(text) : (parse(text) as T);
}
