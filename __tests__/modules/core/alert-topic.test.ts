import { KmsKey as KmsKeyResource } from "@cdktf/provider-aws/lib/kms-key";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { beforeAll, describe, expect, it } from "vitest";
import { AlertTopic, type AlertTopicProps } from "../../../modules/core/alert-topic";
import { referenceTo, resource, resources, statements, synthConstruct, type StackJson } from "../../support/synth";

const ACCOUNT = "123456789012";
const REGION = "eu-west-1";
const BASE: AlertTopicProps = { name: "acme-test-alerts", accountId: ACCOUNT, region: REGION };

const synthTopic = (props: Partial<AlertTopicProps> = {}): StackJson =>
  synthConstruct((scope) => new AlertTopic(scope, "alerts", { ...BASE, ...props }));

describe("AlertTopic", () => {
  describe("defaults", () => {
    let json: StackJson;
    beforeAll(() => {
      json = synthTopic();
    });

    it("encrypts the topic with its own customer-managed key, never the AWS-managed SNS key", () => {
      const topic = resource(json, SnsTopic);
      expect(topic).toEqual(expect.objectContaining({ name: "acme-test-alerts", kms_master_key_id: referenceTo(json, KmsKeyResource, "arn") }));
      expect(topic.kms_master_key_id).not.toMatch(/alias\/aws\/sns/);
    });

    it("lets CloudWatch use the key to publish, and nothing else beyond the account's IAM", () => {
      const key = resource(json, KmsKeyResource);
      expect(key.enable_key_rotation).toBe(true);
      const policy = statements(key.policy);
      expect(policy.map((statement) => statement.Sid)).toEqual(["EnableIamPolicies", "AllowCloudWatchAlarms"]);
      expect(policy[1]).toEqual(
        expect.objectContaining({
          Effect: "Allow",
          Principal: { Service: "cloudwatch.amazonaws.com" },
          Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
        }),
      );
    });

    it("allows publishing only to CloudWatch alarms of this account", () => {
      const policy = resource(json, SnsTopicPolicy);
      expect(policy.arn).toBe(referenceTo(json, SnsTopic, "arn"));
      const [allow] = statements(policy.policy);
      expect(allow).toEqual({
        Sid: "CloudWatchAlarmsOfThisAccount",
        Effect: "Allow",
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: "sns:Publish",
        Resource: referenceTo(json, SnsTopic, "arn"),
        Condition: {
          StringEquals: { "aws:SourceAccount": ACCOUNT },
          ArnLike: { "aws:SourceArn": `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:*` },
        },
      });
    });

    it("denies publishing without TLS", () => {
      expect(statements(resource(json, SnsTopicPolicy).policy)).toContainEqual(
        expect.objectContaining({
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        }),
      );
    });

    it("has no subscription without e-mails or endpoint", () => {
      expect(resources(json, SnsTopicSubscription)).toEqual([]);
    });
  });

  it("lets exactly the given EventBridge rules publish, and EventBridge use its own key for them", () => {
    const rules = [`arn:aws:events:${REGION}:${ACCOUNT}:rule/a-guardduty-findings`, `arn:aws:events:${REGION}:${ACCOUNT}:rule/a-securityhub-findings`];
    const json = synthTopic({ eventRuleArns: rules });
    expect(statements(resource(json, SnsTopicPolicy).policy).map((statement) => statement.Sid)).toEqual([
      "CloudWatchAlarmsOfThisAccount",
      "TheseEventBridgeRules",
      "DenyInsecureTransport",
    ]);
    expect(statements(resource(json, SnsTopicPolicy).policy)[1]).toEqual({
      Sid: "TheseEventBridgeRules",
      Effect: "Allow",
      Principal: { Service: "events.amazonaws.com" },
      Action: "sns:Publish",
      Resource: referenceTo(json, SnsTopic, "arn"),
      Condition: { ArnEquals: { "aws:SourceArn": rules } },
    });
    expect(statements(resource(json, KmsKeyResource).policy)).toContainEqual(AlertTopic.eventBridgeKeyStatement());
    expect(AlertTopic.eventBridgeKeyStatement()).toEqual({
      Sid: "AllowEventBridgeRules",
      Effect: "Allow",
      Principal: { Service: "events.amazonaws.com" },
      Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
      Resource: "*",
    });
  });

  it("subscribes every e-mail address", () => {
    const json = synthTopic({ emails: ["a@example.com", "b@example.com"] });
    expect(resources(json, SnsTopicSubscription)).toEqual([
      expect.objectContaining({ topic_arn: referenceTo(json, SnsTopic, "arn"), protocol: "email", endpoint: "a@example.com" }),
      expect.objectContaining({ topic_arn: referenceTo(json, SnsTopic, "arn"), protocol: "email", endpoint: "b@example.com" }),
    ]);
  });

  it("subscribes an https endpoint", () => {
    const json = synthTopic({ httpsEndpoint: "https://chat.example.com/hook" });
    expect(resource(json, SnsTopicSubscription)).toEqual(
      expect.objectContaining({ protocol: "https", endpoint: "https://chat.example.com/hook" }),
    );
  });

  it("fails when the endpoint is not https", () => {
    expect(() => synthTopic({ httpsEndpoint: "http://chat.example.com/hook" })).toThrow(
      "httpsEndpoint (http://chat.example.com/hook) must be an https:// URL: SNS would send alarms in clear text",
    );
  });
});
