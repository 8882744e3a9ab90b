/**
 * Logging, tracing and metrics for the tips functions (Powertools for AWS Lambda v2), and the wrapper
 * every handler runs in.
 *
 * One instance of each per container, created at import time like the DynamoDB client.
 * Configuration comes from the standard Powertools environment variables:
 * - `POWERTOOLS_SERVICE_NAME` (service key of logs, `Service` annotation, `service` metric dimension),
 * - `POWERTOOLS_METRICS_NAMESPACE` (CloudWatch namespace, default `CodingTips`),
 * - `POWERTOOLS_LOG_LEVEL` / the function's log level (default INFO),
 * - `POWERTOOLS_TRACE_ENABLED` (tracing is also off automatically outside Lambda),
 * - `POWERTOOLS_METRICS_DISABLED` (metrics are also off with `POWERTOOLS_DEV`).
 *
 * and `CORS_ALLOW_ORIGINS` (comma-separated): a REST API proxy integration passes responses through
 * untouched, so the function itself tells browsers on those origins that they may read the answer.
 *
 * What is logged: route, status, duration, tip id and sizes. Never request or response bodies: do
 * not set `POWERTOOLS_LOGGER_LOG_EVENT`, and the tracer does not record responses as metadata.
 */
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { Tracer } from "@aws-lambda-powertools/tracer";
import type { APIGatewayProxyEvent, Context } from "aws-lambda";
import { HttpError, errorResponse, internalError, type HttpResponse } from "./http";

/** Used when `POWERTOOLS_SERVICE_NAME` is not set, instead of Powertools' `service_undefined`. */
const DEFAULT_SERVICE_NAME = "coding-tips";
const DEFAULT_METRICS_NAMESPACE = "CodingTips";

const serviceName = process.env.POWERTOOLS_SERVICE_NAME || DEFAULT_SERVICE_NAME;

export const logger = new Logger({ serviceName });
export const tracer = new Tracer({ serviceName });
export const metrics = new Metrics({
  serviceName,
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE || DEFAULT_METRICS_NAMESPACE,
});

/** A Lambda handler for a REST API Lambda proxy route (payload format 1.0). */
export type HttpHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<HttpResponse>;

/**
 * Wraps a route handler with what every function needs, so handlers hold only their own logic:
 * - log keys: Lambda context (`function_request_id`, cold start, ...) and the API Gateway request id
 *   as `correlation_id`, reset after each invocation;
 * - a `## <operation>` X-Ray subsegment with `ColdStart`, `Service` and `operation` annotations;
 * - a cold-start metric, and the handler's metrics flushed at the end (only when it added some, so
 *   routes without metrics never print Powertools' "no metrics" warning);
 * - {@link HttpError} → its 4xx response; any other error → logged with the request id, then a 500
 *   `{"error":"internal error"}` that reveals nothing of it;
 * - CORS headers for an allowed `Origin` (see `CORS_ALLOW_ORIGINS`);
 * - one `request completed` log line with route, status and duration.
 */
export function httpHandler(operation: string, handle: HttpHandler): HttpHandler {
  return async (event, context) => {
    const started = performance.now();
    logger.addContext(context);
    const requestId = event.requestContext?.requestId;
    if (requestId) logger.setCorrelationId(requestId);
    logger.appendKeys({ operation });

    // Outside Lambda (tests, local runs) there is no X-Ray segment to hang a subsegment on.
    const segment = tracer.isTracingEnabled() ? tracer.getSegment() : undefined;
    const subsegment = segment?.addNewSubsegment(`## ${operation}`);
    if (subsegment) {
      tracer.setSegment(subsegment);
      tracer.annotateColdStart();
      tracer.addServiceNameAnnotation();
      tracer.putAnnotation("operation", operation);
    }
    metrics.captureColdStartMetric(context.functionName);

    let response: HttpResponse;
    try {
      response = await handle(event, context);
    } catch (error) {
      response = errorToResponse(error);
    }
    try {
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
    } catch (error) {
      // A metric Powertools refuses to serialise must not turn a stored tip into a 500.
      logger.error("metrics could not be published", asError(error));
    }
    if (segment && subsegment) {
      try {
        subsegment.close();
      } catch (error) {
        // Losing a trace is better than losing the response: Powertools' own decorator does the same.
        logger.warn("X-Ray subsegment could not be closed", asError(error));
      }
      tracer.setSegment(segment);
    }
    response = withCors(response, event);
    logger.info("request completed", {
      route: `${event.httpMethod} ${event.resource}`,
      statusCode: response.statusCode,
      durationMs: Math.round(performance.now() - started),
    });
    logger.resetKeys();
    return response;
  };
}

/**
 * Adds `access-control-allow-origin` when the request's `Origin` is one of `CORS_ALLOW_ORIGINS`;
 * `vary: origin` always, so a cache never serves one origin's answer to another.
 */
function withCors(response: HttpResponse, event: APIGatewayProxyEvent): HttpResponse {
  const allowed = (process.env.CORS_ALLOW_ORIGINS ?? "").split(",").map((origin) => origin.trim()).filter(Boolean);
  if (allowed.length === 0) return response;
  const origin = Object.entries(event.headers ?? {}).find(([name]) => name.toLowerCase() === "origin")?.[1];
  const headers: Record<string, string> = { ...response.headers, vary: "origin" };
  if (origin && allowed.includes(origin)) headers["access-control-allow-origin"] = origin;
  return { ...response, headers };
}

function errorToResponse(error: unknown): HttpResponse {
  if (error instanceof HttpError) {
    logger.info("request rejected", { statusCode: error.statusCode, reason: error.message });
    return errorResponse(error.statusCode, error.message, error.details);
  }
  const cause = asError(error);
  logger.error("request failed", cause);
  tracer.addErrorAsMetadata(cause);
  return internalError();
}

const asError = (value: unknown): Error => (value instanceof Error ? value : new Error(String(value)));
