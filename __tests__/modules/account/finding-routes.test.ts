import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { beforeAll, describe, expect, it } from "vitest";
import { FindingRoutes, findingRoutes } from "../../../modules/account/finding-routes";
import { AlertTopic } from "../../../modules/core/alert-topic";
import { matchesEventPattern } from "../../support/event-pattern";
import { referenceTo, resources, statements, synthConstruct, type StackJson } from "../../support/synth";
import { ACCESS_ANALYZER_EVENTS, GUARDDUTY_EVENTS, SECURITY_HUB_EVENTS } from "./fixtures/finding-events";

const ACCOUNT = "123456789012";
const REGION = "eu-west-1";
const NAME = `acme-${ACCOUNT}`;

const synthRoutes = (): StackJson =>
  synthConstruct((scope) => {
    const topic = new AlertTopic(scope, "topic", {
      name: `${NAME}-security-alerts`,
      accountId: ACCOUNT,
      region: REGION,
      eventRuleArns: FindingRoutes.ruleArns(NAME, REGION, ACCOUNT),
    });
    new FindingRoutes(scope, "routes", { name: NAME, region: REGION, accountId: ACCOUNT, topic });
  });

const patternOf = (id: string): Record<string, unknown> => findingRoutes().find((route) => route.id === id)!.pattern;

describe("FindingRoutes", () => {
  let json: StackJson;
  beforeAll(() => {
    json = synthRoutes();
  });

  it("routes GuardDuty, Security Hub and Access Analyzer findings through one rule each", () => {
    expect(resources(json, CloudwatchEventRule).map((rule) => rule.name).sort()).toEqual([
      `${NAME}-access-analyzer-findings`,
      `${NAME}-guardduty-findings`,
      `${NAME}-securityhub-findings`,
    ]);
    for (const rule of resources(json, CloudwatchEventRule)) {
      const id = String(rule.name).replace(`${NAME}-`, "").replace("-findings", "");
      expect(JSON.parse(String(rule.event_pattern))).toEqual(patternOf(id));
      expect(rule.description).toMatch(/\S/);
    }
  });

  it("sends each to the security topic as one readable line: what, severity, where, console link", () => {
    const targets = resources(json, CloudwatchEventTarget);
    expect(targets).toHaveLength(3);
    for (const target of targets) {
      expect(target.arn).toBe(referenceTo(json, SnsTopic, "arn"));
      const transformer = target.input_transformer as { input_paths: Record<string, string>; input_template: string };
      expect(transformer.input_template).toMatch(/^".*"$/);
      expect(transformer.input_template).toContain("https://<region>.console.aws.amazon.com/");
      expect(transformer.input_template).toContain("account <account>, region <region>");
      // Every placeholder in the message is filled from the event.
      for (const placeholder of transformer.input_template.match(/<[a-zA-Z]+>/g) ?? []) {
        expect(Object.keys(transformer.input_paths), placeholder).toContain(placeholder.slice(1, -1));
      }
    }
  });

  it("lets exactly these rules publish to the topic", () => {
    const arns = FindingRoutes.ruleArns(NAME, REGION, ACCOUNT);
    expect([...arns].sort()).toEqual(resources(json, CloudwatchEventRule).map((rule) => `arn:aws:events:${REGION}:${ACCOUNT}:rule/${String(rule.name)}`).sort());
    expect(statements(resources(json, SnsTopicPolicy)[0]!.policy)).toContainEqual(
      expect.objectContaining({ Principal: { Service: "events.amazonaws.com" }, Condition: { ArnEquals: { "aws:SourceArn": arns } } }),
    );
  });

  describe("patterns against sample findings", () => {
    it.each(Object.entries(GUARDDUTY_EVENTS))("GuardDuty: %s", (_name, sample) => {
      expect(matchesEventPattern(patternOf("guardduty"), sample.event)).toBe(sample.routed);
    });

    it.each(Object.entries(SECURITY_HUB_EVENTS))("Security Hub: %s", (_name, sample) => {
      expect(matchesEventPattern(patternOf("securityhub"), sample.event)).toBe(sample.routed);
    });

    it.each(Object.entries(ACCESS_ANALYZER_EVENTS))("Access Analyzer: %s", (_name, sample) => {
      expect(matchesEventPattern(patternOf("access-analyzer"), sample.event)).toBe(sample.routed);
    });

    it("sends a GuardDuty finding once: its Security Hub copy is not routed again", () => {
      const copy = SECURITY_HUB_EVENTS["a high GuardDuty finding imported into Security Hub"]!;
      expect(copy.routed).toBe(false);
      expect(matchesEventPattern(patternOf("guardduty"), GUARDDUTY_EVENTS["a medium finding (4.0)"]!.event)).toBe(true);
    });
  });

  it("raises the GuardDuty threshold with guardDutyMinimumSeverity", () => {
    const high = findingRoutes(7).find((route) => route.id === "guardduty")!.pattern;
    expect(matchesEventPattern(high, GUARDDUTY_EVENTS["a medium finding (4.0)"]!.event)).toBe(false);
    expect(matchesEventPattern(high, GUARDDUTY_EVENTS["a high finding (8.0)"]!.event)).toBe(true);
  });

  it.each([0, 11])("fails when guardDutyMinimumSeverity is %s", (severity) => {
    expect(() =>
      synthConstruct((scope) => {
        const topic = new AlertTopic(scope, "topic", { name: "t", accountId: ACCOUNT, region: REGION });
        new FindingRoutes(scope, "routes", { name: NAME, region: REGION, accountId: ACCOUNT, topic, guardDutyMinimumSeverity: severity });
      }),
    ).toThrow(`guardDutyMinimumSeverity (${severity}) must be from 1 (low) to 10 (critical), GuardDuty's scale`);
  });
});
