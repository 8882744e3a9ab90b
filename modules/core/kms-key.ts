import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey as KmsKeyResource } from "@cdktf/provider-aws/lib/kms-key";
import { Construct } from "constructs";
import { policyDocument, type PolicyStatement } from "./iam";

export interface KmsKeyProps {
  /** Alias without the `alias/` prefix, e.g. `acme-dev-logs`. */
  readonly alias: string;
  readonly description: string;
  /** Account that owns the key; its administrators manage the key through IAM. */
  readonly accountId: string;
  /**
   * Extra key-policy statements, typically letting an AWS service use the key
   * (see `KmsKey.cloudWatchLogsStatement`).
   * @default - none: only IAM principals of the account that IAM allows
   */
  readonly serviceStatements?: readonly PolicyStatement[];
  /**
   * Days a scheduled deletion waits, the window to notice a mistake.
   * @default 30
   */
  readonly deletionWindowInDays?: number;
}

/** A customer-managed symmetric KMS key with yearly rotation and an alias. */
export class KmsKey extends Construct {
  readonly key: KmsKeyResource;
  readonly alias: KmsAlias;
  readonly arn: string;

  /** Key-policy statement letting CloudWatch Logs encrypt log groups of `accountId` in `region`. */
  static cloudWatchLogsStatement(region: string, accountId: string): PolicyStatement {
    return {
      Sid: "AllowCloudWatchLogs",
      Effect: "Allow",
      Principal: { Service: `logs.${region}.amazonaws.com` },
      Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
      Resource: "*",
      Condition: {
        ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${region}:${accountId}:log-group:*` },
      },
    };
  }

  constructor(scope: Construct, id: string, props: KmsKeyProps) {
    super(scope, id);
    const deletionWindowInDays = props.deletionWindowInDays ?? 30;
    if (deletionWindowInDays < 7 || deletionWindowInDays > 30) {
      throw new Error(`deletionWindowInDays (${deletionWindowInDays}) must be between 7 and 30`);
    }

    this.key = new KmsKeyResource(this, "key", {
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays,
      // Key policies always name the key itself as "*". The account root statement hands
      // control to IAM, as AWS's default key policy does, so no principal is locked out.
      policy: policyDocument([
        {
          Sid: "EnableIamPolicies",
          Effect: "Allow",
          Principal: { AWS: `arn:aws:iam::${props.accountId}:root` },
          Action: "kms:*",
          Resource: "*",
        },
        ...(props.serviceStatements ?? []),
      ]),
    });
    this.alias = new KmsAlias(this, "alias", { name: `alias/${props.alias}`, targetKeyId: this.key.keyId });
    this.arn = this.key.arn;
  }
}
