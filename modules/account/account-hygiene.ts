import { AccessanalyzerAnalyzer } from "@cdktf/provider-aws/lib/accessanalyzer-analyzer";
import { EbsEncryptionByDefault } from "@cdktf/provider-aws/lib/ebs-encryption-by-default";
import { Ec2InstanceMetadataDefaults } from "@cdktf/provider-aws/lib/ec2-instance-metadata-defaults";
import { IamAccountPasswordPolicy } from "@cdktf/provider-aws/lib/iam-account-password-policy";
import { IamGroup } from "@cdktf/provider-aws/lib/iam-group";
import { IamGroupPolicy } from "@cdktf/provider-aws/lib/iam-group-policy";
import { S3AccountPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-account-public-access-block";
import { Construct } from "constructs";
import type { PolicyStatement } from "../core/iam";
import { validateProps } from "../core/validation";

export interface AccountHygieneProps {
  /** Prefix of the group and analyzer names. */
  readonly name: string;
  /**
   * Minimum IAM user password length (CIS: at least 14).
   * @default 14
   */
  readonly passwordMinimumLength?: number;
  /**
   * Previous passwords a user may not reuse (CIS: 24, IAM's maximum).
   * @default 24
   */
  readonly passwordReusePrevention?: number;
  /**
   * Days after which a password expires.
   * @default 90
   */
  readonly passwordMaxAgeDays?: number;
  /**
   * Hops the IMDSv2 token may travel by default for new instances; 1 keeps it on the instance
   * (a container on a bridge network cannot fetch the instance role's credentials).
   * @default 1
   */
  readonly metadataHopLimit?: number;
  /**
   * Create the account-wide (global) controls too: the password policy, the account's S3 public
   * access block and the `require-mfa` group. Turn it off in every region but the home one, which
   * then gets only the regional controls (EBS encryption and IMDSv2 defaults, Access Analyzer).
   * @default true
   */
  readonly includeGlobalControls?: boolean;
}

// `$${...}` is Terraform's escape for a literal `${...}`: IAM, not Terraform, resolves aws:username.
const SELF = "arn:aws:iam::*:user/$${aws:username}";

/** What a user may still do before signing in with MFA: look at and set up their own MFA and password. */
export const MFA_SELF_SERVICE_ACTIONS = [
  "iam:ChangePassword",
  "iam:CreateVirtualMFADevice",
  "iam:EnableMFADevice",
  "iam:GetAccountPasswordPolicy",
  "iam:GetUser",
  "iam:ListMFADevices",
  "iam:ListVirtualMFADevices",
  "iam:ResyncMFADevice",
  "sts:GetSessionToken",
] as const;

/** A policy statement that names the actions it does not apply to. */
type NotActionStatement = Omit<PolicyStatement, "Action"> & { readonly NotAction: readonly string[] };

/**
 * Account-wide guards that belong to no environment: the IAM password policy, the account-level
 * S3 public access block, EBS encryption and IMDSv2 by default for new volumes and instances,
 * an IAM Access Analyzer, and the `require-mfa` group whose members can do nothing but set up
 * their own MFA and password until they sign in with MFA. The EBS, IMDS and analyzer settings are
 * regional: one instance per region, the global controls in one of them only.
 */
export class AccountHygiene extends Construct {
  readonly mfaGroup?: IamGroup;

  constructor(scope: Construct, id: string, props: AccountHygieneProps) {
    super(scope, id);
    const minimumLength = props.passwordMinimumLength ?? 14;
    const reusePrevention = props.passwordReusePrevention ?? 24;
    const maxAgeDays = props.passwordMaxAgeDays ?? 90;
    validateProps(this, props, (check) => {
      check.integer("passwordMinimumLength", minimumLength, 14, 128, " characters (CIS asks for at least 14)");
      // IAM's own ranges.
      check.integer("passwordReusePrevention", reusePrevention, 1, 24);
      check.integer("passwordMaxAgeDays", maxAgeDays, 1, 1095, " days");
    });

    const includeGlobal = props.includeGlobalControls ?? true;
    if (includeGlobal) {
      new IamAccountPasswordPolicy(this, "password-policy", {
        minimumPasswordLength: minimumLength,
        passwordReusePrevention: reusePrevention,
        maxPasswordAge: maxAgeDays,
        requireLowercaseCharacters: true,
        requireUppercaseCharacters: true,
        requireNumbers: true,
        requireSymbols: true,
        allowUsersToChangePassword: true,
        // An expired password must be changed by the user, not reset by an administrator.
        hardExpiry: false,
      });
      new S3AccountPublicAccessBlock(this, "s3-public-access-block", {
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      });
    }
    new EbsEncryptionByDefault(this, "ebs-encryption", { enabled: true });
    new Ec2InstanceMetadataDefaults(this, "imds-defaults", {
      httpTokens: "required",
      httpEndpoint: "enabled",
      httpPutResponseHopLimit: props.metadataHopLimit ?? 1,
      instanceMetadataTags: "disabled",
    });
    new AccessanalyzerAnalyzer(this, "access-analyzer", { analyzerName: `${props.name}-account`, type: "ACCOUNT" });

    if (!includeGlobal) return;
    this.mfaGroup = new IamGroup(this, "mfa-group", { name: `${props.name}-require-mfa` });
    const statements: (PolicyStatement | NotActionStatement)[] = [
      {
        Sid: "AllowViewAccountInfo",
        Effect: "Allow",
        // Neither action has resource-level permissions.
        Action: ["iam:GetAccountPasswordPolicy", "iam:ListVirtualMFADevices"],
        Resource: "*",
      },
      { Sid: "AllowManageOwnPassword", Effect: "Allow", Action: ["iam:ChangePassword", "iam:GetUser"], Resource: SELF },
      { Sid: "AllowCreateOwnVirtualMfa", Effect: "Allow", Action: "iam:CreateVirtualMFADevice", Resource: "arn:aws:iam::*:mfa/*" },
      {
        Sid: "AllowManageOwnMfa",
        Effect: "Allow",
        Action: ["iam:EnableMFADevice", "iam:ListMFADevices", "iam:ResyncMFADevice"],
        Resource: SELF,
      },
      {
        Sid: "DenyAllExceptMfaSetupWithoutMfa",
        Effect: "Deny",
        NotAction: [...MFA_SELF_SERVICE_ACTIONS],
        Resource: "*",
        // IfExists: long-term access keys carry no MFA key at all and are denied too.
        Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } },
      },
    ];
    new IamGroupPolicy(this, "mfa-policy", {
      name: "require-mfa",
      group: this.mfaGroup.name,
      policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }),
    });
  }
}
