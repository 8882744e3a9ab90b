/**
 * Follows cdktf cross-stack references back to the resource they name: a value
 * `${data.terraform_remote_state.<input>.outputs.<output>}` in one stack is the output of the stack
 * whose backend key the remote state reads, and that output is `${<type>.<id>.<attribute>}`.
 */
import type { StackJson } from "./synth";

export interface CrossStackSource {
  /** Id of the stack that owns the resource (`platform-dev`). */
  readonly stack: string;
  readonly type: string;
  readonly logicalId: string;
  readonly attribute: string;
  readonly body: Record<string, unknown>;
}

const REMOTE_OUTPUT = /^\$\{data\.terraform_remote_state\.([^.}]+)\.outputs\.([^.}]+)\}$/;
const RESOURCE_ATTRIBUTE = /^\$\{([a-z0-9_]+)\.([^.}]+)\.([a-z0-9_]+)\}$/;

/** The resource a cross-stack value of `json` comes from, or undefined when `value` is not one. */
export function crossStackSource(stacks: ReadonlyMap<string, StackJson>, json: StackJson, value: unknown): CrossStackSource | undefined {
  const match = typeof value === "string" ? REMOTE_OUTPUT.exec(value) : null;
  if (!match) return undefined;
  const remote = (json.data?.terraform_remote_state?.[match[1]!] as { config?: { key?: string } } | undefined)?.config;
  const owner = [...stacks.entries()].find(([, other]) => (other.terraform?.backend?.s3 as { key?: string } | undefined)?.key === remote?.key);
  if (!owner) return undefined;
  const output = owner[1].output?.[match[2]!]?.value;
  const source = typeof output === "string" ? RESOURCE_ATTRIBUTE.exec(output) : null;
  const body = source ? owner[1].resource?.[source[1]!]?.[source[2]!] : undefined;
  if (!source || !body) return undefined;
  return { stack: owner[0], type: source[1]!, logicalId: source[2]!, attribute: source[3]!, body };
}
