/**
 * Matches an EventBridge event pattern against an event, as the default event bus does, so tests
 * can prove a rule selects the findings it is meant for and no others.
 *
 * Covers what EventBridge's "Content filtering in Amazon EventBridge event patterns" describes for
 * the filters used here: exact values (any of a list), `prefix`, `suffix`, `anything-but` (a value
 * or a list), `numeric` ranges and `exists`. Arrays in the event are flattened, as EventBridge
 * does: a field matches when any of its values (across array elements) matches.
 */

type Json = unknown;

function values(nodes: readonly Json[]): Json[] {
  return nodes.flatMap((node) => (Array.isArray(node) ? values(node) : [node]));
}

function children(nodes: readonly Json[], key: string): Json[] {
  return values(nodes)
    .filter((node): node is Record<string, Json> => node !== null && typeof node === "object")
    .map((node) => node[key])
    .filter((child) => child !== undefined);
}

function numeric(conditions: readonly Json[], value: Json): boolean {
  if (typeof value !== "number") return false;
  for (let i = 0; i < conditions.length; i += 2) {
    const op = conditions[i] as string;
    const bound = conditions[i + 1] as number;
    const ok = { "=": value === bound, "<": value < bound, "<=": value <= bound, ">": value > bound, ">=": value >= bound }[op];
    if (ok === undefined) throw new Error(`numeric operator ${op} is not supported`);
    if (!ok) return false;
  }
  return true;
}

function leafMatches(matcher: Json, value: Json): boolean {
  if (matcher === null || typeof matcher !== "object") return matcher === value;
  const [kind, argument] = Object.entries(matcher as Record<string, Json>)[0] ?? [];
  switch (kind) {
    case "prefix":
      return typeof value === "string" && value.startsWith(argument as string);
    case "suffix":
      return typeof value === "string" && value.endsWith(argument as string);
    case "numeric":
      return numeric(argument as Json[], value);
    case "anything-but":
      if (Array.isArray(argument)) return !argument.includes(value);
      if (argument !== null && typeof argument === "object") return !leafMatches(argument, value);
      return value !== argument;
    default:
      throw new Error(`content filter ${JSON.stringify(matcher)} is not supported by this matcher`);
  }
}

function matchNode(pattern: Json, nodes: readonly Json[]): boolean {
  if (Array.isArray(pattern)) {
    const found = values(nodes);
    const exists = pattern.find((matcher) => matcher !== null && typeof matcher === "object" && "exists" in matcher) as { exists: boolean } | undefined;
    if (exists) return exists.exists ? found.length > 0 : found.length === 0;
    return found.some((value) => pattern.some((matcher) => leafMatches(matcher, value)));
  }
  if (pattern === null || typeof pattern !== "object") throw new Error(`event pattern leaf ${JSON.stringify(pattern)} must be a list`);
  return Object.entries(pattern as Record<string, Json>).every(([key, child]) => matchNode(child, children(nodes, key)));
}

/** Whether `event` matches the EventBridge `pattern`. */
export function matchesEventPattern(pattern: Record<string, unknown>, event: Record<string, unknown>): boolean {
  return matchNode(pattern, [event]);
}
