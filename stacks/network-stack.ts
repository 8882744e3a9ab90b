import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import { GuardDutyEndpointCleanup } from "../modules/network/guard-duty-endpoint-cleanup";
import { Vpc } from "../modules/network/vpc";
import { EnvironmentStack, type EnvironmentStackProps } from "./environment-stack";

/** `network-<env>`: the VPC every other layer of the environment runs in. */
export class NetworkStack extends EnvironmentStack {
  readonly vpc: Vpc;

  constructor(scope: Construct, props: EnvironmentStackProps) {
    super(scope, "network", props);
    const { env } = this;
    const network = env.network;

    this.vpc = new Vpc(this, "vpc", {
      name: this.naming.name(),
      cidr: network.vpcCidr,
      availabilityZones: network.availabilityZones,
      publicSubnetCidrs: network.publicSubnetCidrs,
      privateSubnetCidrs: network.privateSubnetCidrs,
      natStrategy: network.natStrategy,
      flowLogRetentionDays: network.flowLogRetentionDays,
      accountId: env.accountId,
      region: env.region,
    });

    // GuardDuty Runtime Monitoring (account stack) puts an endpoint and a security group in this VPC
    // outside any state; without this a destroy fails on the subnets and the VPC.
    new GuardDutyEndpointCleanup(this, "guardduty-cleanup", {
      vpcId: this.vpc.vpc.id,
      subnetIds: [...this.vpc.publicSubnets, ...this.vpc.privateSubnets].map((subnet) => subnet.id),
      region: env.region,
    });

    const outputs: Record<string, { value: unknown; description: string }> = {
      vpc_id: { value: this.vpc.vpc.id, description: "ID of the environment's VPC." },
      vpc_cidr: { value: this.vpc.vpc.cidrBlock, description: "IPv4 CIDR of the VPC." },
      availability_zones: { value: network.availabilityZones, description: "AZs of the subnets, in subnet order." },
      public_subnet_ids: {
        value: this.vpc.publicSubnets.map((subnet) => subnet.id),
        description: "Public subnet IDs, one per AZ: load balancers and NAT gateways only.",
      },
      private_subnet_ids: {
        value: this.vpc.privateSubnets.map((subnet) => subnet.id),
        description: "Private subnet IDs, one per AZ: instances, tasks and functions.",
      },
      private_route_table_ids: {
        value: this.vpc.privateRouteTables.map((table) => table.id),
        description: "Private route table IDs, one per AZ, for further endpoints or peering routes.",
      },
      nat_gateway_count: {
        value: this.vpc.natGateways.length,
        description: "NAT gateways in the VPC (0 means private subnets reach only the gateway endpoints).",
      },
    };
    if (this.vpc.flowLog) {
      outputs.flow_log_group_name = {
        value: this.vpc.flowLog.logGroup.name,
        description: "CloudWatch log group holding the VPC flow logs.",
      };
    }
    for (const [id, output] of Object.entries(outputs)) new TerraformOutput(this, id, output);
  }
}
