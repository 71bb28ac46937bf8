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
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

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

/**
 * Runs `fn` with the env of a provider served for it (TF_REATTACH_PROVIDERS set) when
 * the data dir holds exactly one provider binary and it starts; otherwise with `env` unchanged,
 * after calling `onFallback` with the reason. The provider is stopped when `fn` settles.
 */
export async function withProvider<T>(dataDir: string, env: NodeJS.ProcessEnv, fn: (env: NodeJS.ProcessEnv) => Promise<T>, onFallback: (reason: string) => void = () => {}, timeoutMs = REATTACH_TIMEOUT_MS): Promise<T> {
  if (!reattachEnabled(env)) return fn(env);
  const binaries = providerBinaries(dataDir);
  if (binaries.length !== 1) {
    onFallback(binaries.length === 0 ? `no provider binary under ${join(dataDir, "providers")}` : `${binaries.length} provider binaries under ${join(dataDir, "providers")} (reattach serves one)`);
    return fn(env);
  }
  const started = await startProvider(binaries[0], env, timeoutMs);
  if (!started.server) {
    onFallback(started.reason);
    return fn(env);
  }
  try {
    return await fn({ ...env, TF_REATTACH_PROVIDERS: started.server.reattach });
  } finally {
    started.server.stop();
  }
}
