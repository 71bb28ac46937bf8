/** `npm run bench`'s verdict: ratios to `node -e 0`, and a row fails only when over its own budget. */
import { REFERENCE_NODE_SECONDS, Row, table, withinBudget } from "../../scripts/bench";

const node = 0.05; // this machine's node -e 0: twice as fast as nothing, so the ratio is what counts
const row = (label: string, seconds: number, budget: Row["budget"], extra: Partial<Row> = {}): Row => ({ label, seconds, budget, ...extra });

describe("bench budgets", () => {
  test("a time budget is the reference target divided by the reference node -e 0, applied as a ratio", () => {
    const limit = (1 / REFERENCE_NODE_SECONDS) * node; // 1 s on the reference machine
    expect(withinBudget(row("cost", limit * 0.99, { seconds: 1 }), [], node)).toBe(true);
    expect(withinBudget(row("cost", limit * 1.01, { seconds: 1 }), [], node)).toBe(false);
  });

  test("a row's own node -e 0 (measured next to it) wins over the run-wide one", () => {
    const r = row("synth", 1.0, { seconds: 0.5 }, { nodeSeconds: 0.2 }); // 5x its node, budget ~6.7x
    expect(withinBudget(r, [], node)).toBe(true);
  });

  test("memory budgets are MB; a row without a measured MB fails a memory budget", () => {
    expect(withinBudget(row("synth", 0, { mb: 120 }, { mb: 119 }), [], node)).toBe(true);
    expect(withinBudget(row("synth", 0, { mb: 120 }, { mb: 121 }), [], node)).toBe(false);
    expect(withinBudget(row("synth", 0, { mb: 120 }, { mb: Number.NaN }), [], node)).toBe(false);
  });

  test("a scale row is judged against another row (30 environments <= 3x the 3-environment synth)", () => {
    const three = row("3 envs", 1, {});
    const budget = { timesRow: { row: "3 envs", factor: 3 } };
    expect(withinBudget(row("30 envs", 2.9, budget), [three], node)).toBe(true);
    expect(withinBudget(row("30 envs", 3.1, budget), [three], node)).toBe(false);
    // Times compare directly: each row's own `node -e 0` (moments apart) does not enter.
    const threeSlowNode = row("3 envs", 1, {}, { nodeSeconds: 0.1 });
    expect(withinBudget(row("30 envs", 2.9, budget, { nodeSeconds: 0.06 }), [threeSlowNode], node)).toBe(true);
    expect(withinBudget(row("30 envs", 3.1, budget, { nodeSeconds: 0.1 }), [row("3 envs", 1, {}, { nodeSeconds: 0.06 })], node)).toBe(false);
  });

  test("skipped rows and rows without a budget never fail; the table marks the ones over", () => {
    const rows = [row("jest", 0, { seconds: 10 }, { skipped: "--quick" }), row("info", 99, {}), row("slow", 99, { seconds: 1 })];
    expect(rows.map((r) => withinBudget(r, rows, node))).toEqual([true, true, false]);
    const text = table(rows, node);
    expect(text.split("\n")).toHaveLength(2 + rows.length);
    expect(text).toMatch(/\| jest \|.*skipped: --quick \|/);
    expect(text).toMatch(/\| slow \| 99\.00 s \| 1980\.0 \|.*\*\*OVER\*\* \|$/m);
    expect(text).toMatch(/\| info \| 99\.00 s \|.* ok \|$/m);
  });
});
