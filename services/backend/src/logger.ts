/**
 * Structured logs: one JSON object per line on stdout, which the container's log driver (awslogs)
 * ships to CloudWatch Logs, where Logs Insights queries the fields directly.
 *
 * Every line has `time` (ISO-8601 UTC), `level`, `service` and `msg`, then the caller's fields.
 * Errors are serialised with name, message and stack (plus the AWS request id and HTTP status of an
 * SDK error), never with request or response bodies.
 */

export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** Whether a line at this level would be written. */
  isEnabled(level: LogLevel): boolean;
}

export interface LoggerOptions {
  /** @default "info" */
  readonly level?: LogLevel;
  /** Written as `service` on every line. @default "backend" */
  readonly service?: string;
  /** Receives each line, without the newline. @default a write to stdout */
  readonly write?: (line: string) => void;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

/** The parts of an error worth logging; SDK errors add where and how DynamoDB answered. */
export function serializeError(error: unknown): LogFields {
  if (!(error instanceof Error)) return { message: String(error) };
  const fields: LogFields = { name: error.name, message: error.message, stack: error.stack };
  const metadata = (error as { $metadata?: { requestId?: string; httpStatusCode?: number; attempts?: number } }).$metadata;
  if (metadata) {
    fields.awsRequestId = metadata.requestId;
    fields.httpStatusCode = metadata.httpStatusCode;
    fields.attempts = metadata.attempts;
  }
  return fields;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const threshold = LOG_LEVELS.indexOf(options.level ?? "info");
  const service = options.service ?? "backend";
  const write = options.write ?? ((line: string) => void process.stdout.write(`${line}\n`));
  const now = options.now ?? (() => new Date());

  const isEnabled = (level: LogLevel): boolean => LOG_LEVELS.indexOf(level) >= threshold;
  const log =
    (level: LogLevel) =>
    (msg: string, fields: LogFields = {}): void => {
      if (!isEnabled(level)) return;
      const record: LogFields = { time: now().toISOString(), level, service, msg };
      for (const [key, value] of Object.entries(fields)) {
        // Fixed keys first and never overwritten, so every line parses the same way.
        if (!(key in record)) record[key] = key === "error" ? serializeError(value) : value;
      }
      let line: string;
      try {
        line = JSON.stringify(record);
      } catch {
        // A field that cannot be serialised (a cycle, a BigInt) must not lose the line or throw.
        line = JSON.stringify({ time: record.time, level, service, msg, logError: "fields could not be serialised" });
      }
      write(line);
    };

  return { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error"), isEnabled };
}
