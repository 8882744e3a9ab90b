/**
 * Runs policy rules on stacks as Aspects and keeps what they find for the whole app.
 *
 * `PolicyChecks.of(app).apply(stack, rules)` adds one Aspect to the stack; when the stack is
 * synthesized, the Aspect checks every element the rules apply to, after every Aspect added
 * before it (an Aspect that sets a permissions boundary runs first). Findings are collected for
 * the app: `violations` fails the synth (the app's own validation, which runs once every stack
 * is synthesized, so all of them are reported together), `suppressed` is what suppressions hid.
 */
import {
  Aspects,
  DefaultTokenResolver,
  StringConcat,
  TerraformOutput,
  TerraformProvider,
  TerraformResource,
  TerraformStack,
  Tokenization,
  type IAspect,
} from "cdktf";
import type { IConstruct } from "constructs";
import type { Body, Element, PolicyRule, StackElements } from "./rule";
import { suppressionOf, suppressionsUnder, type Suppression } from "./suppress";

/** One rule's finding about one element. */
export interface Finding {
  readonly rule: string;
  /** Id of the stack the element belongs to. */
  readonly stack: string;
  /** Construct path of the element below its stack. */
  readonly path: string;
  readonly type: string;
  readonly problem: string;
  /** The suppression that exempts the element from the rule, if any. */
  readonly suppressedBy?: Suppression;
}

/** The app's violations, as `npm run synth` reports them: every one, no stack trace. */
export class PolicyViolations extends Error {
  constructor(readonly problems: readonly string[]) {
    super(
      `Policy rules refuse the synthesized stacks (${problems.length} violation${problems.length === 1 ? "" : "s"}):\n` +
        problems.map((problem) => `  - ${problem}`).join("\n") +
        "\nFix the resource, or exempt it where it is built with suppressRule(construct, rule, reason) (rules/suppress.ts), the reason naming the compensating control.",
    );
    this.name = "PolicyViolations";
  }
}

const RESOLVER = new DefaultTokenResolver(new StringConcat());

type Synthesizable = TerraformResource | TerraformProvider | TerraformOutput;

function typeOf(construct: IConstruct): string | undefined {
  if (TerraformResource.isTerraformResource(construct)) return construct.terraformResourceType;
  if (TerraformProvider.isTerraformProvider(construct)) return `provider.${construct.terraformResourceType}`;
  if (TerraformOutput.isTerraformOutput(construct)) return "output";
  return undefined;
}

interface Synthesized {
  readonly resource?: Record<string, Record<string, Body>>;
  readonly provider?: Record<string, Body[]>;
  readonly output?: Record<string, Body>;
}

/** The element's own arguments in what `toTerraform` (resolved or not) returns for it. */
function argumentsOf(synthesized: Synthesized, element: Synthesizable, type: string): Body {
  const id = element.friendlyUniqueId;
  if (type === "output") return synthesized.output?.[id] ?? {};
  if (type.startsWith("provider.")) return synthesized.provider?.[type.slice("provider.".length)]?.[0] ?? {};
  return synthesized.resource?.[type]?.[id] ?? {};
}

function elementOf(stack: TerraformStack, construct: IConstruct, type: string): Element {
  const element = construct as Synthesizable;
  let raw: Synthesized | undefined;
  let body: Body | undefined;
  const unresolved = (): Synthesized => (raw ??= element.toTerraform() as Synthesized);
  return {
    construct,
    type,
    get raw() {
      return argumentsOf(unresolved(), element, type);
    },
    // As the stack's `cdk.tf.json` holds them.
    get body() {
      body ??= argumentsOf(Tokenization.resolve(unresolved(), { scope: stack, preparing: false, resolver: RESOLVER }) as Synthesized, element, type);
      return body;
    },
    ref: (attribute) => `\${${type}.${element.friendlyUniqueId}.${attribute}}`,
  };
}

/** A stack's elements, looked up afresh on each call so no rule reads an element before the Aspects before it ran. */
class StackView implements StackElements {
  constructor(private readonly stack: TerraformStack) {}

  ofType(type: string): Element[] {
    return this.stack.node.findAll().flatMap((construct) => (typeOf(construct) === type ? [elementOf(this.stack, construct, type)] : []));
  }
}

const applies = (rule: PolicyRule, construct: IConstruct, type: string): boolean =>
  rule.appliesTo === "resource" ? TerraformResource.isTerraformResource(construct) : rule.appliesTo.includes(type);

