/**
 * Pieces of client-facing error messages shared by every runtime (Lambda functions and container
 * services), so a bad request reads the same whichever service answers it.
 */

/** `a string`, `an array`, `null`: how a received JSON value is named in messages. */
export function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  const type = typeof value;
  return type === "object" || type === "undefined" ? `an ${type}` : `a ${type}`;
}

/** A received string, JSON-quoted and cut short so messages (and logs) stay small. */
export function quote(value: string, maxLength = 40): string {
  const codePoints = Array.from(value);
  return codePoints.length <= maxLength
    ? JSON.stringify(value)
    : `${JSON.stringify(codePoints.slice(0, maxLength).join(""))}...`;
}

/** Length in Unicode code points, so an emoji counts as one character, not two UTF-16 units. */
export const characterCount = (value: string): number => Array.from(value).length;
