import type { PolicyRule } from "./rule";

export const subnetNoPublicIp: PolicyRule = {
  id: "subnet-no-public-ip",
  description: "No subnet gives what launches in it a public IP by default; whatever needs one asks for it.",
  appliesTo: ["aws_subnet"],
  check(subnet) {
    return subnet.body.map_public_ip_on_launch === true ? ["gives every launch a public IP; set map_public_ip_on_launch false"] : [];
  },
};
