import { extraEnvironments } from "../../scripts/fleet-test";

describe("fleet test: which environments it adds", () => {
  test("two in another account and region from the first environment (both applications; Langfuse alone), one production fork from the first production one", () => {
    expect(extraEnvironments([{ name: "a", tier: "development" }, { name: "b", tier: "production" }])).toEqual([
      { name: "fleeteu", args: ["fleeteu", "--from", "a", "--account", "444444444444", "--region", "eu-central-1", "--hosted-zone-id", "Z0FLEETEU000000000000001", "--applications", "langsmith,langfuse"] },
      { name: "fleetlf", args: ["fleetlf", "--from", "a", "--account", "444444444444", "--region", "eu-central-1", "--applications", "langfuse"] },
      { name: "fleetprod", args: ["fleetprod", "--from", "b", "--account", "555555555555", "--region", "ap-southeast-2", "--hosted-zone-id", "Z0FLEETPROD0000000000001", "--tier", "production"] },
    ]);
  });

  test("no production environment: only the first fork; no environment at all: said plainly", () => {
    expect(extraEnvironments([{ name: "a", tier: "development" }]).map((e) => e.name)).toEqual(["fleeteu", "fleetlf"]);
    expect(() => extraEnvironments([])).toThrow("fleet test: environments/index.ts registers no environment to fork");
  });
});
