import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { Construct } from "constructs";
import { describe, expect, it } from "vitest";
import { preventDestroyOfStatefulResources, STATEFUL_RESOURCE_TYPES } from "../../../modules/core/destroy-protection";
import { allResources, synthConstruct } from "../../support/synth";

describe("preventDestroyOfStatefulResources", () => {
  const json = synthConstruct((scope) => {
    preventDestroyOfStatefulResources(scope);
    // Added after the call and nested in a construct: the aspect still reaches them.
    const nested = new Construct(scope, "nested");
    new DynamodbTable(nested, "table", { name: "t", hashKey: "id", attribute: [{ name: "id", type: "S" }] });
    new S3Bucket(nested, "bucket", { bucket: "b", lifecycle: { ignoreChanges: ["tags"] } });
    new KmsKey(scope, "key", {});
    new EcrRepository(scope, "repository", { name: "r" });
    new Lb(scope, "lb", { name: "l", lifecycle: { createBeforeDestroy: true } });
    new Vpc(scope, "vpc", { cidrBlock: "10.0.0.0/16" });
    new SnsTopic(scope, "topic", { name: "not-stateful" });
  });

  it("sets lifecycle.prevent_destroy on every stateful resource type, keeping other lifecycle settings", () => {
    const protectedTypes = allResources(json)
      .filter(([, body]) => (body.lifecycle as { prevent_destroy?: boolean } | undefined)?.prevent_destroy === true)
      .map(([type]) => type)
      .sort();
    expect(protectedTypes).toEqual([...STATEFUL_RESOURCE_TYPES].sort());
    const bodies = Object.fromEntries(allResources(json));
    expect(bodies.aws_s3_bucket!.lifecycle).toEqual({ ignore_changes: ["tags"], prevent_destroy: true });
    expect(bodies.aws_lb!.lifecycle).toEqual({ create_before_destroy: true, prevent_destroy: true });
  });

  it("counts tables, buckets, KMS keys, ECR repositories, load balancers and VPCs as stateful", () => {
    // What a destroy cannot give back: data, the keys that decrypt it, images, the name clients use,
    // the network everything else runs in.
    expect([...STATEFUL_RESOURCE_TYPES].sort()).toEqual(["aws_dynamodb_table", "aws_ecr_repository", "aws_kms_key", "aws_lb", "aws_s3_bucket", "aws_vpc"]);
  });

  it("leaves other resources alone", () => {
    expect(Object.fromEntries(allResources(json)).aws_sns_topic).not.toHaveProperty("lifecycle");
  });
});
