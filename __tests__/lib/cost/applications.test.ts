import { applicationShares } from "../../../lib/cost/applications";
import { requestedVcpu } from "../../../lib/general-pool";
import { estimateMonthlyCost } from "../../../lib/cost/model";
import { costReport } from "../../../scripts/cost";
import { envWith } from "../../helpers";
import { langfuseOnly, withLangfuse } from "../../langfuse-envs";

describe("cost share per application", () => {
  test("one application carries the whole estimate", () => {
    for (const env of [envWith("dev"), langfuseOnly()]) {
      const e = estimateMonthlyCost(env);
      const shares = applicationShares(env, e);
      expect(shares).toHaveLength(1);
      expect(shares[0].monthly).toBeCloseTo(e.total, 1);
    }
  });

  test("beside LangSmith, Langfuse pays its own lines and its CPU share of the shared ones; shares add up to the total", () => {
    const env = withLangfuse("dev");
    const e = estimateMonthlyCost(env);
    const [ls, lf] = applicationShares(env, e);
    expect([ls.application, lf.application]).toEqual(["langsmith", "langfuse"]);
    expect(ls.monthly + lf.monthly).toBeCloseTo(e.total, 1);
    expect(lf.requestedVcpu).toBe(requestedVcpu(env, "langfuse"));
    expect(lf.sharedFraction).toBeCloseTo(lf.requestedVcpu / (lf.requestedVcpu + ls.requestedVcpu), 2);
    const lfBucket = e.lines.find((l) => l.key === "s3-langfuse")!.monthly!;
    expect(lf.monthly).toBeGreaterThan(lfBucket);
  });

  test("an own instance is Langfuse's alone and priced like the shared one; alone, Langfuse has no LangSmith bucket", () => {
    const e = estimateMonthlyCost(withLangfuse("dev", (i) => (i.langfuse.database = "own-instance")));
    expect(e.lines.find((l) => l.key === "rds-langfuse")!.monthly).toBe(e.lines.find((l) => l.key === "rds")!.monthly);
    expect(estimateMonthlyCost(langfuseOnly()).lines.find((l) => l.key === "s3")).toMatchObject({ detail: "LangSmith not run", monthly: 0 });
  });

  test("npm run cost prints the share line and puts the shares in the JSON", () => {
    const r = costReport([withLangfuse("dev")]);
    expect(r.text).toMatch(/ {2}Share by application: LangSmith [\d,]+\.\d{2} \(shared lines \d+%, by [\d.]+ vCPU requested\); Langfuse [\d,]+\.\d{2} \(shared lines \d+%, by 1 vCPU requested\)\./);
    expect((r.json as any).environments["langsmith-dev"].applications.map((a: any) => a.application)).toEqual(["langsmith", "langfuse"]);
  });
});
