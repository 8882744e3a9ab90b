import type { PolicyRule } from "./rule";

export const iamRolePermissionsBoundary: PolicyRule = {
  id: "iam-role-permissions-boundary",
  description: "Every IAM role carries a permissions boundary, so no policy attached to it later can grant more than the boundary allows.",
  appliesTo: ["aws_iam_role"],
  check(role) {
    const boundary = role.body.permissions_boundary;
    return typeof boundary === "string" && boundary !== "" ? [] : ["has no permissions boundary; set permissions_boundary to the environment's boundary policy"];
  },
};
