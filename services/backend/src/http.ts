/**
 * HTTP plumbing on `node:http`: the error type handlers throw, JSON and text responses, and the
 * bounded request-body reader.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { HttpError, type ErrorBody } from "../../../runtime/http-error";

/** Largest request body accepted: a valid item is far below 4 KiB, so 16 KiB leaves ample room. */
export const MAX_BODY_BYTES = 16 * 1024;

export { HttpError, INTERNAL_ERROR_MESSAGE } from "../../../runtime/http-error";

/** Headers on every response. */
const COMMON_HEADERS = {
  // Items change with every POST and nothing caches them: never let a proxy keep a copy.
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
} as const;

function send(res: ServerResponse, statusCode: number, contentType: string, body: string, headers: Record<string, string>): void {
  res.writeHead(statusCode, {
    ...COMMON_HEADERS,
    "content-type": contentType,
    "content-length": String(Buffer.byteLength(body)),
    ...headers,
  });
  res.end(body);
}

export function sendJson(res: ServerResponse, statusCode: number, body: unknown, headers: Record<string, string> = {}): void {
  send(res, statusCode, "application/json; charset=utf-8", JSON.stringify(body), headers);
}

export function sendText(res: ServerResponse, statusCode: number, body: string, headers: Record<string, string> = {}): void {
  send(res, statusCode, "text/plain; charset=utf-8", body, headers);
}

/** An error response; a 400 always carries `details` (one entry when there is one problem). */
export function sendError(res: ServerResponse, error: HttpError, headers: Record<string, string> = {}): void {
  const details = error.details ?? (error.statusCode === 400 ? [error.message] : undefined);
  const body: ErrorBody = details === undefined ? { error: error.message } : { error: error.message, details };
  sendJson(res, error.statusCode, body, { ...error.headers, ...headers });
}

const tooLarge = (received: string): HttpError =>
  new HttpError(413, `request body is ${received}; the limit is ${MAX_BODY_BYTES} bytes (${MAX_BODY_BYTES / 1024} KiB)`);

/**
 * Reads the whole request body, refusing more than `maxBytes`.
 *
 * A declared `content-length` over the limit is refused before reading anything; a chunked body is
 * refused as soon as it passes the limit. Either way the rest of the body is neither buffered nor
 * destroyed here (destroying the request would close the socket before the 413 is sent): the app
 * discards it for a bounded time after answering.
 *
 * @throws HttpError 413.
 */
export function readBody(req: IncomingMessage, maxBytes = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = req.headers["content-length"];
  if (declared !== undefined && Number(declared) > maxBytes) return Promise.reject(tooLarge(`${declared} bytes`));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const cleanup = (): void => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
    };
    const onData = (chunk: Buffer): void => {
      total += chunk.length;
      if (total > maxBytes) {
        cleanup();
        chunks.length = 0;
        reject(tooLarge(`more than ${maxBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(Buffer.concat(chunks, total));
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(error);
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
  });
}
