/** The policy pack: rules over synthesized stacks and plan JSON. See docs/policy-rules.md. */
export * from "./types";
export { fromPlan, fromSynth } from "./adapters";
export { evaluate, formatViolation, formatWaiver, waiverProblems } from "./engine";
export { enforcePolicy, stateStackPolicy } from "./enforce";
export { RULES, findRule } from "./rules";
export { STATEFUL_TYPES, isStateful } from "./stateful";
