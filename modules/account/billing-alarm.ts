import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformResource } from "cdktf";
import { Construct } from "constructs";
import { AlertTopic } from "../core/alert-topic";
import { validateProps } from "../core/validation";

/** The only region AWS publishes billing metrics in. */
const BILLING_REGION = "us-east-1";

export interface BillingAlarmProps {
  /** Prefix of the key alias, topic and alarm names. */
  readonly name: string;
  readonly accountId: string;
  /** A provider for us-east-1: AWS publishes billing metrics there only. */
  readonly usEast1Provider: AwsProvider;
  /** The account's estimated month-to-date charges, in USD, that raise the alarm. */
  readonly thresholdUsd: number;
  /** Addresses subscribed to the alarm's topic. */
  readonly emails: readonly string[];
}

/**
 * A CloudWatch alarm on the account's estimated charges (AWS/Billing EstimatedCharges), with its
 * own KMS-encrypted topic and key in us-east-1: an alarm can only notify a topic of its own region.
 * Billing alerts must be enabled once in the account's Billing preferences for the metric to exist.
 */
export class BillingAlarm extends Construct {
  readonly alarm: CloudwatchMetricAlarm;
  readonly topic: AlertTopic;

  constructor(scope: Construct, id: string, props: BillingAlarmProps) {
    super(scope, id);
    validateProps(this, props, (check) => {
      check.positive("thresholdUsd", props.thresholdUsd, "USD");
      check.emails("emails", props.emails);
    });

    this.topic = new AlertTopic(this, "topic", {
      name: `${props.name}-billing-alerts`,
      accountId: props.accountId,
      region: BILLING_REGION,
      emails: props.emails,
    });
    this.alarm = new CloudwatchMetricAlarm(this, "alarm", {
      alarmName: `${props.name}-estimated-charges`,
      alarmDescription: `The account's estimated charges this month exceed ${props.thresholdUsd} USD.`,
      namespace: "AWS/Billing",
      metricName: "EstimatedCharges",
      dimensions: { Currency: "USD" },
      statistic: "Maximum",
      // AWS updates the metric a few times a day.
      period: 21600,
      evaluationPeriods: 1,
      threshold: props.thresholdUsd,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
      actionsEnabled: true,
      alarmActions: [this.topic.arn],
    });

    // Everything here lives in us-east-1, the key included (KmsKey takes no provider of its own).
    for (const child of this.node.findAll()) {
      if (TerraformResource.isTerraformResource(child)) child.provider = props.usEast1Provider;
    }
  }
}
