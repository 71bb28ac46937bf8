/**
 * Composes the app: validate every environment, then one stack per environment
 * (`langsmith-<name>`) and one bootstrap stack per state bucket. Nothing else lives here.
 */
import { App } from "cdktf";
import { ENVIRONMENTS } from "./environments";
import { buildApp } from "./stacks/app";
import { skipTokenCreationStacks } from "./stacks/creation-stacks";

skipTokenCreationStacks();
const app = new App();
buildApp(app, ENVIRONMENTS);
app.synth();
