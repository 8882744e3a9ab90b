import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { SecurityGroupRule } from "@cdktf/provider-aws/lib/security-group-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { describe, expect, it } from "vitest";
import { securityGroupNoPublicIngress } from "../../rules/security-group-no-public-ingress";
import { checkRules } from "../support/rules";

describe("security-group-no-public-ingress", () => {
  it("passes ingress from another group or a private range", () => {
    const results = checkRules(securityGroupNoPublicIngress, (scope) => {
      const alb = new SecurityGroup(scope, "alb", { vpcId: "vpc-1" });
      new SecurityGroup(scope, "app", { vpcId: "vpc-1", ingress: [{ fromPort: 8080, toPort: 8080, protocol: "tcp", securityGroups: [alb.id] }] });
      new VpcSecurityGroupIngressRule(scope, "from-vpc", { securityGroupId: alb.id, ipProtocol: "-1", cidrIpv4: "10.0.0.0/16" });
    });
    expect(results.violations).toEqual([]);
  });

  it("fails the internet in an inline block, an aws_security_group_rule and an ingress rule, IPv4 or IPv6", () => {
    const results = checkRules(securityGroupNoPublicIngress, (scope) => {
      const group = new SecurityGroup(scope, "open", {
        vpcId: "vpc-1",
        ingress: [
          { fromPort: 443, toPort: 443, protocol: "tcp", securityGroups: ["sg-1"] },
          { fromPort: 0, toPort: 65535, protocol: "tcp", cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] },
        ],
      });
      new SecurityGroupRule(scope, "ssh", { type: "ingress", securityGroupId: group.id, protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] });
      new VpcSecurityGroupIngressRule(scope, "https-v6", { securityGroupId: group.id, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv6: "::/0" });
    });
    expect(results.violations).toEqual([
      "stack: open (aws_security_group): ingress[1] admits 0.0.0.0/0 and ::/0 on ports 0-65535 (protocol tcp); admit a security group or a private range instead [rule security-group-no-public-ingress]",
      "stack: ssh (aws_security_group_rule): admits 0.0.0.0/0 on port 22 (protocol tcp); admit a security group or a private range instead [rule security-group-no-public-ingress]",
      "stack: https-v6 (aws_vpc_security_group_ingress_rule): admits ::/0 on port 443 (protocol tcp); admit a security group or a private range instead [rule security-group-no-public-ingress]",
    ]);
  });
});
