import { SecurityhubAccount } from "@cdktf/provider-aws/lib/securityhub-account";
import { SecurityhubStandardsSubscription } from "@cdktf/provider-aws/lib/securityhub-standards-subscription";
import { describe, expect, it } from "vitest";
import { cisArn, foundationalBestPracticesArn, SecurityHub, type SecurityHubProps } from "../../../modules/account/security-hub";
import { resource, resources, synthConstruct, type StackJson } from "../../support/synth";

const synthHub = (props: Partial<SecurityHubProps> = {}): StackJson =>
  synthConstruct((scope) => new SecurityHub(scope, "hub", { region: "eu-west-1", ...props }));

describe("SecurityHub", () => {
  it("enables the hub with consolidated control findings and without the console's default standards", () => {
    expect(resource(synthHub(), SecurityhubAccount)).toEqual(
      expect.objectContaining({ enable_default_standards: false, control_finding_generator: "SECURITY_CONTROL", auto_enable_controls: true }),
    );
  });

  it("subscribes to FSBP and CIS v3.0.0 in the hub's region, after the hub exists", () => {
    const subscriptions = resources(synthHub(), SecurityhubStandardsSubscription);
    expect(subscriptions.map((body) => body.standards_arn).sort()).toEqual([
      "arn:aws:securityhub:eu-west-1::standards/aws-foundational-security-best-practices/v/1.0.0",
      "arn:aws:securityhub:eu-west-1::standards/cis-aws-foundations-benchmark/v/3.0.0",
    ]);
    for (const subscription of subscriptions) expect(subscription.depends_on).toEqual([expect.stringMatching(/^aws_securityhub_account\./)]);
  });

  it("builds region-aware standards ARNs", () => {
    expect(foundationalBestPracticesArn("us-east-2")).toBe("arn:aws:securityhub:us-east-2::standards/aws-foundational-security-best-practices/v/1.0.0");
    expect(cisArn("ap-south-1")).toBe("arn:aws:securityhub:ap-south-1::standards/cis-aws-foundations-benchmark/v/3.0.0");
  });

  it("leaves out each standard that is turned off", () => {
    expect(resources(synthHub({ enableCis: false }), SecurityhubStandardsSubscription).map((body) => body.standards_arn)).toEqual([
      foundationalBestPracticesArn("eu-west-1"),
    ]);
    expect(resources(synthHub({ enableFoundationalBestPractices: false }), SecurityhubStandardsSubscription).map((body) => body.standards_arn)).toEqual([
      cisArn("eu-west-1"),
    ]);
  });
});
