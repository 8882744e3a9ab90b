/**
 * JSON responses for API Gateway REST API Lambda proxy integrations (payload format 1.0).
 *
 * Every response of the tips API goes through {@link json}, so every one carries
 * `content-type: application/json` and a body that is a JSON object.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import { INTERNAL_ERROR_MESSAGE, type ErrorBody } from "../../../runtime/http-error";

/** What every handler returns: always the structured form, never a bare string. */
export type HttpResponse = APIGatewayProxyResult & {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
};

export { HttpError } from "../../../runtime/http-error";

/**
 * Query parameters, a repeated one joined with commas (`?limit=5&limit=9` → `"5,9"`), so it is refused
 * by validation instead of silently keeping the last value as the REST payload's single-value map does.
 */
export function queryParameters(
  event: Pick<APIGatewayProxyEvent, "queryStringParameters" | "multiValueQueryStringParameters">,
): Record<string, string | undefined> {
  const multi = event.multiValueQueryStringParameters;
  if (multi) return Object.fromEntries(Object.entries(multi).map(([name, values]) => [name, values?.join(",")]));
  return { ...event.queryStringParameters };
}

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
  return {
    statusCode,
    headers: {
      "content-type": "application/json",
      // Tips change with every POST and the API is not behind a CDN: never let a proxy keep a copy.
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
      ...headers,
    },
    body: JSON.stringify(body),
  };
}

export function errorResponse(statusCode: number, error: string, details?: readonly string[]): HttpResponse {
  const body: ErrorBody = details === undefined ? { error } : { error, details };
  return json(statusCode, body);
}

export const badRequest = (error: string, details?: readonly string[]): HttpResponse =>
  errorResponse(400, error, details);

export const notFound = (error: string): HttpResponse => errorResponse(404, error);

export const internalError = (): HttpResponse => errorResponse(500, INTERNAL_ERROR_MESSAGE);
