import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { describe, expect, it } from "vitest";
import { subnetNoPublicIp } from "../../rules/subnet-no-public-ip";
import { checkRules } from "../support/rules";

describe("subnet-no-public-ip", () => {
  it("passes a subnet that leaves public IPs to what asks for one", () => {
    const results = checkRules(subnetNoPublicIp, (scope) => new Subnet(scope, "subnet", { vpcId: "vpc-1", cidrBlock: "10.0.0.0/24", mapPublicIpOnLaunch: false }));
    expect(results.violations).toEqual([]);
  });

  it("fails a subnet that gives every launch a public IP", () => {
    const results = checkRules(subnetNoPublicIp, (scope) => new Subnet(scope, "subnet", { vpcId: "vpc-1", cidrBlock: "10.0.0.0/24", mapPublicIpOnLaunch: true }));
    expect(results.violations).toEqual([
      "stack: subnet (aws_subnet): gives every launch a public IP; set map_public_ip_on_launch false [rule subnet-no-public-ip]",
    ]);
  });
});
