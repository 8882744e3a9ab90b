import { CloudwatchLogMetricFilter } from "@cdktf/provider-aws/lib/cloudwatch-log-metric-filter";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { Construct } from "constructs";
import { AlertTopic } from "../core/alert-topic";
import type { KmsKey } from "../core/kms-key";
import type { LogGroup } from "../core/log-group";
import { validateProps } from "../core/validation";

/** One CIS-style alarm: a metric filter over the trail's log group and the alarm on its metric. */
export interface SecurityAlarmDefinition {
  /** Construct id, metric name suffix and alarm name suffix, kebab-case. */
  readonly id: string;
  readonly description: string;
  /** CloudWatch Logs filter pattern over CloudTrail's JSON events. */
  readonly pattern: string;
}

/**
 * The CIS AWS Foundations Benchmark monitoring controls (section 4 of v1.4.0; CloudWatch.1-14 in
 * Security Hub) this baseline alarms on. Patterns follow the benchmark's text; each one is tested
 * against a sample CloudTrail event it must match and one it must not
 * (`__tests__/modules/account/security-alarms.test.ts`).
 */
export const CIS_SECURITY_ALARMS: readonly SecurityAlarmDefinition[] = [
  {
    id: "root-usage",
    description: "The root user was used (CIS 1.7, CloudWatch.1).",
    pattern: '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }',
  },
  {
    id: "unauthorized-api-calls",
    description: "API calls were refused for lack of permission (CloudWatch.2).",
    pattern:
      '{ (($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*")) && ($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket") }',
  },
  {
    id: "console-login-without-mfa",
    description: "An IAM user signed in to the console without MFA (CloudWatch.3).",
    pattern:
      '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }',
  },
  {
    id: "iam-policy-changes",
    description: "An IAM policy was created, changed, attached or detached (CloudWatch.4).",
    pattern:
      "{ ($.eventName = DeleteGroupPolicy) || ($.eventName = DeleteRolePolicy) || ($.eventName = DeleteUserPolicy) || ($.eventName = PutGroupPolicy) || ($.eventName = PutRolePolicy) || ($.eventName = PutUserPolicy) || ($.eventName = CreatePolicy) || ($.eventName = DeletePolicy) || ($.eventName = CreatePolicyVersion) || ($.eventName = DeletePolicyVersion) || ($.eventName = AttachRolePolicy) || ($.eventName = DetachRolePolicy) || ($.eventName = AttachUserPolicy) || ($.eventName = DetachUserPolicy) || ($.eventName = AttachGroupPolicy) || ($.eventName = DetachGroupPolicy) }",
  },
  {
    id: "console-authentication-failures",
    description: "A console sign-in failed authentication (CIS 4.6, CloudWatch.6).",
    pattern: '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }',
  },
  {
    id: "cloudtrail-changes",
    description: "A trail was created, changed, deleted, started or stopped (CloudWatch.5).",
    pattern:
      "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }",
  },
  {
    id: "kms-key-disabled-or-deleted",
    description: "A customer-managed KMS key was disabled or scheduled for deletion (CloudWatch.7).",
    pattern: "{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }",
  },
  {
    id: "s3-bucket-policy-changes",
    description: "An S3 bucket's ACL, policy, CORS, lifecycle or replication was changed (CIS 4.8, CloudWatch.8).",
    pattern:
      "{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) }",
  },
  {
    id: "config-changes",
    description: "AWS Config recording or delivery was stopped or changed (CIS 4.9, CloudWatch.9).",
    pattern:
      "{ ($.eventSource = config.amazonaws.com) && (($.eventName = StopConfigurationRecorder) || ($.eventName = DeleteDeliveryChannel) || ($.eventName = PutDeliveryChannel) || ($.eventName = PutConfigurationRecorder)) }",
  },
  {
    id: "security-group-changes",
    description: "A security group or one of its rules was created, changed or deleted (CloudWatch.10).",
    pattern:
      "{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = ModifySecurityGroupRules) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }",
  },
  {
    id: "nacl-changes",
    description: "A network ACL or one of its entries was created, changed or deleted (CloudWatch.11).",
    pattern:
      "{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }",
  },
  {
    id: "network-gateway-changes",
    description: "An internet or customer gateway was created, attached, detached or deleted (CIS 4.12, CloudWatch.12).",
    pattern:
      "{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) }",
  },
  {
    id: "route-table-changes",
    description: "A route table or one of its routes or associations was created, changed or deleted (CIS 4.13, CloudWatch.13).",
    pattern:
      "{ ($.eventSource = ec2.amazonaws.com) && (($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable)) }",
  },
  {
    id: "vpc-changes",
    description: "A VPC, its attributes or a peering connection was created, changed or deleted (CIS 4.14, CloudWatch.14).",
    pattern:
      "{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || ($.eventName = AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || ($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) || ($.eventName = AttachClassicLinkVpc) || ($.eventName = DetachClassicLinkVpc) || ($.eventName = DisableVpcClassicLink) || ($.eventName = EnableVpcClassicLink) }",
  },
];

