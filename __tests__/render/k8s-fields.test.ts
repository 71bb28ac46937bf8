/**
 * Every object of a built-in kind that each environment's releases render (the LangSmith chart and
 * this project's own manifests chart: NetworkPolicies, the database Job, RBAC, service accounts)
 * has only fields its Kubernetes API has (lib/render/k8s-fields.ts): the API server drops an
 * unknown field silently, so a typo installs cleanly and does nothing. The chart's pods across
 * forks and the next chart are __tests__/render/pods.test.ts's; Langfuse's, langfuse.test.ts's.
 */
import { checkFields } from "../../lib/render/k8s-fields";
import { describeEach } from "../helpers";
import { describeRendered, LANGSMITH_ENVIRONMENT_NAMES, rendered } from "./rendered";

describeEach(LANGSMITH_ENVIRONMENT_NAMES, describeRendered)("%s: rendered objects against the Kubernetes API", (name) => {
  test("every release's objects of built-in kinds have only fields the API has; CRDs are named as not checked", () => {
    const env = rendered(name);
    const checks = env.releases.flatMap((r) => (r.manifests ?? []).map((m) => ({ release: r.name, ...checkFields(m) })));
    expect(checks.filter((c) => c.model).length).toBeGreaterThan(20);
    expect(checks.flatMap((c) => c.unknown.map((u) => `${c.release} ${c.object}: ${u}`))).toEqual([]);
    // Kinds without a model are custom resources (their CRDs validate them), never a built-in kind.
    const unchecked = [...new Set(env.releases.flatMap((r) => r.manifests ?? []).filter((m) => !checkFields(m).model).map((m) => m.apiVersion))];
    expect(unchecked.filter((v) => !v.includes(".") || v.endsWith(".k8s.io/v1"))).toEqual([]);
  });
});
