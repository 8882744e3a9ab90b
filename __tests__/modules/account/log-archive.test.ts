import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketObjectLockConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-object-lock-configuration";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { beforeAll, describe, expect, it } from "vitest";
import { LogArchive, type LogArchiveProps } from "../../../modules/account/log-archive";
import { resource, resources, statements, synthConstruct, type StackJson } from "../../support/synth";

const ACCOUNT = "123456789012";
const BUCKET = `acme-${ACCOUNT}-logs-eu-west-1`;
const base: LogArchiveProps = { bucketName: BUCKET, accountId: ACCOUNT, region: "eu-west-1" };
const synthArchive = (props: Partial<LogArchiveProps> = {}): StackJson => synthConstruct((scope) => new LogArchive(scope, "log-archive", { ...base, ...props }));

describe("LogArchive", () => {
  describe("with access logs and flow logs", () => {
    let json: StackJson;
    let policy: Record<string, unknown>[];
    beforeAll(() => {
      json = synthArchive({
        accessLogSources: ["acme-audit"],
        flowLogs: [
          { name: "prod", expirationDays: 731 },
          { name: "qa", expirationDays: 90 },
        ],
      });
      policy = statements(resource(json, S3BucketPolicy).policy);
    });

    it("is SSE-S3 (the only encryption S3 server access log delivery accepts), without an Object Lock default", () => {
      expect(resource(json, S3Bucket).bucket).toBe(BUCKET);
      expect(resource(json, S3BucketServerSideEncryptionConfigurationA).rule).toEqual([{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }]);
      expect(resources(json, S3BucketObjectLockConfigurationA)).toEqual([]);
    });

    it("lets S3 log delivery write only the named buckets' access logs, only under their prefixes", () => {
      expect(policy).toContainEqual({
        Sid: "S3ServerAccessLogs",
        Effect: "Allow",
        Principal: { Service: "logging.s3.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: [`arn:aws:s3:::${BUCKET}/s3-access-logs/acme-audit/*`],
        Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT }, ArnLike: { "aws:SourceArn": ["arn:aws:s3:::acme-audit"] } },
      });
    });

    it("lets this account's log delivery write flow logs only under each environment's prefix", () => {
      const fromThisAccount = { "aws:SourceAccount": ACCOUNT };
      const logsOfThisAccount = { "aws:SourceArn": `arn:aws:logs:eu-west-1:${ACCOUNT}:*` };
      expect(policy).toContainEqual({
        Sid: "FlowLogDeliveryWrite",
        Effect: "Allow",
        Principal: { Service: "delivery.logs.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: [`arn:aws:s3:::${BUCKET}/vpc-flow-logs/prod/AWSLogs/${ACCOUNT}/*`, `arn:aws:s3:::${BUCKET}/vpc-flow-logs/qa/AWSLogs/${ACCOUNT}/*`],
        Condition: { StringEquals: { ...fromThisAccount, "s3:x-amz-acl": "bucket-owner-full-control" }, ArnLike: logsOfThisAccount },
      });
      expect(policy).toContainEqual({
        Sid: "FlowLogDeliveryAclCheck",
        Effect: "Allow",
        Principal: { Service: "delivery.logs.amazonaws.com" },
        Action: ["s3:GetBucketAcl", "s3:ListBucket"],
        Resource: `arn:aws:s3:::${BUCKET}`,
        Condition: { StringEquals: fromThisAccount, ArnLike: logsOfThisAccount },
      });
    });

    it("keeps each prefix as long as its source needs, in Glacier IR after 30 days when that saves money", () => {
      const rules = resource(json, S3BucketLifecycleConfiguration).rule as Record<string, unknown>[];
      expect(rules.slice(1)).toEqual([
        expect.objectContaining({ filter: [{ prefix: "s3-access-logs/acme-audit/" }], expiration: [{ days: 365 }], transition: [{ days: 30, storage_class: "GLACIER_IR" }] }),
        expect.objectContaining({ filter: [{ prefix: "vpc-flow-logs/prod/" }], expiration: [{ days: 731 }], transition: [{ days: 30, storage_class: "GLACIER_IR" }] }),
        // Moved at 30 and gone at 90: Glacier IR's 90-day minimum would cost more than it saves.
        expect.objectContaining({ filter: [{ prefix: "vpc-flow-logs/qa/" }], expiration: [{ days: 90 }] }),
      ]);
      expect(rules[3]!.transition).toBeUndefined();
    });
  });

  it("grants no log delivery at all without sources", () => {
    expect(statements(resource(synthArchive(), S3BucketPolicy).policy).map((statement) => statement.Sid)).toEqual(["DenyInsecureTransport"]);
  });

  it("names destinations and prefixes", () => {
    expect(LogArchive.flowLogDestination(BUCKET, "prod")).toBe(`arn:aws:s3:::${BUCKET}/vpc-flow-logs/prod/`);
    expect(LogArchive.accessLogPrefix("acme-audit")).toBe("s3-access-logs/acme-audit/");
  });

  it("fails when an environment's flow logs are listed twice", () => {
    expect(() => synthArchive({ flowLogs: [{ name: "prod", expirationDays: 30 }, { name: "prod", expirationDays: 60 }] })).toThrow(
      "flowLogs: prod is listed twice; each name needs its own prefix",
    );
  });
});