export interface SecurityAlarmsProps {
  /** Prefix of the topic and alarm names, e.g. `acme-123456789012`. */
  readonly name: string;
  /** The trail's CloudWatch log group the metric filters read. */
  readonly logGroup: LogGroup;
  readonly accountId: string;
  readonly region: string;
  /** Encrypts the topic; its policy must carry `AlertTopic.cloudWatchKeyStatement()`. */
  readonly kmsKey: KmsKey;
  /** Addresses subscribed to the topic (each confirms the subscription once). */
  readonly emails: readonly string[];
  /**
   * The alarms to create.
   * @default CIS_SECURITY_ALARMS
   */
  readonly alarms?: readonly SecurityAlarmDefinition[];
  /**
   * CloudWatch namespace of the filters' metrics.
   * @default "Security"
   */
  readonly metricNamespace?: string;
  /**
   * EventBridge rules that may publish to the topic too (finding routes).
   * @default - none
   */
  readonly eventRuleArns?: readonly string[];
}

/**
 * CIS-style security alarms over a CloudTrail log group: one metric filter and one alarm per
 * event class, all notifying a KMS-encrypted SNS topic with e-mail subscribers.
 */
export class SecurityAlarms extends Construct {
  readonly topic: AlertTopic;
  readonly alarms: CloudwatchMetricAlarm[] = [];

  constructor(scope: Construct, id: string, props: SecurityAlarmsProps) {
    super(scope, id);
    validateProps(this, props, (check) => check.emails("emails", props.emails));
    const namespace = props.metricNamespace ?? "Security";

    this.topic = new AlertTopic(this, "topic", {
      name: `${props.name}-security-alerts`,
      accountId: props.accountId,
      region: props.region,
      kmsKey: props.kmsKey,
      emails: props.emails,
      eventRuleArns: props.eventRuleArns,
    });

    for (const alarm of props.alarms ?? CIS_SECURITY_ALARMS) {
      const metricName = alarm.id;
      new CloudwatchLogMetricFilter(this, `${alarm.id}-filter`, {
        name: `${props.name}-${alarm.id}`,
        logGroupName: props.logGroup.name,
        pattern: alarm.pattern,
        metricTransformation: { name: metricName, namespace, value: "1", defaultValue: "0" },
      });
      this.alarms.push(
        new CloudwatchMetricAlarm(this, `${alarm.id}-alarm`, {
          alarmName: `${props.name}-${alarm.id}`,
          alarmDescription: alarm.description,
          namespace,
          metricName,
          statistic: "Sum",
          period: 300,
          evaluationPeriods: 1,
          threshold: 1,
          comparisonOperator: "GreaterThanOrEqualToThreshold",
          // No events means nothing happened, not a broken sensor.
          treatMissingData: "notBreaching",
          actionsEnabled: true,
          alarmActions: [this.topic.arn],
        }),
      );
    }
  }
}
