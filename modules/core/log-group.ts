import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { Construct } from "constructs";
import type { KmsKey } from "./kms-key";

export interface LogGroupProps {
  readonly name: string;
  /** Key that encrypts the log data; its policy must allow CloudWatch Logs (`KmsKey.cloudWatchLogsStatement`). */
  readonly kmsKey: KmsKey;
  /**
   * Days the logs are kept: a year, so an incident found late can still be investigated;
   * never unbounded, which is an unbounded bill.
   * @default 365
   */
  readonly retentionInDays?: number;
}

/** A CloudWatch log group that is always encrypted with a customer-managed key and always expires. */
export class LogGroup extends Construct {
  readonly logGroup: CloudwatchLogGroup;
  readonly name: string;
  readonly arn: string;

  constructor(scope: Construct, id: string, props: LogGroupProps) {
    super(scope, id);
    this.logGroup = new CloudwatchLogGroup(this, "log-group", {
      name: props.name,
      retentionInDays: props.retentionInDays ?? 365,
      kmsKeyId: props.kmsKey.arn,
    });
    this.name = this.logGroup.name;
    this.arn = this.logGroup.arn;
  }
}
