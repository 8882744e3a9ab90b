/**
 * Evaluates a CloudWatch Logs JSON filter pattern (`{ $.a = "x" && ($.b != y || $.c NOT EXISTS) }`)
 * against a parsed log event, as a metric filter does, so tests can prove a pattern matches the
 * events it is meant for and misses its near neighbours.
 *
 * Covers the syntax of AWS's "Filter pattern syntax for JSON log events": selectors `$.a.b[0]`,
 * `=` `!=` `<` `<=` `>` `>=` against quoted or bare strings (with `*` wildcards) and numbers,
 * `EXISTS`, `NOT EXISTS`, `IS NULL`, `IS TRUE`, `IS FALSE`, `&&` (binding tighter) and `||`, and
 * parentheses. One ambiguity is refused rather than guessed: `!=` on a property the event does
 * not have throws, so a test event must carry every property a pattern compares.
 */

type Node =
  | { readonly kind: "and"; readonly left: Node; readonly right: Node }
  | { readonly kind: "or"; readonly left: Node; readonly right: Node }
  | { readonly kind: "compare"; readonly selector: string; readonly op: string; readonly value: string | number; readonly quoted: boolean }
  | { readonly kind: "test"; readonly selector: string; readonly test: "EXISTS" | "NOT EXISTS" | "IS NULL" | "IS TRUE" | "IS FALSE" };

const TOKEN = /\s*(\(|\)|&&|\|\||!=|<=|>=|=|<|>|"(?:[^"\\]|\\.)*"|NOT\s+EXISTS|EXISTS|IS\s+NULL|IS\s+TRUE|IS\s+FALSE|[^\s()=!<>&|"]+)/y;

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const start = TOKEN.lastIndex;
    const match = TOKEN.exec(text);
    if (!match) {
      if (/^\s*$/.test(text.slice(start))) break;
      throw new Error(`filter pattern: cannot read ${JSON.stringify(text.slice(start))}`);
    }
    tokens.push((match[1] as string).replace(/\s+/g, " "));
  }
  return tokens;
}

function parse(pattern: string): Node {
  const body = pattern.trim();
  if (!body.startsWith("{") || !body.endsWith("}")) throw new Error(`filter pattern ${JSON.stringify(pattern)} is not a JSON pattern ({ ... })`);
  const tokens = tokenize(body.slice(1, -1));
  let at = 0;
  const next = (): string => {
    const token = tokens[at++];
    if (token === undefined) throw new Error(`filter pattern ${JSON.stringify(pattern)} ends too early`);
    return token;
  };
  const peek = (): string | undefined => tokens[at];

  const primary = (): Node => {
    if (peek() === "(") {
      next();
      const inner = or();
      if (next() !== ")") throw new Error(`filter pattern ${JSON.stringify(pattern)}: missing ")"`);
      return inner;
    }
    const selector = next();
    if (!selector.startsWith("$")) throw new Error(`filter pattern ${JSON.stringify(pattern)}: ${selector} is not a $ selector`);
    const op = next();
    if (["EXISTS", "NOT EXISTS", "IS NULL", "IS TRUE", "IS FALSE"].includes(op)) {
      return { kind: "test", selector, test: op as "EXISTS" };
    }
    if (!["=", "!=", "<", "<=", ">", ">="].includes(op)) throw new Error(`filter pattern ${JSON.stringify(pattern)}: ${op} is not an operator`);
    const raw = next();
    const quoted = raw.startsWith('"');
    const text = quoted ? (JSON.parse(raw) as string) : raw;
    const value = !quoted && /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
    return { kind: "compare", selector, op, value, quoted };
  };
  const and = (): Node => {
    let left = primary();
    while (peek() === "&&") {
      next();
      left = { kind: "and", left, right: primary() };
    }
    return left;
  };
  const or = (): Node => {
    let left = and();
    while (peek() === "||") {
      next();
      left = { kind: "or", left, right: and() };
    }
    return left;
  };
  const tree = or();
  if (at !== tokens.length) throw new Error(`filter pattern ${JSON.stringify(pattern)}: unexpected ${tokens[at]}`);
  return tree;
}

/** The value at `$.a.b[0]` in `event`, or undefined when any step is missing. */
function select(event: unknown, selector: string): unknown {
  const steps = selector.slice(1).match(/\.[^.[\]]+|\[\d+\]/g) ?? [];
  let current: unknown = event;
  for (const step of steps) {
    if (current === null || typeof current !== "object") return undefined;
    current = step.startsWith("[") ? (current as unknown[])[Number(step.slice(1, -1))] : (current as Record<string, unknown>)[step.slice(1)];
  }
  return current;
}

function wildcard(expected: string, actual: string): boolean {
  const regex = new RegExp(`^${expected.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
  return regex.test(actual);
}

function evaluate(node: Node, event: unknown): boolean {
  if (node.kind === "and" || node.kind === "or") {
    return node.kind === "and" ? evaluate(node.left, event) && evaluate(node.right, event) : evaluate(node.left, event) || evaluate(node.right, event);
  }
  const actual = select(event, node.selector);
  if (node.kind === "test") {
    switch (node.test) {
      case "EXISTS":
        return actual !== undefined;
      case "NOT EXISTS":
        return actual === undefined;
      case "IS NULL":
        return actual === null;
      case "IS TRUE":
        return actual === true;
      case "IS FALSE":
        return actual === false;
    }
  }
  if (actual === undefined) {
    if (node.op === "!=") {
      throw new Error(`${node.selector} != ${String(node.value)}: the event has no ${node.selector}; give the test event that property`);
    }
    return false;
  }
  if (typeof node.value === "number") {
    if (typeof actual !== "number") return node.op === "!=";
    const compare = { "=": actual === node.value, "!=": actual !== node.value, "<": actual < node.value, "<=": actual <= node.value, ">": actual > node.value, ">=": actual >= node.value };
    return compare[node.op as keyof typeof compare];
  }
  if (!["=", "!="].includes(node.op)) throw new Error(`${node.selector} ${node.op} "${node.value}": strings compare only with = and !=`);
  const equal = typeof actual === "string" || typeof actual === "number" || typeof actual === "boolean" ? wildcard(node.value, String(actual)) : false;
  return node.op === "=" ? equal : !equal;
}

/** Whether `event` matches the JSON filter `pattern`. */
export function matchesFilterPattern(pattern: string, event: unknown): boolean {
  return evaluate(parse(pattern), event);
}
