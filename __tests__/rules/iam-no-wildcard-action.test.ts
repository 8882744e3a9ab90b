import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { describe, expect, it } from "vitest";
import { policyDocument, serviceTrustPolicy } from "../../modules/core/iam";
import { KmsKey } from "../../modules/core/kms-key";
import { iamNoWildcardAction } from "../../rules/iam-no-wildcard-action";
import { checkRules } from "../support/rules";

describe("iam-no-wildcard-action", () => {
  it("passes listed actions, in identity, trust and key policies", () => {
    const results = checkRules(iamNoWildcardAction, (scope) => {
      const role = new IamRole(scope, "role", { assumeRolePolicy: serviceTrustPolicy("ecs-tasks.amazonaws.com", "123456789012") });
      new IamRolePolicy(scope, "scoped", { role: role.id, policy: policyDocument([{ Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::b/*" }]) });
      new KmsKey(scope, "key", { alias: "acme", description: "d", accountId: "123456789012" });
    });
    expect(results.violations).toEqual([]);
  });

  it('fails Action "*" in any document, Deny included, and an Allow through NotAction', () => {
    const results = checkRules(iamNoWildcardAction, (scope) => {
      const role = new IamRole(scope, "role", {
        assumeRolePolicy: serviceTrustPolicy("ecs-tasks.amazonaws.com", "123456789012"),
        inlinePolicy: [{ name: "inline", policy: JSON.stringify({ Statement: [{ Effect: "Allow", NotAction: "iam:*", Resource: "*" }] }) }],
      });
      new IamRolePolicy(scope, "deny-all", { role: role.id, policy: policyDocument([{ Sid: "DenyAll", Effect: "Deny", Action: "*", Resource: "*" }]) });
      new IamPolicy(scope, "admin", { policy: policyDocument([{ Sid: "Admin", Effect: "Allow", Action: "*", Resource: ["*"] }]) });
    });
    expect(results.violations).toEqual([
      "stack: role (aws_iam_role): inline_policy[0].policy statement #1 allows through NotAction, i.e. every other action; list the actions it allows [rule iam-no-wildcard-action]",
      'stack: deny-all (aws_iam_role_policy): policy statement "DenyAll" names Action "*"; list the actions it needs [rule iam-no-wildcard-action]',
      'stack: admin (aws_iam_policy): policy statement "Admin" names Action "*"; list the actions it needs [rule iam-no-wildcard-action]',
    ]);
  });
});
