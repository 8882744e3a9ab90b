import { KmsKey as KmsKeyResource } from "@cdktf/provider-aws/lib/kms-key";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { S3BucketObjectLockConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-object-lock-configuration";
import { S3BucketNotification } from "@cdktf/provider-aws/lib/s3-bucket-notification";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { beforeAll, describe, expect, it } from "vitest";
import type { PolicyStatement } from "../../../modules/core/iam";
import { KmsKey } from "../../../modules/core/kms-key";
import { SecureBucket, type SecureBucketProps } from "../../../modules/core/secure-bucket";
import { entries, problemsOf, referenceTo, resource, resources, statements, synthConstruct, type StackJson } from "../../support/synth";

const synthBucket = (props: Partial<Omit<SecureBucketProps, "kmsKey">> = {}): StackJson =>
  synthConstruct((scope) => {
    const kmsKey = new KmsKey(scope, "key", { alias: "acme-test-bucket", description: "bucket", accountId: "123456789012" });
    new SecureBucket(scope, "bucket", { bucketName: "acme-test-data", kmsKey, ...props });
  });

/** A bucket without a KMS key (SSE-S3), as for load balancer access logs. */
const synthSseS3Bucket = (props: Partial<Omit<SecureBucketProps, "kmsKey">> = {}): StackJson =>
  synthConstruct((scope) => {
    new SecureBucket(scope, "bucket", { bucketName: "acme-test-logs", ...props });
  });

const bucketRef = (json: StackJson, attribute = "id"): string => referenceTo(json, S3Bucket, attribute);
const policyStatements = (json: StackJson) => statements(resource(json, S3BucketPolicy).policy);

describe("SecureBucket", () => {
  describe("defaults", () => {
    let json: StackJson;
    beforeAll(() => {
      json = synthBucket();
    });

    it("creates the bucket without prevent_destroy", () => {
      const bucket = resource(json, S3Bucket);
      expect(bucket).toEqual(expect.objectContaining({ bucket: "acme-test-data" }));
      expect(bucket.lifecycle).toBeUndefined();
    });

    it("blocks all public access", () => {
      expect(resource(json, S3BucketPublicAccessBlock)).toEqual(
        expect.objectContaining({
          bucket: bucketRef(json),
          block_public_acls: true,
          block_public_policy: true,
          ignore_public_acls: true,
          restrict_public_buckets: true,
        }),
      );
    });

    it("disables ACLs (bucket owner enforced)", () => {
      expect(resource(json, S3BucketOwnershipControls)).toEqual(
        expect.objectContaining({ bucket: bucketRef(json), rule: { object_ownership: "BucketOwnerEnforced" } }),
      );
    });

    it("encrypts with SSE-KMS under the given key, with a bucket key", () => {
      expect(resource(json, S3BucketServerSideEncryptionConfigurationA)).toEqual(
        expect.objectContaining({
          bucket: bucketRef(json),
          rule: [
            {
              apply_server_side_encryption_by_default: {
                sse_algorithm: "aws:kms",
                kms_master_key_id: referenceTo(json, KmsKeyResource, "arn"),
              },
              bucket_key_enabled: true,
            },
          ],
        }),
      );
    });

    it("turns versioning on", () => {
      expect(resource(json, S3BucketVersioningA)).toEqual(
        expect.objectContaining({ bucket: bucketRef(json), versioning_configuration: { status: "Enabled" } }),
      );
    });

    it("expires noncurrent versions after 90 days and aborts stale multipart uploads", () => {
      expect(resource(json, S3BucketLifecycleConfiguration)).toEqual(
        expect.objectContaining({
          bucket: bucketRef(json),
          rule: [
            expect.objectContaining({
              status: "Enabled",
              filter: [{ prefix: "" }],
              noncurrent_version_expiration: [{ noncurrent_days: 90 }],
              abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
            }),
          ],
        }),
      );
    });

    it("denies requests without TLS and uploads without SSE-KMS", () => {
      const arn = bucketRef(json, "arn");
      expect(policyStatements(json)).toEqual([
        {
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: [arn, `${arn}/*`],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
        {
          Sid: "DenyNonKmsUploads",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:PutObject",
          Resource: `${arn}/*`,
          Condition: { StringNotEquals: { "s3:x-amz-server-side-encryption": "aws:kms" } },
        },
      ]);
    });

    it("writes the policy after the public access block", () => {
      const blockId = entries(json, S3BucketPublicAccessBlock)[0]![0];
      expect(resource(json, S3BucketPolicy)).toEqual(
        expect.objectContaining({
          bucket: bucketRef(json),
          depends_on: [`${S3BucketPublicAccessBlock.tfResourceType}.${blockId}`],
        }),
      );
    });

    it("sends the bucket's object events to EventBridge", () => {
      expect(resource(json, S3BucketNotification)).toEqual(
        expect.objectContaining({ bucket: bucketRef(json), eventbridge: true }),
      );
    });

    it("keeps current objects until deleted (no expiration)", () => {
      const [rule] = resource(json, S3BucketLifecycleConfiguration).rule as Record<string, unknown>[];
      expect(rule!.expiration).toBeUndefined();
    });

    it("keeps current objects in S3 Standard (no transition)", () => {
      const [rule] = resource(json, S3BucketLifecycleConfiguration).rule as Record<string, unknown>[];
      expect(rule!.transition).toBeUndefined();
    });
  });

  describe("opt-outs", () => {
    it("suspends versioning with enableVersioning: false", () => {
      expect(resource(synthBucket({ enableVersioning: false }), S3BucketVersioningA)).toEqual(
        expect.objectContaining({ versioning_configuration: { status: "Suspended" } }),
      );
    });

    it("drops the deny-unencrypted statement with enableDenyUnencryptedUploads: false, keeping TLS-only", () => {
      const sids = policyStatements(synthBucket({ enableDenyUnencryptedUploads: false })).map((statement) => statement.Sid);
      expect(sids).toEqual(["DenyInsecureTransport"]);
    });

    it("sets lifecycle.prevent_destroy with preventDestroy: true", () => {
      expect(resource(synthBucket({ preventDestroy: true }), S3Bucket)).toEqual(
        expect.objectContaining({ lifecycle: { prevent_destroy: true } }),
      );
    });

    it("appends extra policyStatements after the built-in ones", () => {
      const extra: PolicyStatement = {
        Sid: "AllowReadFromRole",
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::123456789012:role/reader" },
        Action: "s3:GetObject",
        Resource: "arn:aws:s3:::acme-test-data/*",
      };
      const found = policyStatements(synthBucket({ policyStatements: [extra] }));
      expect(found.map((statement) => statement.Sid)).toEqual(["DenyInsecureTransport", "DenyNonKmsUploads", "AllowReadFromRole"]);
      expect(found[2]).toEqual(extra);
    });

    it("sends no EventBridge notifications with enableEventBridgeNotifications: false", () => {
      expect(resources(synthBucket({ enableEventBridgeNotifications: false }), S3BucketNotification)).toEqual([]);
    });

    it("expires current objects after expirationDays, beside the noncurrent-version rule", () => {
      const lifecycle = resource(synthBucket({ expirationDays: 365 }), S3BucketLifecycleConfiguration);
      expect(lifecycle.rule).toEqual([
        expect.objectContaining({
          status: "Enabled",
          expiration: [{ days: 365 }],
          noncurrent_version_expiration: [{ noncurrent_days: 90 }],
        }),
      ]);
    });

    it("moves current objects to Glacier Instant Retrieval after archiveAfterDays", () => {
      const lifecycle = resource(synthBucket({ archiveAfterDays: 30, expirationDays: 2557 }), S3BucketLifecycleConfiguration);
      expect(lifecycle.rule).toEqual([
        expect.objectContaining({
          transition: [{ days: 30, storage_class: "GLACIER_IR" }],
          expiration: [{ days: 2557 }],
        }),
      ]);
    });

    it("expires noncurrent versions after noncurrentVersionExpirationDays", () => {
      const lifecycle = resource(synthBucket({ noncurrentVersionExpirationDays: 365 }), S3BucketLifecycleConfiguration);
      expect((lifecycle.rule as Record<string, unknown>[])[0]).toEqual(
        expect.objectContaining({ noncurrent_version_expiration: [{ noncurrent_days: 365 }] }),
      );
    });
  });

  describe("object lock, access logs and per-prefix expiry", () => {
    it("has no Object Lock and no server access logs by default", () => {
      const json = synthBucket();
      expect(resources(json, S3BucketObjectLockConfigurationA)).toEqual([]);
      expect(resources(json, S3BucketLoggingA)).toEqual([]);
    });

    it("locks new object versions for objectLockDays in objectLockMode, once versioning is on", () => {
      const json = synthBucket({ objectLockMode: "COMPLIANCE", objectLockDays: 365 });
      expect(resource(json, S3BucketObjectLockConfigurationA)).toEqual(
        expect.objectContaining({
          bucket: bucketRef(json),
          object_lock_enabled: "Enabled",
          rule: { default_retention: { mode: "COMPLIANCE", days: 365 } },
          depends_on: [`${S3BucketVersioningA.tfResourceType}.${entries(json, S3BucketVersioningA)[0]![0]}`],
        }),
      );
      expect(policyStatements(json).map((statement) => statement.Sid)).not.toContain("DenyBypassingObjectLock");
    });

    it("denies s3:BypassGovernanceRetention to everyone under a governance lock", () => {
      expect(policyStatements(synthBucket({ objectLockMode: "GOVERNANCE", objectLockDays: 30 }))).toContainEqual({
        Sid: "DenyBypassingObjectLock",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:BypassGovernanceRetention",
        Resource: `${bucketRef(synthBucket(), "arn")}/*`,
      });
    });

    it("sends server access logs to accessLogs.bucketName under its prefix, partitioned by date", () => {
      const json = synthBucket({ accessLogs: { bucketName: "acme-logs", prefix: "s3-access-logs/acme-test-data/" } });
      expect(resource(json, S3BucketLoggingA)).toEqual({
        bucket: bucketRef(json),
        target_bucket: "acme-logs",
        target_prefix: "s3-access-logs/acme-test-data/",
        target_object_key_format: { partitioned_prefix: { partition_date_source: "EventTime" } },
      });
    });

    it("locks for 365 days when only the mode is given", () => {
      expect(resource(synthBucket({ objectLockMode: "COMPLIANCE" }), S3BucketObjectLockConfigurationA).rule).toEqual({
        default_retention: { mode: "COMPLIANCE", days: 365 },
      });
    });

    it("expires (and archives) each prefix on its own schedule", () => {
      const json = synthSseS3Bucket({
        prefixExpirations: [
          { prefix: "vpc-flow-logs/prod/", expirationDays: 731, archiveAfterDays: 30 },
          { prefix: "s3-access-logs/x/", expirationDays: 90 },
        ],
      });
      const rules = resource(json, S3BucketLifecycleConfiguration).rule as Record<string, unknown>[];
      expect(rules.slice(1)).toEqual([
        expect.objectContaining({
          id: "expire-vpc-flow-logs-prod",
          filter: [{ prefix: "vpc-flow-logs/prod/" }],
          expiration: [{ days: 731 }],
          transition: [{ days: 30, storage_class: "GLACIER_IR" }],
        }),
        expect.objectContaining({ id: "expire-s3-access-logs-x", filter: [{ prefix: "s3-access-logs/x/" }], expiration: [{ days: 90 }] }),
      ]);
      expect(rules[0]!.expiration).toBeUndefined();
    });
  });

  describe("without a KMS key", () => {
    let json: StackJson;
    beforeAll(() => {
      json = synthSseS3Bucket();
    });

    it("encrypts with SSE-S3 (AES256) and no bucket key", () => {
      expect(resource(json, S3BucketServerSideEncryptionConfigurationA)).toEqual(
        expect.objectContaining({
          bucket: bucketRef(json),
          rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }],
        }),
      );
    });

    it("denies requests without TLS but does not deny uploads without SSE-KMS", () => {
      expect(policyStatements(json).map((statement) => statement.Sid)).toEqual(["DenyInsecureTransport"]);
    });

    it("keeps every other guard: public access block, versioning, EventBridge notifications", () => {
      expect(resource(json, S3BucketPublicAccessBlock)).toEqual(
        expect.objectContaining({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true }),
      );
      expect(resource(json, S3BucketVersioningA)).toEqual(expect.objectContaining({ versioning_configuration: { status: "Enabled" } }));
      expect(resource(json, S3BucketNotification)).toEqual(expect.objectContaining({ eventbridge: true }));
    });

    it("adds the deny-unencrypted statement when enableDenyUnencryptedUploads: true asks for it", () => {
      const sids = policyStatements(synthSseS3Bucket({ enableDenyUnencryptedUploads: true })).map((statement) => statement.Sid);
      expect(sids).toEqual(["DenyInsecureTransport", "DenyNonKmsUploads"]);
    });
  });

  describe("validation", () => {
    const problems = (props: Partial<Omit<SecureBucketProps, "kmsKey">>): string[] =>
      problemsOf((scope) => new SecureBucket(scope, "bucket", { bucketName: "acme-test-data", ...props }));

    it.each([0, 1.5])("fails when archiveAfterDays is %s", (days) => {
      expect(problems({ archiveAfterDays: days })).toEqual([`archiveAfterDays: ${days} must be an integer >= 1`]);
    });

    it.each([0, -1])("fails when expirationDays is %d", (days) => {
      expect(problems({ expirationDays: days })).toEqual([`expirationDays: ${days} must be an integer >= 1`]);
    });

    it.each([0, -1])("fails when noncurrentVersionExpirationDays is %d", (days) => {
      expect(problems({ noncurrentVersionExpirationDays: days })).toEqual([`noncurrentVersionExpirationDays: ${days} must be an integer >= 1`]);
    });

    it("fails when prefixExpirations are combined with bucket-wide expiry", () => {
      expect(problems({ expirationDays: 30, prefixExpirations: [{ prefix: "a/", expirationDays: 10 }] })).toEqual([
        'prefixExpirations: ["a/"] cannot be combined with expirationDays or archiveAfterDays: S3 would apply the shortest expiration to every overlapping prefix',
      ]);
    });

    it.each([
      [{ prefix: "a", expirationDays: 10 }, 'prefixExpirations: "a" is not a non-empty key prefix ending in "/"'],
      [{ prefix: "a/", expirationDays: 0 }, "prefixExpirations[a/].expirationDays: 0 must be an integer >= 1"],
      [{ prefix: "a/", expirationDays: 10, archiveAfterDays: 10 }, "prefixExpirations[a/].archiveAfterDays: 10 must be an integer from 1 to 9 (below expirationDays)"],
    ])("fails on the prefix rule %j", (rule, message) => {
      expect(problems({ prefixExpirations: [rule] })).toEqual([message]);
    });

    it.each([0, 0.5, 36501])("fails when objectLockDays is %s", (days) => {
      expect(problems({ objectLockMode: "COMPLIANCE", objectLockDays: days })).toEqual([`objectLockDays: ${days} must be an integer from 1 to 36500 days`]);
    });

    it("fails when objectLockDays is set without objectLockMode", () => {
      expect(problems({ objectLockDays: 30 })).toEqual(["objectLockDays: 30 needs objectLockMode"]);
    });

    it("fails when objects would stay locked past their expiry", () => {
      expect(problems({ objectLockMode: "COMPLIANCE", objectLockDays: 400, expirationDays: 365 })).toEqual(["objectLockDays: 400 must not exceed expirationDays (365)"]);
      expect(problems({ objectLockMode: "COMPLIANCE", objectLockDays: 365, expirationDays: 365 })).toEqual([]);
    });

    it("fails when versioning is off under Object Lock", () => {
      expect(problems({ objectLockMode: "COMPLIANCE", enableVersioning: false })).toEqual([
        "enableVersioning: false must stay on with objectLockMode: Object Lock needs versioning",
      ]);
    });

    it("fails when accessLogs.prefix does not end in /", () => {
      expect(problems({ accessLogs: { bucketName: "acme-logs", prefix: "logs" } })).toEqual(['accessLogs.prefix: "logs" is not a non-empty key prefix ending in "/"']);
    });
  });
});
