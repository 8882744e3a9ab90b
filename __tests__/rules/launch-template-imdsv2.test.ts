import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { describe, expect, it } from "vitest";
import { launchTemplateImdsv2 } from "../../rules/launch-template-imdsv2";
import { checkRules } from "../support/rules";

describe("launch-template-imdsv2", () => {
  it("passes required tokens with a hop limit of 1", () => {
    const results = checkRules(launchTemplateImdsv2, (scope) =>
      new LaunchTemplate(scope, "template", { metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1, httpEndpoint: "enabled" } }),
    );
    expect(results.violations).toEqual([]);
  });

  it("fails optional tokens, a longer hop limit, and no metadata options at all", () => {
    const results = checkRules(launchTemplateImdsv2, (scope) => {
      new LaunchTemplate(scope, "loose", { metadataOptions: { httpTokens: "optional", httpPutResponseHopLimit: 2 } });
      new LaunchTemplate(scope, "default");
    });
    expect(results.violations).toEqual([
      'stack: loose (aws_launch_template): allows IMDSv1 (metadata_options.http_tokens "optional"); set "required" [rule launch-template-imdsv2]',
      "stack: loose (aws_launch_template): lets metadata responses travel 2 hops (metadata_options.http_put_response_hop_limit); set 1 [rule launch-template-imdsv2]",
      'stack: default (aws_launch_template): allows IMDSv1 (metadata_options.http_tokens unset); set "required" [rule launch-template-imdsv2]',
      "stack: default (aws_launch_template): lets metadata responses travel unset hops (metadata_options.http_put_response_hop_limit); set 1 [rule launch-template-imdsv2]",
    ]);
  });
});
