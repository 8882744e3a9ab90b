import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { KmsKey as KmsKeyResource } from "@cdktf/provider-aws/lib/kms-key";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import type { Construct } from "constructs";
import { describe, expect, it } from "vitest";
import { BillingAlarm, type BillingAlarmProps } from "../../../modules/account/billing-alarm";
import { allResources, problemsOf, referenceTo, resource, type StackJson, statements, synthConstruct } from "../../support/synth";

const build = (scope: Construct, props: Partial<Omit<BillingAlarmProps, "usEast1Provider">> = {}) => {
  new AwsProvider(scope, "aws", { region: "eu-west-1" });
  const usEast1Provider = new AwsProvider(scope, "aws-us-east-1", { alias: "us-east-1", region: "us-east-1" });
  new BillingAlarm(scope, "billing", { name: "acme-123456789012", accountId: "123456789012", usEast1Provider, thresholdUsd: 3500, emails: ["sec@example.com"], ...props });
};

describe("BillingAlarm", () => {
  const json: StackJson = synthConstruct((scope) => build(scope));

  it("alarms when the estimated charges exceed the threshold", () => {
    expect(resource(json, CloudwatchMetricAlarm)).toEqual(
      expect.objectContaining({
        namespace: "AWS/Billing",
        metric_name: "EstimatedCharges",
        dimensions: { Currency: "USD" },
        statistic: "Maximum",
        threshold: 3500,
        comparison_operator: "GreaterThanThreshold",
        actions_enabled: true,
        alarm_actions: [referenceTo(json, SnsTopic, "arn")],
      }),
    );
  });

  it("puts the alarm, its topic, topic policy, subscription and key in us-east-1 through the aliased provider", () => {
    const all = allResources(json);
    expect(all.map(([type]) => type).sort()).toEqual(
      ["aws_cloudwatch_metric_alarm", "aws_kms_alias", "aws_kms_key", "aws_sns_topic", "aws_sns_topic_policy", "aws_sns_topic_subscription"].sort(),
    );
    for (const [type, body] of all) expect(body.provider, type).toBe("aws.us-east-1");
  });

  it("lets only the account's us-east-1 alarms publish to the topic", () => {
    expect(statements(resource(json, SnsTopicPolicy).policy)[0]!.Condition).toEqual({
      StringEquals: { "aws:SourceAccount": "123456789012" },
      ArnLike: { "aws:SourceArn": "arn:aws:cloudwatch:us-east-1:123456789012:alarm:*" },
    });
  });

  it("encrypts the topic with a rotating key CloudWatch may use, and subscribes the e-mails", () => {
    expect(resource(json, SnsTopic).kms_master_key_id).toBe(referenceTo(json, KmsKeyResource, "arn"));
    expect(resource(json, KmsKeyResource).enable_key_rotation).toBe(true);
    expect(statements(resource(json, KmsKeyResource).policy)).toContainEqual(
      expect.objectContaining({ Principal: { Service: "cloudwatch.amazonaws.com" } }),
    );
    expect(resource(json, SnsTopicSubscription)).toEqual(expect.objectContaining({ protocol: "email", endpoint: "sec@example.com" }));
  });

  it.each([
    [{ thresholdUsd: 0 }, "thresholdUsd: 0 must be a positive number of USD"],
    [{ thresholdUsd: Number.NaN }, "thresholdUsd: NaN must be a positive number of USD"],
    [{ emails: [] }, "emails: [] must list at least one e-mail address"],
  ])("fails on %o", (props, message) => {
    expect(problemsOf((scope) => build(scope, props))).toEqual([message]);
  });
});
