import { CloudwatchQueryDefinition } from "@cdktf/provider-aws/lib/cloudwatch-query-definition";
import { Construct } from "constructs";

export interface LogQueriesProps {
  /** Folder of the saved queries in the Logs Insights console, e.g. `acme-dev`. */
  readonly folder: string;
  /** Log groups the queries run over: services, functions and access logs of the environment. */
  readonly logGroupNames: readonly string[];
}

/**
 * Both log formats of this project in one vocabulary: the backend writes `level` (lower case),
 * `msg`, `service`, `durationMs`, `path`, `requestId`; Lambda Powertools writes `level` (upper
 * case), `message`, `service`, `durationMs`, `route`, `correlation_id`; API access logs carry
 * `status`, `responseLatency`, `routeKey`, `requestId`.
 */
export const ERRORS_BY_SERVICE_QUERY = [
  "fields @timestamp, coalesce(service, @log) as source, coalesce(msg, message, integrationError) as text",
  '| filter level in ["error", "ERROR"] or status >= 500',
  "| stats count(*) as errors, latest(text) as lastError by source",
  "| sort errors desc",
].join("\n");

export const SLOWEST_REQUESTS_QUERY = [
  "fields @timestamp, coalesce(service, @log) as source, coalesce(durationMs, responseLatency) as ms,",
  "  coalesce(path, route, routeKey) as target, coalesce(requestId, correlation_id) as request",
  "| filter ispresent(ms)",
  "| sort ms desc",
  "| limit 50",
].join("\n");

/** Saved CloudWatch Logs Insights queries: errors by service, and the slowest requests. */
export class LogQueries extends Construct {
  readonly errorsByService: CloudwatchQueryDefinition;
  readonly slowestRequests: CloudwatchQueryDefinition;

  constructor(scope: Construct, id: string, props: LogQueriesProps) {
    super(scope, id);
    if (props.logGroupNames.length === 0) throw new Error(`saved queries of ${props.folder} name no log group`);
    const logGroupNames = [...props.logGroupNames];
    // Saved queries carry no time range; the name tells the reader which one they were written for.
    this.errorsByService = new CloudwatchQueryDefinition(this, "errors-by-service", {
      name: `${props.folder}/errors by service (run over the last hour)`,
      logGroupNames,
      queryString: ERRORS_BY_SERVICE_QUERY,
    });
    this.slowestRequests = new CloudwatchQueryDefinition(this, "slowest-requests", {
      name: `${props.folder}/slowest requests`,
      logGroupNames,
      queryString: SLOWEST_REQUESTS_QUERY,
    });
  }
}
