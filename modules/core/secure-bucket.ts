import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketNotification } from "@cdktf/provider-aws/lib/s3-bucket-notification";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { Construct } from "constructs";
import { denyInsecureTransport, policyDocument, type PolicyStatement } from "./iam";
import type { KmsKey } from "./kms-key";
import { validateProps } from "./validation";

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
    validateProps(this, props, (check) => {
      check.integer("noncurrentVersionExpirationDays", noncurrentDays, 1);
      check.integer("expirationDays", props.expirationDays, 1);
      check.integer("archiveAfterDays", props.archiveAfterDays, 1);
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
    new S3BucketVersioningA(this, "versioning", {
      bucket: this.bucket.id,
      versioningConfiguration: { status: enableVersioning ? "Enabled" : "Suspended" },
    });
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
    statements.push(...(props.policyStatements ?? []));
    this.policy = new S3BucketPolicy(this, "policy", {
      bucket: this.bucket.id,
      policy: policyDocument(statements),
      // S3 rejects a policy write while the public access block is still being applied.
      dependsOn: [publicAccessBlock],
    });
  }
}
