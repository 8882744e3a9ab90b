import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { describe, expect, it } from "vitest";
import { KmsKey } from "../../modules/core/kms-key";
import { SecureBucket } from "../../modules/core/secure-bucket";
import { s3BucketKmsEncrypted } from "../../rules/s3-bucket-kms-encrypted";
import { checkRules } from "../support/rules";

describe("s3-bucket-kms-encrypted", () => {
  it("passes a SecureBucket with a KMS key", () => {
    const results = checkRules(s3BucketKmsEncrypted, (scope) => {
      const kmsKey = new KmsKey(scope, "key", { alias: "acme-logs", description: "logs", accountId: "123456789012" });
      new SecureBucket(scope, "logs", { bucketName: "acme-logs", kmsKey });
    });
    expect(results.violations).toEqual([]);
  });

  it("fails a SecureBucket without a key (SSE-S3) and a bucket with no default encryption", () => {
    const results = checkRules(s3BucketKmsEncrypted, (scope) => {
      new SecureBucket(scope, "sse-s3", { bucketName: "acme-sse-s3" });
      new S3Bucket(scope, "bare", { bucket: "acme-bare" });
    });
    expect(results.violations).toEqual([
      'stack: sse-s3/bucket (aws_s3_bucket): encrypts by default with "AES256"; use "aws:kms" with a KMS key [rule s3-bucket-kms-encrypted]',
      'stack: bare (aws_s3_bucket): has no default encryption configuration; add one with sse_algorithm "aws:kms" and a KMS key [rule s3-bucket-kms-encrypted]',
    ]);
  });
});
