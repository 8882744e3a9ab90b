import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { describe, expect, it } from "vitest";
import { ACTIONS_WITHOUT_RESOURCE_SCOPE, policyDocument, serviceTrustPolicy, unscopedStatement, XRAY_WRITE_ACTIONS } from "../../modules/core/iam";
import { KmsKey } from "../../modules/core/kms-key";
import { iamNoWildcardResource } from "../../rules/iam-no-wildcard-resource";
import { checkRules } from "../support/rules";

const rule = iamNoWildcardResource(ACTIONS_WITHOUT_RESOURCE_SCOPE);

describe("iam-no-wildcard-resource", () => {
  it('passes scoped statements, "*" for actions without resource-level permissions, key and trust policies', () => {
    const results = checkRules(rule, (scope) => {
      const role = new IamRole(scope, "role", { assumeRolePolicy: serviceTrustPolicy("lambda.amazonaws.com", "123456789012") });
      new IamRolePolicy(scope, "policy", {
        role: role.id,
        policy: policyDocument([
          { Effect: "Allow", Action: ["s3:GetObject"], Resource: ["arn:aws:s3:::b/*"] },
          unscopedStatement("WriteTraces", XRAY_WRITE_ACTIONS),
          { Effect: "Deny", Action: ["s3:DeleteObject"], Resource: "*" },
        ]),
      });
      new KmsKey(scope, "key", { alias: "acme", description: "d", accountId: "123456789012" });
    });
    expect(results.violations).toEqual([]);
  });

  it('fails an Allow on "*" of a scopable action, in inline, role and managed policies, and NotResource', () => {
    const results = checkRules(rule, (scope) => {
      const role = new IamRole(scope, "role", {
        assumeRolePolicy: serviceTrustPolicy("lambda.amazonaws.com", "123456789012"),
        inlinePolicy: [{ name: "inline", policy: policyDocument([{ Sid: "InlineStar", Effect: "Allow", Action: "s3:GetObject", Resource: "*" }]) }],
      });
      new IamRolePolicy(scope, "mixed", {
        role: role.id,
        policy: policyDocument([{ Sid: "Mixed", Effect: "Allow", Action: ["xray:PutTraceSegments", "dynamodb:GetItem"], Resource: "*" }]),
      });
      new IamPolicy(scope, "managed", {
        policy: policyDocument([{ Sid: "AllBut", Effect: "Allow", Action: "s3:GetObject", NotResource: ["arn:aws:s3:::secret/*"] }]),
      });
    });
    expect(results.violations).toEqual([
      'stack: role (aws_iam_role): inline_policy[0].policy statement "InlineStar" allows s3:GetObject on every resource; scope it to resource ARNs [rule iam-no-wildcard-resource]',
      'stack: mixed (aws_iam_role_policy): policy statement "Mixed" allows dynamodb:GetItem on every resource; scope it to resource ARNs [rule iam-no-wildcard-resource]',
      'stack: managed (aws_iam_policy): policy statement "AllBut" allows s3:GetObject on every resource; scope it to resource ARNs [rule iam-no-wildcard-resource]',
    ]);
  });
});
