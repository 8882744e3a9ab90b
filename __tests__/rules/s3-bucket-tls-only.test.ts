import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { describe, expect, it } from "vitest";
import { denyInsecureTransport, policyDocument } from "../../modules/core/iam";
import { SecureBucket } from "../../modules/core/secure-bucket";
import { s3BucketTlsOnly } from "../../rules/s3-bucket-tls-only";
import { checkRules } from "../support/rules";

describe("s3-bucket-tls-only", () => {
  it("passes a SecureBucket, whose policy denies requests without TLS", () => {
    expect(checkRules(s3BucketTlsOnly, (scope) => new SecureBucket(scope, "logs", { bucketName: "acme-logs" })).violations).toEqual([]);
  });

  it("passes a bucket whose policy names it literally", () => {
    const results = checkRules(s3BucketTlsOnly, (scope) => {
      new S3Bucket(scope, "bucket", { bucket: "acme-literal" });
      new S3BucketPolicy(scope, "policy", { bucket: "acme-literal", policy: policyDocument([denyInsecureTransport("arn:aws:s3:::acme-literal")]) });
    });
    expect(results.violations).toEqual([]);
  });

  it("fails a bucket without a policy, and one whose policy allows plain HTTP", () => {
    const results = checkRules(s3BucketTlsOnly, (scope) => {
      new S3Bucket(scope, "bare", { bucket: "acme-bare" });
      const open = new S3Bucket(scope, "open", { bucket: "acme-open" });
      new S3BucketPolicy(scope, "policy", {
        bucket: open.id,
        // The deny covers the bucket but not its objects.
        policy: policyDocument([{ ...denyInsecureTransport(open.arn), Resource: [open.arn] }]),
      });
    });
    expect(results.violations).toEqual([
      "stack: bare (aws_s3_bucket): has no bucket policy; attach one that denies s3:* on the bucket and its objects when aws:SecureTransport is false [rule s3-bucket-tls-only]",
      "stack: open (aws_s3_bucket): its bucket policy allows requests without TLS; add a Deny of s3:* on the bucket and its objects when aws:SecureTransport is false [rule s3-bucket-tls-only]",
    ]);
  });
});
