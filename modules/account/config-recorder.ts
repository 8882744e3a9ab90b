import { ConfigConfigRule } from "@cdktf/provider-aws/lib/config-config-rule";
import { ConfigConfigurationRecorder } from "@cdktf/provider-aws/lib/config-configuration-recorder";
import { ConfigConfigurationRecorderStatus } from "@cdktf/provider-aws/lib/config-configuration-recorder-status";
import { ConfigDeliveryChannel } from "@cdktf/provider-aws/lib/config-delivery-channel";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Construct } from "constructs";
import { attachPolicy, RoleGrantee, serviceTrustPolicy, type PolicyStatement } from "../core/iam";
import type { KmsKey } from "../core/kms-key";
import { validateProps } from "../core/validation";

/** A managed AWS Config rule: its identifier and parameters. */
export interface ManagedConfigRule {
  /** Rule name suffix and construct id, kebab-case. */
  readonly id: string;
  /** AWS's identifier of the managed rule, e.g. `ENCRYPTED_VOLUMES`. */
  readonly identifier: string;
  /**
   * The rule's input parameters.
   * @default - none
   */
  readonly parameters?: Readonly<Record<string, string>>;
  /**
   * Run daily on a schedule instead of on configuration changes.
   * @default false
   */
  readonly periodic?: boolean;
  /**
   * Resource types whose changes trigger the rule. Without a scope a change-triggered rule runs
   * (and is billed) on every recorded change of any type.
   * @default - any recorded type
   */
  readonly resourceTypes?: readonly string[];
}

/** The rules that back this platform's promises (each one a Security Hub / CIS control too). */
export const BASELINE_CONFIG_RULES: readonly ManagedConfigRule[] = [
  { id: "encrypted-volumes", identifier: "ENCRYPTED_VOLUMES", resourceTypes: ["AWS::EC2::Volume"] },
  { id: "restricted-ssh", identifier: "INCOMING_SSH_DISABLED", resourceTypes: ["AWS::EC2::SecurityGroup"] },
  { id: "root-mfa", identifier: "ROOT_ACCOUNT_MFA_ENABLED", periodic: true },
  { id: "access-keys-rotated", identifier: "ACCESS_KEYS_ROTATED", parameters: { maxAccessKeyAge: "90" }, periodic: true },
  {
    id: "s3-bucket-public-access-prohibited",
    identifier: "S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED",
    resourceTypes: ["AWS::S3::Bucket"],
  },
  { id: "s3-account-public-access-blocked", identifier: "S3_ACCOUNT_LEVEL_PUBLIC_ACCESS_BLOCKS_PERIODIC", periodic: true },
];

export interface ConfigRecorderProps {
  /** Prefix of the recorder, channel, role and rule names. */
  readonly name: string;
  readonly accountId: string;
  /** Bucket that receives configuration snapshots and history (under `keyPrefix`); it may be in another region. */
  readonly bucket: { readonly name: string; readonly arn: string };
  /**
   * Key of that bucket, when in this stack: Config encrypts what it delivers with it.
   * @default - deliveries take the bucket's default encryption; the role may use the bucket's KMS
   * key only through S3 in `bucketRegion`, for objects of this bucket
   */
  readonly kmsKey?: KmsKey;
  /**
   * Region of the bucket; needed without `kmsKey`.
   * @default - none
   */
  readonly bucketRegion?: string;
  /**
   * Name of Config's IAM role (IAM names are global: one per region needs its own).
   * @default `${name}-config`
   */
  readonly roleName?: string;
  /**
   * Resource types recorded once a day instead of on every change, for high-churn types whose
   * every change is a billed configuration item. A type a change-triggered rule evaluates cannot be
   * among them: the rule would only see it once a day.
   * @default - every type recorded continuously
   */
  readonly dailyResourceTypes?: readonly string[];
  /**
   * Prefix of Config's objects in the bucket.
   * @default "config"
   */
  readonly keyPrefix?: string;
  /**
   * Record IAM users, roles, groups and policies too. Turn it off in every region but one when
   * recording several regions, so global resources are not billed twice.
   * @default true
   */
  readonly includeGlobalResourceTypes?: boolean;
  /**
   * Managed rules to evaluate; an empty list records without evaluating.
   * @default BASELINE_CONFIG_RULES
   */
  readonly rules?: readonly ManagedConfigRule[];
}

/**
 * AWS Config: a recorder of every supported resource type (started; high-churn types daily if
 * asked), a delivery channel to the audit bucket, encrypted with its key, and managed rules.
 * Config uses its own role, so the bucket needs no policy for it (same account).
 */
export class ConfigRecorder extends Construct {
  readonly recorder: ConfigConfigurationRecorder;
  readonly rules: ConfigConfigRule[] = [];

