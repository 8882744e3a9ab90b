import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { describe, expect, it } from "vitest";
import { denyInsecureTransport, policyDocument, serviceTrustPolicy } from "../../modules/core/iam";
import { KmsKey } from "../../modules/core/kms-key";
import { SecureBucket } from "../../modules/core/secure-bucket";
import { iamNoServiceWideAction } from "../../rules/iam-no-service-wide-action";
import { checkRules } from "../support/rules";

describe("iam-no-service-wide-action", () => {
  it("passes a key policy's kms:* for the account root and a bucket policy's Deny of s3:*", () => {
    const results = checkRules(iamNoServiceWideAction, (scope) => {
      new KmsKey(scope, "key", { alias: "acme", description: "d", accountId: "123456789012" });
      const bucket = new SecureBucket(scope, "logs", { bucketName: "acme-logs" });
      expect(denyInsecureTransport(bucket.arn).Action).toBe("s3:*");
    });
    expect(results.violations).toEqual([]);
  });

  it('fails an Allow of a whole service ("ecs:*")', () => {
    const results = checkRules(iamNoServiceWideAction, (scope) => {
      const role = new IamRole(scope, "role", { assumeRolePolicy: serviceTrustPolicy("ecs-tasks.amazonaws.com", "123456789012") });
      new IamRolePolicy(scope, "ecs", {
        role: role.id,
        policy: policyDocument([{ Sid: "AllOfEcs", Effect: "Allow", Action: ["ecs:*", "ecs:DescribeServices"], Resource: "arn:aws:ecs:eu-west-1:123456789012:service/a/*" }]),
      });
    });
    expect(results.violations).toEqual([
      'stack: ecs (aws_iam_role_policy): policy statement "AllOfEcs" allows ecs:*; list the actions it needs [rule iam-no-service-wide-action]',
    ]);
  });
});
