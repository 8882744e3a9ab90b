/**
 * API Gateway HTTP API (payload 2.0) events and Lambda contexts for calling handlers directly, and
 * a capture of what Powertools prints (structured logs, EMF metrics).
 */
import { randomUUID } from "node:crypto";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { afterAll, beforeAll, vi } from "vitest";

export interface RequestOptions {
  readonly routeKey: string;
  readonly body?: string;
  readonly isBase64Encoded?: boolean;
  readonly pathParameters?: Record<string, string>;
  readonly queryStringParameters?: Record<string, string>;
}

/** An HTTP API event as API Gateway sends it; `requestContext.requestId` is fresh every call. */
export function httpEvent(options: RequestOptions): APIGatewayProxyEventV2 {
  const [method = "GET", path = "/"] = options.routeKey.split(" ");
  const rawPath = Object.entries(options.pathParameters ?? {}).reduce(
    (result, [name, value]) => result.replace(`{${name}}`, encodeURIComponent(value)),
    path,
  );
  const query = new URLSearchParams(options.queryStringParameters ?? {}).toString();
  return {
    version: "2.0",
    routeKey: options.routeKey,
    rawPath,
    rawQueryString: query,
    headers: { "content-type": "application/json", host: "api.example.test" },
    requestContext: {
      accountId: "123456789012",
      apiId: "api",
      domainName: "api.example.test",
      domainPrefix: "api",
      http: { method, path: rawPath, protocol: "HTTP/1.1", sourceIp: "198.51.100.7", userAgent: "vitest" },
      requestId: `apigw-${randomUUID()}`,
      routeKey: options.routeKey,
      stage: "$default",
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    isBase64Encoded: options.isBase64Encoded ?? false,
    ...(options.body !== undefined && { body: options.body }),
    ...(options.pathParameters && { pathParameters: options.pathParameters }),
    ...(options.queryStringParameters && { queryStringParameters: options.queryStringParameters }),
  };
}

/** A Lambda context with a fresh `awsRequestId`. */
export function lambdaContext(functionName = "tips-test-fn"): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: "256",
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: "2026/01/01/[$LATEST]0123456789abcdef",
    getRemainingTimeInMillis: () => 10_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

export type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

/** A handler's response with the body parsed, plus the ids of the call (to find its log lines). */
export interface Called<B = any> {
  readonly statusCode: number;
  readonly headers: Record<string, string | number | boolean>;
  readonly body: B;
  readonly rawBody: string;
  readonly apiRequestId: string;
  readonly lambdaRequestId: string;
}

export async function call<B = any>(handler: Handler, options: RequestOptions): Promise<Called<B>> {
  const event = httpEvent(options);
  const context = lambdaContext();
  const response = await handler(event, context);
  const rawBody = response.body ?? "";
  return {
    statusCode: response.statusCode ?? 0,
    headers: response.headers ?? {},
    body: JSON.parse(rawBody) as B,
    rawBody,
    apiRequestId: event.requestContext.requestId,
    lambdaRequestId: context.awsRequestId,
  };
}

/** What the code under test printed, one entry per line; JSON lines parsed. */
export interface CapturedOutput {
  /** Every printed line, raw. */
  readonly lines: string[];
  /** Lines that parse as JSON objects (Powertools logs and EMF metrics). */
  records(): Record<string, any>[];
  /** Structured log records (those with a `message`). */
  logs(): Record<string, any>[];
  /** EMF metric documents (those with `_aws.CloudWatchMetrics`). */
  metrics(): Record<string, any>[];
  clear(): void;
}

/**
 * Captures stdout/stderr writes for the whole test file (Powertools writes there directly, not
 * through `console`), so assertions can read logs and metrics and the run stays quiet.
 */
export function captureOutput(): CapturedOutput {
  const lines: string[] = [];
  const parse = (): Record<string, any>[] =>
    lines.flatMap((line) => {
      try {
        const value: unknown = JSON.parse(line);
        return typeof value === "object" && value !== null && !Array.isArray(value) ? [value as Record<string, any>] : [];
      } catch {
        return [];
      }
    });
  const output: CapturedOutput = {
    lines,
    records: parse,
    logs: () => parse().filter((record) => typeof record.message === "string"),
    metrics: () => parse().filter((record) => record._aws?.CloudWatchMetrics !== undefined),
    clear: () => void lines.splice(0, lines.length),
  };
  const record = (chunk: unknown): boolean => {
    const text = typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8");
    lines.push(...text.split("\n").filter((line) => line.trim() !== ""));
    return true;
  };
  const spies: { mockRestore(): void }[] = [];
  beforeAll(() => {
    spies.push(vi.spyOn(process.stdout, "write").mockImplementation(record as typeof process.stdout.write));
    spies.push(vi.spyOn(process.stderr, "write").mockImplementation(record as typeof process.stderr.write));
  });
  afterAll(() => {
    for (const spy of spies.splice(0)) spy.mockRestore();
  });
  return output;
}
