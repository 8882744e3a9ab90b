import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { KmsKey as KmsKeyResource } from "@cdktf/provider-aws/lib/kms-key";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc as VpcResource } from "@cdktf/provider-aws/lib/vpc";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { beforeAll, describe, expect, it } from "vitest";
import { Vpc, type VpcProps } from "../../../modules/network/vpc";
import {
  deref,
  entries,
  problemsOf,
  reference,
  referenceTo,
  resource,
  resources,
  statements,
  synthConstruct,
  type StackJson,
} from "../../support/synth";

const AZS = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];
const base: VpcProps = {
  name: "acme-test",
  cidr: "10.0.0.0/16",
  availabilityZones: AZS,
  publicSubnetCidrs: ["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"],
  privateSubnetCidrs: ["10.0.16.0/20", "10.0.32.0/20", "10.0.48.0/20"],
  accountId: "123456789012",
  region: "eu-west-1",
};

const synthVpc = (props: Partial<VpcProps> = {}): StackJson =>
  synthConstruct((scope) => new Vpc(scope, "vpc", { ...base, ...props }));

type Body = Record<string, unknown>;

/** Route tables by tier, found through their subnet associations (never by name or id). */
function routeTableRefs(json: StackJson, tier: "public" | "private"): string[] {
  const refs = resources(json, RouteTableAssociation)
    .filter((association) => (deref(json, association.subnet_id).body.tags as Body).Tier === tier)
    .map((association) => association.route_table_id as string);
  return [...new Set(refs)];
}

const defaultRoutes = (json: StackJson): Body[] =>
  resources(json, Route).filter((route) => route.destination_cidr_block === "0.0.0.0/0");

const privateDefaultRoutes = (json: StackJson): Body[] => {
  const privateTables = routeTableRefs(json, "private");
  return defaultRoutes(json).filter((route) => privateTables.includes(route.route_table_id as string));
};

