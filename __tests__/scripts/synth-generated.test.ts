/** The scale benchmark's generated fleet (scripts/synth-generated.ts) passes the loader, fleet rules included. */
import { ENVIRONMENTS } from "../../environments";
import { loadEnvironments } from "../../lib/config/load";
import { generatedEnvironment, generatedFleet } from "../../scripts/synth-generated";

describe("generated fleet", () => {
  test.each([1, 3, 10, 30])("%i environments load together, each derived from a shipped one", (n) => {
    const fleet = generatedFleet(n);
    const loaded = loadEnvironments(fleet).map((e) => e.config);
    expect(loaded).toHaveLength(n);
    expect(new Set(loaded.map((c) => c.name)).size).toBe(n);
    expect(new Set(loaded.map((c) => c.dns.hostname)).size).toBe(n);
    loaded.forEach((c, i) => expect(c.aws.accountId).toBe((ENVIRONMENTS[i % ENVIRONMENTS.length].input as { aws: { accountId: string } }).aws.accountId));
  });

  test("says how many it can make", () => {
    expect(() => generatedEnvironment(ENVIRONMENTS[0], 191)).toThrow("synth-generated: at most 191 environments (one /16 each above 10.64.0.0), asked for 192");
  });
});
