/** What the command-line scripts share: arguments, reading a plan, running `main`. */
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Json } from "../lib/policy/types";

/** Every value given after `flag`: `--allow a --allow b` → `["a", "b"]`. */
export function flagValues(argv: readonly string[], flag: string): string[] {
  return argv.filter((_, i) => argv[i - 1] === flag);
}

/** The arguments that are neither `--flags` nor the value after one of `valueFlags`. */
export function positionals(argv: readonly string[], valueFlags: readonly string[]): string[] {
  return argv.filter((a, i) => !a.startsWith("--") && !valueFlags.includes(argv[i - 1]));
}

/**
 * The `-`/`--` options in `argv` that a command does not take (`known`: its flags and value
 * flags; `--help`/`-h` always). A misspelt option is refused, never ignored: `--aply` would do a
 * dry run, `--evn prod` judge a plan by the wrong tier, `--hostnme` fork with the source's host.
 */
export function unknownOptions(argv: readonly string[], known: readonly string[]): string[] {
  return argv.filter((a) => /^-/.test(a) && a !== "--help" && a !== "-h" && !known.includes(a));
}

/** The usage error a command prints for `unknownOptions` (exit 2). */
export function unknownOptionsMessage(command: string, bad: readonly string[], known: readonly string[]): string {
  return `${command}: unknown option${bad.length > 1 ? "s" : ""} ${bad.join(", ")} (${known.length > 0 ? `it takes ${known.join(", ")}` : "it takes none"}; --help for usage)`;
}

/** True when the user asked for usage (`--help` or `-h`): print it and do nothing else. */
export function wantsHelp(argv: readonly string[]): boolean {
  return argv.includes("--help") || argv.includes("-h");
}

/** A JSON file, e.g. the output of `terraform show -json`; a missing or unreadable file is said plainly. */
export function readJson(file: string): Json {
  const path = resolve(file);
  if (!existsSync(path)) throw new Error(`${path}: no such file (run the plan first, e.g. npm run plan:offline, or give the path of a terraform show -json file)`);
  try {
    return JSON.parse(readFileSync(path, "utf8")) as Json;
  } catch (e) {
    throw new Error(`${path}: not a JSON file (${e instanceof Error ? e.message : String(e)})`);
  }
}

/**
 * Runs `main` with the command-line arguments when `mod` is the file node was started with:
 * its return value becomes the exit code; an exception prints its message and exits `errorCode`.
 */
export function runCli(mod: NodeModule, main: (argv: string[]) => number, errorCode: number): void {
  if (require.main !== mod) return;
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = errorCode;
  }
}
