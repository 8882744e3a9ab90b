import { policyDocuments, statementName } from "./lib/policy-documents";
import { asList, type PolicyRule } from "./rule";

export const iamNoServiceWideAction: PolicyRule = {
  id: "iam-no-service-wide-action",
  description:
    'No policy allows a whole service ("ecs:*"). Key policies are exempt: their root statement hands the key to IAM with kms:*, as AWS\'s default key policy does.',
  appliesTo: "resource",
  check(element) {
    if (element.type === "aws_kms_key") return [];
    return policyDocuments(element).flatMap((document) =>
      document.statements.flatMap((statement) => {
        const wide = asList(statement.Action).filter((action) => String(action).endsWith(":*"));
        return statement.Effect === "Allow" && wide.length > 0
          ? [`${statementName(document, statement)} allows ${wide.map(String).join(", ")}; list the actions it needs`]
          : [];
      }),
    );
  },
};
