import { Cloudtrail } from "@cdktf/provider-aws/lib/cloudtrail";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { KmsKey as KmsKeyResource } from "@cdktf/provider-aws/lib/kms-key";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { S3BucketObjectLockConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-object-lock-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { beforeAll, describe, expect, it } from "vitest";
import { AuditTrail, CLOUDTRAIL_LOGS_TRUST_POLICY, type AuditTrailProps } from "../../../modules/account/audit-trail";
import { entries, reference, referenceTo, resource, resources, statements, synthConstruct, type StackJson } from "../../support/synth";

const ACCOUNT = "123456789012";
const TRAIL_ARN = `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/acme-audit`;
const base: AuditTrailProps = { name: "acme-audit", bucketName: "acme-audit-logs", accountId: ACCOUNT, region: "eu-west-1" };
const synthTrail = (props: Partial<AuditTrailProps> = {}): StackJson =>
  synthConstruct((scope) => new AuditTrail(scope, "trail", { ...base, ...props }));

describe("AuditTrail", () => {
  describe("defaults", () => {
    let json: StackJson;
    let trail: Record<string, unknown>;
    beforeAll(() => {
      json = synthTrail();
      trail = resource(json, Cloudtrail);
    });

    it("records every region, global services, management events, with log file validation", () => {
      expect(trail).toEqual(
        expect.objectContaining({
          name: "acme-audit",
          is_multi_region_trail: true,
          include_global_service_events: true,
          enable_log_file_validation: true,
          enable_logging: true,
        }),
      );
      expect(trail.event_selector).toContainEqual(expect.objectContaining({ read_write_type: "All", include_management_events: true }));
    });

    it("encrypts the trail with its own rotating customer-managed key", () => {
      expect(trail.kms_key_id).toBe(referenceTo(json, KmsKeyResource, "arn"));
      expect(resource(json, KmsKeyResource).enable_key_rotation).toBe(true);
    });

    it("lets CloudTrail use the key only for this trail (aws:SourceArn) and its account's encryption context", () => {
      const policy = statements(resource(json, KmsKeyResource).policy);
      expect(policy).toContainEqual({
        Sid: "AllowCloudTrailEncrypt",
        Effect: "Allow",
        Principal: { Service: "cloudtrail.amazonaws.com" },
        Action: "kms:GenerateDataKey*",
        Resource: "*",
        Condition: {
          StringEquals: { "aws:SourceArn": TRAIL_ARN },
          StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": `arn:aws:cloudtrail:*:${ACCOUNT}:trail/*` },
        },
      });
      expect(policy).toContainEqual(
        expect.objectContaining({ Sid: "AllowCloudTrailDescribeKey", Action: "kms:DescribeKey", Condition: { StringEquals: { "aws:SourceArn": TRAIL_ARN } } }),
      );
      expect(policy).toContainEqual(expect.objectContaining({ Sid: "AllowCloudWatchLogs" }));
      // No wildcard principal anywhere in the key policy.
      for (const statement of policy) expect(statement.Principal).not.toBe("*");
    });

    it("delivers to a bucket with public access blocked, ACLs disabled and SSE-KMS under the trail key", () => {
      expect(resource(json, S3Bucket)).toEqual(expect.objectContaining({ bucket: "acme-audit-logs", force_destroy: false }));
      expect(trail.s3_bucket_name).toBe(referenceTo(json, S3Bucket, "bucket"));
      expect(resource(json, S3BucketPublicAccessBlock)).toEqual(
        expect.objectContaining({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true }),
      );
      expect(resource(json, S3BucketOwnershipControls).rule).toEqual({ object_ownership: "BucketOwnerEnforced" });
      expect(resource(json, S3BucketServerSideEncryptionConfigurationA).rule).toEqual([
        expect.objectContaining({
          apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: referenceTo(json, KmsKeyResource, "arn") },
        }),
      ]);
    });

    it("archives trail files to Glacier IR after 30 days and expires them after seven years", () => {
      expect(resource(json, S3BucketLifecycleConfiguration).rule).toEqual([
        expect.objectContaining({
          transition: [{ days: 30, storage_class: "GLACIER_IR" }],
          expiration: [{ days: 2557 }],
          noncurrent_version_expiration: [{ noncurrent_days: 365 }],
        }),
      ]);
    });

    it("lets only this trail write (aws:SourceArn), only under AWSLogs/<account>/, and keeps TLS-only", () => {
      const bucketArn = "arn:aws:s3:::acme-audit-logs";
      const policy = statements(resource(json, S3BucketPolicy).policy);
      expect(policy).toContainEqual(expect.objectContaining({ Sid: "DenyInsecureTransport", Effect: "Deny" }));
      expect(policy).toContainEqual({
        Sid: "AllowCloudTrailAclCheck",
        Effect: "Allow",
        Principal: { Service: "cloudtrail.amazonaws.com" },
        Action: "s3:GetBucketAcl",
        Resource: bucketArn,
        Condition: { StringEquals: { "aws:SourceArn": TRAIL_ARN } },
      });
      expect(policy).toContainEqual({
        Sid: "AllowCloudTrailWrite",
        Effect: "Allow",
        Principal: { Service: "cloudtrail.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: `${bucketArn}/AWSLogs/${ACCOUNT}/*`,
        Condition: { StringEquals: { "aws:SourceArn": TRAIL_ARN, "s3:x-amz-acl": "bucket-owner-full-control" } },
      });
      // CloudTrail writes digest files with SSE-S3: a deny on non-KMS uploads would drop them.
      expect(policy.map((statement) => statement.Sid)).not.toContain("DenyNonKmsUploads");
    });

    it("also delivers to a KMS-encrypted log group kept a year, through a role trusting CloudTrail as AWS documents it", () => {
      const [[groupId, group]] = entries(json, CloudwatchLogGroup) as [[string, Record<string, unknown>]];
      expect(group).toEqual(
        expect.objectContaining({ name: "/aws/cloudtrail/acme-audit", retention_in_days: 365, kms_key_id: referenceTo(json, KmsKeyResource, "arn") }),
      );
      expect(trail.cloud_watch_logs_group_arn).toBe(`${reference(CloudwatchLogGroup, groupId, "arn")}:*`);
      expect(trail.cloud_watch_logs_role_arn).toBe(referenceTo(json, IamRole, "arn"));
      // CloudTrail user guide, "Role policy document for CloudTrail to use CloudWatch Logs for
      // monitoring": the role policy does not support aws:SourceArn or aws:SourceAccount, and with
      // them delivery stops (prowler-cloud/prowler#4714), silencing every alarm on the log group.
      expect(resource(json, IamRole).assume_role_policy).toBe(CLOUDTRAIL_LOGS_TRUST_POLICY);
      expect(statements(CLOUDTRAIL_LOGS_TRUST_POLICY)).toEqual([
        { Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "sts:AssumeRole" },
      ]);
      expect(statements(resource(json, IamRolePolicy).policy)).toEqual([
        {
          Sid: "WriteTrailLogs",
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
          Resource: `${reference(CloudwatchLogGroup, groupId, "arn")}:log-stream:*`,
        },
      ]);
    });

    it("locks every trail file for a year in compliance mode: nobody can delete or overwrite it early", () => {
      expect(resource(json, S3BucketObjectLockConfigurationA)).toEqual(
        expect.objectContaining({
          bucket: referenceTo(json, S3Bucket),
          object_lock_enabled: "Enabled",
          rule: { default_retention: { mode: "COMPLIANCE", days: 365 } },
        }),
      );
      // Switched on by its own resource: the bucket's object_lock_enabled would replace an existing bucket.
      expect(resource(json, S3Bucket).object_lock_enabled).toBeUndefined();
    });

    it("writes no server access logs unless given a log bucket", () => {
      expect(resources(json, S3BucketLoggingA)).toEqual([]);
    });

    it("records every read of its own bucket, but not its own writes", () => {
      expect(trail.event_selector).toContainEqual({
        read_write_type: "ReadOnly",
        include_management_events: false,
        data_resource: [{ type: "AWS::S3::Object", values: ["arn:aws:s3:::acme-audit-logs/"] }],
      });
    });

    it("waits for the bucket policy and the role's policy before creating the trail", () => {
      expect(trail.depends_on).toEqual([
        expect.stringMatching(/^aws_s3_bucket_policy\./),
        expect.stringMatching(/^aws_iam_role_policy\./),
      ]);
    });
  });

  it("records S3 data events (reads and writes) of the given buckets", () => {
    const trail = resource(synthTrail({ dataEventBucketArns: ["arn:aws:s3:::acme-tfstate"] }), Cloudtrail);
    expect((trail.event_selector as Record<string, unknown>[])[0]).toEqual({
      read_write_type: "All",
      include_management_events: true,
      data_resource: [{ type: "AWS::S3::Object", values: ["arn:aws:s3:::acme-tfstate/"] }],
    });
  });

  it("drops the audit-bucket read selector with enableBucketReadAudit: false", () => {
    const trail = resource(synthTrail({ enableBucketReadAudit: false }), Cloudtrail);
    expect(trail.event_selector).toEqual([{ read_write_type: "All", include_management_events: true }]);
  });

  it("takes retention, archive and expiry from props", () => {
    const json = synthTrail({ logRetentionDays: 731, archiveAfterDays: 90, expireAfterDays: 3653 });
    expect(resource(json, CloudwatchLogGroup).retention_in_days).toBe(731);
    expect(resource(json, S3BucketLifecycleConfiguration).rule).toEqual([
      expect.objectContaining({ transition: [{ days: 90, storage_class: "GLACIER_IR" }], expiration: [{ days: 3653 }] }),
    ]);
  });

  it("sends its bucket's server access logs (every read, write and delete) to the given log bucket", () => {
    const json = synthTrail({ accessLogs: { bucketName: "acme-logs", prefix: "s3-access-logs/acme-audit-logs/" } });
    expect(resource(json, S3BucketLoggingA)).toEqual(
      expect.objectContaining({
        bucket: referenceTo(json, S3Bucket),
        target_bucket: "acme-logs",
        target_prefix: "s3-access-logs/acme-audit-logs/",
        target_object_key_format: { partitioned_prefix: { partition_date_source: "EventTime" } },
      }),
    );
  });

  it("takes the Object Lock mode and days from props, and denies bypassing a governance lock", () => {
    const json = synthTrail({ objectLockMode: "GOVERNANCE", objectLockDays: 90 });
    expect(resource(json, S3BucketObjectLockConfigurationA).rule).toEqual({ default_retention: { mode: "GOVERNANCE", days: 90 } });
    expect(statements(resource(json, S3BucketPolicy).policy)).toContainEqual(
      expect.objectContaining({ Sid: "DenyBypassingObjectLock", Effect: "Deny", Principal: "*", Action: "s3:BypassGovernanceRetention" }),
    );
  });

  it("appends keyStatements to the key policy", () => {
    const extra = { Sid: "Extra", Effect: "Allow" as const, Principal: { Service: "cloudwatch.amazonaws.com" }, Action: "kms:Decrypt", Resource: "*" };
    const policy = statements(resource(synthTrail({ keyStatements: [extra] }), KmsKeyResource).policy);
    expect(policy.at(-1)).toEqual(extra);
  });

  it("builds the trail ARN from region, account and name", () => {
    expect(AuditTrail.trailArn("eu-west-1", ACCOUNT, "acme-audit")).toBe(TRAIL_ARN);
  });
});
