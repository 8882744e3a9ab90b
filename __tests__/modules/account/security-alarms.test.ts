import { CloudwatchLogMetricFilter } from "@cdktf/provider-aws/lib/cloudwatch-log-metric-filter";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { KmsKey as KmsKeyResource } from "@cdktf/provider-aws/lib/kms-key";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import type { Construct } from "constructs";
import { beforeAll, describe, expect, it } from "vitest";
import { KmsKey } from "../../../modules/core/kms-key";
import { LogGroup } from "../../../modules/core/log-group";
import { CIS_SECURITY_ALARMS, SecurityAlarms, type SecurityAlarmsProps } from "../../../modules/account/security-alarms";
import { matchesFilterPattern } from "../../support/log-filter-pattern";
import { problemsOf, referenceTo, resource, resources, type StackJson, statements, synthConstruct } from "../../support/synth";
import { CIS_SAMPLE_EVENTS, ROUTE_OF_ANOTHER_SERVICE } from "./fixtures/cloudtrail-events";

const build = (scope: Construct, props: Partial<SecurityAlarmsProps> = {}) => {
  const kmsKey = new KmsKey(scope, "key", { alias: "acme-audit", description: "audit", accountId: "123456789012" });
  const logGroup = new LogGroup(scope, "logs", { name: "/aws/cloudtrail/acme", kmsKey });
  return new SecurityAlarms(scope, "alarms", {
    name: "acme-123456789012",
    accountId: "123456789012",
    region: "eu-west-1",
    logGroup,
    kmsKey,
    emails: ["sec@example.com", "ops@example.com"],
    ...props,
  });
};

