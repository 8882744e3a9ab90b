import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { KmsKey as KmsKeyResource } from "@cdktf/provider-aws/lib/kms-key";
import { describe, expect, it } from "vitest";
import { KmsKey } from "../../../modules/core/kms-key";
import { LogGroup, type LogGroupProps } from "../../../modules/core/log-group";
import { referenceTo, resource, synthConstruct, type StackJson } from "../../support/synth";

const synthLogGroup = (props: Partial<LogGroupProps> = {}): StackJson =>
  synthConstruct((scope) => {
    const kmsKey = new KmsKey(scope, "key", { alias: "acme-test-logs", description: "logs", accountId: "123456789012" });
    new LogGroup(scope, "logs", { name: "/acme/test", kmsKey, ...props });
  });

describe("LogGroup", () => {
  it("keeps logs a year (365 days) by default, encrypted with the given key", () => {
    const json = synthLogGroup();
    expect(resource(json, CloudwatchLogGroup)).toEqual(
      expect.objectContaining({ name: "/acme/test", retention_in_days: 365, kms_key_id: referenceTo(json, KmsKeyResource, "arn") }),
    );
  });

  it("keeps logs for retentionInDays", () => {
    expect(resource(synthLogGroup({ retentionInDays: 7 }), CloudwatchLogGroup)).toEqual(
      expect.objectContaining({ retention_in_days: 7 }),
    );
  });
});
