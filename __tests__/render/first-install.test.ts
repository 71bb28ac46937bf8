/**
 * Day 1, decided from the rendered chart: the first install must be able to finish.
 *  - Helm runs post-install hooks only after --wait sees every Deployment ready; the chart's
 *    migrations are post-install hooks, so the release must not wait (nor be atomic, which implies wait).
 *  - No ExternalSecret is created, and LangSmith not installed, while a Secrets Manager secret they read is empty.
 */
import { RELEASE_WAIT } from "../../modules/langsmith-release";
import { Json, describeEach } from "../helpers";
import { pods } from "./manifests";
import { describeRendered, LANGSMITH_ENVIRONMENT_NAMES, rendered } from "./rendered";

const hookPhases = (hook: string) => hook.split(",").map((h) => h.trim());

describeEach(LANGSMITH_ENVIRONMENT_NAMES, describeRendered)("%s: the first install finishes", (name) => {
  const env = () => rendered(name);
  const release = () => (env().stack.resource.helm_release as Json)[env().langsmith.resource];

  test("the migrations are post-install hooks, so the release does not wait for Deployments (nor is atomic)", () => {
    const postInstall = pods(env().langsmith.manifests).filter((p) => hookPhases(p.hook).includes("post-install"));
    expect(postInstall.map((p) => p.name)).toEqual(expect.arrayContaining([expect.stringMatching(/migrations$/)]));
    const deploymentsWithProbes = env().langsmith.manifests.filter((m) => m.kind === "Deployment" && m.spec.template.spec.containers.some((c: Json) => c.readinessProbe));
    expect(deploymentsWithProbes.length).toBeGreaterThan(0);
    // wait (or atomic) + a post-install hook that readiness depends on = a first install that cannot finish
    expect({ wait: release().wait, atomic: release().atomic }).toEqual({ wait: false, atomic: false });
    expect(RELEASE_WAIT).toEqual({ wait: false, atomic: false, waitForJobs: false });
  });

  test("Helm still awaits every hook Job; the post-install e2e trace retries while the pods come up", () => {
    const e2e = env().langsmith.manifests.find((m) => m.kind === "Job" && /e2e/.test(m.metadata.name));
    if (!e2e) return; // rendered only with basic auth or mixed OAuth
    expect(hookPhases(e2e.metadata.annotations?.["helm.sh/hook"] ?? "")).toContain("post-install");
    expect(e2e.spec.backoffLimit).toBeGreaterThanOrEqual(5);
    expect(release().timeout).toBeGreaterThanOrEqual(1200);
  });

  test("every Secrets Manager secret an ExternalSecret reads is checked for a value before the secrets and the app are installed", () => {
    const stack = env().stack;
    const externalSecrets = env().releases.flatMap((r) => (r.manifests ?? []).filter((m) => m.kind === "ExternalSecret"));
    const appSecretsResource = env().releases.find((r) => r.manifests?.some((m) => m.kind === "ExternalSecret"))!.resource;
    // The remote keys as synthesized (Terraform references), from the raw values of that release.
    const raw = JSON.stringify((stack.resource.helm_release as Json)[appSecretsResource].values);
    const read = [...new Set(raw.match(/aws_secretsmanager_secret\.[A-Za-z0-9_-]+/g) ?? [])];
    expect(externalSecrets.length).toBeGreaterThan(0);
    expect(read.length).toBeGreaterThan(0);
    const versions = Object.entries((stack.data?.aws_secretsmanager_secret_versions ?? {}) as Json);
    const checked = new Map(versions.map(([id, d]) => [String(d.secret_id).replace(/^\$\{(.*)\.arn\}$/, "$1"), id]));
    expect(read.filter((s) => !checked.has(s))).toEqual([]);
    for (const r of [appSecretsResource, env().langsmith.resource]) {
      const pre: Json[] = (stack.resource.helm_release as Json)[r].lifecycle?.precondition ?? [];
      for (const s of read) {
        expect(pre.some((p) => String(p.condition).includes(`.${checked.get(s)}.versions`) && /has no value yet.*Fill it: /.test(p.error_message))).toBe(true);
      }
    }
  });
});
