import { Cloudtrail } from "@cdktf/provider-aws/lib/cloudtrail";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { Construct } from "constructs";
import { attachPolicy, policyDocument, RoleGrantee, type PolicyStatement } from "../core/iam";
import { KmsKey } from "../core/kms-key";
import { LogGroup } from "../core/log-group";
import { SecureBucket, type AccessLogTarget, type ObjectLockMode, type SecureBucketProps } from "../core/secure-bucket";
import { passOn } from "../core/validation";

export interface AuditTrailProps {
  /** Name of the trail and prefix of its bucket, log group, key alias and role. */
  readonly name: string;
  /** Globally unique name of the bucket that receives trail (and AWS Config) files. */
  readonly bucketName: string;
  readonly accountId: string;
  /** Home region of the trail. */
  readonly region: string;
  /**
   * Buckets whose object-level calls (GetObject, PutObject, DeleteObject) are recorded as S3 data
   * events: who read or wrote which object, the audit S3 server access logs would give late and
   * best-effort.
   * @default - none: management events only
   */
  readonly dataEventBucketArns?: readonly string[];
  /**
   * Record every read of the trail's own bucket (a ReadOnly data-event selector): who looked at
   * the audit files. Writes are not recorded: CloudTrail's own deliveries would log themselves.
   * @default true
   */
  readonly enableBucketReadAudit?: boolean;
  /**
   * Days the CloudWatch Logs copy, which the security alarms read, is kept.
   * @default 365
   */
  readonly logRetentionDays?: number;
  /**
   * Days after which trail files move to S3 Glacier Instant Retrieval.
   * @default 30
   */
  readonly archiveAfterDays?: number;
  /**
   * Days after which trail files expire: seven years, the usual audit-retention requirement.
   * @default 2557
   */
  readonly expireAfterDays?: number;
  /**
   * Further key-policy statements, for services that use the trail's key on their own
   * (e.g. CloudWatch alarms publishing to a topic encrypted with it).
   * @default - none
   */
  readonly keyStatements?: readonly PolicyStatement[];
  /**
   * Object Lock mode of the trail's bucket: files cannot be deleted or overwritten before
   * `objectLockDays` have passed.
   * @default "COMPLIANCE"
   */
  readonly objectLockMode?: ObjectLockMode;
  /**
   * Days each trail file is locked after it is written; at most `expireAfterDays`.
   * @default 365
   */
  readonly objectLockDays?: number;
  /**
   * Where the bucket's S3 server access logs go: every read, write and delete of the audit files,
   * CloudTrail's and Config's deliveries included (CIS 3.4, Security Hub CloudTrail.7).
   * @default - no server access logs
   */
  readonly accessLogs?: AccessLogTarget;
}

/**
 * The role policy CloudTrail's CloudWatch Logs role trusts, in the form AWS documents. Confused-deputy
 * conditions do not apply here: "The role policy doesn't support the use of aws:SourceArn and
 * aws:SourceAccount" (CloudTrail user guide, "Role policy document for CloudTrail to use CloudWatch
 * Logs for monitoring"), and with them delivery stops (prowler-cloud/prowler#4714), which would
 * silence every alarm on the log group. Another account cannot pass this role to its own trail
 * (iam:PassRole does not cross accounts), and the role can only append to this trail's log group.
 */
export const CLOUDTRAIL_LOGS_TRUST_POLICY = policyDocument([
  { Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "sts:AssumeRole" },
]);

/**
 * A multi-region CloudTrail with log file validation, encrypted with its own KMS key, delivered to
 * a locked-down bucket (Object Lock, archived, then expired, access-logged) and to a KMS-encrypted
 * CloudWatch log group that metric filters can read.
 */
export class AuditTrail extends Construct {
  readonly trail: Cloudtrail;
  readonly key: KmsKey;
  readonly bucket: SecureBucket;
  readonly logGroup: LogGroup;
  readonly arn: string;

  /** The trail's ARN, known before it exists (its key policy must name it). */
  static trailArn(region: string, accountId: string, name: string): string {
    return `arn:aws:cloudtrail:${region}:${accountId}:trail/${name}`;
  }

