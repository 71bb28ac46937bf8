/**
 * Runs before every test file: no token creation stacks, as in the synth entry points
 * (stacks/creation-stacks.ts). They are a third of the time of a synth-heavy test file and
 * only ever show up in an error about a token that fails to resolve; to see them there, run
 * the tests with CDKTF_CREATION_STACKS=1.
 */
import { speedUpSynth } from "../stacks/creation-stacks";

speedUpSynth();
