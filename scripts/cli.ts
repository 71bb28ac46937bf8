/** What the command-line scripts share: arguments, reading a plan, running `main`. */
import { readFileSync } from "node:fs";
import type { Json } from "../lib/policy/types";

/** Every value given after `flag`: `--allow a --allow b` → `["a", "b"]`. */
export function flagValues(argv: readonly string[], flag: string): string[] {
  return argv.filter((_, i) => argv[i - 1] === flag);
}

/** The arguments that are neither `--flags` nor the value after one of `valueFlags`. */
export function positionals(argv: readonly string[], valueFlags: readonly string[]): string[] {
  return argv.filter((a, i) => !a.startsWith("--") && !valueFlags.includes(argv[i - 1]));
}

/** A JSON file, e.g. the output of `terraform show -json`. */
export function readJson(file: string): Json {
  return JSON.parse(readFileSync(file, "utf8")) as Json;
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
