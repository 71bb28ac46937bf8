import { TerraformStack } from "cdktf";
import { prepareWithoutCrossStackResolve, ValidatedResolve } from "./cdktf-internals";

/**
 * A stack that shares nothing with the other stacks of the app: every environment is its own
 * state and plan, and values cross between stacks only through configuration, never as
 * references. The base class of `LangsmithStack` and `BootstrapStack`.
 *
 * `App.synth()` first calls `prepareStack()` on every stack: a full resolve of every element,
 * thrown away, whose purpose is finding references to another stack's resources (it then adds
 * a `terraform_remote_state` data source and an output for each). The stack is resolved again
 * for the policy check and the output, so without cross-stack references that first pass only
 * costs time (~15% of a synth). Skipping it changes no output byte.
 *
 * Should a construct ever be handed another stack's resource, its reference is written as-is
 * and names nothing in this stack: `terraform validate` and the offline plan reject it, and so
 * does the test "every reference names a block of its own stack" (`__tests__/stacks/isolated-stack.test.ts`).
 *
 * Resolving a stack to JSON is the costliest step of synth: the policy validation resolves it
 * (`resolveForValidation`) and the synthesizer's `toTerraform()` right after reuses that JSON.
 * Both reaches into cdktf are patches of stacks/cdktf-internals.ts, checked by its test.
 */
export class IsolatedStack extends TerraformStack {
  private readonly validated = new ValidatedResolve<ReturnType<TerraformStack["toTerraform"]>>();

  public prepareStack(): void {
    prepareWithoutCrossStackResolve(this);
  }

  /** The JSON the validation just resolved (once), else a fresh resolve. */
  public toTerraform(): ReturnType<TerraformStack["toTerraform"]> {
    return this.validated.take() ?? super.toTerraform();
  }

  /** A fresh resolve, kept for the synthesizer's `toTerraform()` that follows the validations. */
  public resolveForValidation(): ReturnType<TerraformStack["toTerraform"]> {
    return this.validated.keep(super.toTerraform());
  }
}
