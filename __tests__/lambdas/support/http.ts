/**
 * API Gateway REST API Lambda proxy events (payload format 1.0) and Lambda contexts for calling
 * handlers directly, and a capture of what Powertools prints (structured logs, EMF metrics).
 */
import { randomUUID } from "node:crypto";
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from "aws-lambda";
import { afterAll, beforeAll, vi } from "vitest";

export interface RequestOptions {
  /** `METHOD /resource/{param}`, as the route is declared. */
  readonly routeKey: string;
  readonly body?: string;
  readonly isBase64Encoded?: boolean;
  readonly pathParameters?: Record<string, string>;
  /** Each value is one occurrence; an array repeats the parameter. */
  readonly queryStringParameters?: Record<string, string | readonly string[]>;
  readonly headers?: Record<string, string>;
}

/**
 * A REST API proxy event as API Gateway sends it: `null` for absent maps and body, the single-value
 * query map holding the last occurrence; `requestContext.requestId` is fresh every call.
 */
export function restEvent(options: RequestOptions): APIGatewayProxyEvent {
  const [method = "GET", resource = "/"] = options.routeKey.split(" ");
  const path = Object.entries(options.pathParameters ?? {}).reduce(
    (result, [name, value]) => result.replace(`{${name}}`, encodeURIComponent(value)),
    resource,
  );
  const query = options.queryStringParameters;
  const multi = query
    ? Object.fromEntries(Object.entries(query).map(([name, value]) => [name, typeof value === "string" ? [value] : [...value]]))
    : null;
  const single = multi ? Object.fromEntries(Object.entries(multi).map(([name, values]) => [name, values[values.length - 1] as string])) : null;
  // A client sends one content type, in whatever case: a given one replaces the JSON default.
  const ownContentType = Object.keys(options.headers ?? {}).some((name) => name.toLowerCase() === "content-type");
  const headers = { ...(!ownContentType && { "content-type": "application/json" }), host: "api.example.test", ...options.headers };
  return {
    resource,
    path,
    httpMethod: method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]])),
    queryStringParameters: single,
    multiValueQueryStringParameters: multi,
    pathParameters: options.pathParameters ?? null,
    stageVariables: null,
    requestContext: {
      accountId: "123456789012",
      apiId: "api",
      authorizer: null,
      domainName: "api.example.test",
      domainPrefix: "api",
      httpMethod: method,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: "198.51.100.7",
        user: null,
        userAgent: "vitest",
        userArn: null,
      },
      path: `/v1${path}`,
      protocol: "HTTP/1.1",
      requestId: `apigw-${randomUUID()}`,
      requestTimeEpoch: Date.now(),
      resourceId: "abc123",
      resourcePath: resource,
      stage: "v1",
    },
    body: options.body ?? null,
    isBase64Encoded: options.isBase64Encoded ?? false,
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

export type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

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
  const event = restEvent(options);
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
