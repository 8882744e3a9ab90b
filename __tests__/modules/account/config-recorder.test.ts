import { ConfigConfigRule } from "@cdktf/provider-aws/lib/config-config-rule";
import { ConfigConfigurationRecorder } from "@cdktf/provider-aws/lib/config-configuration-recorder";
import { ConfigConfigurationRecorderStatus } from "@cdktf/provider-aws/lib/config-configuration-recorder-status";
import { ConfigDeliveryChannel } from "@cdktf/provider-aws/lib/config-delivery-channel";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { KmsKey as KmsKeyResource } from "@cdktf/provider-aws/lib/kms-key";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import type { Construct } from "constructs";
import { beforeAll, describe, expect, it } from "vitest";
import { BASELINE_CONFIG_RULES, ConfigRecorder, type ConfigRecorderProps } from "../../../modules/account/config-recorder";
import { KmsKey } from "../../../modules/core/kms-key";
import { SecureBucket } from "../../../modules/core/secure-bucket";
import { problemsOf, referenceTo, resource, resources, statements, synthConstruct, type StackJson } from "../../support/synth";

const build = (scope: Construct, props: Partial<ConfigRecorderProps> = {}) => {
  const kmsKey = new KmsKey(scope, "key", { alias: "acme-audit", description: "audit", accountId: "123456789012" });
  const bucket = new SecureBucket(scope, "bucket", { bucketName: "acme-audit", kmsKey });
  new ConfigRecorder(scope, "config", { name: "acme-123456789012", accountId: "123456789012", bucket, kmsKey, ...props });
};
const rule = (json: StackJson, id: string) => resources(json, ConfigConfigRule).find((body) => body.name === `acme-123456789012-${id}`);

