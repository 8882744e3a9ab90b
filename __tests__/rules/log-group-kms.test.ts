import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { describe, expect, it } from "vitest";
import { KmsKey } from "../../modules/core/kms-key";
import { LogGroup } from "../../modules/core/log-group";
import { logGroupKms } from "../../rules/log-group-kms";
import { checkRules } from "../support/rules";

describe("log-group-kms", () => {
  it("passes a LogGroup, which always takes a key", () => {
    const results = checkRules(logGroupKms, (scope) => {
      const kmsKey = new KmsKey(scope, "key", { alias: "acme-logs", description: "logs", accountId: "123456789012" });
      new LogGroup(scope, "logs", { name: "/acme/app", kmsKey });
    });
    expect(results.violations).toEqual([]);
  });

  it("fails a log group without kms_key_id", () => {
    expect(checkRules(logGroupKms, (scope) => new CloudwatchLogGroup(scope, "plain", { name: "/acme/plain", retentionInDays: 30 })).violations).toEqual([
      "stack: plain (aws_cloudwatch_log_group): has no kms_key_id; encrypt it with a KMS key whose policy lets CloudWatch Logs use it [rule log-group-kms]",
    ]);
  });
});
