import { show, type Body, type PolicyRule } from "./rule";

export const launchTemplateImdsv2: PolicyRule = {
  id: "launch-template-imdsv2",
  description: "Every launch template requires IMDSv2 session tokens with a hop limit of 1, so a container cannot reach the instance's credentials.",
  appliesTo: ["aws_launch_template"],
  check(template) {
    const options = (template.body.metadata_options ?? {}) as Body;
    const problems: string[] = [];
    if (options.http_tokens !== "required") problems.push(`allows IMDSv1 (metadata_options.http_tokens ${show(options.http_tokens)}); set "required"`);
    if (options.http_put_response_hop_limit !== 1) {
      problems.push(`lets metadata responses travel ${show(options.http_put_response_hop_limit)} hops (metadata_options.http_put_response_hop_limit); set 1`);
    }
    return problems;
  },
};
