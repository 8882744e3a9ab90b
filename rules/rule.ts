/**
 * What a policy rule is (cdk-nag style): one cross-stack invariant, checked on every Terraform
 * element of every stack it is applied to, on the arguments exactly as `cdktf synth` writes them.
 * Rules read the construct tree only; they know nothing of environments or configuration.
 */
import type { IConstruct } from "constructs";

/** Synthesized arguments of one element: snake_case keys, references as `${type.id.attribute}`. */
export type Body = Record<string, unknown>;

/** One Terraform element as a rule sees it. */
export interface Element {
  readonly construct: IConstruct;
  /** Terraform resource type (`aws_s3_bucket`), `provider.<name>` (`provider.aws`) or `output`. */
  readonly type: string;
  /** Its arguments as synthesized; computed when first read. */
  readonly body: Body;
  /**
   * Its arguments before references are resolved (a reference is a `${TfToken[...]}` placeholder):
   * cheaper than `body`, for a first look at whether a rule has anything to check.
   */
  readonly raw: Body;
  /** How another element of the same stack refers to this one's `attribute`: `${aws_s3_bucket.<id>.arn}`. */
  ref(attribute: string): string;
}

/** The other elements of the stack being checked, for rules about how elements relate. */
export interface StackElements {
  /** Every element of `type` in the stack, in tree order. */
  ofType(type: string): Element[];
}

export interface PolicyRule {
  /** Stable kebab-case id: what suppressions and messages name. */
  readonly id: string;
  /** What the rule requires and why, in one sentence. */
  readonly description: string;
  /** The element types the rule checks; `resource` checks every resource. */
  readonly appliesTo: readonly string[] | "resource";
  /** What is wrong with `element`, one sentence per problem; empty when it complies. */
  check(element: Element, stack: StackElements): string[];
}

/** `value` as a list: undefined is empty, a single value is a list of one. */
export const asList = (value: unknown): unknown[] => (value === undefined || value === null ? [] : Array.isArray(value) ? value : [value]);

/** The value as the message shows it. */
export const show = (value: unknown): string => (value === undefined ? "unset" : JSON.stringify(value));
