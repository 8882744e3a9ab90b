import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc as VpcResource } from "@cdktf/provider-aws/lib/vpc";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { Construct } from "constructs";
import { validateProps } from "../core/validation";
import { VpcFlowLog } from "./vpc-flow-log";

export interface VpcProps {
  /** Prefix of every physical name, e.g. `acme-dev`. */
  readonly name: string;
  readonly cidr: string;
  /** Availability zones, in order; subnet lists follow the same order. */
  readonly availabilityZones: readonly string[];
  readonly publicSubnetCidrs: readonly string[];
  readonly privateSubnetCidrs: readonly string[];
  readonly accountId: string;
  readonly region: string;
  /**
   * NAT gateways through which private subnets reach the internet, from 0 (gateway endpoints
   * only) to one per AZ, in the first public subnets; the private subnet of AZ i routes through
   * gateway i modulo their number. One per AZ survives the loss of an AZ; one is shared by all.
   * @default 0 - NAT gateways are the largest fixed cost of a small VPC
   */
  readonly natGateways?: number;
  /**
   * S3 and DynamoDB gateway endpoints on every route table: free, and private subnets reach
   * both services without NAT.
   * @default true
   */
  readonly enableGatewayEndpoints?: boolean;
  /**
   * Flow logs of all traffic into an encrypted log group.
   * @default true
   */
  readonly enableFlowLogs?: boolean;
  /**
   * Days flow logs are kept in their log group (with an S3 destination, the bucket's lifecycle decides).
   * @default 365
   */
  readonly flowLogRetentionDays?: number;
  /**
   * Flows logged.
   * @default "ALL"
   */
  readonly flowLogTrafficType?: "ALL" | "REJECT";
  /**
   * Seconds a flow is aggregated into one record.
   * @default 60
   */
  readonly flowLogAggregationSeconds?: 60 | 600;
  /**
   * S3 destination of the flow logs (bucket ARN with prefix) instead of a log group.
   * @default - a KMS-encrypted log group
   */
  readonly flowLogS3Destination?: string;
}

/**
 * A VPC with one public and one private subnet per availability zone, an internet gateway, NAT
 * per strategy, one private route table per AZ, gateway endpoints, flow logs, and a default
 * security group stripped of every rule.
 */
export class Vpc extends Construct {
  readonly vpc: VpcResource;
  readonly publicSubnets: Subnet[];
  readonly privateSubnets: Subnet[];
  readonly publicRouteTable: RouteTable;
  readonly privateRouteTables: RouteTable[];
  readonly natGateways: NatGateway[];
  readonly flowLog?: VpcFlowLog;

  constructor(scope: Construct, id: string, props: VpcProps) {
    super(scope, id);
    const natCount = props.natGateways ?? 0;
    const azs = props.availabilityZones;
    validateProps(this, props, (check) => {
      for (const prop of ["publicSubnetCidrs", "privateSubnetCidrs"] as const) {
        const list = props[prop];
        check.check(list.length === azs.length, prop, list, `has ${list.length} entries; needs exactly one per availability zone (${azs.length})`);
      }
      check.integer("natGateways", natCount, 0, azs.length, " (one per availability zone at most)");
    });

    this.vpc = new VpcResource(this, "vpc", {
      cidrBlock: props.cidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: { Name: props.name },
    });

    // Adopting the default security group with no rules removes AWS's allow-all-within-group
    // default, so nothing can be placed in it by accident and be reachable.
    new DefaultSecurityGroup(this, "default-sg", {
      vpcId: this.vpc.id,
      tags: { Name: `${props.name}-default-locked` },
    });

    const igw = new InternetGateway(this, "igw", { vpcId: this.vpc.id, tags: { Name: props.name } });

    this.publicRouteTable = new RouteTable(this, "public-rt", {
      vpcId: this.vpc.id,
      tags: { Name: `${props.name}-public` },
    });
    new Route(this, "public-default-route", {
      routeTableId: this.publicRouteTable.id,
      destinationCidrBlock: "0.0.0.0/0",
      gatewayId: igw.id,
    });

    this.publicSubnets = azs.map((az, i) => {
      const subnet = new Subnet(this, `public-${i}`, {
        vpcId: this.vpc.id,
        availabilityZone: az,
        cidrBlock: props.publicSubnetCidrs[i]!,
        // Even public subnets hand out no public IPs: only load balancers and NAT gateways live
        // there, and they get their addresses explicitly.
        mapPublicIpOnLaunch: false,
        tags: { Name: `${props.name}-public-${az}`, Tier: "public" },
      });
      new RouteTableAssociation(this, `public-rta-${i}`, {
        subnetId: subnet.id,
        routeTableId: this.publicRouteTable.id,
      });
      return subnet;
    });

    this.natGateways = this.publicSubnets.slice(0, natCount).map((subnet, i) => {
      const eip = new Eip(this, `nat-eip-${i}`, {
        domain: "vpc",
        tags: { Name: `${props.name}-nat-${azs[i]}` },
        dependsOn: [igw],
      });
      return new NatGateway(this, `nat-${i}`, {
        allocationId: eip.allocationId,
        subnetId: subnet.id,
        tags: { Name: `${props.name}-nat-${azs[i]}` },
        dependsOn: [igw],
      });
    });

    this.privateSubnets = [];
    this.privateRouteTables = [];
    azs.forEach((az, i) => {
      const subnet = new Subnet(this, `private-${i}`, {
        vpcId: this.vpc.id,
        availabilityZone: az,
        cidrBlock: props.privateSubnetCidrs[i]!,
        mapPublicIpOnLaunch: false,
        tags: { Name: `${props.name}-private-${az}`, Tier: "private" },
      });
      // One route table per AZ even without NAT, so switching strategy changes routes, not tables.
      const routeTable = new RouteTable(this, `private-rt-${i}`, {
        vpcId: this.vpc.id,
        tags: { Name: `${props.name}-private-${az}` },
      });
      new RouteTableAssociation(this, `private-rta-${i}`, { subnetId: subnet.id, routeTableId: routeTable.id });
      const nat = this.natGateways[i % Math.max(natCount, 1)];
      if (nat) {
        new Route(this, `private-default-route-${i}`, {
          routeTableId: routeTable.id,
          destinationCidrBlock: "0.0.0.0/0",
          natGatewayId: nat.id,
        });
      }
      this.privateSubnets.push(subnet);
      this.privateRouteTables.push(routeTable);
    });

    if (props.enableGatewayEndpoints ?? true) {
      for (const service of ["s3", "dynamodb"]) {
        new VpcEndpoint(this, `${service}-endpoint`, {
          vpcId: this.vpc.id,
          serviceName: `com.amazonaws.${props.region}.${service}`,
          vpcEndpointType: "Gateway",
          routeTableIds: [this.publicRouteTable.id, ...this.privateRouteTables.map((table) => table.id)],
          tags: { Name: `${props.name}-${service}` },
        });
      }
    }

    if (props.enableFlowLogs ?? true) {
      this.flowLog = new VpcFlowLog(this, "flow-log", {
        name: props.name,
        vpcId: this.vpc.id,
        accountId: props.accountId,
        region: props.region,
        retentionInDays: props.flowLogRetentionDays ?? 365,
        trafficType: props.flowLogTrafficType,
        maxAggregationIntervalSeconds: props.flowLogAggregationSeconds,
        s3Destination: props.flowLogS3Destination,
      });
    }
  }
}
