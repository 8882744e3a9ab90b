import { type ComponentSignals, metric, single } from "./signal";

export interface WebAclSignalInput {
  readonly webAclName: string;
  readonly region: string;
  readonly blockedRequests: number;
  /**
   * Dashboard section title, to tell web ACLs apart.
   * @default "WAF"
   */
  readonly title?: string;
}

/** A regional web ACL: a spike of blocked requests (an attack, or a rule blocking real users). */
export function webAclSignals(component: string, input: WebAclSignalInput): ComponentSignals {
  const dims = { WebACL: input.webAclName, Region: input.region, Rule: "ALL" };
  return {
    component,
    title: input.title ?? "WAF",
    graphs: [{ panel: "traffic", metric: metric("AWS/WAFV2", "AllowedRequests", dims, "Sum", "Allowed requests") }],
    signals: [
      {
        name: "blocked-requests",
        description:
          "The WAF blocked an unusual number of requests: an attack, a scraper, or a rule blocking real users. Check first: the WAF log group (terminatingRuleId, client IP, URI) to tell attack from false positive.",
        panel: "errors",
        query: single(metric("AWS/WAFV2", "BlockedRequests", dims, "Sum", "Blocked requests")),
        comparison: "GreaterThanOrEqualToThreshold",
        threshold: input.blockedRequests,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        treatMissingData: "notBreaching",
      },
    ],
  };
}
