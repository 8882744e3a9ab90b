import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { describe, expect, it } from "vitest";
import { SecureBucket } from "../../modules/core/secure-bucket";
import { s3BucketPublicAccessBlocked } from "../../rules/s3-bucket-public-access-blocked";
import { checkRules } from "../support/rules";

describe("s3-bucket-public-access-blocked", () => {
  it("passes a SecureBucket", () => {
    expect(checkRules(s3BucketPublicAccessBlocked, (scope) => new SecureBucket(scope, "logs", { bucketName: "acme-logs" })).violations).toEqual([]);
  });

  it("fails a bucket without a public access block, and one with a setting off", () => {
    const results = checkRules(s3BucketPublicAccessBlocked, (scope) => {
      new S3Bucket(scope, "bare", { bucket: "acme-bare" });
      const partly = new S3Bucket(scope, "partly", { bucket: "acme-partly" });
      new S3BucketPublicAccessBlock(scope, "block", {
        bucket: partly.bucket,
        blockPublicAcls: true,
        blockPublicPolicy: false,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      });
    });
    expect(results.violations).toEqual([
      "stack: bare (aws_s3_bucket): has no public access block; add one with block_public_acls, block_public_policy, ignore_public_acls, restrict_public_buckets true [rule s3-bucket-public-access-blocked]",
      "stack: partly (aws_s3_bucket): its public access block leaves block_public_policy off; set it true [rule s3-bucket-public-access-blocked]",
    ]);
  });
});
