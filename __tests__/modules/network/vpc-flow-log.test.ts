import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { KmsKey as KmsKeyResource } from "@cdktf/provider-aws/lib/kms-key";
import { describe, expect, it } from "vitest";
import { KmsKey } from "../../../modules/core/kms-key";
import { VpcFlowLog } from "../../../modules/network/vpc-flow-log";
import { deref, resource, resources, synthConstruct } from "../../support/synth";

const props = { name: "acme-test", vpcId: "vpc-0123456789abcdef0", accountId: "123456789012", region: "eu-west-1" };

describe("VpcFlowLog", () => {
  it("creates a dedicated key by default, aggregated per minute", () => {
    const json = synthConstruct((scope) => new VpcFlowLog(scope, "flow-log", props));
    expect(resources(json, KmsKeyResource)).toHaveLength(1);
    expect(resource(json, FlowLog)).toEqual(
      expect.objectContaining({ vpc_id: props.vpcId, traffic_type: "ALL", max_aggregation_interval: 60 }),
    );
    expect(resource(json, IamRole)).toEqual(expect.objectContaining({ name: "acme-test-flow-logs" }));
  });

  it("uses the given kmsKey instead of creating one", () => {
    const json = synthConstruct((scope) => {
      const kmsKey = new KmsKey(scope, "shared-key", {
        alias: "acme-test-shared",
        description: "shared",
        accountId: props.accountId,
        serviceStatements: [KmsKey.cloudWatchLogsStatement(props.region, props.accountId)],
      });
      new VpcFlowLog(scope, "flow-log", { ...props, kmsKey });
    });
    expect(resources(json, KmsKeyResource)).toHaveLength(1);
    const key = deref(json, resource(json, CloudwatchLogGroup).kms_key_id);
    expect(key.body).toEqual(expect.objectContaining({ description: "shared" }));
  });

  it("logs the given traffic type at the given aggregation", () => {
    const json = synthConstruct((scope) => new VpcFlowLog(scope, "flow-log", { ...props, trafficType: "REJECT", maxAggregationIntervalSeconds: 600 }));
    expect(resource(json, FlowLog)).toEqual(expect.objectContaining({ traffic_type: "REJECT", max_aggregation_interval: 600, log_destination_type: "cloud-watch-logs" }));
  });

  describe("to S3", () => {
    const destination = "arn:aws:s3:::acme-123456789012-logs-eu-west-1/vpc-flow-logs/prod/";
    const json = synthConstruct((scope) => new VpcFlowLog(scope, "flow-log", { ...props, s3Destination: destination }));

    it("delivers to the bucket and prefix, in hourly partitions, with no log group, key or role", () => {
      expect(resource(json, FlowLog)).toEqual(
        expect.objectContaining({
          log_destination_type: "s3",
          log_destination: destination,
          traffic_type: "ALL",
          max_aggregation_interval: 60,
          destination_options: { file_format: "plain-text", hive_compatible_partitions: false, per_hour_partition: true },
        }),
      );
      expect(resource(json, FlowLog).iam_role_arn).toBeUndefined();
      expect(Object.keys(json.resource ?? {})).toEqual(["aws_flow_log"]);
    });

    it.each(["arn:aws:s3:::b/logs", "s3://bucket/logs/", "arn:aws:s3:::b/logs/AWSLogs/"])("fails when s3Destination is %s", (bad) => {
      expect(() => synthConstruct((scope) => new VpcFlowLog(scope, "flow-log", { ...props, s3Destination: bad }))).toThrow(
        `s3Destination (${bad}) must be an S3 bucket ARN with an optional prefix ending in "/" (not AWSLogs/, which S3 delivery adds itself)`,
      );
    });

    it("fails when given a kmsKey as well", () => {
      expect(() =>
        synthConstruct((scope) => {
          const kmsKey = new KmsKey(scope, "k", { alias: "a", description: "d", accountId: props.accountId });
          new VpcFlowLog(scope, "flow-log", { ...props, s3Destination: destination, kmsKey });
        }),
      ).toThrow("kmsKey applies to a log group; an S3 destination is encrypted by its bucket");
    });
  });
});
