import { asList, type Body, type PolicyRule } from "./rule";

export const launchTemplateEncryptedVolumes: PolicyRule = {
  id: "launch-template-encrypted-volumes",
  description: "Every EBS volume a launch template maps is encrypted.",
  appliesTo: ["aws_launch_template"],
  check(template) {
    return asList(template.body.block_device_mappings).flatMap((mapping, i) => {
      const { device_name: device, ebs } = mapping as Body;
      const encrypted = (ebs as Body | undefined)?.encrypted;
      return ebs === undefined || encrypted === true || encrypted === "true"
        ? []
        : [`block_device_mappings[${i}] (${String(device)}) is not encrypted; set ebs.encrypted true`];
    });
  },
};
