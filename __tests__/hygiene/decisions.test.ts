/**
 * Decisions made in one place stay there: each check scans the project sources for the ways a
 * decision tends to be re-made by hand, and names the file and line that did.
 */
import { STACK_OUTPUTS } from "../../lib/outputs";
import { projectSources } from "./source-scan";

type Hit = string;

/** Lines matching `pattern` in the sources `include`d, except files `allowed`. */
function offenders(pattern: RegExp, o: { include?: (file: string) => boolean; allowed?: readonly string[] } = {}): Hit[] {
  return projectSources()
    .filter(([file]) => (o.include ?? (() => true))(file) && !(o.allowed ?? []).includes(file))
    .flatMap(([file, text]) => text.split("\n").map((line, i) => [file, i + 1, line] as const))
    .filter(([, , line]) => pattern.test(line))
    .map(([file, n, line]) => `${file}:${n}: ${line.trim()}`);
}

const SNAKE_CASE_OUTPUTS = Object.values(STACK_OUTPUTS).filter((o) => o.includes("_"));

describe.each<[string, RegExp, { include?: (file: string) => boolean; allowed?: readonly string[] }]>([
  // `langsmith-${{ ... }}` is a GitHub Actions expression, not a stack name built in TypeScript.
  ["the stack name is built only in lib/naming.ts (stackName)", /langsmith-\$\{(?!\{)/, { allowed: ["lib/naming.ts"] }],
  ["the Postgres kind is decided only in lib/naming.ts (postgresKind)", /["'](cluster|instance)["']\s*:\s*["'](instance|cluster)["']/, { allowed: ["lib/naming.ts"] }],
  ["the LangSmith URL is built only in lib/naming.ts (httpsUrl)", /https:\/\/\$\{[^}]*hostname/, { allowed: ["lib/naming.ts"] }],
  ["the cluster name is built only in lib/naming.ts (clusterName)", /name\("eks", "eksCluster"\)/, { allowed: ["lib/naming.ts"] }],
  ["the PostgreSQL version (pin or override) is resolved only in lib/engines.ts", /engineVersion \?\?/, { allowed: ["lib/engines.ts"] }],
  [
    "verify reads stack outputs by their constants (lib/outputs.ts), never by hand-written names",
    new RegExp(`["'\`](${SNAKE_CASE_OUTPUTS.join("|")})["'\`]`),
    { include: (f) => f.startsWith("scripts/verify/") },
  ],
  ["the environment stack declares outputs only through STACK_OUTPUTS", /new TerraformOutput\(this, ["'`]/, { include: (f) => f === "stacks/langsmith-stack.ts" }],
  ["verify lists no service account or add-on by hand (lib/langsmith-values/chart.ts, lib/addons.ts)", /["']langsmith-(backend|queue|platform-backend)["']|name: ["'](metrics-server|external-secrets|cluster-autoscaler)["']/, { include: (f) => f.startsWith("scripts/verify/") }],
  [
    // Code only: comments may name the path they explain.
    "health-check paths are defined only with their Service (lib/langsmith-values/chart.ts, lib/langfuse-values/chart.ts)",
    /^(?!\s*(\*|\/\/)).*["'`](\/health|\/api\/public\/(health|ready))["'`]/,
    { allowed: ["lib/langsmith-values/chart.ts", "lib/langfuse-values/chart.ts"] },
  ],
  // The policy pack's messages quote the value for the reader; GitHub's OIDC audience (lib/ci.ts) is a separate decision.
  ["the IRSA audience is written only in lib/iam.ts (IRSA_AUDIENCE)", /^(?!\s*(\*|\/\/)).*["'`]sts\.amazonaws\.com["'`]/, { allowed: ["lib/iam.ts", "lib/ci.ts", "lib/policy/rules/iam.ts"] }],
  ["only the adapter stacks/cdktf-internals.ts reaches into cdktf internals", /from ["']cdktf\/lib\/|require\(["']cdktf\/lib\//, { allowed: ["stacks/cdktf-internals.ts"] }],
  ["stacks import modules through their index", /from ["']\.\.\/modules\/[a-z-]+\/[a-z-]+["']/, { include: (f) => f.startsWith("stacks/") || f === "main.ts" }],
  ["modules import other modules through their index", /from ["']\.\.\/[a-z-]+\/[a-z-]+["']/, { include: (f) => f.startsWith("modules/") }],
  // An application's data composite (modules/<app>-data, e.g. langsmith-data) is where the
  // environment is mapped onto its modules' props; every other module takes explicit props.
  ["modules take explicit props, not the whole EnvironmentConfig", /readonly env: EnvironmentConfig\b/, { include: (f) => f.startsWith("modules/") && !/^modules\/[a-z]+-data\/index\.ts$/.test(f) }],
])("%s", (_decision, pattern, options) => {
  test("no source re-makes it", () => {
    expect(offenders(pattern, options)).toEqual([]);
  });
});

describe("the scans would catch what they look for", () => {
  test.each([
    [/langsmith-\$\{(?!\{)/, "const s = `langsmith-${env.name}`;", "cdktf.out/stacks/langsmith-${{ matrix.environment }}"],
    [/["'](cluster|instance)["']\s*:\s*["'](instance|cluster)["']/, 'kind: aurora ? "cluster" : "instance"', 'kind: postgresKind(engine)'],
    [new RegExp(`["'\`](${SNAKE_CASE_OUTPUTS.join("|")})["'\`]`), 'outputs["cluster_name"]', "outputs[STACK_OUTPUTS.clusterName]"],
    [/^(?!\s*(\*|\/\/)).*["'`](\/health|\/api\/public\/(health|ready))["'`]/, 'const DEFAULTS = { healthCheckPath: "/health" }', "`${base}${FRONTEND_SERVICE.healthCheckPath}`"],
  ])("%s", (pattern, bad, good) => {
    expect(pattern.test(bad)).toBe(true);
    expect(pattern.test(good)).toBe(false);
  });
});
