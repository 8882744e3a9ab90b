/**
 * Everything the tips API checks about a request before touching DynamoDB.
 *
 * Each check throws {@link HttpError} with a message that names the field or parameter, what was
 * received and what is allowed. Body validation collects every problem before throwing, so a client
 * fixes its request in one round trip.
 */
import { requireJsonContentType } from "../../../runtime/content-type";
import { characterCount, describeType, quote } from "../../../runtime/messages";
import type { APIGatewayProxyEvent } from "aws-lambda";
import { HttpError } from "./http";
import {
  AUTHOR_MAX_LENGTH,
  LIST_DEFAULT_LIMIT,
  LIST_MAX_LIMIT,
  MAX_BODY_BYTES,
  TAGS_MAX_COUNT,
  TAG_PATTERN,
  TEXT_MAX_LENGTH,
  type NewTip,
} from "./tip";

/** Position in the newest-first list: the GSI sort key and the table key of the last tip returned. */
export interface TipCursor {
  readonly createdAt: string;
  readonly id: string;
}

/** A request body that parsed as JSON, with its size for logging. */
export interface JsonBody {
  readonly value: unknown;
  readonly bytes: number;
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_UTC_MILLIS_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const BASE64_PATTERN = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const BASE64URL_PATTERN = /^[A-Za-z0-9_-]+$/;
const ALLOWED_FIELDS = ["author", "text", "tags"] as const;
/** A real cursor is ~110 characters; anything far longer is not one of ours. */
const CURSOR_MAX_LENGTH = 256;
const EXAMPLE_BODY = '{"author": "...", "text": "...", "tags": ["optional"]}';

export { describeType, quote } from "../../../runtime/messages";

/**
 * Checks the media type, then decodes and parses the request body (base64 when API Gateway says
 * so) into a JSON value.
 *
 * @throws HttpError 415 for a non-JSON content type; 413 over {@link MAX_BODY_BYTES}; 400 when
 * missing, not UTF-8 or not JSON.
 */
export function readJsonBody(
  event: Pick<APIGatewayProxyEvent, "body" | "isBase64Encoded"> & Partial<Pick<APIGatewayProxyEvent, "headers">>,
): JsonBody {
  // Header names arrive as the client sent them; HTTP makes them case-insensitive.
  const contentType = Object.entries(event.headers ?? {}).find(([name]) => name.toLowerCase() === "content-type")?.[1];
  requireJsonContentType(contentType);
  const raw = event.body ?? "";
  let bytes: Buffer;
  if (event.isBase64Encoded) {
    const compact = raw.replace(/\s+/g, "");
    if (!BASE64_PATTERN.test(compact)) {
      throw new HttpError(400, "request body is marked as base64-encoded but is not valid base64");
    }
    bytes = Buffer.from(compact, "base64");
  } else {
    bytes = Buffer.from(raw, "utf8");
  }
  if (bytes.length > MAX_BODY_BYTES) {
    throw new HttpError(
      413,
      `request body is ${bytes.length} bytes; the limit is ${MAX_BODY_BYTES} bytes (${MAX_BODY_BYTES / 1024} KiB)`,
    );
  }
  let text: string;
  try {
    // fatal: reject broken UTF-8 instead of silently storing U+FFFD; a leading BOM is dropped.
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new HttpError(400, "request body is not valid UTF-8 text");
  }
  if (text.trim() === "") {
    throw new HttpError(400, `request body is required: send a JSON object such as ${EXAMPLE_BODY}`);
  }
  try {
    return { value: JSON.parse(text) as unknown, bytes: bytes.length };
  } catch {
    throw new HttpError(400, `request body is not valid JSON: send a JSON object such as ${EXAMPLE_BODY}`);
  }
}

/** Checks one required, trimmed string field; pushes a message to `problems` when it is wrong. */
function requiredString(
  body: Record<string, unknown>,
  field: "author" | "text",
  maxLength: number,
  problems: string[],
): string | undefined {
  const allowed = `a string of 1-${maxLength} characters`;
  if (!(field in body) || body[field] === undefined) {
    problems.push(`${field} is required: ${allowed}`);
    return undefined;
  }
  const value = body[field];
  if (typeof value !== "string") {
    problems.push(`${field} must be ${allowed}, received ${describeType(value)}`);
    return undefined;
  }
  const trimmed = value.trim();
  const length = characterCount(trimmed);
  if (length < 1 || length > maxLength) {
    problems.push(`${field} must be 1-${maxLength} characters after trimming whitespace, received ${length}`);
    return undefined;
  }
  return trimmed;
}

function optionalTags(body: Record<string, unknown>, problems: string[]): string[] {
  if (!("tags" in body) || body.tags === undefined) return [];
  const value = body.tags;
  if (!Array.isArray(value)) {
    problems.push(`tags must be an array of at most ${TAGS_MAX_COUNT} strings, received ${describeType(value)}`);
    return [];
  }
  if (value.length > TAGS_MAX_COUNT) {
    problems.push(`tags must have at most ${TAGS_MAX_COUNT} entries, received ${value.length}`);
  }
  const firstIndexOf = new Map<string, number>();
  value.forEach((tag: unknown, index) => {
    if (typeof tag !== "string") {
      problems.push(`tags[${index}] must be a string, received ${describeType(tag)}`);
    } else if (!TAG_PATTERN.test(tag)) {
      problems.push(
        `tags[${index}] must be 1-32 lowercase letters, digits or hyphens, not starting with a hyphen ` +
          `(${TAG_PATTERN.source}), received ${quote(tag)}`,
      );
    } else if (firstIndexOf.has(tag)) {
      problems.push(`tags[${index}] ${quote(tag)} repeats tags[${firstIndexOf.get(tag)}]: tags must be unique`);
    } else {
      firstIndexOf.set(tag, index);
    }
  });
  return value as string[];
}

/**
 * Validates the parsed body of `POST /tips` into a {@link NewTip} (author and text trimmed).
 *
 * @throws HttpError 400 listing every problem in `details`.
 */
export function validateNewTip(body: unknown): NewTip {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new HttpError(
      400,
      `request body must be a JSON object such as ${EXAMPLE_BODY}, received ${describeType(body)}`,
    );
  }
  const fields = body as Record<string, unknown>;
  const problems: string[] = [];
  const author = requiredString(fields, "author", AUTHOR_MAX_LENGTH, problems);
  const text = requiredString(fields, "text", TEXT_MAX_LENGTH, problems);
  const tags = optionalTags(fields, problems);
  for (const key of Object.keys(fields)) {
    if (!(ALLOWED_FIELDS as readonly string[]).includes(key)) {
      problems.push(`unknown field ${quote(key)}: allowed fields are ${ALLOWED_FIELDS.join(", ")}`);
    }
  }
  if (problems.length > 0 || author === undefined || text === undefined) {
    const message =
      problems.length === 1 ? (problems[0] as string) : `request body has ${problems.length} problems: ${problems.join("; ")}`;
    throw new HttpError(400, message, problems);
  }
  return { author, text, tags };
}

