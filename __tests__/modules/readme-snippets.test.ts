/**
 * Every module README opens with a usage snippet of its construct, and the snippet compiles: it is
 * type-checked against the module's real exports (strict, as the sources), inside a construct
 * whose surroundings (`env`, `namer`, `network`, `eks`, ...) are declared with their real types.
 * A prop renamed or removed in a module fails here until its README shows the real inputs.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as ts from "typescript";

const ROOT = join(__dirname, "..", "..");
const MODULES = readdirSync(join(ROOT, "modules")).filter((m) => {
  try {
    return readFileSync(join(ROOT, "modules", m, "README.md"), "utf8").length > 0;
  } catch {
    return false;
  }
});

/** The first ```ts block of a README, or undefined. */
function snippet(module: string): string | undefined {
  const text = readFileSync(join(ROOT, "modules", module, "README.md"), "utf8");
  return /```ts\n([\s\S]*?)```/.exec(text)?.[1];
}

/** What a snippet may refer to besides its module's exports: the surroundings of a stack. */
const SURROUNDINGS = `
import { Construct } from "constructs";
import { protectsData } from "../lib/config/schema";
import { postgresKind } from "../lib/naming";
import { buildLangsmithValues } from "../lib/langsmith-values";
import { Aspects } from "cdktf";
import { awsProvider, defaultTags } from "../stacks/providers";
import { DbSubnetGroup } from "@cdktf/provider-aws/lib/db-subnet-group";
import { ciArns, ciNames, githubSubjects } from "../lib/ci";
import { policyDocument } from "../lib/iam";
import { BlobStorage } from "../modules/blob-storage";
declare const env: import("../lib/config/schema").EnvironmentConfig;
declare const namer: import("../lib/naming").Namer;
declare const n: import("../lib/naming").Namer;
declare const protect: boolean;
declare const stack: import("cdktf").TerraformStack;
/** The environment's S3 state (\`env.state\` when its backend is s3). */
declare const state: Extract<import("../lib/config/schema").EnvironmentConfig["state"], { backend: "s3" }>;
declare const bucket: import("@cdktf/provider-aws/lib/s3-bucket").S3Bucket;
declare const key: import("../modules/kms").CustomerManagedKey;
declare const table: import("@cdktf/provider-aws/lib/dynamodb-table").DynamodbTable | undefined;
declare const secretsKey: import("../modules/kms").CustomerManagedKey;
declare const esoRole: import("../modules/irsa").IrsaRole;
declare const zoneArn: string;
declare const asgArn: string;
declare const targetGroup: import("@cdktf/provider-aws/lib/lb-target-group").LbTargetGroup;
declare const network: import("../modules/network").Network;
declare const eks: import("../modules/eks").EksCluster;
declare const cluster: import("../modules/eks").EksCluster;
declare const logsKey: import("../modules/kms").CustomerManagedKey;
declare const ebsKey: import("../modules/kms").CustomerManagedKey;
declare const appRole: import("../modules/langsmith-identity").LangsmithAppRole;
declare const blob: import("../modules/blob-storage").BlobStorage;
declare const postgres: import("../modules/postgres").Postgres;
declare const redis: import("../modules/redis").Redis;
declare const addons: import("../modules/cluster-addons").ClusterAddons;
declare const ingress: import("../modules/ingress").Ingress;
declare const helmProvider: import("@cdktf/provider-helm/lib/provider").HelmProvider;
declare const langsmithNamespace: import("@cdktf/provider-kubernetes/lib/namespace-v1").NamespaceV1;
declare const targetGroupBinding: import("../modules/k8s-manifests").K8sManifests;
declare const appSecrets: import("../modules/k8s-manifests").K8sManifests;
`;

/** The value names SURROUNDINGS imports (a module's own export of the same name is not imported twice). */
const SURROUNDING_VALUES = [...SURROUNDINGS.matchAll(/^import \{ ([^}]+) \}/gm)].flatMap((m) => m[1].split(",").map((s) => s.trim()));

function virtualFile(module: string, body: string): string {
  // The module's own exports by name (values; types are reached through them).
  const loaded = require(join(ROOT, "modules", module)) as Record<string, unknown>;
  // A re-exported type is an undefined export at runtime (swc): not a value to import.
  const exported = Object.keys(loaded).filter((k) => k !== "__esModule" && loaded[k] !== undefined);
  const taken = new Set(SURROUNDING_VALUES);
  const own = exported.filter((k) => !taken.has(k));
  return [
    `import { ${own.join(", ")} } from "../modules/${module}";`,
    SURROUNDINGS,
    "export class Snippet extends Construct {",
    "  constructor(scope: Construct) {",
    '    super(scope, "snippet");',
    body,
    "  }",
    "}",
    // Names imported only for some snippets are not "unused" mistakes of the snippet.
    `export const _uses = [${[...own, ...SURROUNDING_VALUES.filter((v) => v !== "Construct")].join(", ")}];`,
  ].join("\n");
}

function compile(files: Map<string, string>): Map<string, string[]> {
  const config = ts.getParsedCommandLineOfConfigFile(join(ROOT, "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  if (!config) throw new Error("tsconfig.json did not parse");
  const options: ts.CompilerOptions = { ...config.options, noEmit: true, incremental: false, tsBuildInfoFile: undefined, noUnusedLocals: false, types: ["node"] };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lang, ...rest) => (files.has(name) ? ts.createSourceFile(name, files.get(name)!, lang) : getSourceFile(name, lang, ...rest));
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => files.has(name) || fileExists(name);
  const program = ts.createProgram([...files.keys()], options, host);
  const errors = new Map<string, string[]>();
  for (const file of files.keys()) {
    const diagnostics = [...program.getSyntacticDiagnostics(program.getSourceFile(file)), ...program.getSemanticDiagnostics(program.getSourceFile(file))];
    errors.set(
      file,
      diagnostics.map((d) => {
        const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
        return `line ${line}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
      }),
    );
  }
  return errors;
}

describe("module README snippets", () => {
  const withSnippet = MODULES.filter((m) => snippet(m) !== undefined);
  const files = new Map(withSnippet.map((m) => [join(ROOT, "__readme__", `${m}.ts`), virtualFile(m, snippet(m)!)] as const));
  let errors: Map<string, string[]>;
  beforeAll(() => {
    errors = compile(files);
  }, 120_000);

  test("every module has a README that opens with a ts snippet", () => {
    expect(MODULES.length).toBeGreaterThan(10);
    for (const m of MODULES) {
      const text = readFileSync(join(ROOT, "modules", m, "README.md"), "utf8").split("\n");
      expect([m, text[0]]).toEqual([m, `# ${m}`]);
      expect([m, text.slice(1).join("\n").trim().startsWith("```ts")]).toEqual([m, true]);
    }
  });

  test.each(withSnippet)("modules/%s/README.md: the snippet type-checks against the module", (m) => {
    expect(errors.get(join(ROOT, "__readme__", `${m}.ts`))).toEqual([]);
  });
});
