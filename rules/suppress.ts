/**
 * Suppressions: the one way to exempt something from a policy rule. A suppression sits on a
 * construct, covers it and everything below it, names one rule and says why the exemption is
 * safe (the compensating control). Every suppression that hides a finding is listed when
 * `npm run synth` succeeds, so an exemption never goes unseen.
 */
import type { IConstruct } from "constructs";

export interface Suppression {
  readonly rule: string;
  readonly reason: string;
  /** Construct path the suppression sits on. */
  readonly path: string;
}

/** A reason shorter than this cannot name a control; the wording is the author's. */
const MIN_REASON_LENGTH = 20;

const suppressions = new WeakMap<IConstruct, Map<string, Suppression>>();

/**
 * Exempts `scope` and everything below it from rule `rule`, for `reason`: why the exemption is
 * safe, naming the compensating control.
 *
 * @throws Error when the reason is too short to say anything, or the rule is suppressed twice on one construct.
 */
export function suppressRule(scope: IConstruct, rule: string, reason: string): void {
  const where = `suppressRule(${scope.node.path || "<root>"}, "${rule}")`;
  if (reason.trim().length < MIN_REASON_LENGTH) {
    throw new Error(`${where}: reason ${JSON.stringify(reason)} must say why the exemption is safe (the compensating control), in ${MIN_REASON_LENGTH} characters or more`);
  }
  const own = suppressions.get(scope) ?? new Map<string, Suppression>();
  if (own.has(rule)) throw new Error(`${where}: the rule is already suppressed here`);
  own.set(rule, { rule, reason: reason.trim(), path: scope.node.path });
  suppressions.set(scope, own);
}

/** The suppression of `rule` that covers `construct`: its own, else the nearest enclosing one. */
export function suppressionOf(construct: IConstruct, rule: string): Suppression | undefined {
  const scopes = construct.node.scopes;
  for (let i = scopes.length - 1; i >= 0; i--) {
    const found = suppressions.get(scopes[i]!)?.get(rule);
    if (found) return found;
  }
  return undefined;
}

/** Every suppression on `root` and below. */
export function suppressionsUnder(root: IConstruct): Suppression[] {
  return root.node.findAll().flatMap((construct) => [...(suppressions.get(construct)?.values() ?? [])]);
}
