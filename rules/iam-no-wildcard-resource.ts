import { isIdentityPolicy, policyDocuments, statementName, type Statement } from "./lib/policy-documents";
import { asList, type PolicyRule } from "./rule";

/**
 * No Allow of an IAM identity policy applies to every resource (`Resource: "*"`, no Resource, or
 * NotResource), unless every one of its actions is among `unscopable`: actions AWS offers no
 * resource-level permissions for (Service Authorization Reference). Key, bucket and trust
 * policies are not identity policies: a key policy is attached to one key and names it as "*".
 */
export function iamNoWildcardResource(unscopable: ReadonlySet<string>): PolicyRule {
  const mayBeUnscoped = (statement: Statement): boolean => {
    const actions = asList(statement.Action);
    return actions.length > 0 && actions.every((action) => unscopable.has(String(action)));
  };
  return {
    id: "iam-no-wildcard-resource",
    description: 'Every Allow of an IAM identity policy names its resources, unless AWS offers no resource-level permissions for its actions.',
    appliesTo: "resource",
    check(element) {
      return policyDocuments(element)
        .filter((document) => isIdentityPolicy(element, document))
        .flatMap((document) =>
          document.statements.flatMap((statement) => {
            const unscoped = statement.Resource === undefined || asList(statement.Resource).includes("*") || statement.NotResource !== undefined;
            if (statement.Effect !== "Allow" || !unscoped || mayBeUnscoped(statement)) return [];
            const scopable = asList(statement.Action).filter((action) => !unscopable.has(String(action)));
            return [`${statementName(document, statement)} allows ${scopable.map(String).join(", ")} on every resource; scope ${scopable.length === 1 ? "it" : "them"} to resource ARNs`];
          }),
        );
    },
  };
}
