/** The scale benchmark's generated fleet (scripts/synth-generated.ts) passes the loader, fleet rules included. */
import { ENVIRONMENTS } from "../../environments";
import { loadEnvironments } from "../../lib/config/load";
import { generatedEnvironment, generatedFleet } from "../../scripts/synth-generated";
import { testEach } from "../helpers";

describe("generated fleet", () => {
  // A fleet with no environment has nothing to derive from (the generator says so, below).
  testEach(ENVIRONMENTS.length > 0 ? [1, 3, 10, 30] : [])("%s environments load together, each derived from a shipped one", (n) => {
    const fleet = generatedFleet(n);
    const loaded = loadEnvironments(fleet).map((e) => e.config);
    expect(loaded).toHaveLength(n);
    expect(new Set(loaded.map((c) => c.name)).size).toBe(n);
    expect(new Set(loaded.map((c) => c.dns.hostname)).size).toBe(n);
    loaded.forEach((c, i) => expect(c.aws.accountId).toBe((ENVIRONMENTS[i % ENVIRONMENTS.length].input as { aws: { accountId: string } }).aws.accountId));
  });

  test("says when environments/ has nothing to derive from", () => {
    expect(() => generatedFleet(3, [])).toThrow("synth-generated: environments/ lists no environment to derive from");
  });

  testEach(ENVIRONMENTS.slice(0, 1).map((e) => [e.file, e] as const))("says how many it can make (from %s)", (_file, base) => {
    expect(() => generatedEnvironment(base, 191)).toThrow("synth-generated: at most 191 environments (one /16 each above 10.64.0.0), asked for 192");
  });
});
