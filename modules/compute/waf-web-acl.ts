import { Wafv2WebAcl } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { Wafv2WebAclAssociation } from "@cdktf/provider-aws/lib/wafv2-web-acl-association";
import { Wafv2WebAclLoggingConfiguration } from "@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration";
import { Construct } from "constructs";
import type { KmsKey } from "../core/kms-key";
import { LogGroup } from "../core/log-group";
import { validateProps } from "../core/validation";

export interface WafWebAclProps {
  readonly name: string;
  /** ARN of the regional resource (load balancer) the ACL protects. */
  readonly resourceArn: string;
  /** Requests one client IP may make in any 5-minute window before it is blocked. */
  readonly rateLimitPer5Minutes: number;
  /** Encrypts the WAF log group. */
  readonly kmsKey: KmsKey;
  /**
   * Days WAF logs are kept.
   * @default 365
   */
  readonly logRetentionDays?: number;
}

/** AWS managed rule groups every internet-facing application gets, in evaluation order. */
export const MANAGED_RULE_GROUPS = [
  "AWSManagedRulesAmazonIpReputationList",
  "AWSManagedRulesCommonRuleSet",
  "AWSManagedRulesKnownBadInputsRuleSet",
] as const;

const visibility = (metricName: string) => ({
  cloudwatchMetricsEnabled: true,
  sampledRequestsEnabled: true,
  metricName,
});

/**
 * A regional WAFv2 web ACL: AWS's IP reputation, common (OWASP-style) and known-bad-inputs rule
 * groups, a per-IP rate limit, logging to an encrypted log group (credentials redacted), and
 * the association with the protected resource.
 */
export class WafWebAcl extends Construct {
  readonly webAcl: Wafv2WebAcl;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: WafWebAclProps) {
    super(scope, id);
    validateProps(this, props, (check) =>
      // WAF's own range for a rate-based rule's limit.
      check.integer("rateLimitPer5Minutes", props.rateLimitPer5Minutes, 10, 2_000_000_000, " requests"),
    );
    const managedRules = MANAGED_RULE_GROUPS.map((group, index) => ({
      name: group,
      priority: index,
      overrideAction: { none: {} },
      // Rule statements are untyped in the provider bindings, so they are written in Terraform's keys.
      statement: { managed_rule_group_statement: { name: group, vendor_name: "AWS" } },
      visibilityConfig: visibility(`${props.name}-${group}`),
    }));

    this.webAcl = new Wafv2WebAcl(this, "web-acl", {
      name: props.name,
      description: `Protects ${props.name}`,
      scope: "REGIONAL",
      defaultAction: { allow: {} },
      rule: [
        ...managedRules,
        {
          name: "rate-limit-per-ip",
          priority: managedRules.length,
          action: { block: {} },
          statement: { rate_based_statement: { limit: props.rateLimitPer5Minutes, aggregate_key_type: "IP" } },
          visibilityConfig: visibility(`${props.name}-rate-limit`),
        },
      ],
      visibilityConfig: visibility(props.name),
    });

    new Wafv2WebAclAssociation(this, "association", {
      resourceArn: props.resourceArn,
      webAclArn: this.webAcl.arn,
    });

    // WAF only delivers to log groups whose name starts with aws-waf-logs-.
    this.logGroup = new LogGroup(this, "logs", {
      name: `aws-waf-logs-${props.name}`,
      kmsKey: props.kmsKey,
      retentionInDays: props.logRetentionDays ?? 365,
    });
    new Wafv2WebAclLoggingConfiguration(this, "logging", {
      resourceArn: this.webAcl.arn,
      logDestinationConfigs: [this.logGroup.arn],
      redactedFields: [{ singleHeader: { name: "authorization" } }, { singleHeader: { name: "cookie" } }],
    });
  }
}
