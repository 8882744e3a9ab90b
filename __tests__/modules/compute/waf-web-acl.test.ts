import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { KmsKey as KmsKeyResource } from "@cdktf/provider-aws/lib/kms-key";
import { Wafv2WebAcl } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { Wafv2WebAclAssociation } from "@cdktf/provider-aws/lib/wafv2-web-acl-association";
import { Wafv2WebAclLoggingConfiguration } from "@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration";
import type { Construct } from "constructs";
import { beforeAll, describe, expect, it } from "vitest";
import { KmsKey } from "../../../modules/core/kms-key";
import { ANONYMOUS_IP_RULE_GROUP, MANAGED_RULE_GROUPS, WafWebAcl, type WafWebAclProps } from "../../../modules/compute/waf-web-acl";
import { problemsOf, referenceTo, resource, synthConstruct, type StackJson } from "../../support/synth";

type Body = Record<string, unknown>;

const LB_ARN = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/acme-test/0123456789abcdef";

function addWaf(scope: Construct, props: Partial<Omit<WafWebAclProps, "kmsKey">> = {}): void {
  const kmsKey = new KmsKey(scope, "key", { alias: "acme-test-waf", description: "waf", accountId: "123456789012" });
  new WafWebAcl(scope, "waf", { name: "acme-test", resourceArn: LB_ARN, rateLimitPer5Minutes: 2000, kmsKey, ...props });
}

const synthWaf = (props: Partial<Omit<WafWebAclProps, "kmsKey">> = {}): StackJson => synthConstruct((scope) => addWaf(scope, props));

const visibility = (metricName: string) => ({ cloudwatch_metrics_enabled: true, sampled_requests_enabled: true, metric_name: metricName });

