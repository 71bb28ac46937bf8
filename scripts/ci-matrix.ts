/**
 * `npm run --silent ci:matrix`: the plan matrix and the apply order of the workflows, as JSON,
 * from the environment files (lib/ci-matrix.ts). pr.yml's build job runs it.
 */
import { ENVIRONMENTS } from "../environments";
import { ciMatrix } from "../lib/ci-matrix";
import { EnvironmentSource, loadEnvironments } from "../lib/config/load";
import { runCli, unknownOptions, unknownOptionsMessage, wantsHelp } from "./cli";

const USAGE = [
  "usage: npm run --silent ci:matrix",
  "  Prints {\"plan\": {\"include\": [...]}, \"apply\": {\"include\": [...]}} for .github/workflows:",
  "  one plan entry per environment with a ci block, and the apply order (development tier first, then",
  "  production, each in the order of environments/index.ts).",
].join("\n");

export function main(argv: string[], sources: readonly EnvironmentSource[] = ENVIRONMENTS): number {
  if (wantsHelp(argv)) {
    console.log(USAGE);
    return 0;
  }
  const bad = unknownOptions(argv, []);
  if (bad.length > 0) {
    console.error(`${unknownOptionsMessage("ci:matrix", bad, [])}\n${USAGE}`);
    return 2;
  }
  process.stdout.write(`${JSON.stringify(ciMatrix(loadEnvironments(sources).map((e) => e.config)))}\n`);
  return 0;
}

runCli(module, main, 1);
