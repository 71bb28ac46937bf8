import { buildLangfuseValues } from "../../lib/langfuse-values";
import { buildLangsmithValues } from "../../lib/langsmith-values";
import { droppedListItems, holdsList, mergeNamedLists } from "../../lib/values-overrides";
import { Json, loadProblems, shippedInput } from "../helpers";
import { langfuseOnly, langfuseOnlyProductionFork } from "../langfuse-envs";
import { INPUTS, loadWith } from "./langsmith-values/envs";

const LANGFUSE_INPUTS = { roleArn: "<role>", bucketName: "<bucket>" };

describe("override lists against the project's", () => {
  const project = { a: { env: [{ name: "X", value: "1" }, { name: "Y", value: "2" }], drop: ["ALL"], empty: [] as unknown[] } };

  test("named lists merge by name: yours replace the project's item of that name, new ones come after", () => {
    expect(mergeNamedLists(project, { a: { env: [{ name: "Z", value: "3" }, { name: "X", value: "9" }] }, b: 1 })).toEqual({
      a: { env: [{ name: "X", value: "9" }, { name: "Y", value: "2" }, { name: "Z", value: "3" }] },
      b: 1,
    });
    // Where the project sets no named list there, the override's list is taken as it is.
    expect(mergeNamedLists(project, { a: { drop: ["NET_RAW"], other: [{ name: "Q" }] } })).toEqual({ a: { drop: ["NET_RAW"], other: [{ name: "Q" }] } });
  });

  test("any other list must keep the project's items; named lists, supersets and lists the project leaves empty pass", () => {
    expect(droppedListItems(project, { a: { drop: [] } })).toEqual([{ path: "a.drop", value: [], dropped: ["ALL"], project: ["ALL"] }]);
    expect(droppedListItems(project, { a: { drop: ["ALL", "NET_RAW"], env: [{ name: "Z" }], empty: ["x"] } })).toEqual([]);
    // An empty list merges nothing by name: it would replace the project's named items, so it is refused too.
    expect(droppedListItems(project, { a: { env: [] } }).map((d) => d.path)).toEqual(["a.env"]);
    expect([holdsList({ a: { b: 1 } }), holdsList({ a: { b: [] } })]).toEqual([false, true]);
  });
});

describe("LangSmith overrides", () => {
  test("a volume or an env var is added beside the project's, not instead of them", () => {
    const env = loadWith("dev", (i) => (i.langsmith.valuesOverrides = { frontend: { deployment: { volumes: [{ name: "extra", emptyDir: {} }] } }, commonEnv: [{ name: "X", value: "1" }] }));
    const values = buildLangsmithValues(env, INPUTS) as Json;
    const project = buildLangsmithValues(loadWith("dev"), INPUTS) as Json;
    expect(values.frontend.deployment.volumes.map((v: Json) => v.name)).toEqual([...project.frontend.deployment.volumes.map((v: Json) => v.name), "extra"]);
    expect(values.commonEnv.map((v: Json) => v.name)).toEqual([...project.commonEnv.map((v: Json) => v.name), "X"]);
  });

  test.each<[string, "dev" | "prod", Json, string]>([
    [
      "Pod Security's capabilities drop",
      "dev",
      { backend: { deployment: { securityContext: { capabilities: { drop: [] } } } } },
      'environments/dev.ts: langsmith.valuesOverrides.backend.deployment.securityContext.capabilities.drop must keep the item the project sets there: Helm replaces a list whole, so it would be lost (lists of named items, such as env and volumes, merge by name instead), got []; list yours beside the project\'s: ["ALL"]',
    ],
    [
      "the ClickHouse pool's toleration",
      "dev",
      { clickhouse: { statefulSet: { tolerations: [{ key: "spot", operator: "Exists" }] } } },
      'environments/dev.ts: langsmith.valuesOverrides.clickhouse.statefulSet.tolerations must keep the item the project sets there: Helm replaces a list whole, so it would be lost (lists of named items, such as env and volumes, merge by name instead), got [{"key":"spot","operator":"Exists"}]; list yours beside the project\'s: [{"key":"dedicated","operator":"Equal","value":"clickhouse","effect":"NoSchedule"}]',
    ],
    ["production's zone spread", "prod", { backend: { deployment: { topologySpreadConstraints: [] } } }, "environments/prod.ts: langsmith.valuesOverrides.backend.deployment.topologySpreadConstraints must keep the 2 items the project sets there: Helm replaces a list whole, so all of them would be lost"],
  ])("a list that drops %s is refused at load, with the project's list in the fix", (_what, name, overrides, message) => {
    const input = shippedInput(name);
    input.langsmith.valuesOverrides = overrides;
    const problems = loadProblems([{ file: `environments/${name}.ts`, input }]);
    expect(problems).toHaveLength(1);
    expect(problems[0].startsWith(message)).toBe(true);
  });

  test("the values builder refuses it too when handed an environment that skipped the loader", () => {
    const loaded = loadWith("dev");
    const env = { ...loaded, langsmith: { ...loaded.langsmith, valuesOverrides: { backend: { deployment: { securityContext: { capabilities: { drop: [] } } } } } } };
    expect(() => buildLangsmithValues(env, INPUTS)).toThrow('langsmith.valuesOverrides.backend.deployment.securityContext.capabilities.drop drops ["ALL"] of the list the project sets there');
  });
});

describe("Langfuse overrides", () => {
  test("an env var is added beside the project's; production's zone spread cannot be dropped", () => {
    const env = langfuseOnly({ valuesOverrides: { langfuse: { web: { pod: { additionalEnv: [{ name: "X", value: "1" }] } } } } });
    const names = (buildLangfuseValues(env, LANGFUSE_INPUTS) as Json).langfuse.web.pod.additionalEnv.map((v: Json) => v.name);
    expect(names[names.length - 1]).toBe("X");
    expect(names).toContain("LANGFUSE_INIT_ORG_ID");
    const input = langfuseOnlyProductionFork() as Json;
    input.langfuse.valuesOverrides = { langfuse: { web: { pod: { topologySpreadConstraints: [] } } } };
    const [problem, ...rest] = loadProblems([{ file: "environments/lfp.ts", input }]);
    expect(rest).toEqual([]);
    expect(problem).toContain("environments/lfp.ts: langfuse.valuesOverrides.langfuse.web.pod.topologySpreadConstraints must keep the 2 items the project sets there");
  });
});