describe("WafWebAcl", () => {
  describe("defaults", () => {
    let json: StackJson;
    let acl: Body;
    let rules: Body[];
    beforeAll(() => {
      json = synthWaf();
      acl = resource(json, Wafv2WebAcl);
      rules = acl.rule as Body[];
    });

    it("is a regional web ACL that allows what no rule blocks", () => {
      expect(acl).toEqual(
        expect.objectContaining({ name: "acme-test", scope: "REGIONAL", default_action: { allow: {} }, visibility_config: visibility("acme-test") }),
      );
    });

    it("evaluates IP reputation, common and known-bad-inputs managed rule groups first, in that order", () => {
      expect(MANAGED_RULE_GROUPS).toEqual([
        "AWSManagedRulesAmazonIpReputationList",
        "AWSManagedRulesCommonRuleSet",
        "AWSManagedRulesKnownBadInputsRuleSet",
      ]);
      expect(rules.slice(0, 3)).toEqual(
        MANAGED_RULE_GROUPS.map((group, priority) => ({
          name: group,
          priority,
          override_action: { none: {} },
          statement: { managed_rule_group_statement: { name: group, vendor_name: "AWS" } },
          visibility_config: visibility(`acme-test-${group}`),
        })),
      );
    });

    it("blocks a client IP above the rate limit, after the managed rules", () => {
      expect(rules).toHaveLength(6);
      expect(rules[3]).toEqual({
        name: "rate-limit-per-ip",
        priority: 3,
        action: { block: {} },
        statement: { rate_based_statement: { limit: 2000, aggregate_key_type: "IP" } },
        visibility_config: visibility("acme-test-rate-limit"),
      });
    });

    it("labels anonymizing networks and hosting providers (count, not block), then limits each such IP to a fifth", () => {
      expect(rules[4]).toEqual({
        name: ANONYMOUS_IP_RULE_GROUP,
        priority: 4,
        override_action: { count: {} },
        statement: { managed_rule_group_statement: { name: "AWSManagedRulesAnonymousIpList", vendor_name: "AWS" } },
        visibility_config: visibility(`acme-test-${ANONYMOUS_IP_RULE_GROUP}`),
      });
      expect(rules[5]).toEqual({
        name: "rate-limit-anonymous-ip",
        priority: 5,
        action: { block: {} },
        statement: {
          rate_based_statement: {
            limit: 400,
            aggregate_key_type: "IP",
            scope_down_statement: { label_match_statement: { scope: "NAMESPACE", key: "awswaf:managed:aws:anonymous-ip-list:" } },
          },
        },
        visibility_config: visibility("acme-test-rate-limit-anonymous"),
      });
    });

    it("logs only requests a rule blocked or counted", () => {
      expect(resource(json, Wafv2WebAclLoggingConfiguration).logging_filter).toEqual({
        default_behavior: "DROP",
        filter: [
          {
            behavior: "KEEP",
            requirement: "MEETS_ANY",
            condition: [{ action_condition: { action: "BLOCK" } }, { action_condition: { action: "COUNT" } }],
          },
        ],
      });
    });

    it("gives every rule a unique priority", () => {
      const priorities = rules.map((rule) => rule.priority);
      expect(new Set(priorities).size).toBe(priorities.length);
    });

    it("protects the given resource", () => {
      expect(resource(json, Wafv2WebAclAssociation)).toEqual({
        resource_arn: LB_ARN,
        web_acl_arn: referenceTo(json, Wafv2WebAcl, "arn"),
      });
    });

    it("logs to an aws-waf-logs- log group, KMS-encrypted, kept 365 days", () => {
      expect(resource(json, CloudwatchLogGroup)).toEqual(
        expect.objectContaining({
          name: "aws-waf-logs-acme-test",
          kms_key_id: referenceTo(json, KmsKeyResource, "arn"),
          retention_in_days: 365,
        }),
      );
      expect(resource(json, Wafv2WebAclLoggingConfiguration)).toEqual(
        expect.objectContaining({
          resource_arn: referenceTo(json, Wafv2WebAcl, "arn"),
          log_destination_configs: [referenceTo(json, CloudwatchLogGroup, "arn")],
        }),
      );
    });

    it("redacts the authorization and cookie headers from the logs", () => {
      expect(resource(json, Wafv2WebAclLoggingConfiguration).redacted_fields).toEqual([
        { single_header: { name: "authorization" } },
        { single_header: { name: "cookie" } },
      ]);
    });
  });

  describe("options", () => {
    it("keeps WAF logs for logRetentionDays", () => {
      expect(resource(synthWaf({ logRetentionDays: 731 }), CloudwatchLogGroup).retention_in_days).toBe(731);
    });

    it("accepts the lowest rate limit WAF allows (10), for anonymous clients too", () => {
      const rules = resource(synthWaf({ rateLimitPer5Minutes: 10 }), Wafv2WebAcl).rule as Body[];
      expect(rules[3]!.statement).toEqual({ rate_based_statement: { limit: 10, aggregate_key_type: "IP" } });
      expect((rules[5]!.statement as { rate_based_statement: Body }).rate_based_statement.limit).toBe(10);
    });

    it("takes the anonymous clients' limit from anonymousRateLimitPer5Minutes", () => {
      const rules = resource(synthWaf({ anonymousRateLimitPer5Minutes: 50 }), Wafv2WebAcl).rule as Body[];
      expect((rules[5]!.statement as { rate_based_statement: Body }).rate_based_statement.limit).toBe(50);
    });

    it("logs every request with logging: all", () => {
      expect(resource(synthWaf({ logging: "all" }), Wafv2WebAclLoggingConfiguration).logging_filter).toBeUndefined();
    });
  });

  describe("validation", () => {
    it.each([5, 9, 0, 100.5, 2_000_000_001])("fails when rateLimitPer5Minutes is %s", (limit) => {
      expect(problemsOf((scope) => addWaf(scope, { rateLimitPer5Minutes: limit }))).toEqual([
        `rateLimitPer5Minutes: ${limit} must be an integer from 10 to 2000000000 requests`,
      ]);
    });

    it.each([9, 2001, 20.5])("fails when anonymousRateLimitPer5Minutes is %s", (limit) => {
      expect(problemsOf((scope) => addWaf(scope, { anonymousRateLimitPer5Minutes: limit }))).toEqual([
        `anonymousRateLimitPer5Minutes: ${limit} must be an integer from 10 to rateLimitPer5Minutes (2000)`,
      ]);
    });

    it("does not compare the anonymous limit with a rate limit that is itself out of range", () => {
      expect(problemsOf((scope) => addWaf(scope, { rateLimitPer5Minutes: 5 }))).toEqual([`rateLimitPer5Minutes: 5 must be an integer from 10 to 2000000000 requests`]);
    });
  });
});