describe("ConfigRecorder", () => {
  describe("defaults", () => {
    let json: StackJson;
    beforeAll(() => {
      json = synthConstruct((scope) => build(scope));
    });

    it("records every supported resource type, global ones included, on every change", () => {
      expect(resource(json, ConfigConfigurationRecorder)).toEqual(
        expect.objectContaining({
          name: "acme-123456789012",
          role_arn: referenceTo(json, IamRole, "arn"),
          recording_group: { all_supported: true, include_global_resource_types: true },
          recording_mode: { recording_frequency: "CONTINUOUS" },
        }),
      );
      expect(resource(json, IamRole).name).toBe("acme-123456789012-config");
    });

    it("delivers daily snapshots to the bucket under config/, encrypted with the key", () => {
      expect(resource(json, ConfigDeliveryChannel)).toEqual(
        expect.objectContaining({
          s3_bucket_name: referenceTo(json, S3Bucket, "bucket"),
          s3_key_prefix: "config",
          s3_kms_key_arn: referenceTo(json, KmsKeyResource, "arn"),
          snapshot_delivery_properties: { delivery_frequency: "TwentyFour_Hours" },
        }),
      );
    });

    it("starts the recorder once the delivery channel exists", () => {
      const status = resource(json, ConfigConfigurationRecorderStatus);
      expect(status).toEqual(expect.objectContaining({ is_enabled: true, name: referenceTo(json, ConfigConfigurationRecorder, "name") }));
      expect(status.depends_on).toEqual([expect.stringMatching(/^aws_config_delivery_channel\./)]);
    });

    it("gives Config a role only config.amazonaws.com of the account can assume, with AWS_ConfigRole", () => {
      expect(statements(resource(json, IamRole).assume_role_policy)).toEqual([
        expect.objectContaining({ Principal: { Service: "config.amazonaws.com" }, Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } } }),
      ]);
      expect(resource(json, IamRolePolicyAttachment).policy_arn).toBe("arn:aws:iam::aws:policy/service-role/AWS_ConfigRole");
    });

    it("lets the role write only under config/AWSLogs/<account>/ and use only the bucket's key", () => {
      const bucketArn = referenceTo(json, S3Bucket, "arn");
      expect(statements(resource(json, IamRolePolicy).policy)).toEqual([
        { Sid: "CheckBucket", Effect: "Allow", Action: "s3:GetBucketAcl", Resource: bucketArn },
        { Sid: "DeliverObjects", Effect: "Allow", Action: "s3:PutObject", Resource: `${bucketArn}/config/AWSLogs/123456789012/*` },
        { Sid: "EncryptObjects", Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: referenceTo(json, KmsKeyResource, "arn") },
      ]);
    });

    it("evaluates the baseline's managed rules once the recorder runs", () => {
      expect(resources(json, ConfigConfigRule).map((body) => (body.source as Record<string, unknown>).source_identifier).sort()).toEqual([
        "ACCESS_KEYS_ROTATED",
        "ENCRYPTED_VOLUMES",
        "INCOMING_SSH_DISABLED",
        "ROOT_ACCOUNT_MFA_ENABLED",
        "S3_ACCOUNT_LEVEL_PUBLIC_ACCESS_BLOCKS_PERIODIC",
        "S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED",
      ]);
      for (const body of resources(json, ConfigConfigRule)) {
        expect(body.source).toEqual(expect.objectContaining({ owner: "AWS" }));
        expect(body.depends_on).toEqual([expect.stringMatching(/^aws_config_configuration_recorder_status\./)]);
      }
    });

    it("flags access keys older than 90 days", () => {
      expect(rule(json, "access-keys-rotated")).toEqual(
        expect.objectContaining({ input_parameters: JSON.stringify({ maxAccessKeyAge: "90" }), maximum_execution_frequency: "TwentyFour_Hours" }),
      );
    });

    it("scopes change-triggered rules to their resource type, so other changes are not billed evaluations", () => {
      expect(rule(json, "encrypted-volumes")?.scope).toEqual({ compliance_resource_types: ["AWS::EC2::Volume"] });
      expect(rule(json, "restricted-ssh")?.scope).toEqual({ compliance_resource_types: ["AWS::EC2::SecurityGroup"] });
      expect(rule(json, "s3-bucket-public-access-prohibited")?.scope).toEqual({ compliance_resource_types: ["AWS::S3::Bucket"] });
      expect(rule(json, "root-mfa")?.maximum_execution_frequency).toBe("TwentyFour_Hours");
    });
  });

  it("records without evaluating with an empty rule list", () => {
    const json = synthConstruct((scope) => build(scope, { rules: [] }));
    expect(resources(json, ConfigConfigRule)).toEqual([]);
    expect(resources(json, ConfigConfigurationRecorder)).toHaveLength(1);
  });

  it("leaves global resource types out with includeGlobalResourceTypes: false, and takes another key prefix", () => {
    const json = synthConstruct((scope) => build(scope, { includeGlobalResourceTypes: false, keyPrefix: "cfg" }));
    expect(resource(json, ConfigConfigurationRecorder).recording_group).toEqual({ all_supported: true, include_global_resource_types: false });
    expect(resource(json, ConfigDeliveryChannel).s3_key_prefix).toBe("cfg");
  });

  it("records dailyResourceTypes once a day and every other type on every change", () => {
    const daily = ["AWS::EC2::Instance", "AWS::ECS::Service"];
    const json = synthConstruct((scope) => build(scope, { dailyResourceTypes: daily }));
    expect(resource(json, ConfigConfigurationRecorder).recording_mode).toEqual({
      recording_frequency: "CONTINUOUS",
      recording_mode_override: { description: expect.any(String), recording_frequency: "DAILY", resource_types: daily },
    });
  });

  it("fails when a daily type is one a change-triggered rule evaluates", () => {
    expect(problemsOf((scope) => build(scope, { dailyResourceTypes: ["AWS::EC2::SecurityGroup", "AWS::EC2::Instance"] }))).toEqual([
      'dailyResourceTypes: ["AWS::EC2::SecurityGroup","AWS::EC2::Instance"] lists AWS::EC2::SecurityGroup, evaluated by change-triggered rules, which need their types recorded continuously',
    ]);
  });

  it("delivers to a bucket of another region without its key: the role may use the bucket's key only through S3 there", () => {
    const json = synthConstruct((scope) => {
      new ConfigRecorder(scope, "config", {
        name: "acme-123456789012",
        accountId: "123456789012",
        bucket: { name: "acme-audit", arn: "arn:aws:s3:::acme-audit" },
        bucketRegion: "eu-west-1",
        roleName: "acme-123456789012-config-eu-central-1",
        includeGlobalResourceTypes: false,
      });
    });
    expect(resource(json, ConfigDeliveryChannel)).toEqual(expect.objectContaining({ s3_bucket_name: "acme-audit" }));
    expect(resource(json, ConfigDeliveryChannel).s3_kms_key_arn).toBeUndefined();
    expect(resource(json, IamRole).name).toBe("acme-123456789012-config-eu-central-1");
    expect(statements(resource(json, IamRolePolicy).policy)).toContainEqual({
      Sid: "EncryptThroughTheBucket",
      Effect: "Allow",
      Action: ["kms:GenerateDataKey", "kms:Decrypt"],
      Resource: "arn:aws:kms:eu-west-1:123456789012:key/*",
      Condition: {
        StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" },
        StringLike: { "kms:EncryptionContext:aws:s3:arn": ["arn:aws:s3:::acme-audit", "arn:aws:s3:::acme-audit/*"] },
      },
    });
  });

  it("fails without kmsKey and bucketRegion", () => {
    expect(() =>
      synthConstruct((scope) => new ConfigRecorder(scope, "config", { name: "a", accountId: "123456789012", bucket: { name: "b", arn: "arn:aws:s3:::b" } })),
    ).toThrow("bucketRegion is required without kmsKey: the role may use the bucket's key only through S3 in that region");
  });

  it("ships six baseline rules", () => {
    expect(BASELINE_CONFIG_RULES).toHaveLength(6);
  });
});
