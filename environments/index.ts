/**
 * The environments this app synthesizes, one stack (`langsmith-<name>`) each.
 * To add one: copy a file, change its fields, and add a line here (environments/README.md).
 */
import type { EnvironmentSource } from "../lib/config/load";
import dev from "./dev";
import staging from "./staging";
import prod from "./prod";

export const ENVIRONMENTS: readonly EnvironmentSource[] = [
  { file: "environments/dev.ts", input: dev },
  { file: "environments/staging.ts", input: staging },
  { file: "environments/prod.ts", input: prod },
];
