import { App } from "cdktf";
import { EnvironmentSource, loadEnvironments } from "../lib/config/load";
import { LangsmithStack } from "./langsmith-stack";
import { BootstrapStack, bootstrapStackName, bootstrapTargets } from "./bootstrap-stack";

/** Validates all environments (throws ConfigError listing every problem), then adds the stacks. */
export function buildApp(app: App, sources: readonly EnvironmentSource[]): { environments: LangsmithStack[]; bootstrap: BootstrapStack[] } {
  const loaded = loadEnvironments(sources);
  const environments = loaded.map((e) => new LangsmithStack(app, { env: e.config }));
  const targets = bootstrapTargets(loaded.map((e) => e.config));
  const bootstrap = targets.map((t) => new BootstrapStack(app, bootstrapStackName(t, targets), t));
  return { environments, bootstrap };
}