/**
 * The `limit` query parameter of `GET /tips`.
 *
 * @throws HttpError 400 unless it is an integer from 1 to {@link LIST_MAX_LIMIT}.
 */
export function parseLimit(raw: string | undefined): number {
  if (raw === undefined) return LIST_DEFAULT_LIMIT;
  const value = /^\d{1,3}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(value >= 1 && value <= LIST_MAX_LIMIT)) {
    throw new HttpError(
      400,
      `query parameter limit must be an integer from 1 to ${LIST_MAX_LIMIT} (default ${LIST_DEFAULT_LIMIT}), received ${quote(raw)}`,
    );
  }
  return value;
}

/** Makes the opaque `nextCursor` string (base64url of a small JSON object). */
export function encodeCursor(cursor: TipCursor): string {
  return Buffer.from(JSON.stringify({ createdAt: cursor.createdAt, id: cursor.id }), "utf8").toString("base64url");
}

/**
 * Reads the `cursor` query parameter back into the key where the previous page ended.
 *
 * Anything but a cursor this API made, byte for byte, is refused: the decoded value must be an
 * object with exactly `createdAt` (ISO-8601 UTC with milliseconds) and `id` (a UUID).
 *
 * @throws HttpError 400 `cursor is not valid`.
 */
export function decodeCursor(raw: string | undefined): TipCursor | undefined {
  if (raw === undefined) return undefined;
  const invalid = new HttpError(400, "cursor is not valid");
  if (raw.length > CURSOR_MAX_LENGTH || !BASE64URL_PATTERN.test(raw)) throw invalid;
  const decoded = Buffer.from(raw, "base64url");
  // Node's decoder skips characters it cannot use; re-encoding catches any such slack.
  if (decoded.toString("base64url") !== raw) throw invalid;
  let value: unknown;
  try {
    value = JSON.parse(decoded.toString("utf8"));
  } catch {
    throw invalid;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw invalid;
  const { createdAt, id, ...rest } = value as Record<string, unknown>;
  if (
    Object.keys(rest).length > 0 ||
    typeof createdAt !== "string" ||
    !ISO_UTC_MILLIS_PATTERN.test(createdAt) ||
    Number.isNaN(Date.parse(createdAt)) ||
    typeof id !== "string" ||
    !UUID_PATTERN.test(id)
  ) {
    throw invalid;
  }
  return { createdAt, id };
}

/**
 * The `{id}` path parameter of `GET /tips/{id}`, lowercased (ids are stored as `crypto.randomUUID()`
 * makes them).
 *
 * @throws HttpError 400 when missing or not a UUID.
 */
export function parseTipId(raw: string | undefined): string {
  if (raw === undefined || raw === "") {
    // Only a route without `{id}` wired to this function gets here; say so rather than 404.
    throw new HttpError(400, "path parameter id is required: call GET /tips/{id}");
  }
  if (!UUID_PATTERN.test(raw)) {
    throw new HttpError(
      400,
      `id must be a UUID (8-4-4-4-12 hexadecimal digits, e.g. 3b241101-e2bb-4255-8caf-4136c566a962), received ${quote(raw)}`,
    );
  }
  return raw.toLowerCase();
}