  constructor(scope: Construct, id: string, props: AuditTrailProps) {
    super(scope, id);
    const { name, accountId, region } = props;
    const trailArn = AuditTrail.trailArn(region, accountId, name);
    // aws:SourceArn pins every CloudTrail grant to this trail (confused-deputy protection).
    const fromThisTrail = { "aws:SourceArn": trailArn };

    this.key = new KmsKey(this, "key", {
      alias: name,
      description: `Encrypts the ${name} CloudTrail trail, its bucket and log group`,
      accountId,
      serviceStatements: [
        {
          Sid: "AllowCloudTrailEncrypt",
          Effect: "Allow",
          Principal: { Service: "cloudtrail.amazonaws.com" },
          Action: "kms:GenerateDataKey*",
          Resource: "*",
          Condition: {
            StringEquals: fromThisTrail,
            StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": `arn:aws:cloudtrail:*:${accountId}:trail/*` },
          },
        },
        {
          Sid: "AllowCloudTrailDescribeKey",
          Effect: "Allow",
          Principal: { Service: "cloudtrail.amazonaws.com" },
          Action: "kms:DescribeKey",
          Resource: "*",
          Condition: { StringEquals: fromThisTrail },
        },
        KmsKey.cloudWatchLogsStatement(region, accountId),
        ...(props.keyStatements ?? []),
      ],
    });

    const bucketArn = `arn:aws:s3:::${props.bucketName}`;
    this.bucket = new SecureBucket(this, "bucket", {
      bucketName: props.bucketName,
      kmsKey: this.key,
      // CloudTrail writes its digest files with SSE-S3 whatever the trail's key; the bucket's
      // default encryption still puts every other object under the key.
      enableDenyUnencryptedUploads: false,
      ...passOn<Pick<SecureBucketProps, "archiveAfterDays" | "expirationDays" | "objectLockDays">>(props, {
        archiveAfterDays: [props.archiveAfterDays ?? 30, "archiveAfterDays"],
        expirationDays: [props.expireAfterDays ?? 2557, "expireAfterDays"],
        objectLockDays: [props.objectLockDays ?? 365, "objectLockDays"],
      }),
      // Trail files are written once and never overwritten: keep deleted versions a year.
      noncurrentVersionExpirationDays: 365,
      objectLockMode: props.objectLockMode ?? "COMPLIANCE",
      accessLogs: props.accessLogs,
      policyStatements: [
        {
          Sid: "AllowCloudTrailAclCheck",
          Effect: "Allow",
          Principal: { Service: "cloudtrail.amazonaws.com" },
          Action: "s3:GetBucketAcl",
          Resource: bucketArn,
          Condition: { StringEquals: fromThisTrail },
        },
        {
          Sid: "AllowCloudTrailWrite",
          Effect: "Allow",
          Principal: { Service: "cloudtrail.amazonaws.com" },
          Action: "s3:PutObject",
          Resource: `${bucketArn}/AWSLogs/${accountId}/*`,
          Condition: { StringEquals: { ...fromThisTrail, "s3:x-amz-acl": "bucket-owner-full-control" } },
        },
      ],
    });

    this.logGroup = new LogGroup(this, "log-group", {
      name: `/aws/cloudtrail/${name}`,
      kmsKey: this.key,
      retentionInDays: props.logRetentionDays ?? 365,
    });
    const role = new IamRole(this, "logs-role", {
      name: `${name}-cloudtrail-logs`,
      assumeRolePolicy: CLOUDTRAIL_LOGS_TRUST_POLICY,
    });
    const logsPolicy = attachPolicy(new RoleGrantee(this, "logs-grantee", role), "write-trail-logs", [
      {
        Sid: "WriteTrailLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: `${this.logGroup.arn}:log-stream:*`,
      },
    ]);

    const dataEventBuckets = props.dataEventBucketArns ?? [];
    this.trail = new Cloudtrail(this, "trail", {
      name,
      s3BucketName: this.bucket.name,
      kmsKeyId: this.key.arn,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      enableLogging: true,
      cloudWatchLogsGroupArn: `${this.logGroup.arn}:*`,
      cloudWatchLogsRoleArn: role.arn,
      eventSelector: [
        {
          readWriteType: "All",
          includeManagementEvents: true,
          dataResource:
            dataEventBuckets.length === 0 ? undefined : [{ type: "AWS::S3::Object", values: dataEventBuckets.map((arn) => `${arn}/`) }],
        },
        ...((props.enableBucketReadAudit ?? true)
          ? [
              {
                readWriteType: "ReadOnly",
                includeManagementEvents: false,
                dataResource: [{ type: "AWS::S3::Object", values: [`${bucketArn}/`] }],
              },
            ]
          : []),
      ],
      // CloudTrail checks its bucket policy and role when the trail is created.
      dependsOn: [this.bucket.policy, logsPolicy],
    });
    this.arn = this.trail.arn;
  }
}
