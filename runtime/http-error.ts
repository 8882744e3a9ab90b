/** The error contract every runtime's HTTP responses share. */

/** Body of every error response. `details` lists each problem when there can be several. */
export interface ErrorBody {
  readonly error: string;
  readonly details?: readonly string[];
}

/**
 * A request the service refuses (4xx). Handlers throw it; the service's wrapper turns it into the
 * response, so validation code never builds responses itself.
 */
export class HttpError extends Error {
  override readonly name = "HttpError";

  constructor(
    readonly statusCode: 400 | 404 | 405 | 409 | 413 | 415,
    message: string,
    /** Every problem found, when there can be more than one (field validation). */
    readonly details?: readonly string[],
    /** Extra response headers (`Allow` on a 405). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

/** The one message a client sees for any failure on our side: internals stay in the logs. */
export const INTERNAL_ERROR_MESSAGE = "internal error";