  constructor(scope: Construct, id: string, props: ConfigRecorderProps) {
    super(scope, id);
    const keyPrefix = props.keyPrefix ?? "config";
    const rules = props.rules ?? BASELINE_CONFIG_RULES;
    const daily = props.dailyResourceTypes ?? [];
    const evaluatedOnChange = new Set(rules.filter((rule) => !rule.periodic).flatMap((rule) => rule.resourceTypes ?? []));
    const clash = daily.filter((type) => evaluatedOnChange.has(type));
    validateProps(this, props, (check) =>
      check.check(
        clash.length === 0,
        "dailyResourceTypes",
        daily,
        `lists ${clash.join(", ")}, evaluated by change-triggered rules, which need their types recorded continuously`,
      ),
    );
    if (props.kmsKey === undefined && props.bucketRegion === undefined) {
      throw new Error("bucketRegion is required without kmsKey: the role may use the bucket's key only through S3 in that region");
    }
    const role = new IamRole(this, "role", {
      name: props.roleName ?? `${props.name}-config`,
      assumeRolePolicy: serviceTrustPolicy("config.amazonaws.com", props.accountId),
    });
    // AWS's managed policy for Config: the read-only Describe/List/Get calls of every service it
    // records, kept current by AWS as Config learns new resource types.
    new IamRolePolicyAttachment(this, "recording-policy", {
      role: role.name,
      policyArn: "arn:aws:iam::aws:policy/service-role/AWS_ConfigRole",
    });
    const deliveryPolicy = attachPolicy(new RoleGrantee(this, "grantee", role), "deliver-to-bucket", [
      { Sid: "CheckBucket", Effect: "Allow", Action: "s3:GetBucketAcl", Resource: props.bucket.arn },
      {
        Sid: "DeliverObjects",
        Effect: "Allow",
        Action: "s3:PutObject",
        Resource: `${props.bucket.arn}/${keyPrefix}/AWSLogs/${props.accountId}/*`,
      },
      props.kmsKey
        ? { Sid: "EncryptObjects", Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: props.kmsKey.arn }
        : encryptThroughBucket(props.accountId, props.bucket.arn, props.bucketRegion as string),
    ]);

    this.recorder = new ConfigConfigurationRecorder(this, "recorder", {
      name: props.name,
      roleArn: role.arn,
      recordingGroup: { allSupported: true, includeGlobalResourceTypes: props.includeGlobalResourceTypes ?? true },
      recordingMode: {
        recordingFrequency: "CONTINUOUS",
        recordingModeOverride:
          daily.length === 0
            ? undefined
            : { description: "High-churn types: once a day is enough to audit them", recordingFrequency: "DAILY", resourceTypes: [...daily] },
      },
    });
    const channel = new ConfigDeliveryChannel(this, "delivery-channel", {
      name: props.name,
      s3BucketName: props.bucket.name,
      s3KeyPrefix: keyPrefix,
      s3KmsKeyArn: props.kmsKey?.arn,
      snapshotDeliveryProperties: { deliveryFrequency: "TwentyFour_Hours" },
      // Config checks that it can write to the bucket when the channel is created.
      dependsOn: [this.recorder, deliveryPolicy],
    });
    const status = new ConfigConfigurationRecorderStatus(this, "status", {
      name: this.recorder.name,
      isEnabled: true,
      dependsOn: [channel],
    });

    for (const rule of rules) {
      this.rules.push(
        new ConfigConfigRule(this, rule.id, {
          name: `${props.name}-${rule.id}`,
          source: { owner: "AWS", sourceIdentifier: rule.identifier },
          inputParameters: rule.parameters ? JSON.stringify(rule.parameters) : undefined,
          maximumExecutionFrequency: rule.periodic ? "TwentyFour_Hours" : undefined,
          scope: rule.resourceTypes ? { complianceResourceTypes: [...rule.resourceTypes] } : undefined,
          // A rule can only be created once the recorder exists and is recording.
          dependsOn: [status],
        }),
      );
    }
  }
}

/**
 * The bucket's KMS key, whatever its id, but only as S3 in the bucket's region uses it for this
 * bucket's objects (with S3 Bucket Keys the encryption context is the bucket's ARN).
 */
function encryptThroughBucket(accountId: string, bucketArn: string, bucketRegion: string): PolicyStatement {
  return {
    Sid: "EncryptThroughTheBucket",
    Effect: "Allow",
    Action: ["kms:GenerateDataKey", "kms:Decrypt"],
    Resource: `arn:aws:kms:${bucketRegion}:${accountId}:key/*`,
    Condition: {
      StringEquals: { "kms:ViaService": `s3.${bucketRegion}.amazonaws.com` },
      StringLike: { "kms:EncryptionContext:aws:s3:arn": [bucketArn, `${bucketArn}/*`] },
    },
  };
}
