import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { describe, expect, it } from "vitest";
import { providerDefaultTags } from "../../rules/provider-default-tags";
import { checkRules } from "../support/rules";

describe("provider-default-tags", () => {
  it("passes a provider with default tags", () => {
    const results = checkRules(providerDefaultTags, (scope) => new AwsProvider(scope, "aws", { region: "eu-west-1", defaultTags: [{ tags: { Project: "acme" } }] }));
    expect(results.violations).toEqual([]);
  });

  it("fails a provider without them", () => {
    expect(checkRules(providerDefaultTags, (scope) => new AwsProvider(scope, "aws", { region: "eu-west-1" })).violations).toEqual([
      "stack: aws (provider.aws): has no default tags; set default_tags [rule provider-default-tags]",
    ]);
  });
});
