import type { PolicyRule } from "./rule";

/** Outputs cdktf adds for references between stacks: read by Terraform, not people. */
const CROSS_STACK_OUTPUT = "cross-stack-output-";

export const outputDescribed: PolicyRule = {
  id: "output-described",
  description: "Every output says what it is (description), as `terraform output` shows it to whoever reads it.",
  appliesTo: ["output"],
  check(output) {
    if (output.construct.node.id.startsWith(CROSS_STACK_OUTPUT)) return [];
    const description = output.body.description;
    return typeof description === "string" && description.trim() !== "" ? [] : ["has no description; say what the value is and what to do with it"];
  },
};
