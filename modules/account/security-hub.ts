import { SecurityhubAccount } from "@cdktf/provider-aws/lib/securityhub-account";
import { SecurityhubStandardsSubscription } from "@cdktf/provider-aws/lib/securityhub-standards-subscription";
import { Construct } from "constructs";

export interface SecurityHubProps {
  /** Region of the hub: standards ARNs are regional. */
  readonly region: string;
  /**
   * Subscribe to AWS Foundational Security Best Practices v1.0.0.
   * @default true
   */
  readonly enableFoundationalBestPractices?: boolean;
  /**
   * Subscribe to the CIS AWS Foundations Benchmark v3.0.0.
   * @default true
   */
  readonly enableCis?: boolean;
}

/** ARN of the AWS Foundational Security Best Practices standard in `region`. */
export function foundationalBestPracticesArn(region: string): string {
  return `arn:aws:securityhub:${region}::standards/aws-foundational-security-best-practices/v/1.0.0`;
}

/** ARN of the CIS AWS Foundations Benchmark v3.0.0 standard in `region`. */
export function cisArn(region: string): string {
  return `arn:aws:securityhub:${region}::standards/cis-aws-foundations-benchmark/v/3.0.0`;
}

/**
 * Security Hub with consolidated control findings and explicitly chosen standards (the console's
 * default set is turned off so Terraform owns every subscription).
 */
export class SecurityHub extends Construct {
  readonly account: SecurityhubAccount;
  readonly standards: SecurityhubStandardsSubscription[] = [];

  constructor(scope: Construct, id: string, props: SecurityHubProps) {
    super(scope, id);
    this.account = new SecurityhubAccount(this, "account", {
      enableDefaultStandards: false,
      // One finding per control across standards, not one per standard: fewer duplicates, same cost.
      controlFindingGenerator: "SECURITY_CONTROL",
      autoEnableControls: true,
    });
    const subscribe = (subscriptionId: string, standardsArn: string) =>
      this.standards.push(
        new SecurityhubStandardsSubscription(this, subscriptionId, { standardsArn, dependsOn: [this.account] }),
      );
    if (props.enableFoundationalBestPractices ?? true) subscribe("foundational-best-practices", foundationalBestPracticesArn(props.region));
    if (props.enableCis ?? true) subscribe("cis", cisArn(props.region));
  }
}
