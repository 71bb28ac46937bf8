/**
 * One AWS provider process per offline plan, shared by that plan's `terraform plan` and
 * `terraform show -json` through Terraform's provider reattach (`TF_REATTACH_PROVIDERS`).
 *
 * Why: a plain `terraform plan` launches the provider three times (schemas, validate walk, plan
 * walk) and `show -json` once more, and every launch of the ~700 MB binary builds its ~1,500
 * schemas again (~1 CPU-s each). Started once with `-debug`, the provider prints the reattach
 * JSON on stdout and serves every Terraform command that names it; the plan is the same
 * (byte for byte in plan.json but for `timestamp` and the order of `relevant_attributes`).
 * Measured on langsmith-prod: plan 8.6 -> 6.9 s, show 2.6 -> 1.8 s.
 *
 * Limits: a provider process can be configured only once (a second `plan` against it fails
 * with "unable to add custom RootCAs HTTPClient"), so each plan gets its own process, stopped
 * right after its `show`. Every process is stopped on any outcome: its caller's `finally`, and
 * for the script being interrupted or ending early, an `exit` hook and SIGINT/SIGTERM/SIGHUP
 * handlers (installed while a provider runs, removed with the last one). Its socket lives in a
 * scratch TMPDIR that is removed with it. A provider that does not print the reattach line in
 * time is stopped and the caller falls back to Terraform launching it.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSchemaProxy, type KeptTypes, type SchemaCache, type SchemaProxy, type Upstream } from "./schema-proxy";

/** How long a provider may take to print its reattach line (~0.2 s idle; a loaded machine is slower). */
export const REATTACH_TIMEOUT_MS = 15_000;

/** Set LS_PROVIDER_REATTACH=0 to let Terraform launch the provider itself (the slow, plain way). */
export function reattachEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return !["0", "false", "off", "no"].includes((env.LS_PROVIDER_REATTACH ?? "").toLowerCase());
}

/**
 * The JSON of the `TF_REATTACH_PROVIDERS='{...}'` line a provider started with `-debug` prints,
 * or undefined while it has not (fully) printed it. Throws when the line is there but its value
 * is not a JSON object naming at least one provider with an address.
 */
export function parseReattachLine(output: string): string | undefined {
  const m = /TF_REATTACH_PROVIDERS='([^'\n]*)'/.exec(output);
  if (!m) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(m[1]);
  } catch {
    throw new Error(`provider printed an unreadable TF_REATTACH_PROVIDERS value: ${m[1]}`);
  }
  const entries = parsed && typeof parsed === "object" && !Array.isArray(parsed) ? Object.values(parsed as Record<string, any>) : [];
  if (entries.length === 0 || !entries.every((e) => e && typeof e === "object" && e.Addr && typeof e.Addr.String === "string")) {
    throw new Error(`provider printed a TF_REATTACH_PROVIDERS value without a provider address: ${m[1]}`);
  }
  return m[1];
}

/** The provider binaries (`terraform-provider-*`) linked under `<dataDir>/providers`. */
export function providerBinaries(dataDir: string): string[] {
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (depth > 6 || !existsSync(dir)) return;
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      let isDir = false;
      try {
        isDir = statSync(p).isDirectory();
      } catch {
        continue; // a dangling link: providersPresent() makes init run again
      }
      if (isDir) walk(p, depth + 1);
      else if (name.startsWith("terraform-provider-")) found.push(p);
    }
  };
  walk(join(dataDir, "providers"), 0);
  return found;
}

export interface ProviderServer {
  /** The value for TF_REATTACH_PROVIDERS. */
  readonly reattach: string;
  readonly pid: number;
  /** The scratch TMPDIR holding the provider's socket. */
  readonly dir: string;
  /** Kills the process and removes its scratch directory; idempotent and synchronous. */
  stop(): void;
}

const live = new Set<ProviderServer>();

/** Providers running now (for tests and the signal handlers). */
export function liveProviders(): readonly ProviderServer[] {
  return [...live];
}

function stopAll(): void {
  for (const s of [...live]) s.stop();
}