describe("SecurityAlarms", () => {
  describe("defaults", () => {
    let json: StackJson;
    beforeAll(() => {
      json = synthConstruct((scope) => build(scope));
    });

    it("encrypts the topic with the given customer-managed key", () => {
      expect(resource(json, SnsTopic)).toEqual(
        expect.objectContaining({ name: "acme-123456789012-security-alerts", kms_master_key_id: referenceTo(json, KmsKeyResource, "arn") }),
      );
    });

    it("subscribes every e-mail address", () => {
      const subscriptions = resources(json, SnsTopicSubscription);
      expect(subscriptions).toHaveLength(2);
      expect(subscriptions).toEqual(
        expect.arrayContaining(
          ["sec@example.com", "ops@example.com"].map((endpoint) =>
            expect.objectContaining({ protocol: "email", endpoint, topic_arn: referenceTo(json, SnsTopic, "arn") }),
          ),
        ),
      );
    });

    it("covers the CIS 4.x monitoring controls (CloudWatch.1-14 but the two CIS dropped)", () => {
      expect(CIS_SECURITY_ALARMS.map((alarm) => alarm.id)).toEqual([
        "root-usage",
        "unauthorized-api-calls",
        "console-login-without-mfa",
        "iam-policy-changes",
        "console-authentication-failures",
        "cloudtrail-changes",
        "kms-key-disabled-or-deleted",
        "s3-bucket-policy-changes",
        "config-changes",
        "security-group-changes",
        "nacl-changes",
        "network-gateway-changes",
        "route-table-changes",
        "vpc-changes",
      ]);
    });

    it.each([
      ["root-usage", '$.userIdentity.type = "Root"'],
      ["unauthorized-api-calls", '$.errorCode = "AccessDenied*"'],
      ["console-login-without-mfa", '$.additionalEventData.MFAUsed != "Yes"'],
      ["iam-policy-changes", "$.eventName = PutRolePolicy"],
      ["cloudtrail-changes", "$.eventName = StopLogging"],
      ["kms-key-disabled-or-deleted", "$.eventName = ScheduleKeyDeletion"],
      ["security-group-changes", "$.eventName = AuthorizeSecurityGroupIngress"],
      ["nacl-changes", "$.eventName = ReplaceNetworkAclEntry"],
      ["console-authentication-failures", '$.errorMessage = "Failed authentication"'],
      ["s3-bucket-policy-changes", "$.eventName = PutBucketPolicy"],
      ["config-changes", "$.eventName = StopConfigurationRecorder"],
      ["network-gateway-changes", "$.eventName = AttachInternetGateway"],
      ["route-table-changes", "$.eventName = ReplaceRoute"],
      ["vpc-changes", "$.eventName = ModifyVpcAttribute"],
    ])("filters the trail's log group for %s", (id, fragment) => {
      const filter = resources(json, CloudwatchLogMetricFilter).find((body) => body.name === `acme-123456789012-${id}`);
      expect(filter).toEqual(
        expect.objectContaining({
          log_group_name: referenceTo(json, "aws_cloudwatch_log_group", "name"),
          metric_transformation: { name: id, namespace: "Security", value: "1", default_value: "0" },
        }),
      );
      expect(filter!.pattern).toContain(fragment);
    });

    describe("patterns against sample CloudTrail events", () => {
      it("has a sample event to match and one to miss for every alarm", () => {
        expect(Object.keys(CIS_SAMPLE_EVENTS).sort()).toEqual(CIS_SECURITY_ALARMS.map((alarm) => alarm.id).sort());
      });

      it.each(CIS_SECURITY_ALARMS.map((alarm) => [alarm.id, alarm.pattern] as const))("%s matches its event and misses its near neighbour", (id, pattern) => {
        const samples = CIS_SAMPLE_EVENTS[id]!;
        expect(matchesFilterPattern(pattern, samples.match), `${id} must match`).toBe(true);
        expect(matchesFilterPattern(pattern, samples.noMatch), `${id} must not match`).toBe(false);
      });

      it("raises exactly one alarm per sample event: no two controls fire for the same change", () => {
        for (const [id, samples] of Object.entries(CIS_SAMPLE_EVENTS)) {
          const firing = CIS_SECURITY_ALARMS.filter((alarm) => matchesFilterPattern(alarm.pattern, samples.match)).map((alarm) => alarm.id);
          // A root console sign-in without MFA is root use; the no-MFA alarm is for IAM users.
          expect(firing, id).toEqual([id]);
        }
      });

      it("ignores another service's CreateRoute (route-table changes are EC2's)", () => {
        const pattern = CIS_SECURITY_ALARMS.find((alarm) => alarm.id === "route-table-changes")!.pattern;
        expect(matchesFilterPattern(pattern, ROUTE_OF_ANOTHER_SERVICE)).toBe(false);
      });
    });

    it("alarms on the first matching event within 5 minutes and notifies the topic", () => {
      const alarms = resources(json, CloudwatchMetricAlarm);
      expect(alarms).toHaveLength(CIS_SECURITY_ALARMS.length);
      for (const alarm of alarms) {
        expect(alarm).toEqual(
          expect.objectContaining({
            namespace: "Security",
            statistic: "Sum",
            period: 300,
            evaluation_periods: 1,
            threshold: 1,
            comparison_operator: "GreaterThanOrEqualToThreshold",
            treat_missing_data: "notBreaching",
            actions_enabled: true,
            alarm_actions: [referenceTo(json, SnsTopic, "arn")],
          }),
        );
        expect(alarm.alarm_description).toMatch(/\S/);
      }
    });
  });

  it("uses another namespace and alarm list when given", () => {
    const json = synthConstruct((scope) =>
      build(scope, { metricNamespace: "Acme/Security", alarms: [{ id: "one", description: "d", pattern: "{ $.x = 1 }" }] }),
    );
    expect(resource(json, CloudwatchMetricAlarm)).toEqual(expect.objectContaining({ namespace: "Acme/Security", metric_name: "one" }));
  });

  it("lets the named EventBridge rules publish too, and no others", () => {
    const rules = ["arn:aws:events:eu-west-1:123456789012:rule/acme-guardduty-findings"];
    const json = synthConstruct((scope) => build(scope, { eventRuleArns: rules }));
    const policy = statements(resource(json, SnsTopicPolicy).policy);
    expect(policy).toContainEqual(
      expect.objectContaining({ Sid: "TheseEventBridgeRules", Principal: { Service: "events.amazonaws.com" }, Condition: { ArnEquals: { "aws:SourceArn": rules } } }),
    );
  });

  it("lets only the account's CloudWatch alarms publish to its topic, over TLS only", () => {
    const json = synthConstruct((scope) => build(scope));
    const policy = statements(resource(json, SnsTopicPolicy).policy);
    expect(policy.map((statement) => statement.Sid)).toEqual(["CloudWatchAlarmsOfThisAccount", "DenyInsecureTransport"]);
    expect(policy[0]!.Condition).toEqual({
      StringEquals: { "aws:SourceAccount": "123456789012" },
      ArnLike: { "aws:SourceArn": "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:*" },
    });
  });

  it("fails without an e-mail address", () => {
    expect(problemsOf((scope) => build(scope, { emails: [] }))).toEqual(["emails: [] must list at least one e-mail address"]);
  });
});
