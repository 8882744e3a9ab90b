/**
 * IAM policy documents inside an element's arguments, wherever they sit: `policy`,
 * `assume_role_policy`, inline policies nested in blocks, and any argument a resource type added
 * later holds one in. A document is a JSON string with a `Statement`.
 */
import { asList, type Body, type Element } from "../rule";

export type Statement = Body;

export interface PolicyDocument {
  /** Argument path inside the element: `policy`, `inline_policy[0].policy`. */
  readonly where: string;
  readonly statements: Statement[];
}

function parse(value: unknown): Statement[] | undefined {
  if (typeof value !== "string" || !value.trimStart().startsWith("{")) return undefined;
  try {
    const parsed = JSON.parse(value) as { Statement?: unknown };
    return parsed.Statement === undefined ? undefined : (asList(parsed.Statement) as Statement[]);
  } catch {
    return undefined;
  }
}

/**
 * Whether any argument, at any depth, is a string that may be a JSON document. Unresolved arguments
 * may hold token objects that refer back to themselves (cdktn's operator expressions): each object
 * is looked at once.
 */
function holdsJson(value: unknown, seen = new WeakSet<object>()): boolean {
  if (typeof value === "string") return value.trimStart().startsWith("{");
  if (typeof value !== "object" || value === null || seen.has(value)) return false;
  seen.add(value);
  if (Array.isArray(value)) return value.some((item) => holdsJson(item, seen));
  return Object.entries(value).some(([key, item]) => key !== "//" && holdsJson(item, seen));
}

/** Every policy document among the element's arguments. */
export function policyDocuments(element: Element): PolicyDocument[] {
  // Most resources hold no JSON at all: a look at the unresolved arguments spares resolving them.
  if (!holdsJson(element.raw)) return [];
  const found: PolicyDocument[] = [];
  const walk = (where: string, value: unknown): void => {
    const statements = parse(value);
    if (statements) found.push({ where, statements });
    else if (Array.isArray(value)) value.forEach((item, i) => walk(`${where}[${i}]`, item));
    else if (typeof value === "object" && value !== null) {
      for (const [key, item] of Object.entries(value)) if (key !== "//") walk(where === "" ? key : `${where}.${key}`, item);
    }
  };
  walk("", element.body);
  return found;
}

/** How a message names a statement: its Sid, else its position. */
export const statementName = (document: PolicyDocument, statement: Statement): string =>
  `${document.where} statement ${statement.Sid === undefined ? `#${document.statements.indexOf(statement) + 1}` : JSON.stringify(statement.Sid)}`;

/** Identity policies say what a principal may do; resource-based, key and trust policies are not among them. */
const IDENTITY_POLICY_TYPES = ["aws_iam_role_policy", "aws_iam_policy", "aws_iam_user_policy", "aws_iam_group_policy"];

export const isIdentityPolicy = (element: Element, document: PolicyDocument): boolean =>
  (IDENTITY_POLICY_TYPES.includes(element.type) && document.where === "policy") ||
  (element.type === "aws_iam_role" && document.where.startsWith("inline_policy"));
