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
}

/**
 * Flow logs of ALL traffic (accepted and rejected) of a VPC into an encrypted log group, written
 * by a role that can only append to that group.
 */
export class VpcFlowLog extends Construct {
  readonly logGroup: LogGroup;
  readonly role: IamRole;
  readonly flowLog: FlowLog;

  constructor(scope: Construct, id: string, props: VpcFlowLogProps) {
    super(scope, id);
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
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: this.logGroup.arn,
      iamRoleArn: this.role.arn,
      // One-minute aggregation: incidents are investigated in minutes, not ten-minute buckets.
      maxAggregationInterval: 60,
    });
  }
}
