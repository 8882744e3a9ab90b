import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import { LogArchive } from "../modules/account/log-archive";
import { GuardDutyEndpointCleanup } from "../modules/network/guard-duty-endpoint-cleanup";
import { Vpc } from "../modules/network/vpc";
import { EnvironmentStack, type EnvironmentStackProps } from "./environment-stack";
import { logArchiveBucketName } from "./regional-baseline";

/** `network-<env>`: the VPC every other layer of the environment runs in, and its flow logs. */
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
      ...this.fromConfig({ publicSubnetCidrs: "network.publicSubnetCidrs", privateSubnetCidrs: "network.privateSubnetCidrs" }),
      natGateways: { none: 0, single: 1, "per-az": network.availabilityZones.length }[network.natStrategy],
      flowLogRetentionDays: network.flowLogRetentionDays,
      flowLogTrafficType: network.flowLogTrafficType,
      flowLogAggregationSeconds: network.flowLogAggregationSeconds,
      // The account stack (or the account's regional stack) owns the bucket and keeps the logs as long as config says.
      flowLogS3Destination:
        network.flowLogDestination === "s3"
          ? LogArchive.flowLogDestination(logArchiveBucketName(env.project, env.accountId, env.region), env.name)
          : undefined,
      accountId: env.accountId,
      region: env.region,
    });

    // The account baseline keeps GuardDuty Runtime Monitoring off, but a detector that had it on
    // (adopted, or turned on by an organization's delegated administrator) leaves an endpoint and a
    // security group in this VPC outside any state; without this a destroy fails on the subnets and the VPC.
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
    const flowLogGroup = this.vpc.flowLog?.logGroup;
    if (flowLogGroup) {
      outputs.flow_log_group_name = { value: flowLogGroup.name, description: "CloudWatch log group holding the VPC flow logs." };
    } else if (this.vpc.flowLog) {
      outputs.flow_log_destination = { value: this.vpc.flowLog.flowLog.logDestination, description: "S3 bucket and prefix holding the VPC flow logs (the account's log archive)." };
    }
    for (const [id, output] of Object.entries(outputs)) new TerraformOutput(this, id, output);
  }
}
