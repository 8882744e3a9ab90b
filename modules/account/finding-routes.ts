import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { Construct } from "constructs";
import type { AlertTopic } from "../core/alert-topic";

/** One EventBridge route: which findings it selects and the message a person reads. */
export interface FindingRoute {
  /** Construct id and rule name suffix, kebab-case. */
  readonly id: string;
  readonly description: string;
  /** EventBridge event pattern. */
  readonly pattern: Record<string, unknown>;
  /** Input transformer paths: placeholder name → JSON path into the event. */
  readonly inputPaths: Readonly<Record<string, string>>;
  /** The message: a JSON string with `<placeholder>`s, one line a person can act on. */
  readonly template: string;
}

export interface FindingRoutesProps {
  /** Prefix of the rule names, e.g. `acme-123456789012`. */
  readonly name: string;
  readonly region: string;
  readonly accountId: string;
  /** Topic the findings go to; its policy must let exactly `FindingRoutes.ruleArns(...)` publish. */
  readonly topic: AlertTopic;
  /**
   * Lowest GuardDuty severity routed: 4 is medium (4.0-6.9), 7 high, 9 critical.
   * @default 4
   */
  readonly guardDutyMinimumSeverity?: number;
}

/** Products whose findings have a route of their own and are not sent again through Security Hub. */
const ROUTED_DIRECTLY = ["GuardDuty", "IAM Access Analyzer"];

/**
 * The three routes: GuardDuty findings at or above a severity, Security Hub findings rated critical
 * or high (new and updated: every import of an active, unresolved finding), and IAM Access Analyzer
 * findings of resources shared outside the account.
 */
export function findingRoutes(guardDutyMinimumSeverity = 4): FindingRoute[] {
  const link = (service: string, fragment: string) => `https://<region>.console.aws.amazon.com/${service}/home?region=<region>#/${fragment}`;
  return [
    {
      id: "guardduty",
      description: `GuardDuty findings of severity ${guardDutyMinimumSeverity} and above to the security topic`,
      pattern: {
        source: ["aws.guardduty"],
        "detail-type": ["GuardDuty Finding"],
        detail: { severity: [{ numeric: [">=", guardDutyMinimumSeverity] }] },
      },
      inputPaths: { severity: "$.detail.severity", title: "$.detail.title", type: "$.detail.type", resource: "$.detail.resource.resourceType", id: "$.detail.id", account: "$.account", region: "$.region" },
      template: `"GuardDuty finding, severity <severity> (4-6.9 medium, 7-8.9 high, 9+ critical): <title> Type <type> on a <resource> resource, account <account>, region <region>. ${link("guardduty", "findings?macros=current&fId=<id>")}"`,
    },
    {
      id: "securityhub",
      description: "Security Hub findings rated critical or high, new or updated, to the security topic",
      pattern: {
        source: ["aws.securityhub"],
        "detail-type": ["Security Hub Findings - Imported"],
        detail: {
          findings: {
            Severity: { Label: ["CRITICAL", "HIGH"] },
            Workflow: { Status: ["NEW", "NOTIFIED"] },
            RecordState: ["ACTIVE"],
            ProductName: [{ "anything-but": ROUTED_DIRECTLY }],
          },
        },
      },
      inputPaths: {
        severity: "$.detail.findings[0].Severity.Label",
        title: "$.detail.findings[0].Title",
        product: "$.detail.findings[0].ProductName",
        resource: "$.detail.findings[0].Resources[0].Id",
        status: "$.detail.findings[0].Workflow.Status",
        account: "$.account",
        region: "$.region",
      },
      template: `"Security Hub <severity> finding from <product>: <title> Resource <resource>, workflow <status>, account <account>, region <region>. ${link("securityhub", "findings")}"`,
    },
    {
      id: "access-analyzer",
      description: "IAM Access Analyzer findings (resources shared outside the account) to the security topic",
      pattern: {
        source: ["aws.access-analyzer"],
        "detail-type": ["Access Analyzer Finding"],
        detail: { status: ["ACTIVE"] },
      },
      inputPaths: { resourceType: "$.detail.resourceType", resource: "$.detail.resource", isPublic: "$.detail.isPublic", account: "$.account", region: "$.region" },
      template: `"IAM Access Analyzer: <resourceType> <resource> is shared outside the account (public: <isPublic>), account <account>, region <region>. ${link("access-analyzer", "findings")}"`,
    },
  ];
}

/**
 * EventBridge rules that send security findings to a person: each selects its findings on the
 * account's default bus and publishes one readable line (what, severity, where, console link) to the
 * security topic. Findings are regional, so every region of the baseline has its own routes.
 */
export class FindingRoutes extends Construct {
  readonly rules: CloudwatchEventRule[] = [];

  /** Rule name of route `id`. */
  static ruleName(name: string, id: string): string {
    return `${name}-${id}-findings`;
  }

  /** ARNs of the rules, known before they exist: the topic's policy must name them. */
  static ruleArns(name: string, region: string, accountId: string): string[] {
    return findingRoutes().map((route) => `arn:aws:events:${region}:${accountId}:rule/${FindingRoutes.ruleName(name, route.id)}`);
  }

  constructor(scope: Construct, id: string, props: FindingRoutesProps) {
    super(scope, id);
    const minimum = props.guardDutyMinimumSeverity ?? 4;
    if (!(minimum >= 1 && minimum <= 10)) {
      throw new Error(`guardDutyMinimumSeverity (${minimum}) must be from 1 (low) to 10 (critical), GuardDuty's scale`);
    }
    for (const route of findingRoutes(minimum)) {
      const rule = new CloudwatchEventRule(this, route.id, {
        name: FindingRoutes.ruleName(props.name, route.id),
        description: route.description,
        eventPattern: JSON.stringify(route.pattern),
      });
      new CloudwatchEventTarget(this, `${route.id}-target`, {
        rule: rule.name,
        targetId: "security-topic",
        arn: props.topic.arn,
        inputTransformer: { inputPaths: { ...route.inputPaths }, inputTemplate: route.template },
      });
      this.rules.push(rule);
    }
  }
}
