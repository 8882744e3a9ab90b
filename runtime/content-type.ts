/**
 * The media type rule of every JSON endpoint, shared by the Lambda functions and the container
 * services, so a form post or plain text gets the same 415 whichever service answers it.
 */
import { HttpError } from "./http-error";
import { quote } from "./messages";

/** `application/json`, with parameters (`; charset=utf-8`) and structured `+json` suffixes. */
export function isJsonMediaType(contentType: string): boolean {
  const mediaType = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  return mediaType === "application/json" || mediaType.endsWith("+json");
}

/**
 * Refuses a body whose declared media type is not JSON.
 *
 * A missing content type is accepted (`curl --data-binary` sends none, some clients neither);
 * anything declared must be JSON, so a client sending text or a form learns why at once instead of
 * having its body parsed as something it did not mean.
 *
 * @throws HttpError 415 `content-type must be application/json, received "<value>"`.
 */
export function requireJsonContentType(contentType: string | undefined): void {
  if (contentType !== undefined && !isJsonMediaType(contentType)) {
    throw new HttpError(415, `content-type must be application/json, received ${quote(contentType)}`);
  }
}
