import { policyDocuments, statementName } from "./lib/policy-documents";
import { asList, type PolicyRule } from "./rule";

export const iamNoWildcardAction: PolicyRule = {
  id: "iam-no-wildcard-action",
  description: 'No policy document of any resource names Action "*", or allows through NotAction (everything but a few actions).',
  appliesTo: "resource",
  check(element) {
    return policyDocuments(element).flatMap((document) =>
      document.statements.flatMap((statement) => {
        if (asList(statement.Action).includes("*")) return [`${statementName(document, statement)} names Action "*"; list the actions it needs`];
        if (statement.Effect === "Allow" && statement.NotAction !== undefined) {
          return [`${statementName(document, statement)} allows through NotAction, i.e. every other action; list the actions it allows`];
        }
        return [];
      }),
    );
  },
};
