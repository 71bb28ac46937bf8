/** Runs gates in order and prints each: progress, pass/fail, evidence, and where to look first. */
import { describeError } from "./clients";
import type { Gate, GateContext } from "./gates";
import { MissingInput } from "./target";

export interface GateReport {
  readonly id: string;
  readonly title: string;
  readonly status: "pass" | "fail" | "skipped";
  readonly seconds: number;
  readonly evidence: readonly string[];
  /** Failure-specific hints, then the gate's triage list (empty unless failed). */
  readonly lookAt: readonly string[];
}

export interface RunReport {
  readonly ok: boolean;
  readonly gates: readonly GateReport[];
}

export interface RunOptions {
  /** Run the remaining gates after a failure. @default false */
  readonly continueOnFailure?: boolean;
  readonly print: (line: string) => void;
}

/** Replaces every secret value (API keys) with `****` before anything is printed. */
export function mask(line: string, secrets: ReadonlySet<string>): string {
  let out = line;
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join("****");
  return out;
}

export async function runGates(gates: readonly Gate[], ctx: GateContext, o: RunOptions): Promise<RunReport> {
  const say = (line: string) => o.print(mask(line, ctx.secrets));
  const width = String(gates.length).length;
  const reports: GateReport[] = [];
  let stopped = false;
  for (const [i, gate] of gates.entries()) {
    const tag = `[${String(i + 1).padStart(width)}/${gates.length}]`;
    if (stopped) {
      say(`${tag} ${gate.title}: skipped (stopped at the first failure; --continue runs every gate)`);
      reports.push({ id: gate.id, title: gate.title, status: "skipped", seconds: 0, evidence: [], lookAt: [] });
      continue;
    }
    say(`${tag} ${gate.title} ...`);
    const started = Date.now();
    let ok: boolean, evidence: string[], hints: string[];
    try {
      const outcome = await gate.run(ctx);
      ({ ok, evidence } = outcome);
      hints = outcome.hints ?? [];
    } catch (e) {
      // A missing input or an API error is a failure of this gate, reported like any other.
      ok = false;
      evidence = [e instanceof MissingInput ? e.message : `error: ${describeError(e)}`];
      hints = [];
    }
    const seconds = (Date.now() - started) / 1000;
    const pad = " ".repeat(tag.length + 1);
    say(`${pad}${ok ? "PASS" : "FAIL"} (${seconds.toFixed(1)} s)`);
    evidence.forEach((line) => say(`${pad}  · ${line}`));
    const lookAt = ok ? [] : [...hints, ...gate.triage];
    if (!ok) {
      say(`${pad}first place to look:`);
      lookAt.forEach((line) => say(`${pad}  → ${line}`));
    }
    reports.push({ id: gate.id, title: gate.title, status: ok ? "pass" : "fail", seconds, evidence: evidence.map((l) => mask(l, ctx.secrets)), lookAt });
    if (!ok && !o.continueOnFailure) stopped = true;
  }
  const count = (s: GateReport["status"]) => reports.filter((r) => r.status === s).length;
  say(`${count("pass")} passed, ${count("fail")} failed, ${count("skipped")} skipped`);
  return { ok: count("fail") === 0 && count("skipped") === 0, gates: reports };
}
