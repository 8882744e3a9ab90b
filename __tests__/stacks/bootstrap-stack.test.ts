import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { beforeAll, describe, expect, it } from "vitest";
import { BootstrapStack, bootstrapStackId } from "../../stacks/bootstrap-stack";
import { environments, referenceTo, resource, shippedApp, type StackJson, statements, testApp } from "../support/synth";

const STATE = environments.dev!.state;
const ACCOUNT = environments.dev!.accountId;

describe("BootstrapStack", () => {
  let json: StackJson;
  let keyArn: string;
  beforeAll(() => {
    json = shippedApp().json.get("bootstrap")!;
    keyArn = referenceTo(json, KmsKey, "arn");
  });

  it("is the single bootstrap stack of a one-account config", () => {
    expect(shippedApp().stacks.bootstrap.map((stack) => stack.node.id)).toEqual(["bootstrap"]);
  });

  describe("backend and provider", () => {
    it("keeps its own state in a local file in the project root, never in S3", () => {
      expect(json.terraform?.backend).toEqual({ local: { path: "../../../terraform.bootstrap-123456789012.tfstate" } });
    });

    it("pins the provider to the account and the state region, tagged as shared", () => {
      expect(json.provider?.aws).toEqual([
        expect.objectContaining({
          region: STATE.region,
          allowed_account_ids: [ACCOUNT],
          default_tags: [{ tags: expect.objectContaining({ Project: "acme", Environment: "shared", ManagedBy: "cdktf" }) }],
        }),
      ]);
    });
  });

  describe("state key", () => {
    it("rotates", () => {
      expect(resource(json, KmsKey)).toEqual(expect.objectContaining({ enable_key_rotation: true, deletion_window_in_days: 30 }));
    });

    it("has the alias the S3 backends point at", () => {
      expect(resource(json, KmsAlias)).toEqual(expect.objectContaining({ name: `alias/${STATE.kmsKeyAlias}` }));
    });
  });

  describe("state bucket", () => {
    const bucketRef = (attribute = "id") => referenceTo(json, S3Bucket, attribute);

    it("is named by the config and cannot be destroyed by Terraform", () => {
      expect(resource(json, S3Bucket)).toEqual(
        expect.objectContaining({ bucket: STATE.bucket, lifecycle: { prevent_destroy: true } }),
      );
    });

    it("is versioned", () => {
      expect(resource(json, S3BucketVersioningA)).toEqual(
        expect.objectContaining({ bucket: bucketRef(), versioning_configuration: { status: "Enabled" } }),
      );
    });

    it("is encrypted with SSE-KMS under the state key, with a bucket key", () => {
      expect(resource(json, S3BucketServerSideEncryptionConfigurationA)).toEqual(
        expect.objectContaining({
          bucket: bucketRef(),
          rule: [
            {
              apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: keyArn },
              bucket_key_enabled: true,
            },
          ],
        }),
      );
    });

    it("blocks all public access", () => {
      expect(resource(json, S3BucketPublicAccessBlock)).toEqual(
        expect.objectContaining({
          bucket: bucketRef(),
          block_public_acls: true,
          block_public_policy: true,
          ignore_public_acls: true,
          restrict_public_buckets: true,
        }),
      );
    });

    it("disables ACLs", () => {
      expect(resource(json, S3BucketOwnershipControls)).toEqual(
        expect.objectContaining({ rule: { object_ownership: "BucketOwnerEnforced" } }),
      );
    });

    it("denies requests without TLS and uploads without SSE-KMS", () => {
      const found = statements(resource(json, S3BucketPolicy).policy);
      expect(found).toContainEqual(
        expect.objectContaining({
          Effect: "Deny",
          Action: "s3:*",
          Resource: [bucketRef("arn"), `${bucketRef("arn")}/*`],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        }),
      );
      expect(found).toContainEqual(
        expect.objectContaining({
          Effect: "Deny",
          Action: "s3:PutObject",
          Condition: { StringNotEquals: { "s3:x-amz-server-side-encryption": "aws:kms" } },
        }),
      );
    });

    it("expires noncurrent state versions after a year", () => {
      expect(resource(json, S3BucketLifecycleConfiguration)).toEqual(
        expect.objectContaining({
          rule: [expect.objectContaining({ status: "Enabled", noncurrent_version_expiration: [{ noncurrent_days: 365 }] })],
        }),
      );
    });
  });

  describe("lock table", () => {
    it("is keyed by LockID (string), on demand", () => {
      expect(resource(json, DynamodbTable)).toEqual(
        expect.objectContaining({
          name: STATE.lockTable,
          hash_key: "LockID",
          attribute: [{ name: "LockID", type: "S" }],
          billing_mode: "PAY_PER_REQUEST",
        }),
      );
    });

    it("has PITR, SSE under the state key and deletion protection", () => {
      expect(resource(json, DynamodbTable)).toEqual(
        expect.objectContaining({
          point_in_time_recovery: { enabled: true },
          server_side_encryption: { enabled: true, kms_key_arn: keyArn },
          deletion_protection_enabled: true,
        }),
      );
    });
  });

  it("exports bucket, table and key, each with a description", () => {
    const outputs = json.output ?? {};
    expect(Object.keys(outputs).sort()).toEqual(["lock_table", "state_bucket", "state_kms_key_arn"]);
    for (const [id, output] of Object.entries(outputs)) expect(output.description, id).toMatch(/\S/);
    expect(outputs.state_bucket?.description).toContain(Object.keys(environments).join(", "));
  });

  it("fails without environments", () => {
    expect(() => new BootstrapStack(testApp(), "bootstrap", { environments: [] })).toThrow(
      "BootstrapStack bootstrap needs at least one environment",
    );
  });

  describe("bootstrapStackId", () => {
    it("is bootstrap when every environment shares one account", () => {
      expect(bootstrapStackId("111111111111", ["111111111111", "111111111111"])).toBe("bootstrap");
    });

    it("is bootstrap-<account> when several accounts are configured", () => {
      expect(bootstrapStackId("222222222222", ["111111111111", "222222222222"])).toBe("bootstrap-222222222222");
    });
  });
});
