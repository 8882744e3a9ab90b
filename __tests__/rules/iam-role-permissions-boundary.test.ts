import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { describe, expect, it } from "vitest";
import { serviceTrustPolicy } from "../../modules/core/iam";
import { iamRolePermissionsBoundary } from "../../rules/iam-role-permissions-boundary";
import { checkRules } from "../support/rules";

const trust = serviceTrustPolicy("lambda.amazonaws.com", "123456789012");

describe("iam-role-permissions-boundary", () => {
  it("passes a role with a boundary", () => {
    const results = checkRules(iamRolePermissionsBoundary, (scope) =>
      new IamRole(scope, "role", { assumeRolePolicy: trust, permissionsBoundary: "arn:aws:iam::123456789012:policy/acme-dev-boundary" }),
    );
    expect(results.violations).toEqual([]);
  });

  it("fails a role without one", () => {
    expect(checkRules(iamRolePermissionsBoundary, (scope) => new IamRole(scope, "role", { assumeRolePolicy: trust })).violations).toEqual([
      "stack: role (aws_iam_role): has no permissions boundary; set permissions_boundary to the environment's boundary policy [rule iam-role-permissions-boundary]",
    ]);
  });
});
