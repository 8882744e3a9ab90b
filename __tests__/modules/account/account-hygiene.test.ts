import { AccessanalyzerAnalyzer } from "@cdktf/provider-aws/lib/accessanalyzer-analyzer";
import { EbsEncryptionByDefault } from "@cdktf/provider-aws/lib/ebs-encryption-by-default";
import { Ec2InstanceMetadataDefaults } from "@cdktf/provider-aws/lib/ec2-instance-metadata-defaults";
import { IamAccountPasswordPolicy } from "@cdktf/provider-aws/lib/iam-account-password-policy";
import { IamGroup } from "@cdktf/provider-aws/lib/iam-group";
import { IamGroupPolicy } from "@cdktf/provider-aws/lib/iam-group-policy";
import { S3AccountPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-account-public-access-block";
import { describe, expect, it } from "vitest";
import { AccountHygiene, MFA_SELF_SERVICE_ACTIONS, type AccountHygieneProps } from "../../../modules/account/account-hygiene";
import { problemsOf, referenceTo, resource, type StackJson, statements, synthConstruct } from "../../support/synth";

const synthHygiene = (props: Partial<AccountHygieneProps> = {}): StackJson =>
  synthConstruct((scope) => new AccountHygiene(scope, "hygiene", { name: "acme-123456789012", ...props }));

describe("AccountHygiene", () => {
  describe("defaults", () => {
    const json = synthHygiene();

    it("sets a CIS password policy: 14+ characters of every class, 24 remembered, 90 days", () => {
      expect(resource(json, IamAccountPasswordPolicy)).toEqual(
        expect.objectContaining({
          minimum_password_length: 14,
          password_reuse_prevention: 24,
          max_password_age: 90,
          require_lowercase_characters: true,
          require_uppercase_characters: true,
          require_numbers: true,
          require_symbols: true,
          allow_users_to_change_password: true,
          hard_expiry: false,
        }),
      );
    });

    it("blocks public S3 access for the whole account", () => {
      expect(resource(json, S3AccountPublicAccessBlock)).toEqual(
        expect.objectContaining({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true }),
      );
    });

    it("encrypts new EBS volumes by default", () => {
      expect(resource(json, EbsEncryptionByDefault)).toEqual(expect.objectContaining({ enabled: true }));
    });

    it("makes new instances IMDSv2-only with hop limit 1 and no tags in metadata", () => {
      expect(resource(json, Ec2InstanceMetadataDefaults)).toEqual({
        http_tokens: "required",
        http_endpoint: "enabled",
        http_put_response_hop_limit: 1,
        instance_metadata_tags: "disabled",
      });
    });

    it("runs an account-wide IAM Access Analyzer", () => {
      expect(resource(json, AccessanalyzerAnalyzer)).toEqual(expect.objectContaining({ analyzer_name: "acme-123456789012-account", type: "ACCOUNT" }));
    });

    it("gives the require-mfa group a policy that denies all but MFA and password self-service without MFA", () => {
      expect(resource(json, IamGroup).name).toBe("acme-123456789012-require-mfa");
      const policy = resource(json, IamGroupPolicy);
      expect(policy.group).toBe(referenceTo(json, IamGroup, "name"));
      const found = statements(policy.policy);
      expect(found.at(-1)).toEqual({
        Sid: "DenyAllExceptMfaSetupWithoutMfa",
        Effect: "Deny",
        NotAction: [...MFA_SELF_SERVICE_ACTIONS],
        Resource: "*",
        Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } },
      });
      // Users manage only their own user and MFA device; `$${...}` is IAM's variable, escaped for Terraform.
      expect(found).toContainEqual(expect.objectContaining({ Sid: "AllowManageOwnMfa", Resource: "arn:aws:iam::*:user/$${aws:username}" }));
      for (const statement of found.filter((statement) => statement.Effect === "Allow")) {
        expect(statement.NotAction).toBeUndefined();
        expect(statement.Action).not.toEqual(expect.arrayContaining([expect.stringMatching(/AccessKey/)]));
      }
    });

    it("lets no one create or rotate access keys through the group (no long-lived keys)", () => {
      expect(MFA_SELF_SERVICE_ACTIONS.filter((action) => /AccessKey/.test(action))).toEqual([]);
    });
  });

  it("creates only the regional settings with includeGlobalControls: false", () => {
    const json = synthHygiene({ includeGlobalControls: false });
    expect(Object.keys(json.resource ?? {}).sort()).toEqual(["aws_accessanalyzer_analyzer", "aws_ebs_encryption_by_default", "aws_ec2_instance_metadata_defaults"]);
  });

  it("takes the password numbers and hop limit from props", () => {
    const json = synthHygiene({ passwordMinimumLength: 20, passwordReusePrevention: 12, passwordMaxAgeDays: 60, metadataHopLimit: 2 });
    expect(resource(json, IamAccountPasswordPolicy)).toEqual(
      expect.objectContaining({ minimum_password_length: 20, password_reuse_prevention: 12, max_password_age: 60 }),
    );
    expect(resource(json, Ec2InstanceMetadataDefaults).http_put_response_hop_limit).toBe(2);
  });

  it.each([
    [{ passwordMinimumLength: 8 }, "passwordMinimumLength: 8 must be an integer from 14 to 128 characters (CIS asks for at least 14)"],
    [{ passwordMinimumLength: 129 }, "passwordMinimumLength: 129 must be an integer from 14 to 128 characters (CIS asks for at least 14)"],
    [{ passwordReusePrevention: 25 }, "passwordReusePrevention: 25 must be an integer from 1 to 24"],
    [{ passwordMaxAgeDays: 0 }, "passwordMaxAgeDays: 0 must be an integer from 1 to 1095 days"],
  ])("fails on %o", (props, message) => {
    expect(problemsOf((scope) => new AccountHygiene(scope, "hygiene", { name: "acme-123456789012", ...props }))).toEqual([message]);
  });
});
