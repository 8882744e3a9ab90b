/**
 * JSON responses for API Gateway HTTP API (payload format 2.0).
 *
 * Every response of the tips API goes through {@link json}, so every one carries
 * `content-type: application/json` and a body that is a JSON object.
 */
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { INTERNAL_ERROR_MESSAGE, type ErrorBody } from "../../../runtime/http-error";

/** What every handler returns: always the structured form, never a bare string. */
export type HttpResponse = APIGatewayProxyStructuredResultV2 & {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
};

export { HttpError } from "../../../runtime/http-error";

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
