import { Lb } from "@cdktf/provider-aws/lib/lb";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { describe, expect, it } from "vitest";
import { LogArchive } from "../../modules/account/log-archive";
import { Alb } from "../../modules/compute/alb";
import { KmsKey } from "../../modules/core/kms-key";
import { SecureBucket } from "../../modules/core/secure-bucket";
import { s3LogTargetSseS3 } from "../../rules/s3-log-target-sse-s3";
import { checkRules } from "../support/rules";

const ACCOUNT = "123456789012";

describe("s3-log-target-sse-s3", () => {
  it("passes a log archive taking a bucket's server access logs, a load balancer's log bucket, and a KMS bucket nothing logs to", () => {
    const results = checkRules(s3LogTargetSseS3, (scope) => {
      const archive = new LogArchive(scope, "archive", { bucketName: "acme-logs", accountId: ACCOUNT, region: "eu-west-1", accessLogSources: ["acme-audit"] });
      const kmsKey = new KmsKey(scope, "key", { alias: "acme-audit", description: "audit", accountId: ACCOUNT });
      new SecureBucket(scope, "audit", { bucketName: "acme-audit", kmsKey, accessLogs: archive.accessLogTarget("acme-audit") });
      new Alb(scope, "alb", { name: "acme", vpcId: "vpc-1", subnetIds: ["subnet-a", "subnet-b"], accountId: ACCOUNT, region: "eu-west-1", targetPort: 8080 });
    });
    expect(results.violations).toEqual([]);
  });

  it("fails a KMS bucket that takes server access logs, and a load balancer's log bucket without default encryption", () => {
    const results = checkRules(s3LogTargetSseS3, (scope) => {
      const kmsKey = new KmsKey(scope, "key", { alias: "acme-logs", description: "logs", accountId: ACCOUNT });
      const logs = new SecureBucket(scope, "logs", { bucketName: "acme-logs", kmsKey });
      new SecureBucket(scope, "data", { bucketName: "acme-data", kmsKey, accessLogs: { bucketName: logs.name, prefix: "data/" } });
      const bare = new S3Bucket(scope, "lb-logs", { bucket: "acme-lb-logs" });
      new Lb(scope, "lb", { name: "acme", accessLogs: { bucket: bare.bucket, enabled: true } });
    });
    expect(results.violations).toEqual([
      'stack: logs/bucket (aws_s3_bucket): receives S3 server access logs but encrypts by default with "aws:kms"; AWS documents SSE-S3 as the only default encryption for these logs: use "AES256" [rule s3-log-target-sse-s3]',
      'stack: lb-logs (aws_s3_bucket): receives load balancer access logs but has no default encryption configuration; add one with sse_algorithm "AES256" [rule s3-log-target-sse-s3]',
    ]);
  });

  it("ignores a load balancer whose access logs are off", () => {
    const results = checkRules(s3LogTargetSseS3, (scope) => {
      const bare = new S3Bucket(scope, "lb-logs", { bucket: "acme-lb-logs" });
      new Lb(scope, "lb", { name: "acme", accessLogs: { bucket: bare.bucket, enabled: false } });
    });
    expect(results.violations).toEqual([]);
  });
});
