import { TerraformOutput } from "cdktf";
import { describe, expect, it } from "vitest";
import { outputDescribed } from "../../rules/output-described";
import { checkRules } from "../support/rules";

describe("output-described", () => {
  it("passes a described output", () => {
    expect(checkRules(outputDescribed, (scope) => new TerraformOutput(scope, "url", { value: "https://x", description: "Where the API answers" })).violations).toEqual([]);
  });

  it("fails an output without a description", () => {
    expect(checkRules(outputDescribed, (scope) => new TerraformOutput(scope, "url", { value: "https://x" })).violations).toEqual([
      "stack: url (output): has no description; say what the value is and what to do with it [rule output-described]",
    ]);
  });
});