describe("Vpc", () => {
  describe("defaults", () => {
    let json: StackJson;
    beforeAll(() => {
      json = synthVpc();
    });

    it("creates the VPC with DNS support and hostnames", () => {
      expect(resource(json, VpcResource)).toEqual(
        expect.objectContaining({
          cidr_block: "10.0.0.0/16",
          enable_dns_support: true,
          enable_dns_hostnames: true,
          tags: { Name: "acme-test" },
        }),
      );
    });

    it("creates one public and one private subnet per AZ, with the configured CIDRs in order", () => {
      const subnets = resources(json, Subnet);
      expect(subnets).toHaveLength(2 * AZS.length);
      const byTier = (tier: string) =>
        subnets
          .filter((subnet) => (subnet.tags as Body).Tier === tier)
          .map((subnet) => [subnet.availability_zone, subnet.cidr_block]);
      expect(byTier("public")).toEqual(AZS.map((az, i) => [az, base.publicSubnetCidrs[i]]));
      expect(byTier("private")).toEqual(AZS.map((az, i) => [az, base.privateSubnetCidrs[i]]));
    });

    it("hands out no public IPs on any subnet", () => {
      for (const subnet of resources(json, Subnet)) {
        expect(subnet).toEqual(expect.objectContaining({ map_public_ip_on_launch: false }));
      }
    });

    it("creates no NAT gateway by default: no EIP, no private default route", () => {
      expect(resources(json, NatGateway)).toHaveLength(0);
      expect(resources(json, Eip)).toHaveLength(0);
      expect(privateDefaultRoutes(json)).toEqual([]);
    });

    it("gives each AZ its own private route table, associated with that AZ's private subnet", () => {
      const tables = routeTableRefs(json, "private");
      expect(tables).toHaveLength(AZS.length);
      const azOfTable = resources(json, RouteTableAssociation)
        .filter((association) => tables.includes(association.route_table_id as string))
        .map((association) => deref(json, association.subnet_id).body.availability_zone);
      expect(azOfTable.sort()).toEqual(AZS);
    });

    it("routes the public route table to the internet gateway", () => {
      const publicTables = routeTableRefs(json, "public");
      expect(publicTables).toHaveLength(1);
      expect(defaultRoutes(json)).toEqual([
        expect.objectContaining({
          route_table_id: publicTables[0],
          destination_cidr_block: "0.0.0.0/0",
          gateway_id: referenceTo(json, InternetGateway),
        }),
      ]);
      expect(resource(json, InternetGateway)).toEqual(expect.objectContaining({ vpc_id: referenceTo(json, VpcResource) }));
    });

    it("adds S3 and DynamoDB gateway endpoints on every route table", () => {
      const allTables = entries(json, RouteTable).map(([id]) => reference(RouteTable, id));
      expect(allTables).toHaveLength(1 + AZS.length);
      const endpoints = resources(json, VpcEndpoint);
      expect(endpoints.map((endpoint) => endpoint.service_name).sort()).toEqual([
        "com.amazonaws.eu-west-1.dynamodb",
        "com.amazonaws.eu-west-1.s3",
      ]);
      for (const endpoint of endpoints) {
        expect(endpoint).toEqual(expect.objectContaining({ vpc_endpoint_type: "Gateway" }));
        expect([...(endpoint.route_table_ids as string[])].sort()).toEqual([...allTables].sort());
      }
    });

    it("adopts the default security group and strips every rule", () => {
      const sg = resource(json, DefaultSecurityGroup);
      expect(sg).toEqual(expect.objectContaining({ vpc_id: referenceTo(json, VpcResource) }));
      expect(sg.ingress ?? []).toEqual([]);
      expect(sg.egress ?? []).toEqual([]);
    });

    it("logs ALL traffic to a KMS-encrypted log group kept 365 days", () => {
      expect(resource(json, CloudwatchLogGroup)).toEqual(
        expect.objectContaining({
          name: "/aws/vpc/acme-test/flow-logs",
          retention_in_days: 365,
          kms_key_id: referenceTo(json, KmsKeyResource, "arn"),
        }),
      );
      expect(resource(json, FlowLog)).toEqual(
        expect.objectContaining({
          vpc_id: referenceTo(json, VpcResource),
          traffic_type: "ALL",
          log_destination_type: "cloud-watch-logs",
          log_destination: referenceTo(json, CloudwatchLogGroup, "arn"),
          iam_role_arn: referenceTo(json, IamRole, "arn"),
        }),
      );
    });

    it("encrypts flow logs with a rotating key whose policy lets CloudWatch Logs of this account use it", () => {
      const key = resource(json, KmsKeyResource);
      expect(key).toEqual(expect.objectContaining({ enable_key_rotation: true }));
      expect(statements(key.policy)).toContainEqual(
        expect.objectContaining({
          Effect: "Allow",
          Principal: { Service: "logs.eu-west-1.amazonaws.com" },
          Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:eu-west-1:123456789012:log-group:*" } },
        }),
      );
    });

    it("lets only vpc-flow-logs.amazonaws.com assume the role, on behalf of this account", () => {
      expect(statements(resource(json, IamRole).assume_role_policy)).toEqual([
        {
          Effect: "Allow",
          Principal: { Service: "vpc-flow-logs.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: {
            StringEquals: { "aws:SourceAccount": "123456789012" },
            ArnLike: { "aws:SourceArn": "arn:aws:ec2:eu-west-1:123456789012:vpc-flow-log/*" },
          },
        },
      ]);
    });

    it("lets the role only write to its own log group", () => {
      const arn = referenceTo(json, CloudwatchLogGroup, "arn");
      const policy = resource(json, IamRolePolicy);
      expect(policy).toEqual(expect.objectContaining({ role: referenceTo(json, IamRole) }));
      expect(statements(policy.policy)).toEqual([
        expect.objectContaining({
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
          Resource: [arn, `${arn}:*`],
        }),
      ]);
    });
  });

  describe("one NAT gateway", () => {
    let json: StackJson;
    beforeAll(() => {
      json = synthVpc({ natGateways: 1 });
    });

    it("creates one NAT gateway with one EIP, in the first public subnet", () => {
      expect(resource(json, Eip)).toEqual(expect.objectContaining({ domain: "vpc" }));
      const nat = resource(json, NatGateway);
      expect(nat).toEqual(expect.objectContaining({ allocation_id: referenceTo(json, Eip, "allocation_id") }));
      expect(deref(json, nat.subnet_id).body).toEqual(
        expect.objectContaining({ availability_zone: "eu-west-1a", tags: expect.objectContaining({ Tier: "public" }) }),
      );
    });

    it("routes every private route table to that NAT gateway", () => {
      const routes = privateDefaultRoutes(json);
      expect(routes).toHaveLength(AZS.length);
      expect(new Set(routes.map((route) => route.route_table_id)).size).toBe(AZS.length);
      for (const route of routes) expect(route.nat_gateway_id).toBe(referenceTo(json, NatGateway));
    });
  });

  describe("a NAT gateway per AZ", () => {
    let json: StackJson;
    beforeAll(() => {
      json = synthVpc({ natGateways: AZS.length });
    });

    it("creates a NAT gateway and an EIP in every AZ's public subnet", () => {
      expect(resources(json, Eip)).toHaveLength(AZS.length);
      const nats = resources(json, NatGateway);
      expect(nats).toHaveLength(AZS.length);
      expect(nats.map((nat) => deref(json, nat.subnet_id).body.availability_zone)).toEqual(AZS);
      expect(new Set(nats.map((nat) => nat.allocation_id)).size).toBe(AZS.length);
    });

    it("routes each private route table to the NAT gateway of its own AZ", () => {
      const routes = privateDefaultRoutes(json);
      expect(routes).toHaveLength(AZS.length);
      expect(new Set(routes.map((route) => route.nat_gateway_id)).size).toBe(AZS.length);
      const privateTables = routeTableRefs(json, "private");
      const associations = resources(json, RouteTableAssociation);
      for (const route of routes) {
        expect(privateTables).toContain(route.route_table_id);
        const subnetAz = deref(
          json,
          associations.find((association) => association.route_table_id === route.route_table_id)!.subnet_id,
        ).body.availability_zone;
        const natAz = deref(json, deref(json, route.nat_gateway_id).body.subnet_id).body.availability_zone;
        expect(natAz).toBe(subnetAz);
      }
    });
  });

  it("creates exactly as many NAT gateways and EIPs as asked for, and spreads the AZs' routes over them", () => {
    const synth = (natGateways: number) => synthVpc({ natGateways, enableFlowLogs: false, enableGatewayEndpoints: false });
    for (const natGateways of [0, 1, 2, 3]) {
      const json = synth(natGateways);
      expect([resources(json, NatGateway).length, resources(json, Eip).length]).toEqual([natGateways, natGateways]);
      expect(new Set(privateDefaultRoutes(json).map((route) => route.nat_gateway_id)).size).toBe(natGateways);
    }
  });

  describe("opt-outs", () => {
    it("omits the gateway endpoints with enableGatewayEndpoints: false", () => {
      const json = synthVpc({ enableGatewayEndpoints: false });
      expect(resources(json, VpcEndpoint)).toEqual([]);
    });

    it("omits flow logs, their role, log group and key with enableFlowLogs: false", () => {
      const json = synthVpc({ enableFlowLogs: false });
      for (const type of [FlowLog, CloudwatchLogGroup, IamRole, IamRolePolicy, KmsKeyResource]) {
        expect(resources(json, type), type.tfResourceType).toEqual([]);
      }
    });

    it("keeps flow logs for flowLogRetentionDays", () => {
      const json = synthVpc({ flowLogRetentionDays: 365 });
      expect(resource(json, CloudwatchLogGroup)).toEqual(expect.objectContaining({ retention_in_days: 365 }));
    });
  });

  describe("validation", () => {
    const problems = (props: Partial<VpcProps>): string[] => problemsOf((scope) => new Vpc(scope, "vpc", { ...base, ...props }));

    it("fails when there is not one public subnet per AZ", () => {
      expect(problems({ availabilityZones: AZS.slice(0, 2), publicSubnetCidrs: ["10.0.0.0/24"], privateSubnetCidrs: ["10.0.16.0/20", "10.0.32.0/20"] })).toEqual([
        'publicSubnetCidrs: ["10.0.0.0/24"] has 1 entries; needs exactly one per availability zone (2)',
      ]);
    });

    it("fails when there is not one private subnet per AZ", () => {
      expect(problems({ privateSubnetCidrs: ["10.0.16.0/20"] })).toEqual([
        'privateSubnetCidrs: ["10.0.16.0/20"] has 1 entries; needs exactly one per availability zone (3)',
      ]);
    });

    it.each([-1, 4, 1.5])("fails when natGateways is %s", (natGateways) => {
      expect(problems({ natGateways })).toEqual([
        `natGateways: ${natGateways} must be an integer from 0 to 3 (one per availability zone at most)`,
      ]);
    });
  });
});
