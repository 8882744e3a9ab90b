/**
 * The service's settings, read once from the environment at startup.
 *
 * Every problem is collected and reported together, so one failed deployment shows every wrong
 * variable. The task definition sets these; nothing else is read from the environment except what
 * the AWS SDK reads itself (credentials from the task role, `AWS_ENDPOINT_URL_DYNAMODB`).
 */
import { LOG_LEVELS, type LogLevel } from "./logger";

export interface Config {
  /** Port the HTTP server listens on (all interfaces). `0` picks a free port (tests). */
  readonly port: number;
  /** DynamoDB table with partition key `id` (S). */
  readonly tableName: string;
  /** Region of the table, passed to the SDK client explicitly. */
  readonly region: string;
  /** Most items `GET /api/v1/get` returns and reads; the scan stops there. */
  readonly maxItems: number;
  /** `Limit` of each Scan request; `undefined` asks for what is still needed (DynamoDB pages at 1 MB). */
  readonly scanPageSize: number | undefined;
  readonly logLevel: LogLevel;
  /** How long a shutdown waits for in-flight requests before closing their connections. */
  readonly shutdownTimeoutMs: number;
  /**
   * `host:port` of the X-Ray daemon (`AWS_XRAY_DAEMON_ADDRESS`, read by the X-Ray SDK itself):
   * requests are traced when it is set, not at all when it is not.
   */
  readonly xrayDaemonAddress: string | undefined;
}

export const DEFAULT_PORT = 8080;
export const DEFAULT_MAX_ITEMS = 1000;
/** Upper bound of `MAX_ITEMS` and of `?limit=`: keeps a response near 1 MB at most. */
export const MAX_ITEMS_LIMIT = 1000;
/** Below ECS's default stopTimeout (30 s), so the service exits before ECS sends SIGKILL. */
export const DEFAULT_SHUTDOWN_TIMEOUT_SECONDS = 25;
/** ECS on EC2 allows a stopTimeout of at most 120 s. */
const MAX_SHUTDOWN_TIMEOUT_SECONDS = 120;
/** DynamoDB's own rule for table names. */
const TABLE_NAME_PATTERN = /^[A-Za-z0-9_.-]{3,255}$/;
const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d+$/;
/** What the X-Ray SDK accepts: `host:port` (one address for UDP and TCP). */
const DAEMON_ADDRESS_PATTERN = /^[A-Za-z0-9.-]+:\d{1,5}$/;

/** One or more environment variables are wrong; `problems` lists each. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";

  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration: ${problems.join("; ")}`);
  }
}

/** Parses an optional integer variable; pushes a message when it is present but not in range. */
function integer(
  env: NodeJS.ProcessEnv,
  name: string,
  { min, max, fallback }: { min: number; max: number; fallback: number | undefined },
  problems: string[],
): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = /^\d{1,6}$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
  if (!(value >= min && value <= max)) {
    const byDefault = fallback === undefined ? "" : ` (default ${fallback})`;
    problems.push(`${name} must be an integer from ${min} to ${max}${byDefault}, received ${JSON.stringify(raw)}`);
    return fallback;
  }
  return value;
}

/**
 * Reads and checks the configuration.
 *
 * @throws ConfigError listing every problem.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];

  const tableName = env.TABLE_NAME?.trim() ?? "";
  if (tableName === "") {
    problems.push("TABLE_NAME is required: the name of the DynamoDB table the service reads and writes");
  } else if (!TABLE_NAME_PATTERN.test(tableName)) {
    problems.push(
      `TABLE_NAME must be a DynamoDB table name (3-255 letters, digits, _ . -), received ${JSON.stringify(tableName)}`,
    );
  }

  // The SDK for JavaScript reads only AWS_REGION (not AWS_DEFAULT_REGION) and has no other source
  // inside a container, so a missing region would surface as a 500 on the first request: fail now.
  const region = env.AWS_REGION?.trim() ?? "";
  if (region === "") {
    problems.push("AWS_REGION is required: the region of the table, e.g. us-east-1 (set it in the task definition)");
  } else if (!REGION_PATTERN.test(region)) {
    problems.push(`AWS_REGION must be an AWS region such as us-east-1, received ${JSON.stringify(region)}`);
  }

  const rawLevel = env.LOG_LEVEL?.trim().toLowerCase() || "info";
  const logLevel = (LOG_LEVELS as readonly string[]).includes(rawLevel) ? (rawLevel as LogLevel) : "info";
  if (logLevel !== rawLevel) {
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")} (default info), received ${JSON.stringify(env.LOG_LEVEL)}`);
  }

  const port = integer(env, "PORT", { min: 0, max: 65_535, fallback: DEFAULT_PORT }, problems) as number;
  const maxItems = integer(env, "MAX_ITEMS", { min: 1, max: MAX_ITEMS_LIMIT, fallback: DEFAULT_MAX_ITEMS }, problems) as number;
  const scanPageSize = integer(env, "SCAN_PAGE_SIZE", { min: 1, max: MAX_ITEMS_LIMIT, fallback: undefined }, problems);
  const shutdownTimeoutSeconds = integer(
    env,
    "SHUTDOWN_TIMEOUT_SECONDS",
    { min: 1, max: MAX_SHUTDOWN_TIMEOUT_SECONDS, fallback: DEFAULT_SHUTDOWN_TIMEOUT_SECONDS },
    problems,
  ) as number;

  const xrayDaemonAddress = env.AWS_XRAY_DAEMON_ADDRESS?.trim() || undefined;
  if (xrayDaemonAddress !== undefined && !DAEMON_ADDRESS_PATTERN.test(xrayDaemonAddress)) {
    problems.push(
      `AWS_XRAY_DAEMON_ADDRESS must be host:port of the X-Ray daemon, e.g. xray-daemon:2000, received ${JSON.stringify(env.AWS_XRAY_DAEMON_ADDRESS)}`,
    );
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    port,
    tableName,
    region,
    maxItems,
    scanPageSize,
    logLevel,
    shutdownTimeoutMs: shutdownTimeoutSeconds * 1000,
    xrayDaemonAddress,
  };
}
