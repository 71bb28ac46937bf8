import { App } from "cdktf";
import { EnvironmentSource, loadEnvironments } from "../lib/config/load";
import { EnvironmentConfig } from "../lib/config/schema";
import { LangsmithStack } from "./langsmith-stack";
import { BootstrapStack, bootstrapStackName, bootstrapTargets } from "./bootstrap-stack";

/** Validates all environments (throws ConfigError listing every problem), then adds the stacks. */
export function buildApp(app: App, sources: readonly EnvironmentSource[]): { environments: LangsmithStack[]; bootstrap: BootstrapStack[] } {
  const configs = loadEnvironments(sources).map((e) => e.config);
  const environments = configs.map((env) => new LangsmithStack(app, { env }));
  return { environments, bootstrap: buildBootstrap(app, configs) };
}

/** One bootstrap stack per state bucket of the (validated) environments. */
export function buildBootstrap(app: App, configs: readonly EnvironmentConfig[]): BootstrapStack[] {
  const targets = bootstrapTargets(configs);
  return targets.map((t) => new BootstrapStack(app, bootstrapStackName(t, targets), t));
}
