import { Construct } from "constructs";
import type { PolicyStatement } from "../core/iam";
import { SecureBucket, type AccessLogTarget, type PrefixExpiration } from "../core/secure-bucket";

/** VPC flow logs of one environment, delivered under their own prefix with their own retention. */
export interface FlowLogArchive {
  /** Environment (or other) name: the prefix is `vpc-flow-logs/<name>/`. */
  readonly name: string;
  /** Days the flow logs are kept. */
  readonly expirationDays: number;
}

export interface LogArchiveProps {
  /** Globally unique bucket name. */
  readonly bucketName: string;
  readonly accountId: string;
  /** Region of the bucket; S3 server access logs and flow logs are delivered within it. */
  readonly region: string;
  /**
   * Buckets (names, same account and region) whose S3 server access logs land here, under
   * `s3-access-logs/<bucket>/`.
   * @default - none
   */
  readonly accessLogSources?: readonly string[];
  /**
   * Days server access logs are kept.
   * @default 365
   */
  readonly accessLogExpirationDays?: number;
  /**
   * VPC flow logs delivered here, each under `vpc-flow-logs/<name>/`.
   * @default - none
   */
  readonly flowLogs?: readonly FlowLogArchive[];
}

/** Days after which archived logs move to Glacier Instant Retrieval (billed 90 days at least). */
const ARCHIVE_AFTER_DAYS = 30;

const expiring = (prefix: string, expirationDays: number): PrefixExpiration => ({
  prefix,
  expirationDays,
  // Moving objects that expire within Glacier IR's 90-day minimum would cost more than it saves.
  archiveAfterDays: expirationDays >= ARCHIVE_AFTER_DAYS + 90 ? ARCHIVE_AFTER_DAYS : undefined,
});

/**
 * The log archive of one account and region: the bucket AWS services deliver logs to that cannot
 * go to a KMS-encrypted bucket (S3 server access logs need SSE-S3 targets) or are cheaper in S3
 * than in CloudWatch Logs (VPC flow logs kept for years). Each source writes under its own prefix,
 * only the delivering service of this account may write, and each prefix expires on its own
 * schedule (Glacier Instant Retrieval after 30 days). No Object Lock default retention: S3 refuses
 * server access log delivery to a bucket with one.
 */
export class LogArchive extends Construct {
  readonly bucket: SecureBucket;

  /** Key prefix of the server access logs of `bucketName`. */
  static accessLogPrefix(bucketName: string): string {
    return `s3-access-logs/${bucketName}/`;
  }

  /** Key prefix of the flow logs of `name`. */
  static flowLogPrefix(name: string): string {
    return `vpc-flow-logs/${name}/`;
  }

  /** Where flow logs of `name` are delivered: the bucket ARN with its prefix, as `aws_flow_log.log_destination`. */
  static flowLogDestination(bucketName: string, name: string): string {
    return `arn:aws:s3:::${bucketName}/${LogArchive.flowLogPrefix(name)}`;
  }

  constructor(scope: Construct, id: string, props: LogArchiveProps) {
    super(scope, id);
    const { accountId, region } = props;
    const sources = props.accessLogSources ?? [];
    const flowLogs = props.flowLogs ?? [];
    const names = flowLogs.map((flowLog) => flowLog.name);
    const duplicate = names.find((name, index) => names.indexOf(name) !== index);
    if (duplicate !== undefined) throw new Error(`flowLogs: ${duplicate} is listed twice; each name needs its own prefix`);
    const bucketArn = `arn:aws:s3:::${props.bucketName}`;
    const fromThisAccountsLogDelivery = {
      StringEquals: { "aws:SourceAccount": accountId },
      ArnLike: { "aws:SourceArn": `arn:aws:logs:${region}:${accountId}:*` },
    };

    const statements: PolicyStatement[] = [];
    if (sources.length > 0) {
      statements.push({
        Sid: "S3ServerAccessLogs",
        Effect: "Allow",
        Principal: { Service: "logging.s3.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: sources.map((source) => `${bucketArn}/${LogArchive.accessLogPrefix(source)}*`),
        Condition: {
          StringEquals: { "aws:SourceAccount": accountId },
          ArnLike: { "aws:SourceArn": sources.map((source) => `arn:aws:s3:::${source}`) },
        },
      });
    }
    if (flowLogs.length > 0) {
      // The statements AWS documents for flow logs published to S3, limited to this account's deliveries.
      statements.push(
        {
          Sid: "FlowLogDeliveryAclCheck",
          Effect: "Allow",
          Principal: { Service: "delivery.logs.amazonaws.com" },
          Action: ["s3:GetBucketAcl", "s3:ListBucket"],
          Resource: bucketArn,
          Condition: fromThisAccountsLogDelivery,
        },
        {
          Sid: "FlowLogDeliveryWrite",
          Effect: "Allow",
          Principal: { Service: "delivery.logs.amazonaws.com" },
          Action: "s3:PutObject",
          Resource: flowLogs.map((flowLog) => `${bucketArn}/${LogArchive.flowLogPrefix(flowLog.name)}AWSLogs/${accountId}/*`),
          Condition: {
            StringEquals: { ...fromThisAccountsLogDelivery.StringEquals, "s3:x-amz-acl": "bucket-owner-full-control" },
            ArnLike: fromThisAccountsLogDelivery.ArnLike,
          },
        },
      );
    }

    this.bucket = new SecureBucket(this, "bucket", {
      bucketName: props.bucketName,
      // No kmsKey: S3 server access logging delivers only to SSE-S3 buckets.
      prefixExpirations: [
        ...sources.map((source) => expiring(LogArchive.accessLogPrefix(source), props.accessLogExpirationDays ?? 365)),
        ...flowLogs.map((flowLog) => expiring(LogArchive.flowLogPrefix(flowLog.name), flowLog.expirationDays)),
      ],
      // Log objects are never rewritten; a deleted one stays recoverable for 90 days.
      noncurrentVersionExpirationDays: 90,
      policyStatements: statements,
    });
  }

  /** The access-log target of `bucketName` for `SecureBucket.accessLogs`. */
  accessLogTarget(bucketName: string): AccessLogTarget {
    return { bucketName: this.bucket.name, prefix: LogArchive.accessLogPrefix(bucketName) };
  }
}
