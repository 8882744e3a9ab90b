import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Construct } from "constructs";
import { policyDocument, serviceTrustPolicy } from "../core/iam";
import { KmsKey } from "../core/kms-key";
import { LogGroup } from "../core/log-group";

export interface VpcFlowLogProps {
  /** Prefix of the log group, role and key names, e.g. `acme-dev-vpc`. */
  readonly name: string;
  readonly vpcId: string;
  readonly accountId: string;
  readonly region: string;
  /**
   * Days flow logs are kept.
   * @default 365
   */
  readonly retentionInDays?: number;
  /**
   * Key for the log group.
   * @default - a dedicated key, so flow logs can be shared or revoked on their own
   */
  readonly kmsKey?: KmsKey;
  /**
   * Flows logged: `ALL` (accepted and rejected) or `REJECT` only.
   * @default "ALL"
   */
  readonly trafficType?: "ALL" | "REJECT";
  /**
   * Seconds a flow is aggregated into one record: 60 or 600.
   * @default 60
   */
  readonly maxAggregationIntervalSeconds?: 60 | 600;
  /**
   * Deliver to S3 instead of CloudWatch Logs: the destination ARN with its prefix
   * (`arn:aws:s3:::<bucket>/<prefix>/`), a bucket whose policy lets this account's log delivery write
   * there (`LogArchive`). No log group, key or role is created then; the bucket's lifecycle keeps the logs.
   * @default - a KMS-encrypted log group
   */
  readonly s3Destination?: string;
}

/**
 * Flow logs of a VPC (all traffic by default) into an encrypted log group, written by a role that
 * can only append to that group, or into an S3 log archive.
 */
export class VpcFlowLog extends Construct {
  /** The log group; absent with an S3 destination. */
  readonly logGroup?: LogGroup;
  readonly role?: IamRole;
  readonly flowLog: FlowLog;

  constructor(scope: Construct, id: string, props: VpcFlowLogProps) {
    super(scope, id);
    const trafficType = props.trafficType ?? "ALL";
    const maxAggregationInterval = props.maxAggregationIntervalSeconds ?? 60;
    if (props.s3Destination !== undefined) {
      if (!/^arn:aws:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[^*]+\/)?$/.test(props.s3Destination) || props.s3Destination.includes("/AWSLogs/")) {
        throw new Error(`s3Destination (${props.s3Destination}) must be an S3 bucket ARN with an optional prefix ending in "/" (not AWSLogs/, which S3 delivery adds itself)`);
      }
      if (props.kmsKey !== undefined) throw new Error("kmsKey applies to a log group; an S3 destination is encrypted by its bucket");
      this.flowLog = new FlowLog(this, "flow-log", {
        vpcId: props.vpcId,
        trafficType,
        logDestinationType: "s3",
        logDestination: props.s3Destination,
        maxAggregationInterval,
        // Hourly partitions under the date path: a query over an hour of an incident reads an hour of files.
        destinationOptions: { fileFormat: "plain-text", hiveCompatiblePartitions: false, perHourPartition: true },
      });
      return;
    }
    const kmsKey =
      props.kmsKey ??
      new KmsKey(this, "key", {
        alias: `${props.name}-flow-logs`,
        description: `Encrypts the VPC flow logs of ${props.name}`,
        accountId: props.accountId,
        serviceStatements: [KmsKey.cloudWatchLogsStatement(props.region, props.accountId)],
      });
    this.logGroup = new LogGroup(this, "logs", {
      name: `/aws/vpc/${props.name}/flow-logs`,
      kmsKey,
      retentionInDays: props.retentionInDays ?? 365,
    });

    this.role = new IamRole(this, "role", {
      name: `${props.name}-flow-logs`,
      description: `Lets VPC Flow Logs write to ${props.name}'s flow log group`,
      assumeRolePolicy: serviceTrustPolicy(
        "vpc-flow-logs.amazonaws.com",
        props.accountId,
        `arn:aws:ec2:${props.region}:${props.accountId}:vpc-flow-log/*`,
      ),
    });
    new IamRolePolicy(this, "write-logs", {
      name: "write-flow-logs",
      role: this.role.id,
      policy: policyDocument([
        {
          Sid: "WriteOwnLogGroup",
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
          Resource: [this.logGroup.arn, `${this.logGroup.arn}:*`],
        },
      ]),
    });

    this.flowLog = new FlowLog(this, "flow-log", {
      vpcId: props.vpcId,
      trafficType,
      logDestinationType: "cloud-watch-logs",
      logDestination: this.logGroup.arn,
      iamRoleArn: this.role.arn,
      // One-minute aggregation by default: incidents are investigated in minutes, not ten-minute buckets.
      maxAggregationInterval,
    });
  }
}
