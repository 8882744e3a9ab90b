import { Wafv2WebAcl } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { Wafv2WebAclAssociation } from "@cdktf/provider-aws/lib/wafv2-web-acl-association";
import { Wafv2WebAclLoggingConfiguration } from "@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration";
import { Construct } from "constructs";
import type { KmsKey } from "../core/kms-key";
import { LogGroup } from "../core/log-group";
import { validateProps } from "../core/validation";

export interface WafWebAclProps {
  readonly name: string;
  /** ARN of the regional resource (load balancer, API Gateway REST API stage) the ACL protects. */
  readonly resourceArn: string;
  /** Requests one client IP may make in any 5-minute window before it is blocked. */
  readonly rateLimitPer5Minutes: number;
  /**
   * Requests one client IP of an anonymizing network (VPN, Tor, proxy) or hosting provider may make
   * in any 5-minute window before it is blocked: such clients are limited harder, not refused.
   * @default - a fifth of rateLimitPer5Minutes, at least 10
   */
  readonly anonymousRateLimitPer5Minutes?: number;
  /** Encrypts the WAF log group. */
  readonly kmsKey: KmsKey;
  /**
   * Days WAF logs are kept.
   * @default 365
   */
  readonly logRetentionDays?: number;
  /**
   * Requests logged: `blocked-and-counted` keeps what a rule blocked or counted (what an
   * investigation of the WAF needs; the protected resource's own access logs hold every request),
   * `all` every request (a log line per request: the largest WAF cost at volume).
   * @default "blocked-and-counted"
   */
  readonly logging?: "all" | "blocked-and-counted";
}

/** AWS managed rule groups every internet-facing application gets, in evaluation order. */
export const MANAGED_RULE_GROUPS = [
  "AWSManagedRulesAmazonIpReputationList",
  "AWSManagedRulesCommonRuleSet",
  "AWSManagedRulesKnownBadInputsRuleSet",
] as const;

/**
 * Labels, in count mode, requests from anonymizing networks and hosting providers: blocking them
 * would lock out every VPN user, so the rate rule after it limits them harder instead.
 */
export const ANONYMOUS_IP_RULE_GROUP = "AWSManagedRulesAnonymousIpList";
/** Label namespace the anonymous IP list group adds (AnonymousIPList, HostingProviderIPList). */
const ANONYMOUS_IP_LABELS = "awswaf:managed:aws:anonymous-ip-list:";

const visibility = (metricName: string) => ({
  cloudwatchMetricsEnabled: true,
  sampledRequestsEnabled: true,
  metricName,
});

/**
 * A regional WAFv2 web ACL: AWS's IP reputation, common (OWASP-style) and known-bad-inputs rule
 * groups, a per-IP rate limit and a tighter one for anonymizing networks, logging (of blocked and
 * counted requests by default) to an encrypted log group (credentials redacted), and the
 * association with the protected resource.
 */
export class WafWebAcl extends Construct {
  readonly webAcl: Wafv2WebAcl;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: WafWebAclProps) {
    super(scope, id);
    const limit = props.rateLimitPer5Minutes;
    const anonymousLimit = props.anonymousRateLimitPer5Minutes ?? Math.max(10, Math.floor(limit / 5));
    validateProps(this, props, (check) => {
      // WAF's own range for a rate-based rule's limit.
      if (!check.integer("rateLimitPer5Minutes", limit, 10, 2_000_000_000, " requests")) return;
      check.check(
        Number.isInteger(anonymousLimit) && anonymousLimit >= 10 && anonymousLimit <= limit,
        "anonymousRateLimitPer5Minutes",
        anonymousLimit,
        `must be an integer from 10 to ${check.name("rateLimitPer5Minutes")} (${limit})`,
      );
    });
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
          statement: { rate_based_statement: { limit, aggregate_key_type: "IP" } },
          visibilityConfig: visibility(`${props.name}-rate-limit`),
        },
        {
          name: ANONYMOUS_IP_RULE_GROUP,
          priority: managedRules.length + 1,
          overrideAction: { count: {} },
          statement: { managed_rule_group_statement: { name: ANONYMOUS_IP_RULE_GROUP, vendor_name: "AWS" } },
          visibilityConfig: visibility(`${props.name}-${ANONYMOUS_IP_RULE_GROUP}`),
        },
        {
          name: "rate-limit-anonymous-ip",
          priority: managedRules.length + 2,
          action: { block: {} },
          statement: {
            rate_based_statement: {
              limit: anonymousLimit,
              aggregate_key_type: "IP",
              scope_down_statement: { label_match_statement: { scope: "NAMESPACE", key: ANONYMOUS_IP_LABELS } },
            },
          },
          visibilityConfig: visibility(`${props.name}-rate-limit-anonymous`),
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
      loggingFilter:
        (props.logging ?? "blocked-and-counted") === "all"
          ? undefined
          : {
              defaultBehavior: "DROP",
              filter: [
                {
                  behavior: "KEEP",
                  requirement: "MEETS_ANY",
                  condition: [{ actionCondition: { action: "BLOCK" } }, { actionCondition: { action: "COUNT" } }],
                },
              ],
            },
    });
  }
}
