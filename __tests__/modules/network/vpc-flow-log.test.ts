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
});
