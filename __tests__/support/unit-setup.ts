/**
 * Setup of the unit tier (every test file, one module cache per worker).
 *
 * cdktf captures a complete stack trace for every token it creates (each reference, each
 * attribute) on a plain object, not an Error, and formats it at once. In vitest every such capture
 * went through the module runner's source-mapping `Error.prepareStackTrace`, frame by frame, which
 * was a third of the unit tier's time. Stacks captured on anything but an Error (cdktf's creation
 * stacks) are formatted the plain V8 way here; errors keep their mapped stacks, so a failing test
 * still points at its TypeScript line.
 */
const PLAIN_FOR_NON_ERRORS = Symbol.for("cdktf-platform/plain-stacks-for-non-errors");

type PrepareStackTrace = NonNullable<typeof Error.prepareStackTrace> & { [PLAIN_FOR_NON_ERRORS]?: true };

const mapStack = Error.prepareStackTrace as PrepareStackTrace | undefined;
if (mapStack && !mapStack[PLAIN_FOR_NON_ERRORS]) {
  const prepare: PrepareStackTrace = (error, frames) =>
    error instanceof Error ? mapStack(error, frames) : `\n${frames.map((frame) => `    at ${String(frame)}`).join("\n")}`;
  prepare[PLAIN_FOR_NON_ERRORS] = true;
  Error.prepareStackTrace = prepare;
}
