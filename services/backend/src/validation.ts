/**
 * Everything the service checks about a request before touching DynamoDB.
 *
 * Each check throws {@link HttpError} with a message that names the field or parameter, what was
 * received (value or type) and what is allowed. Body validation collects every problem before
 * throwing, so a client fixes its request in one round trip.
 */
import { requireJsonContentType } from "../../../runtime/content-type";
import { characterCount, describeType, quote } from "../../../runtime/messages";
import { HttpError } from "./http";
import { DESCRIPTION_MAX_LENGTH, ID_PATTERN, NAME_MAX_LENGTH, type NewItem } from "./item";

const ALLOWED_FIELDS = ["id", "name", "description"] as const;
const ALLOWED_QUERY_PARAMETERS = ["limit"] as const;
export const EXAMPLE_BODY = '{"name": "...", "description": "optional", "id": "optional"}';
const ID_RULE = `a string of 1-128 letters, digits, '.', '_', ':' or '-' (${ID_PATTERN.source})`;


/**
 * Checks the media type and parses the body as JSON.
 *
 * @throws HttpError 415 for a non-JSON content type; 400 when empty, not UTF-8 or not JSON.
 */
export function parseJsonBody(body: Buffer, contentType: string | undefined): unknown {
  requireJsonContentType(contentType);
  let text: string;
  try {
    // fatal: reject broken UTF-8 instead of silently storing U+FFFD; a leading BOM is dropped.
    text = new TextDecoder("utf-8", { fatal: true }).decode(body);
  } catch {
    throw new HttpError(400, "request body is not valid UTF-8 text");
  }
  if (text.trim() === "") {
    throw new HttpError(400, `request body is required: send a JSON object such as ${EXAMPLE_BODY}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, `request body is not valid JSON: send a JSON object such as ${EXAMPLE_BODY}`);
  }
}

/**
 * Validates the parsed body of `POST /api/v1/put` into a {@link NewItem}: `name` and `description`
 * trimmed, `id` exactly as sent.
 *
 * @throws HttpError 400 listing every problem in `details`.
 */
export function validateNewItem(body: unknown): NewItem {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new HttpError(400, `request body must be a JSON object such as ${EXAMPLE_BODY}, received ${describeType(body)}`);
  }
  const fields = body as Record<string, unknown>;
  const problems: string[] = [];

  for (const key of Object.keys(fields)) {
    if ((ALLOWED_FIELDS as readonly string[]).includes(key)) continue;
    const hint = key === "createdAt" ? " (the server sets createdAt)" : "";
    problems.push(`unknown field ${quote(key)}${hint}: allowed fields are ${ALLOWED_FIELDS.join(", ")}`);
  }

  let id: string | undefined;
  if (fields.id !== undefined) {
    if (typeof fields.id !== "string") {
      problems.push(`id must be ${ID_RULE}, received ${describeType(fields.id)}`);
    } else if (!ID_PATTERN.test(fields.id)) {
      problems.push(`id must be ${ID_RULE}, received ${quote(fields.id)}`);
    } else {
      id = fields.id;
    }
  }

  let name: string | undefined;
  const nameRule = `a string of 1-${NAME_MAX_LENGTH} characters`;
  if (fields.name === undefined) {
    problems.push(`name is required: ${nameRule}`);
  } else if (typeof fields.name !== "string") {
    problems.push(`name must be ${nameRule}, received ${describeType(fields.name)}`);
  } else {
    const trimmed = fields.name.trim();
    const length = characterCount(trimmed);
    if (length < 1 || length > NAME_MAX_LENGTH) {
      problems.push(`name must be 1-${NAME_MAX_LENGTH} characters after trimming whitespace, received ${length}`);
    } else {
      name = trimmed;
    }
  }

  let description: string | undefined;
  if (fields.description !== undefined) {
    if (typeof fields.description !== "string") {
      problems.push(
        `description must be a string of at most ${DESCRIPTION_MAX_LENGTH} characters, received ${describeType(fields.description)}`,
      );
    } else {
      const trimmed = fields.description.trim();
      const length = characterCount(trimmed);
      if (length > DESCRIPTION_MAX_LENGTH) {
        problems.push(
          `description must be at most ${DESCRIPTION_MAX_LENGTH} characters after trimming whitespace, received ${length}`,
        );
      } else {
        description = trimmed;
      }
    }
  }

  if (problems.length > 0 || name === undefined) {
    const message =
      problems.length === 1 ? (problems[0] as string) : `request body has ${problems.length} problems: ${problems.join("; ")}`;
    throw new HttpError(400, message, problems);
  }
  return { ...(id !== undefined && { id }), name, ...(description !== undefined && { description }) };
}

/**
 * The query of `GET /api/v1/get`: only `limit`, an integer from 1 to `maxLimit`, at most once.
 *
 * @returns the limit, or `undefined` when absent.
 * @throws HttpError 400 naming the parameter, the value received and what is allowed.
 */
export function parseListQuery(query: URLSearchParams, maxLimit: number): number | undefined {
  const problems: string[] = [];
  for (const key of new Set(query.keys())) {
    if (!(ALLOWED_QUERY_PARAMETERS as readonly string[]).includes(key)) {
      problems.push(`unknown query parameter ${quote(key)}: allowed is ${ALLOWED_QUERY_PARAMETERS.join(", ")}`);
    }
  }
  const values = query.getAll("limit");
  let limit: number | undefined;
  if (values.length > 1) {
    problems.push(`query parameter limit must be given at most once, received ${values.length} values`);
  } else if (values.length === 1) {
    const raw = values[0] as string;
    const value = /^\d{1,4}$/.test(raw) ? Number(raw) : Number.NaN;
    if (value >= 1 && value <= maxLimit) {
      limit = value;
    } else {
      problems.push(`query parameter limit must be an integer from 1 to ${maxLimit}, received ${quote(raw)}`);
    }
  }
  if (problems.length > 0) {
    const message =
      problems.length === 1 ? (problems[0] as string) : `request has ${problems.length} problems: ${problems.join("; ")}`;
    throw new HttpError(400, message, problems);
  }
  return limit;
}