/** The Aspect that runs one set of rules on each element of a stack. */
class RuleAspect implements IAspect {
  constructor(
    private readonly checks: PolicyChecks,
    private readonly rules: readonly PolicyRule[],
  ) {}

  visit(construct: IConstruct): void {
    const type = typeOf(construct);
    if (type === undefined) return;
    const rules = this.rules.filter((rule) => applies(rule, construct, type));
    if (rules.length === 0) return;
    const stack = TerraformStack.of(construct);
    const element = elementOf(stack, construct, type);
    const view = new StackView(stack);
    for (const rule of rules) {
      for (const problem of rule.check(element, view)) this.checks.record(rule, stack, element, problem);
    }
  }
}

const checksOf = new WeakMap<IConstruct, PolicyChecks>();

/** The policy rules of one app and everything they found. */
export class PolicyChecks {
  /** The checks of the app `scope` belongs to; the first call makes the app's synth fail on a violation. */
  static of(scope: IConstruct): PolicyChecks {
    const root = scope.node.root;
    let checks = checksOf.get(root);
    if (!checks) {
      checks = new PolicyChecks(root);
      checksOf.set(root, checks);
      const registered = checks;
      root.node.addValidation({ validate: () => registered.problems() });
    }
    return checks;
  }

  private readonly findings = new Map<string, Finding>();
  private readonly ruleIds = new Set<string>();

  private constructor(private readonly root: IConstruct) {}

  /** Runs `rules` on every element of `stack` when it is synthesized. */
  apply(stack: TerraformStack, rules: readonly PolicyRule[]): void {
    for (const rule of rules) this.ruleIds.add(rule.id);
    Aspects.of(stack).add(new RuleAspect(this, rules));
  }

  /** @internal Called by the Aspect; a finding seen again (a stack synthesized twice) is kept once. */
  record(rule: PolicyRule, stack: TerraformStack, element: Element, problem: string): void {
    const path = element.construct.node.path.slice(stack.node.path.length + 1);
    const key = JSON.stringify([rule.id, stack.node.id, path, problem]);
    if (this.findings.has(key)) return;
    const suppressedBy = suppressionOf(element.construct, rule.id);
    this.findings.set(key, { rule: rule.id, stack: stack.node.id, path, type: element.type, problem, ...(suppressedBy ? { suppressedBy } : {}) });
  }

  /** Findings no suppression covers. */
  get violations(): Finding[] {
    return [...this.findings.values()].filter((finding) => finding.suppressedBy === undefined);
  }

  /** Findings a suppression exempts. */
  get suppressed(): Finding[] {
    return [...this.findings.values()].filter((finding) => finding.suppressedBy !== undefined);
  }

  /** Every violation, then every suppression of a rule no stack runs (a typo would hide nothing and say nothing). */
  problems(): string[] {
    const unknown = suppressionsUnder(this.root)
      .filter((suppression) => !this.ruleIds.has(suppression.rule))
      .map((suppression) => `${suppression.path}: suppresses "${suppression.rule}", which is not a rule applied to any stack; known: ${[...this.ruleIds].sort().join(", ")}`);
    return [...this.violations.map(describeFinding), ...unknown];
  }
}

/** `platform-dev: alb/sg (aws_security_group): <problem> [rule <id>]`. */
export function describeFinding(finding: Finding): string {
  return `${finding.stack}: ${finding.path} (${finding.type}): ${finding.problem} [rule ${finding.rule}]`;
}

/**
 * The suppressions that hid findings, one line each: the same suppression in several stacks
 * (one per environment) is one line naming the stacks.
 */
export function describeSuppressions(suppressed: readonly Finding[]): string[] {
  const groups = new Map<string, { rule: string; at: string; reason: string; stacks: Set<string>; findings: number }>();
  for (const finding of suppressed) {
    const suppression = finding.suppressedBy!;
    const at = suppression.path === finding.stack ? "the stack" : suppression.path.slice(finding.stack.length + 1);
    const key = JSON.stringify([suppression.rule, at, suppression.reason]);
    const group = groups.get(key) ?? { rule: suppression.rule, at, reason: suppression.reason, stacks: new Set<string>(), findings: 0 };
    group.stacks.add(finding.stack);
    group.findings += 1;
    groups.set(key, group);
  }
  return [...groups.values()].map(
    (group) =>
      `${group.rule} at ${group.at} in ${[...group.stacks].sort().join(", ")} (${group.findings} finding${group.findings === 1 ? "" : "s"}): ${group.reason}`,
  );
}
