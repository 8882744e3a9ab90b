import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey as KmsKeyResource } from "@cdktf/provider-aws/lib/kms-key";
import { beforeAll, describe, expect, it } from "vitest";
import { KmsKey, type KmsKeyProps } from "../../../modules/core/kms-key";
import { referenceTo, resource, statements, synthConstruct, type StackJson } from "../../support/synth";

const base: KmsKeyProps = { alias: "acme-test-data", description: "Encrypts test data", accountId: "123456789012" };
const synthKey = (props: Partial<KmsKeyProps> = {}): StackJson =>
  synthConstruct((scope) => new KmsKey(scope, "key", { ...base, ...props }));

describe("KmsKey", () => {
  describe("defaults", () => {
    let json: StackJson;
    beforeAll(() => {
      json = synthKey();
    });

    it("turns on yearly rotation and waits 30 days before deletion", () => {
      expect(resource(json, KmsKeyResource)).toEqual(
        expect.objectContaining({ description: "Encrypts test data", enable_key_rotation: true, deletion_window_in_days: 30 }),
      );
    });

    it("creates alias/<alias> pointing at the key", () => {
      expect(resource(json, KmsAlias)).toEqual(
        expect.objectContaining({ name: "alias/acme-test-data", target_key_id: referenceTo(json, KmsKeyResource, "key_id") }),
      );
    });

    it("hands control to the account's IAM through the root statement, and nothing else", () => {
      // Key policies always name the key itself as Resource "*".
      expect(statements(resource(json, KmsKeyResource).policy)).toEqual([
        {
          Sid: "EnableIamPolicies",
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::123456789012:root" },
          Action: "kms:*",
          Resource: "*",
        },
      ]);
    });
  });

  it("appends service statements after the root statement", () => {
    const logs = KmsKey.cloudWatchLogsStatement("eu-west-1", "123456789012");
    const json = synthKey({ serviceStatements: [logs] });
    const found = statements(resource(json, KmsKeyResource).policy);
    expect(found.map((statement) => statement.Sid)).toEqual(["EnableIamPolicies", "AllowCloudWatchLogs"]);
    expect(found[1]).toEqual(logs);
  });

  it("builds a CloudWatch Logs statement limited to the account's log groups in the region", () => {
    expect(KmsKey.cloudWatchLogsStatement("eu-west-1", "123456789012")).toEqual({
      Sid: "AllowCloudWatchLogs",
      Effect: "Allow",
      Principal: { Service: "logs.eu-west-1.amazonaws.com" },
      Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
      Resource: "*",
      Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:eu-west-1:123456789012:log-group:*" } },
    });
  });

  it.each([7, 30])("accepts a deletion window of %d days", (days) => {
    expect(resource(synthKey({ deletionWindowInDays: days }), KmsKeyResource)).toEqual(
      expect.objectContaining({ deletion_window_in_days: days }),
    );
  });

  it.each([5, 31])("fails when deletionWindowInDays is %d", (days) => {
    expect(() => synthKey({ deletionWindowInDays: days })).toThrow(`deletionWindowInDays (${days}) must be between 7 and 30`);
  });
});
