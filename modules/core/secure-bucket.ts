import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketNotification } from "@cdktf/provider-aws/lib/s3-bucket-notification";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { S3BucketObjectLockConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-object-lock-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { Construct } from "constructs";
import { denyInsecureTransport, policyDocument, type PolicyStatement } from "./iam";
import type { KmsKey } from "./kms-key";
import { validateProps } from "./validation";

/** Objects under one key prefix that expire (and are archived) on a schedule of their own. */
export interface PrefixExpiration {
  /** Key prefix, ending in `/`, e.g. `vpc-flow-logs/prod/`. */
  readonly prefix: string;
  /** Days after which current objects under the prefix expire. */
  readonly expirationDays: number;
  /**
   * Days after which they move to S3 Glacier Instant Retrieval.
   * @default - they stay in S3 Standard
   */
  readonly archiveAfterDays?: number;
}

/**
 * S3 Object Lock retention modes. `COMPLIANCE`: nobody, the root user included, can delete or
 * overwrite a locked version. `GOVERNANCE`: only principals allowed `s3:BypassGovernanceRetention`
 * can, and the bucket policy denies that action to everyone, so bypassing first needs a bucket
 * policy change (a recorded, alarmed management event).
 */
export type ObjectLockMode = "COMPLIANCE" | "GOVERNANCE";

/** Where a bucket's S3 server access logs go. */
export interface AccessLogTarget {
  /** The log bucket: same account and region, SSE-S3, no Object Lock default retention (S3's rules for log targets). */
  readonly bucketName: string;
  /** Key prefix of this bucket's logs, ending in `/`. */
  readonly prefix: string;
}

export interface SecureBucketProps {
  readonly bucketName: string;
  /**
   * Key for default SSE-KMS encryption.
   * @default - SSE-S3 (AES256), only for buckets written by a service that cannot use KMS keys,
   * such as load balancer access logs
   */
  readonly kmsKey?: KmsKey;
  /**
   * Keep every version of every object, so an overwrite or delete can be undone.
   * @default true
   */
  readonly enableVersioning?: boolean;
  /**
   * Days a noncurrent object version is kept before it expires (with versioning on).
   * @default 90
   */
  readonly noncurrentVersionExpirationDays?: number;
  /**
   * Days after which current objects expire, for buckets of logs rather than records.
   * @default - objects are kept until deleted
   */
  readonly expirationDays?: number;
  /**
   * Deny any upload that does not ask for SSE-KMS, so no object is ever stored under another key type.
   * @default - true with a `kmsKey`; false without, as SSE-S3 writers send no encryption header
   */
  readonly enableDenyUnencryptedUploads?: boolean;
  /**
   * Send the bucket's object events to EventBridge, so a rule can alert on, say, a deleted state
   * object. Free until a rule matches.
   * @default true
   */
  readonly enableEventBridgeNotifications?: boolean;
  /**
   * Let `destroy` delete the bucket with its objects, for buckets of disposable data such as the
   * logs of a disposable environment.
   * @default false
   */
  readonly enableForceDestroy?: boolean;
  /**
   * Make Terraform refuse to destroy the bucket (`lifecycle.prevent_destroy`).
   * @default false
   */
  readonly preventDestroy?: boolean;
  /**
   * Days after which current objects move to S3 Glacier Instant Retrieval (same millisecond reads,
   * about a fifth of Standard's storage price), for buckets of records that are rarely read.
   * @default - objects stay in S3 Standard
   */
  readonly archiveAfterDays?: number;
  /**
   * Extra bucket-policy statements, beside TLS-only (and deny-unencrypted when on).
   * @default - none
   */
  readonly policyStatements?: readonly PolicyStatement[];
  /**
   * Lifecycle rules of their own for objects under given prefixes. A bucket with them may not set
   * `expirationDays` or `archiveAfterDays` too: S3 applies the shortest of overlapping expirations.
   * @default - none
   */
  readonly prefixExpirations?: readonly PrefixExpiration[];
  /**
   * S3 Object Lock with a default retention in this mode: objects cannot be deleted or overwritten
   * early. It can be enabled on an existing versioned bucket (S3 API since 2023) without replacing it.
   * @default - no Object Lock
   */
  readonly objectLockMode?: ObjectLockMode;
  /**
   * Days every new object version is locked after it is written (with `objectLockMode`); at most
   * `expirationDays`.
   * @default 365
   */
  readonly objectLockDays?: number;
  /**
   * S3 server access logs (every request: who read, wrote or deleted which object) to a log bucket.
   * @default - no server access logs
   */
  readonly accessLogs?: AccessLogTarget;
}

/**
 * An S3 bucket with every guard on: SSE-KMS with a bucket key (SSE-S3 where a writing service
 * cannot use KMS), public access blocked, ACLs
 * disabled (bucket owner enforced), TLS-only policy, versioning and noncurrent-version expiry.
 */
export class SecureBucket extends Construct {
  readonly bucket: S3Bucket;
  /** The bucket policy; a service that writes here on its own must wait for it. */
  readonly policy: S3BucketPolicy;
  readonly arn: string;
  readonly name: string;

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    const enableVersioning = props.enableVersioning ?? true;
    const noncurrentDays = props.noncurrentVersionExpirationDays ?? 90;
    const prefixExpirations = props.prefixExpirations ?? [];
    const lockDays = props.objectLockMode === undefined ? undefined : (props.objectLockDays ?? 365);
    validateProps(this, props, (check) => {
      check.integer("noncurrentVersionExpirationDays", noncurrentDays, 1);
      const expirationOk = check.integer("expirationDays", props.expirationDays, 1);
      check.integer("archiveAfterDays", props.archiveAfterDays, 1);
      check.check(
        prefixExpirations.length === 0 || (props.expirationDays === undefined && props.archiveAfterDays === undefined),
        "prefixExpirations",
        prefixExpirations.map((rule) => rule.prefix),
        "cannot be combined with expirationDays or archiveAfterDays: S3 would apply the shortest expiration to every overlapping prefix",
      );
      for (const rule of prefixExpirations) {
        check.check(/^[^/].*\/$/.test(rule.prefix), "prefixExpirations", rule.prefix, 'is not a non-empty key prefix ending in "/"');
        const ruleOk = check.integer(`prefixExpirations[${rule.prefix}].expirationDays`, rule.expirationDays, 1);
        if (ruleOk && rule.archiveAfterDays !== undefined) {
          check.integer(`prefixExpirations[${rule.prefix}].archiveAfterDays`, rule.archiveAfterDays, 1, rule.expirationDays - 1, " (below expirationDays)");
        }
      }
      check.check(props.objectLockDays === undefined || props.objectLockMode !== undefined, "objectLockDays", props.objectLockDays, "needs objectLockMode");
      // S3's range for a default retention: one day to 100 years.
      const lockOk = check.integer("objectLockDays", lockDays, 1, 36500, " days");
      if (lockDays !== undefined && lockOk && expirationOk && props.expirationDays !== undefined) {
        // A locked version cannot be deleted: lifecycle would keep it past its expiry until the lock ends.
        check.check(lockDays <= props.expirationDays, "objectLockDays", lockDays, `must not exceed ${check.name("expirationDays")} (${props.expirationDays})`);
      }
      check.check(lockDays === undefined || enableVersioning, "enableVersioning", enableVersioning, "must stay on with objectLockMode: Object Lock needs versioning");
      if (props.accessLogs) {
        check.check(/^[^/].*\/$/.test(props.accessLogs.prefix), "accessLogs.prefix", props.accessLogs.prefix, 'is not a non-empty key prefix ending in "/"');
      }
    });

    this.bucket = new S3Bucket(this, "bucket", {
      bucket: props.bucketName,
      forceDestroy: props.enableForceDestroy ?? false,
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
    });
    this.arn = this.bucket.arn;
    this.name = this.bucket.bucket;

    const publicAccessBlock = new S3BucketPublicAccessBlock(this, "public-access-block", {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, "ownership", {
      bucket: this.bucket.id,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket: this.bucket.id,
      rule: [
        props.kmsKey
          ? {
              applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: props.kmsKey.arn },
              // Bucket keys cut KMS request costs by ~99% for busy buckets.
              bucketKeyEnabled: true,
            }
          : { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
      ],
    });
    const versioning = new S3BucketVersioningA(this, "versioning", {
      bucket: this.bucket.id,
      versioningConfiguration: { status: enableVersioning ? "Enabled" : "Suspended" },
    });
    if (props.objectLockMode !== undefined) {
      // Object Lock is switched on here, not with the bucket's `object_lock_enabled` (which would replace an existing bucket).
      new S3BucketObjectLockConfigurationA(this, "object-lock", {
        bucket: this.bucket.id,
        objectLockEnabled: "Enabled",
        rule: { defaultRetention: { mode: props.objectLockMode, days: lockDays } },
        dependsOn: [versioning],
      });
    }
    if (props.accessLogs) {
      new S3BucketLoggingA(this, "access-logs", {
        bucket: this.bucket.id,
        targetBucket: props.accessLogs.bucketName,
        targetPrefix: props.accessLogs.prefix,
        // Date-partitioned keys, so a day of logs can be listed (and queried with Athena) on its own.
        targetObjectKeyFormat: { partitionedPrefix: { partitionDateSource: "EventTime" } },
      });
    }
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket: this.bucket.id,
      rule: [
        {
          id: "expire-noncurrent-versions",
          status: "Enabled",
          filter: [{ prefix: "" }],
          noncurrentVersionExpiration: [{ noncurrentDays }],
          expiration: props.expirationDays === undefined ? undefined : [{ days: props.expirationDays }],
          transition:
            props.archiveAfterDays === undefined ? undefined : [{ days: props.archiveAfterDays, storageClass: "GLACIER_IR" }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
        ...prefixExpirations.map((rule) => ({
          id: `expire-${rule.prefix.replace(/\/$/, "").replace(/[^A-Za-z0-9-]/g, "-")}`,
          status: "Enabled",
          filter: [{ prefix: rule.prefix }],
          expiration: [{ days: rule.expirationDays }],
          transition: rule.archiveAfterDays === undefined ? undefined : [{ days: rule.archiveAfterDays, storageClass: "GLACIER_IR" }],
        })),
      ],
    });

    if (props.enableEventBridgeNotifications ?? true) {
      new S3BucketNotification(this, "notifications", { bucket: this.bucket.id, eventbridge: true });
    }

    const statements: PolicyStatement[] = [denyInsecureTransport(this.bucket.arn)];
    if (props.enableDenyUnencryptedUploads ?? props.kmsKey !== undefined) {
      statements.push({
        Sid: "DenyNonKmsUploads",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:PutObject",
        Resource: `${this.bucket.arn}/*`,
        Condition: { StringNotEquals: { "s3:x-amz-server-side-encryption": "aws:kms" } },
      });
    }
    if (props.objectLockMode === "GOVERNANCE") {
      statements.push({
        Sid: "DenyBypassingObjectLock",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:BypassGovernanceRetention",
        Resource: `${this.bucket.arn}/*`,
      });
    }
    statements.push(...(props.policyStatements ?? []));
    this.policy = new S3BucketPolicy(this, "policy", {
      bucket: this.bucket.id,
      policy: policyDocument(statements),
      // S3 rejects a policy write while the public access block is still being applied.
      dependsOn: [publicAccessBlock],
    });
  }
}
