/**
 * Every object of a built-in kind that each environment's releases render (the LangSmith chart,
 * Langfuse's, and this project's own manifests chart: NetworkPolicies, the database Jobs, RBAC,
 * service accounts) has only fields its Kubernetes API has (lib/render/k8s-fields.ts): the API
 * server drops an unknown field silently, so a typo installs cleanly and does nothing. Every
 * environment of environments/, Langfuse-only ones included. The LangSmith pods across forks and
 * the next chart are __tests__/render/pods.test.ts's; Langfuse's configurations, langfuse.test.ts's.
 */
import { checkFields } from "../../lib/render/k8s-fields";
import { describeEach } from "../helpers";
import { describeRendered, ENVIRONMENT_CONFIGS, renderedReleases } from "./rendered";

describeEach(
  ENVIRONMENT_CONFIGS.map((c) => c.name),
  describeRendered,
)("%s: rendered objects against the Kubernetes API", (name) => {
  test("every release's objects of built-in kinds have only fields the API has; CRDs are named as not checked", () => {
    const releases = renderedReleases(name);
    const checks = releases.flatMap((r) => (r.manifests ?? []).map((m) => ({ release: r.name, apiVersion: m.apiVersion, ...checkFields(m) })));
    expect(checks.filter((c) => c.model).length).toBeGreaterThan(5);
    expect(checks.flatMap((c) => c.unknown.map((u) => `${c.release} ${c.object}: ${u}`))).toEqual([]);
    // Kinds without a model are custom resources (their CRDs validate them), never a built-in kind.
    const unchecked = [...new Set(checks.filter((c) => !c.model).map((c) => c.apiVersion))];
    expect(unchecked.filter((v) => !v.includes(".") || v.endsWith(".k8s.io/v1"))).toEqual([]);
  });
});
