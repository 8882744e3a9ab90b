/**
 * How a construct checks its own props. The rules are stated once, in the constructor, through
 * `validateProps`; nothing throws there: each problem becomes a `node.addValidation` entry, so
 * every problem of every construct surfaces together at synth (`App.synth`, or `propProblems` of
 * the whole tree first), each as `<where>: <value> <rule>`.
 *
 * `<where>` is the prop's own name, unless whoever built the props labelled them: a stack that
 * fills props from config spreads `labelled(values, labels)` into them, so the user reads
 * `dev.serverless.functionMemoryMiB: 64 must be ...` about the setting they edit, while the
 * construct keeps knowing nothing of environments. The labels travel in the props object under a
 * symbol, which an object spread copies and nothing else reads.
 */
import { Token } from "cdktf";
import type { IConstruct } from "constructs";

const LABELS = Symbol("prop labels");

type Labels<T> = { readonly [K in keyof T]?: string };

/** `values` carrying a label per prop: spread it into a construct's props (one such spread per props object). */
export function labelled<T extends object>(values: T, labels: Labels<T>): T {
  return Object.assign({ ...values }, { [LABELS]: labels });
}

/**
 * Props a construct passes on to a child, `{ childProp: [value, parentProp] }`, labelled as the
 * parent's caller labelled `parentProp` (else with its name): the child's checks then name what
 * the caller set, not the child's own prop.
 */
export function passOn<T extends object>(parentProps: object, values: { readonly [K in keyof T]: readonly [T[K], string] }): T {
  const parent = new PropChecks(parentProps);
  const entries = Object.entries(values) as [string, readonly [unknown, string]][];
  return labelled(
    Object.fromEntries(entries.map(([prop, [value]]) => [prop, value])) as T,
    Object.fromEntries(entries.map(([prop, [, parentProp]]) => [prop, parent.label(parentProp)])) as Labels<T>,
  );
}

const show = (value: unknown): string =>
  value === undefined || (typeof value === "number" && !Number.isFinite(value)) ? String(value) : JSON.stringify(value);

/** The checks one construct runs on its props; unresolved tokens are never checked. */
export class PropChecks {
  readonly problems: string[] = [];
  /** The problems about labelled props (settings someone named). */
  readonly labelledProblems: string[] = [];
  private readonly labels: Readonly<Record<string, string>>;

  constructor(props: object) {
    this.labels = (props as { [LABELS]?: Record<string, string> })[LABELS] ?? {};
  }

  /**
   * What a problem of `prop` is reported under: its label, else its name. An entry of an object
   * prop (`tags.Name`) is reported under the object's label (`dev.tags.Name`).
   */
  label(prop: string): string {
    const own = this.labels[prop];
    if (own !== undefined) return own;
    const head = prop.split(".")[0]!;
    const parent = head === prop ? undefined : this.labels[head];
    return parent === undefined ? prop : `${parent}${prop.slice(head.length)}`;
  }

  /** How a rule refers to another prop: the last part of its label (`desiredTaskCount`), else its name. */
  name(prop: string): string {
    return this.labels[prop]?.split(".").at(-1) ?? prop;
  }

  /** Records `rule` against `prop` unless `ok`; returns whether the value passed (or is a token). */
  check(ok: boolean, prop: string, value: unknown, rule: string): boolean {
    if (Token.isUnresolved(value) || ok) return true;
    const label = this.label(prop);
    const problem = `${label}: ${show(value)} ${rule}`;
    this.problems.push(problem);
    if (label !== prop) this.labelledProblems.push(problem);
    return false;
  }

  /** An integer of at least `min` (and at most `max`); `unit` follows the range, e.g. " seconds". */
  integer(prop: string, value: number | undefined, min: number, max?: number, unit = ""): boolean {
    if (value === undefined) return true;
    const inRange = Number.isInteger(value) && value >= min && (max === undefined || value <= max);
    return this.check(inRange, prop, value, max === undefined ? `must be an integer >= ${min}` : `must be an integer from ${min} to ${max}${unit}`);
  }

  /** A finite number above 0, counted in `unit`. */
  positive(prop: string, value: number | undefined, unit: string): boolean {
    if (value === undefined) return true;
    return this.check(Number.isFinite(value) && value > 0, prop, value, `must be a positive number of ${unit}`);
  }

  /** At least one e-mail address (and at most `max`). */
  emails(prop: string, list: readonly string[], max?: number): boolean {
    if (Token.isUnresolved(list)) return true;
    const ok = list.length >= 1 && (max === undefined || list.length <= max);
    return this.check(ok, prop, list, max === undefined ? "must list at least one e-mail address" : `must list 1 to ${max} e-mail addresses`);
  }

  /**
   * A min/desired/max triple: integers (min and desired at least `floor`, max at least 1) with
   * min <= desired <= max, each comparison only between known values that passed their own check.
   */
  minDesiredMax(min: [prop: string, value: number], desired: [prop: string, value: number], max: [prop: string, value: number], floor: number): void {
    const valid = [this.integer(...min, floor), this.integer(...desired, floor), this.integer(...max, 1)];
    const pairs = [[0, 1], [1, 2], [0, 2]] as const;
    for (const [low, high] of pairs) {
      const [lower, higher] = [[min, desired, max][low]!, [min, desired, max][high]!];
      const comparable = valid[low] && valid[high] && !Token.isUnresolved(lower[1]) && !Token.isUnresolved(higher[1]);
      if (comparable) this.check(lower[1] <= higher[1], lower[0], lower[1], `must not exceed ${this.name(higher[0])} (${higher[1]})`);
    }
  }
}

const found = new WeakMap<IConstruct, PropChecks>();

/** Runs `rules` on `props` now and reports what they found at synth, through `scope.node.addValidation`. */
export function validateProps(scope: IConstruct, props: object, rules: (checks: PropChecks) => void): void {
  const checks = new PropChecks(props);
  rules(checks);
  if (checks.problems.length === 0) return;
  found.set(scope, checks);
  scope.node.addValidation({ validate: () => checks.problems });
}

/**
 * Every problem the constructs under `root` found in their props, each once, in tree order. With
 * `labelledOnly`, only those about labelled props: when a caller's settings were refused already,
 * a problem in a prop no setting fed is mostly their echo.
 */
export function propProblems(root: IConstruct, labelledOnly = false): string[] {
  const checks = root.node.findAll().flatMap((construct) => found.get(construct) ?? []);
  return [...new Set(checks.flatMap((check) => (labelledOnly ? check.labelledProblems : check.problems)))];
}
