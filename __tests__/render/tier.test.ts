/**
 * The render tier runs for every environment of environments/index.ts: the LangSmith release and
 * every release of the local charts/k8s-manifests chart render with real `helm template`; the
 * add-on charts, which have no offline source, are listed with the reason.
 */
import { LANGSMITH_CHART, describeTier } from "../../lib/render";
import { describeRendered, LANGSMITH_ENVIRONMENT_NAMES, rendered, TIER } from "./rendered";
import { describeEach } from "../helpers";

describeEach(LANGSMITH_ENVIRONMENT_NAMES, describeRendered)("environment %s renders", (name) => {
  test(`the LangSmith chart ${LANGSMITH_CHART.version} renders with the synthesized values`, () => {
    const env = rendered(name);
    expect(env.langsmith.manifests.filter((m) => m.kind === "Deployment").length).toBeGreaterThan(0);
    expect(JSON.stringify(env.langsmith.values)).not.toMatch(/\$\{/); // every Terraform reference has a stand-in
  });
  test("every release of the local k8s-manifests chart renders", () => {
    const local = rendered(name).releases.filter((r) => r.chart.startsWith("assets/k8s-manifests-chart/"));
    expect(local.length).toBeGreaterThan(0);
    for (const r of local) expect({ release: r.resource, rendered: (r.manifests?.length ?? 0) > 0 }).toEqual({ release: r.resource, rendered: true });
  });
  test("only charts without an offline source are skipped, each with its reason", () => {
    const skipped = rendered(name).releases.filter((r) => r.skipped);
    for (const r of skipped) expect(r.skipped).toMatch(/no chart mirror and no pinned digest/);
    expect(skipped.map((r) => r.chart)).not.toContain(LANGSMITH_CHART.chart);
  });
});

if (TIER) {
  test(`tier: ${describeTier(TIER)}`, () => expect(TIER?.helm.version).toMatch(/^v\d+\.\d+\.\d+/));
}