const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
const onSignal = (signal: NodeJS.Signals) => {
  stopAll();
  // What the default handler would have done: end with 128 + the signal's number.
  process.exit(128 + ({ SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as Record<string, number>)[signal]);
};

function track(server: ProviderServer): void {
  if (live.size === 0) {
    process.on("exit", stopAll);
    for (const s of SIGNALS) process.on(s, onSignal);
  }
  live.add(server);
}

function untrack(server: ProviderServer): void {
  if (!live.delete(server) || live.size > 0) return;
  process.removeListener("exit", stopAll);
  for (const s of SIGNALS) process.removeListener(s, onSignal);
}

export type StartResult = { readonly server: ProviderServer } | { readonly server?: undefined; readonly reason: string };

/**
 * Starts `binary -debug` with `env` (the plan's: GOGC, mock credentials) in a scratch TMPDIR and
 * waits for its reattach line. On no line within `timeoutMs`, an early exit or a spawn error,
 * stops it, removes the scratch directory and returns the reason instead.
 */
export function startProvider(binary: string, env: NodeJS.ProcessEnv, timeoutMs = REATTACH_TIMEOUT_MS, args: readonly string[] = ["-debug"]): Promise<StartResult> {
  const dir = mkdtempSync(join(tmpdir(), "ls-provider-"));
  return new Promise((done) => {
    let settled = false;
    let out = "";
    let err = "";
    const child = spawn(binary, [...args], { env: { ...env, TMPDIR: dir }, stdio: ["ignore", "pipe", "pipe"] });
    let exited = false;
    child.on("exit", () => (exited = true));
    const server: ProviderServer = {
      reattach: "",
      pid: child.pid ?? -1,
      dir,
      stop() {
        if (!exited && child.pid !== undefined) {
          try {
            process.kill(child.pid, "SIGKILL");
          } catch {
            // already gone
          }
        }
        rmSync(dir, { recursive: true, force: true });
        untrack(server);
      },
    };
    track(server);
    const fail = (reason: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      server.stop();
      done({ reason });
    };
    const timer = setTimeout(() => fail(`no TF_REATTACH_PROVIDERS line within ${(timeoutMs / 1000).toFixed(1)} s`), timeoutMs);
    // Keep reading after the line (a full pipe would block the provider); keep only a tail for messages.
    child.stdout.on("data", (d: Buffer) => {
      if (settled) return;
      out += d;
      try {
        const reattach = parseReattachLine(out);
        if (!reattach) return;
        settled = true;
        clearTimeout(timer);
        (server as { reattach: string }).reattach = reattach;
        done({ server });
      } catch (e) {
        fail(e instanceof Error ? e.message : String(e));
      }
    });
    child.stderr.on("data", (d: Buffer) => (err = (err + d).slice(-2000)));
    child.on("error", (e) => fail(`could not start ${binary}: ${e.message}`));
    child.on("close", (code, signal) => fail(`${binary} -debug exited (${signal ?? `code ${code}`}) before printing TF_REATTACH_PROVIDERS${err.trim() ? `: ${err.trim().split("\n").slice(-3).join(" | ")}` : ""}`));
  });
}

/** The socket a reattach value points at (its first provider's `Addr.String`). */
export function reattachAddress(reattach: string): string {
  const first = Object.values(JSON.parse(reattach) as Record<string, { Addr: { String: string } }>)[0];
  return first.Addr.String;
}

/** The reattach value with every provider's address replaced by `socket` (the proxy's). */
export function pointReattachAt(reattach: string, socket: string): string {
  const parsed = JSON.parse(reattach) as Record<string, { Addr: { Network: string; String: string } }>;
  for (const p of Object.values(parsed)) p.Addr = { ...p.Addr, Network: "unix", String: socket };
  return JSON.stringify(parsed);
}

/**
 * The provider's full schema answer, by binary (path, size, mtime): asked of one process per
 * binary, then kept in memory and, with `dir`, on disk (`<dir>/<hash>.bin`: a 4-byte length,
 * the headers and trailers as JSON, the body), so a later run asks no provider at all.
 */
const schemaCaches = new Map<string, SchemaCache>();
export function schemaCacheFor(binary: string, dir?: string): SchemaCache {
  const st = statSync(binary);
  const key = createHash("sha256").update(`${realpathSync(binary)}\0${st.size}\0${st.mtimeMs}`).digest("hex").slice(0, 24);
  const known = schemaCaches.get(key);
  if (known) return known;
  const cache: SchemaCache = {};
  schemaCaches.set(key, cache);
  if (!dir) return cache;
  const file = join(dir, `${key}.bin`);
  try {
    const data = readFileSync(file);
    const metaLength = data.readUInt32BE(0);
    const meta = JSON.parse(data.subarray(4, 4 + metaLength).toString("utf8"));
    Object.assign(cache, { headers: meta.headers, trailers: meta.trailers, body: data.subarray(4 + metaLength) });
  } catch {
    // none yet (or unreadable): the first proxy asks the provider
  }
  cache.persist = () => {
    try {
      mkdirSync(dir, { recursive: true });
      const meta = Buffer.from(JSON.stringify({ headers: cache.headers, trailers: cache.trailers }));
      const head = Buffer.alloc(4);
      head.writeUInt32BE(meta.length);
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, Buffer.concat([head, meta, cache.body!]));
      renameSync(tmp, file);
      // Answers of other (older) binaries.
      for (const n of readdirSync(dir)) if (n.endsWith(".bin") && n !== `${key}.bin`) rmSync(join(dir, n), { force: true });
    } catch {
      // a cache only
    }
  };
  return cache;
}

