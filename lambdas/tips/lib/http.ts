/**
 * JSON responses for API Gateway HTTP API (payload format 2.0).
 *
 * Every response of the tips API goes through {@link json}, so every one carries
 * `content-type: application/json` and a body that is a JSON object.
 */
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";

/** What every handler returns: always the structured form, never a bare string. */
export type HttpResponse = APIGatewayProxyStructuredResultV2 & {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
};

/** Body of every error response. `details` lists each problem when there can be several. */
export interface ErrorBody {
  readonly error: string;
  readonly details?: readonly string[];
}

/**
 * A request the API refuses (4xx). Handlers throw it; the handler wrapper turns it into a response,
 * so validation code never builds responses itself.
 */
export class HttpError extends Error {
  override readonly name = "HttpError";

  constructor(
    readonly statusCode: 400 | 404 | 413,
    message: string,
    /** Every problem found, when there can be more than one (field validation). */
    readonly details?: readonly string[],
  ) {
    super(message);
  }
}

/** The one message a client sees for any failure on our side: internals stay in the logs. */
export const INTERNAL_ERROR_MESSAGE = "internal error";

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
