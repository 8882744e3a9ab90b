import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { describe, expect, it } from "vitest";
import { logGroupRetention } from "../../rules/log-group-retention";
import { checkRules } from "../support/rules";

describe("log-group-retention", () => {
  it("passes a log group that expires its events", () => {
    expect(checkRules(logGroupRetention, (scope) => new CloudwatchLogGroup(scope, "kept", { name: "/acme/kept", retentionInDays: 30 })).violations).toEqual([]);
  });

  it("fails a log group without retention, and one with retention 0 (never expire)", () => {
    const results = checkRules(logGroupRetention, (scope) => {
      new CloudwatchLogGroup(scope, "forever", { name: "/acme/forever" });
      new CloudwatchLogGroup(scope, "zero", { name: "/acme/zero", retentionInDays: 0 });
    });
    expect(results.violations).toEqual([
      "stack: forever (aws_cloudwatch_log_group): keeps its events forever (retention_in_days unset); set a retention in days [rule log-group-retention]",
      "stack: zero (aws_cloudwatch_log_group): keeps its events forever (retention_in_days 0); set a retention in days [rule log-group-retention]",
    ]);
  });
});
