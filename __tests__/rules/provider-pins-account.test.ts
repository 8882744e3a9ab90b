import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { describe, expect, it } from "vitest";
import { providerPinsAccount } from "../../rules/provider-pins-account";
import { checkRules } from "../support/rules";

describe("provider-pins-account", () => {
  it("passes providers pinned to the same account", () => {
    const results = checkRules(providerPinsAccount, (scope) => {
      new AwsProvider(scope, "aws", { region: "eu-west-1", allowedAccountIds: ["123456789012"] });
      new AwsProvider(scope, "aws-us-east-1", { alias: "us_east_1", region: "us-east-1", allowedAccountIds: ["123456789012"] });
    });
    expect(results.violations).toEqual([]);
  });

  it("fails a provider without a pin, and providers of one stack pinned to two accounts", () => {
    const loose = checkRules(providerPinsAccount, (scope) => new AwsProvider(scope, "aws", { region: "eu-west-1" }));
    expect(loose.violations).toEqual([
      "stack: aws (provider.aws): allows accounts unset; set allowed_account_ids to the one account it deploys into [rule provider-pins-account]",
    ]);
    const split = checkRules(providerPinsAccount, (scope) => {
      new AwsProvider(scope, "aws", { region: "eu-west-1", allowedAccountIds: ["123456789012"] });
      new AwsProvider(scope, "aws-other", { alias: "other", region: "eu-west-1", allowedAccountIds: ["210987654321"] });
    });
    expect(split.violations).toEqual([
      "stack: aws (provider.aws): is pinned to 123456789012, another provider of the stack to 210987654321; one stack deploys into one account [rule provider-pins-account]",
      "stack: aws-other (provider.aws): is pinned to 210987654321, another provider of the stack to 123456789012; one stack deploys into one account [rule provider-pins-account]",
    ]);
  });
});