/**
 * Providers started ahead (`prestart`), by binary and env: the next plan's first process (or a
 * second configuration's) is then running already (~0.2 s each, more on a loaded machine).
 */
const spares = new Map<string, Promise<StartResult>[]>();

function spareKey(binary: string, env: NodeJS.ProcessEnv): string {
  return createHash("sha256").update(binary).update("\0").update(JSON.stringify(Object.entries(env).sort())).digest("hex");
}

/** A provider process: one started ahead when there is one, else a new one; with `prestart`, another is started ahead. */
function takeProvider(binary: string, env: NodeJS.ProcessEnv, timeoutMs: number, prestart: boolean): Promise<StartResult> {
  const key = spareKey(binary, env);
  const pool = spares.get(key) ?? [];
  spares.set(key, pool);
  const taken = pool.shift() ?? startProvider(binary, env, timeoutMs);
  if (prestart) pool.push(startProvider(binary, env, timeoutMs));
  return taken;
}

/** Stops the providers started ahead (the caller's run is over). */
export async function dropSpares(): Promise<void> {
  const all = [...spares.values()].flat();
  spares.clear();
  for (const r of await Promise.all(all)) r.server?.stop();
}

export interface ProviderOptions {
  /** Start the next provider process ahead of need (the caller then calls dropSpares() when done). */
  readonly prestart?: boolean;
  /** Called with the reason when Terraform has to launch the provider itself. */
  readonly onFallback?: (reason: string) => void;
  /** How long a provider may take to print its reattach line. */
  readonly timeoutMs?: number;
  /** Where the provider's schema answer is kept between runs (see schemaCacheFor). */
  readonly schemaDir?: string;
}

/**
 * Runs `fn` with an env whose TF_REATTACH_PROVIDERS points Terraform at a schema proxy
 * (schema-proxy.ts) in front of provider processes started here: one, plus one per further
 * provider configuration (alias) Terraform configures. Needs exactly one provider binary under
 * `dataDir`. When anything of that cannot start, calls `onFallback` with the reason and runs
 * `fn` with `env` unchanged (Terraform launches the provider itself). Every process and the
 * proxy are stopped when `fn` settles.
 */
export async function withProvider<T>(
  dataDir: string,
  env: NodeJS.ProcessEnv,
  keep: KeptTypes,
  fn: (env: NodeJS.ProcessEnv) => Promise<T>,
  options: ProviderOptions = {},
): Promise<T> {
  const { onFallback = () => {}, timeoutMs = REATTACH_TIMEOUT_MS, schemaDir, prestart = false } = options;
  if (!reattachEnabled(env)) return fn(env);
  if (process.platform === "win32") {
    // The proxy listens on a unix socket; go-plugin uses TCP on Windows.
    onFallback("not on Windows");
    return fn(env);
  }
  const binaries = providerBinaries(dataDir);
  if (binaries.length !== 1) {
    onFallback(binaries.length === 0 ? `no provider binary under ${join(dataDir, "providers")}` : `${binaries.length} provider binaries under ${join(dataDir, "providers")} (reattach serves one)`);
    return fn(env);
  }
  const servers: ProviderServer[] = [];
  let done = false;
  const stopAllOf = () => {
    done = true;
    for (const s of servers) s.stop();
  };
  const spawnOne = async (): Promise<Upstream> => {
    const r = await takeProvider(binaries[0], env, timeoutMs, prestart);
    if (!r.server) throw new Error(r.reason);
    servers.push(r.server);
    // Started while fn was ending: not needed any more.
    if (done) r.server.stop();
    return { socket: reattachAddress(r.server.reattach), configured: false };
  };
  let proxy: SchemaProxy;
  try {
    const first = await spawnOne();
    proxy = await startSchemaProxy(join(servers[0].dir, "terraform.sock"), first, spawnOne, keep, schemaCacheFor(binaries[0], schemaDir));
  } catch (e) {
    stopAllOf();
    onFallback(e instanceof Error ? e.message : String(e));
    return fn(env);
  }
  try {
    return await fn({ ...env, TF_REATTACH_PROVIDERS: pointReattachAt(servers[0].reattach, proxy.socket) });
  } finally {
    proxy.close();
    stopAllOf();
  }
}
