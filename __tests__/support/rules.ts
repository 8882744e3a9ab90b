/**
 * The one way tests run policy rules: on whatever `build` adds to a bare test stack, through the
 * same Aspect `npm run synth` uses, reporting as it does.
 */
import { TerraformStack, Testing } from "cdktf";
import type { Construct } from "constructs";
import { describeFinding, PolicyChecks, type PolicyRule } from "../../rules";
import { testApp } from "./synth";

export interface RuleResults {
  /** Violations as `npm run synth` prints them: `stack: <path> (<type>): <problem> [rule <id>]`. */
  readonly violations: string[];
  /** Findings a suppression exempted, in the same form. */
  readonly suppressed: string[];
  /** Every problem the app's validation reports (violations, suppressions of unknown rules). */
  readonly problems: string[];
}

/** Runs `rules` on the stack `build` fills (stack id `stack`). */
export function checkRules(rules: PolicyRule | readonly PolicyRule[], build: (scope: Construct) => void): RuleResults {
  const app = testApp();
  const stack = new TerraformStack(app, "stack");
  build(stack);
  const checks = PolicyChecks.of(app);
  checks.apply(stack, "id" in rules ? [rules] : rules);
  // Synthesizing runs the stack's Aspects, the rules among them.
  Testing.synth(stack);
  return { violations: checks.violations.map(describeFinding), suppressed: checks.suppressed.map(describeFinding), problems: checks.problems() };
}
