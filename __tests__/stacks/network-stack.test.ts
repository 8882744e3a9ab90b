import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { describe, expect, it } from "vitest";
import { environments, resource, resources, shippedApp } from "../support/synth";

const OUTPUTS = ["availability_zones", "nat_gateway_count", "private_route_table_ids", "private_subnet_ids", "public_subnet_ids", "vpc_cidr", "vpc_id"];

describe("NetworkStack", () => {
  it("is named network-<env> for every environment", () => {
    const ids = shippedApp().stacks.network.map((stack) => stack.node.id);
    expect(ids).toEqual(Object.keys(environments).map((name) => `network-${name}`));
  });

  describe.each(Object.values(environments).map((env) => [env.name, env] as const))("%s", (name, env) => {
    const json = () => shippedApp().json.get(`network-${name}`)!;

    it("builds the VPC from the environment's network config", () => {
      expect(resource(json(), Vpc)).toEqual(expect.objectContaining({ cidr_block: env.network.vpcCidr, tags: { Name: `acme-${name}` } }));
      expect(resources(json(), Subnet).map((subnet) => subnet.cidr_block).sort()).toEqual(
        [...env.network.publicSubnetCidrs, ...env.network.privateSubnetCidrs].sort(),
      );
    });

    it("creates the NAT gateways its natStrategy asks for", () => {
      const expected = { none: 0, single: 1, "per-az": env.network.availabilityZones.length }[env.network.natStrategy];
      expect(resources(json(), NatGateway)).toHaveLength(expected);
      expect(json().output?.nat_gateway_count?.value).toBe(expected);
    });

    it("logs the traffic type at the aggregation its config asks for", () => {
      expect(resource(json(), FlowLog)).toEqual(
        expect.objectContaining({ traffic_type: env.network.flowLogTrafficType, max_aggregation_interval: env.network.flowLogAggregationSeconds }),
      );
    });

    it("keeps flow logs for flowLogRetentionDays: in a log group, or in the account's log archive of the region", () => {
      const flowLog = resource(json(), FlowLog);
      if (env.network.flowLogDestination === "cloud-watch-logs") {
        expect(flowLog.log_destination_type).toBe("cloud-watch-logs");
        expect(resource(json(), CloudwatchLogGroup)).toEqual(
          expect.objectContaining({ name: `/aws/vpc/${env.project}-${name}/flow-logs`, retention_in_days: env.network.flowLogRetentionDays }),
        );
      } else {
        // The retention is the log archive's lifecycle rule for the prefix (account stack tests).
        expect(flowLog).toEqual(
          expect.objectContaining({ log_destination_type: "s3", log_destination: `arn:aws:s3:::${env.project}-${env.accountId}-logs-${env.region}/vpc-flow-logs/${name}/` }),
        );
        expect(resources(json(), CloudwatchLogGroup)).toEqual([]);
      }
    });

    it("exports the network outputs, each with a description", () => {
      // cdktf adds `cross-stack-output-*` outputs for the platform layer's references; those are its own.
      const outputs = Object.fromEntries(
        Object.entries(json().output ?? {}).filter(([id]) => !id.startsWith("cross-stack-output-")),
      );
      const flowLogOutput = env.network.flowLogDestination === "s3" ? "flow_log_destination" : "flow_log_group_name";
      expect(Object.keys(outputs).sort()).toEqual([...OUTPUTS, flowLogOutput].sort());
      for (const [id, output] of Object.entries(outputs)) {
        expect(output.description, id).toMatch(/\S/);
      }
      expect(outputs.availability_zones?.value).toEqual(env.network.availabilityZones);
      expect(outputs.private_subnet_ids?.value).toHaveLength(env.network.availabilityZones.length);
      expect(outputs.public_subnet_ids?.value).toHaveLength(env.network.availabilityZones.length);
    });
  });
});
