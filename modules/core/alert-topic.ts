import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { Token } from "cdktf";
import { Construct } from "constructs";
import { policyDocument, type PolicyStatement } from "./iam";
import { KmsKey } from "./kms-key";

export interface AlertTopicProps {
  /** Topic name; also the alias of its key when the topic has its own. */
  readonly name: string;
  readonly accountId: string;
  /** Region of the topic and of the alarms allowed to publish to it. */
  readonly region: string;
  /**
   * An existing key to encrypt the topic with; its policy must carry
   * `AlertTopic.cloudWatchKeyStatement()`.
   * @default - a key of the topic's own
   */
  readonly kmsKey?: KmsKey;
  /**
   * Addresses subscribed by e-mail. Each gets a confirmation mail and receives nothing until
   * the link in it is followed.
   * @default - none
   */
  readonly emails?: readonly string[];
  /**
   * HTTPS endpoint (a chat integration's webhook) subscribed with raw JSON delivery off, so it
   * receives SNS's envelope with the alarm in `Message`. It must confirm the subscription.
   * @default - none
   */
  readonly httpsEndpoint?: string;
  /**
   * EventBridge rules (ARNs) that may publish to the topic too, and only these: finding routes.
   * @default - none: only the account's CloudWatch alarms publish
   */
  readonly eventRuleArns?: readonly string[];
}

/**
 * The SNS topic an environment's alarms notify: encrypted with its own customer-managed key
 * (CloudWatch cannot publish to a topic under the AWS-managed SNS key), publishable only by
 * CloudWatch alarms of this account (and the EventBridge rules named) and only over TLS, with
 * e-mail and optional HTTPS subscribers.
 */
export class AlertTopic extends Construct {
  readonly topic: SnsTopic;
  readonly key: KmsKey;
  readonly arn: string;

  /**
   * Key-policy statement CloudWatch needs to publish to a topic encrypted with the key. AWS's
   * documented statement carries no condition: CloudWatch sends no source context to KMS here, and
   * a condition it cannot meet would drop every notification silently. The topic policy is what
   * restricts publishing to the account's alarms.
   */
  static cloudWatchKeyStatement(): PolicyStatement {
    return {
      Sid: "AllowCloudWatchAlarms",
      Effect: "Allow",
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
      Resource: "*",
    };
  }

  /**
   * Key-policy statement EventBridge needs to publish to a topic encrypted with the key, in the form
   * the SNS developer guide documents for AWS event sources ("Enabling compatibility between event
   * sources from AWS services and encrypted topics"), without a condition for the same reason as
   * CloudWatch's. The topic policy is what limits publishing to the named rules.
   */
  static eventBridgeKeyStatement(): PolicyStatement {
    return {
      Sid: "AllowEventBridgeRules",
      Effect: "Allow",
      Principal: { Service: "events.amazonaws.com" },
      Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
      Resource: "*",
    };
  }

  constructor(scope: Construct, id: string, props: AlertTopicProps) {
    super(scope, id);
    const endpoint = props.httpsEndpoint;
    if (endpoint !== undefined && !Token.isUnresolved(endpoint) && !endpoint.startsWith("https://")) {
      throw new Error(`httpsEndpoint (${endpoint}) must be an https:// URL: SNS would send alarms in clear text`);
    }
    const alarmArns = `arn:aws:cloudwatch:${props.region}:${props.accountId}:alarm:*`;
    const eventRuleArns = props.eventRuleArns ?? [];

    this.key =
      props.kmsKey ??
      new KmsKey(this, "key", {
        alias: props.name,
        description: `Encrypts the alarm notifications of ${props.name}`,
        accountId: props.accountId,
        serviceStatements: [AlertTopic.cloudWatchKeyStatement(), ...(eventRuleArns.length > 0 ? [AlertTopic.eventBridgeKeyStatement()] : [])],
      });

    this.topic = new SnsTopic(this, "topic", {
      name: props.name,
      displayName: props.name,
      kmsMasterKeyId: this.key.arn,
    });
    this.arn = this.topic.arn;

    new SnsTopicPolicy(this, "policy", {
      arn: this.topic.arn,
      policy: policyDocument([
        {
          Sid: "CloudWatchAlarmsOfThisAccount",
          Effect: "Allow",
          Principal: { Service: "cloudwatch.amazonaws.com" },
          Action: "sns:Publish",
          Resource: this.topic.arn,
          Condition: {
            StringEquals: { "aws:SourceAccount": props.accountId },
            ArnLike: { "aws:SourceArn": alarmArns },
          },
        },
        ...(eventRuleArns.length > 0
          ? [
              {
                Sid: "TheseEventBridgeRules",
                Effect: "Allow" as const,
                Principal: { Service: "events.amazonaws.com" },
                Action: "sns:Publish",
                Resource: this.topic.arn,
                Condition: { ArnEquals: { "aws:SourceArn": [...eventRuleArns] } },
              },
            ]
          : []),
        {
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Action: "sns:Publish",
          Resource: this.topic.arn,
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
      ]),
    });

    // Keyed by address, so removing one address never re-creates (and re-confirms) the others.
    for (const email of props.emails ?? []) {
      new SnsTopicSubscription(this, `email-${email}`, {
        topicArn: this.topic.arn,
        protocol: "email",
        endpoint: email,
      });
    }
    if (endpoint !== undefined) {
      new SnsTopicSubscription(this, "https", {
        topicArn: this.topic.arn,
        protocol: "https",
        endpoint,
      });
    }
  }
}
