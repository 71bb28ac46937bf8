import type { Application } from "../../lib/config/schema";
import { copyEnvironment, extraEnvironments, fleetTests } from "../../scripts/fleet-test";

describe("fleet test: which environments it adds", () => {
  const ls: Application[] = ["langsmith"];
  const lf: Application[] = ["langfuse"];
  test("two in another account and region from the first environment (both applications; Langfuse alone), two production forks from the first production one (LangSmith; Langfuse alone)", () => {
    expect(extraEnvironments([{ name: "a", tier: "development", applications: ls }, { name: "b", tier: "production", applications: ls }])).toEqual([
      { name: "fleeteu", args: ["fleeteu", "--from", "a", "--account", "444444444444", "--region", "eu-central-1", "--hosted-zone-id", "Z0FLEETEU000000000000001", "--applications", "langsmith,langfuse"] },
      { name: "fleetlf", args: ["fleetlf", "--from", "a", "--account", "444444444444", "--region", "eu-central-1", "--hosted-zone-id", "Z0FLEETEU000000000000001", "--applications", "langfuse"] },
      { name: "fleetprod", args: ["fleetprod", "--from", "b", "--account", "555555555555", "--region", "ap-southeast-2", "--hosted-zone-id", "Z0FLEETPROD0000000000001", "--tier", "production"] },
      { name: "fleetlfprod", args: ["fleetlfprod", "--from", "b", "--account", "555555555555", "--region", "ap-southeast-2", "--hosted-zone-id", "Z0FLEETPROD0000000000001", "--applications", "langfuse"] },
    ]);
  });

  test("no production environment: only the first two forks; no environment at all: said plainly", () => {
    expect(extraEnvironments([{ name: "a", tier: "development", applications: ls }]).map((e) => e.name)).toEqual(["fleeteu", "fleetlf"]);
    expect(() => extraEnvironments([])).toThrow("fleet test: environments/index.ts registers no environment to fork");
  });

  test("a fork that runs LangSmith comes from an environment that runs it (env:new will not add it to a Langfuse-only file); a fleet of Langfuse alone forks Langfuse alone", () => {
    const fleet: Parameters<typeof extraEnvironments>[0] = [
      { name: "lfdev", tier: "development", applications: lf },
      { name: "dev", tier: "development", applications: ls },
      { name: "lfprod", tier: "production", applications: lf },
    ];
    expect(extraEnvironments(fleet).map((e) => `${e.name}<-${e.args[2]}`)).toEqual(["fleeteu<-dev", "fleetlf<-lfdev", "fleetlfprod<-lfprod"]);
    expect(extraEnvironments([{ name: "lfdev", tier: "development", applications: lf }, { name: "lfprod", tier: "production", applications: lf }]).map((e) => `${e.name}<-${e.args[2]}`)).toEqual(["fleetlf<-lfdev", "fleetlfprod<-lfprod"]);
  });
});

describe("fleet test: which test files it runs", () => {
  const { mkdtempSync, mkdirSync, rmSync, writeFileSync } = require("node:fs") as typeof import("node:fs");
  const { tmpdir } = require("node:os") as typeof import("node:os");
  const { join } = require("node:path") as typeof import("node:path");

  test("every test that reaches environments/index.ts itself or through test modules; not through a command's default, nor through the profiles", () => {
    const root = mkdtempSync(join(tmpdir(), "ls-fleet-tests-"));
    try {
      const write = (file: string, text: string) => {
        mkdirSync(join(root, file, ".."), { recursive: true });
        writeFileSync(join(root, file), text);
      };
      // Import lines built from parts: this file's own text names no module the selection would follow.
      const from = (what: string, path: string) => `import ${what} ${"fr"}om "${path}";\n`;
      write("environments/index.ts", "export const ENVIRONMENTS = [];\n");
      write("environments/profiles.ts", "export const PROFILES = {};\n");
      write("__tests__/direct.test.ts", from("{ ENVIRONMENTS }", "../environments"));
      write("__tests__/render/fixture.ts", from("{ ENVIRONMENTS }", "../../environments/index"));
      write("__tests__/render/through-fixture.test.ts", from("{ x }", "./fixture"));
      // Two test helpers importing each other (a cycle), one of them requiring the registry.
      write("__tests__/a.ts", `import "./b";\n`);
      write("__tests__/b.ts", `import "./a";\nconst s = require("../environments");\n`);
      write("__tests__/cycle.test.ts", `import "./a";\n`);
      // A command that defaults to the registry, called by a test with its own environments.
      write("scripts/synth.ts", "export const fleet = import(\"../environments\");\n");
      write("__tests__/command.test.ts", from("{ fleet }", "../scripts/synth"));
      write("__tests__/profiles-only.test.ts", from("{ PROFILES }", "../environments/profiles") + `import "./c";\n`);
      write("__tests__/c.ts", `import "./d";\n`);
      write("__tests__/d.ts", `import "./c";\n`);
      expect(fleetTests(root).map((f) => f.slice(root.length + 1))).toEqual(["__tests__/cycle.test.ts", "__tests__/direct.test.ts", "__tests__/render/through-fixture.test.ts"]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test("in this repository: the render tier (which reads the fleet through its fixture) is among them", () => {
    const root = join(__dirname, "..", "..");
    const files = fleetTests(root).map((f) => f.slice(root.length + 1));
    expect(files).toEqual(expect.arrayContaining(["__tests__/render/tier.test.ts", "__tests__/render/langsmith-wiring.test.ts", "__tests__/render/langfuse.test.ts"]));
  });
});

describe("fleet test: what its copy's steps see", () => {
  const { mkdtempSync, mkdirSync, rmSync } = require("node:fs") as typeof import("node:fs");
  const { tmpdir } = require("node:os") as typeof import("node:os");
  const { join } = require("node:path") as typeof import("node:path");

  test("the repository's offline-plan and render caches, and its chart mirror when there is one beside it (else none: the copy is then a user's clone)", () => {
    const base = mkdtempSync(join(tmpdir(), "ls-fleet-env-"));
    try {
      const root = join(base, "repo");
      mkdirSync(root);
      const bare = copyEnvironment(root, { PATH: "/bin" });
      expect(bare).toEqual({ PATH: "/bin", FORCE_COLOR: "0", LS_OFFLINE_CACHE: join(root, "node_modules", ".cache", "ls-offline"), LS_RENDER_CACHE_ROOT: join(root, "node_modules", ".cache") });
      mkdirSync(join(base, "shared", "reference", "charts"), { recursive: true });
      expect(copyEnvironment(root, {}).LS_CHART_MIRROR).toBe(join(base, "shared", "reference", "charts"));
      // What the caller set wins.
      expect(copyEnvironment(root, { LS_CHART_MIRROR: "/m", LS_RENDER_CACHE_ROOT: "/r", LS_OFFLINE_CACHE: "/o" })).toMatchObject({ LS_CHART_MIRROR: "/m", LS_RENDER_CACHE_ROOT: "/r", LS_OFFLINE_CACHE: "/o" });
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
});
