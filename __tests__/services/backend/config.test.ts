import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../../services/backend/src/config";
import { createLogger, serializeError } from "../../../services/backend/src/logger";

const REQUIRED = { TABLE_NAME: "items-dev", AWS_REGION: "eu-west-1" };

/** The problems loadConfig reports for this environment. */
function problemsOf(env: NodeJS.ProcessEnv): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error("loadConfig accepted the environment");
}

describe("backend configuration (loadConfig)", () => {
  it("needs only TABLE_NAME and AWS_REGION; everything else has a default", () => {
    expect(loadConfig(REQUIRED)).toEqual({
      port: 8080,
      tableName: "items-dev",
      region: "eu-west-1",
      maxItems: 1000,
      scanPageSize: undefined,
      logLevel: "info",
      shutdownTimeoutMs: 25_000,
      xrayDaemonAddress: undefined,
    });
  });

  it("reads every variable", () => {
    expect(
      loadConfig({
        ...REQUIRED,
        PORT: "3000",
        MAX_ITEMS: "50",
        SCAN_PAGE_SIZE: "10",
        LOG_LEVEL: "DEBUG",
        SHUTDOWN_TIMEOUT_SECONDS: "110",
        AWS_XRAY_DAEMON_ADDRESS: "xray-daemon:2000",
      }),
    ).toEqual({
      port: 3000,
      tableName: "items-dev",
      region: "eu-west-1",
      maxItems: 50,
      scanPageSize: 10,
      logLevel: "debug",
      shutdownTimeoutMs: 110_000,
      xrayDaemonAddress: "xray-daemon:2000",
    });
  });

  it("treats empty variables as unset", () => {
    expect(loadConfig({ ...REQUIRED, PORT: "", MAX_ITEMS: " ", LOG_LEVEL: "", AWS_XRAY_DAEMON_ADDRESS: "" })).toEqual(
      expect.objectContaining({ port: 8080, maxItems: 1000, logLevel: "info", xrayDaemonAddress: undefined }),
    );
  });

  it.each<[string, NodeJS.ProcessEnv, string]>([
    ["TABLE_NAME is missing", { AWS_REGION: "eu-west-1" }, "TABLE_NAME is required: the name of the DynamoDB table the service reads and writes"],
    [
      "TABLE_NAME is not a table name",
      { ...REQUIRED, TABLE_NAME: "my table" },
      'TABLE_NAME must be a DynamoDB table name (3-255 letters, digits, _ . -), received "my table"',
    ],
    [
      "AWS_REGION is missing",
      { TABLE_NAME: "items" },
      "AWS_REGION is required: the region of the table, e.g. us-east-1 (set it in the task definition)",
    ],
    ["AWS_REGION is not a region", { ...REQUIRED, AWS_REGION: "Ireland" }, 'AWS_REGION must be an AWS region such as us-east-1, received "Ireland"'],
    ["PORT is not a number", { ...REQUIRED, PORT: "http" }, 'PORT must be an integer from 0 to 65535 (default 8080), received "http"'],
    ["PORT is too large", { ...REQUIRED, PORT: "65536" }, 'PORT must be an integer from 0 to 65535 (default 8080), received "65536"'],
    ["MAX_ITEMS is 0", { ...REQUIRED, MAX_ITEMS: "0" }, 'MAX_ITEMS must be an integer from 1 to 1000 (default 1000), received "0"'],
    ["MAX_ITEMS is over 1000", { ...REQUIRED, MAX_ITEMS: "5000" }, 'MAX_ITEMS must be an integer from 1 to 1000 (default 1000), received "5000"'],
    ["SCAN_PAGE_SIZE is a fraction", { ...REQUIRED, SCAN_PAGE_SIZE: "2.5" }, 'SCAN_PAGE_SIZE must be an integer from 1 to 1000, received "2.5"'],
    ["LOG_LEVEL is unknown", { ...REQUIRED, LOG_LEVEL: "verbose" }, 'LOG_LEVEL must be one of debug, info, warn, error (default info), received "verbose"'],
    [
      "SHUTDOWN_TIMEOUT_SECONDS is above ECS's 120 s",
      { ...REQUIRED, SHUTDOWN_TIMEOUT_SECONDS: "300" },
      'SHUTDOWN_TIMEOUT_SECONDS must be an integer from 1 to 120 (default 25), received "300"',
    ],
    [
      "AWS_XRAY_DAEMON_ADDRESS is not host:port",
      { ...REQUIRED, AWS_XRAY_DAEMON_ADDRESS: "xray-daemon" },
      'AWS_XRAY_DAEMON_ADDRESS must be host:port of the X-Ray daemon, e.g. xray-daemon:2000, received "xray-daemon"',
    ],
  ])("fails when %s", (_case, env, message) => {
    expect(problemsOf(env)).toEqual([message]);
  });

  it("reports every problem at once", () => {
    const problems = problemsOf({ PORT: "x", MAX_ITEMS: "-1", LOG_LEVEL: "loud" });
    expect(problems).toHaveLength(5);
    expect(() => loadConfig({ PORT: "x" })).toThrow(/^invalid configuration: TABLE_NAME is required.*; AWS_REGION is required.*; PORT must be/);
  });
});

describe("backend logger", () => {
  const capture = () => {
    const lines: string[] = [];
    const log = createLogger({ write: (line) => lines.push(line), now: () => new Date("2026-01-02T03:04:05.678Z") });
    return { lines, log, records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
  };

  it("writes one JSON object per line with time, level, service and msg first", () => {
    const { lines, log, records } = capture();
    log.info("hello", { count: 2 });
    expect(lines).toEqual(['{"time":"2026-01-02T03:04:05.678Z","level":"info","service":"backend","msg":"hello","count":2}']);
    log.warn("second");
    expect(records()[1]).toEqual({ time: "2026-01-02T03:04:05.678Z", level: "warn", service: "backend", msg: "second" });
  });

  it("drops lines below the level", () => {
    const lines: string[] = [];
    const log = createLogger({ level: "warn", write: (line) => lines.push(line) });
    log.debug("d");
    log.info("i");
    log.warn("w");
    log.error("e");
    expect(lines.map((line) => (JSON.parse(line) as { msg: string }).msg)).toEqual(["w", "e"]);
    expect(log.isEnabled("info")).toBe(false);
    expect(log.isEnabled("error")).toBe(true);
  });

  it("never lets a field overwrite time, level, service or msg", () => {
    const { log, records } = capture();
    log.info("real", { msg: "fake", level: "error", time: "never", service: "other", extra: 1 });
    expect(records()[0]).toEqual({ time: "2026-01-02T03:04:05.678Z", level: "info", service: "backend", msg: "real", extra: 1 });
  });

  it("serialises `error` with name, message and stack, plus the SDK's metadata", () => {
    const { log, records } = capture();
    const error = Object.assign(new Error("boom"), { $metadata: { requestId: "R1", httpStatusCode: 503, attempts: 3 } });
    log.error("failed", { error });
    expect(records()[0]?.error).toEqual({
      name: "Error",
      message: "boom",
      stack: expect.stringContaining("Error: boom"),
      awsRequestId: "R1",
      httpStatusCode: 503,
      attempts: 3,
    });
    expect(serializeError("plain")).toEqual({ message: "plain" });
  });

  it("still writes a line when a field cannot be serialised", () => {
    const { log, records } = capture();
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    log.info("odd", { cycle, big: 1n });
    expect(records()[0]).toEqual({
      time: "2026-01-02T03:04:05.678Z",
      level: "info",
      service: "backend",
      msg: "odd",
      logError: "fields could not be serialised",
    });
  });
});
