import { asList, type Body, type PolicyRule } from "./rule";

const WORLD = ["0.0.0.0/0", "::/0"];

interface Ingress {
  /** The ingress block within a group (`ingress[0] `), empty for a rule resource. */
  readonly where: string;
  readonly protocol: unknown;
  readonly fromPort: unknown;
  readonly toPort: unknown;
  readonly sources: unknown[];
}

/** The ingress an element adds, whichever of the four ways it is written. */
function ingressOf(type: string, body: Body): Ingress[] {
  const rule = (where: string, block: Body, sources: unknown[], protocol = block.protocol): Ingress => ({
    where,
    protocol,
    fromPort: block.from_port,
    toPort: block.to_port,
    sources,
  });
  switch (type) {
    case "aws_security_group":
    case "aws_default_security_group":
      return asList(body.ingress).map((block, i) => rule(`ingress[${i}] `, block as Body, [...asList((block as Body).cidr_blocks), ...asList((block as Body).ipv6_cidr_blocks)]));
    case "aws_security_group_rule":
      return body.type === "ingress" ? [rule("", body, [...asList(body.cidr_blocks), ...asList(body.ipv6_cidr_blocks)])] : [];
    default:
      return [rule("", body, [...asList(body.cidr_ipv4), ...asList(body.cidr_ipv6)], body.ip_protocol)];
  }
}

const ports = (ingress: Ingress): string =>
  ingress.fromPort === undefined ? "every port" : ingress.fromPort === ingress.toPort ? `port ${String(ingress.fromPort)}` : `ports ${String(ingress.fromPort)}-${String(ingress.toPort)}`;

export const securityGroupNoPublicIngress: PolicyRule = {
  id: "security-group-no-public-ingress",
  description: "No security group admits traffic from the whole internet (0.0.0.0/0 or ::/0); groups reference each other instead.",
  appliesTo: ["aws_security_group", "aws_default_security_group", "aws_security_group_rule", "aws_vpc_security_group_ingress_rule"],
  check(element) {
    return ingressOf(element.type, element.body).flatMap((ingress) => {
      const open = ingress.sources.filter((source) => WORLD.includes(String(source)));
      return open.length === 0
        ? []
        : [`${ingress.where}admits ${open.map(String).join(" and ")} on ${ports(ingress)} (protocol ${String(ingress.protocol)}); admit a security group or a private range instead`];
    });
  },
};
