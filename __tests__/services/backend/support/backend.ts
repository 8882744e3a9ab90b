/**
 * Test harness for the backend service: a real DynamoDB API (moto), the service's HTTP server
 * in-process on an ephemeral loopback port, its log lines captured, and a delaying proxy in front of
 * moto for tests that need a slow DynamoDB.
 */
import { createServer as createHttpServer, request as httpRequest, type Agent, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { CreateTableCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { vi } from "vitest";
import { createServer, type BackendServer } from "../../../../services/backend/src/app";
import { createDynamoItemStore, type ItemStore } from "../../../../services/backend/src/item-store";
import { createLogger, type LogLevel } from "../../../../services/backend/src/logger";
import type { RequestTracer } from "../../../../services/backend/src/tracing";
import { TEST_REGION, useMotoTables, type MotoTables } from "../../../support/moto";

export { TEST_REGION };

/** Creates a table to the spec in services/backend/src/item-store.ts: partition key `id` (S). */
export async function createItemsTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
    }),
  );
}

/**
 * Starts moto for this test file and points the AWS SDK at it through the standard environment
 * (`AWS_ENDPOINT_URL_DYNAMODB`, region, dummy credentials), as the service runs in a local setup.
 */
export const useMoto = (): MotoTables => useMotoTables("items-test", createItemsTable);

/** Log lines the service wrote, parsed. */
export interface LogCapture {
  readonly lines: string[];
  records(): Record<string, any>[];
  /** The `request completed` records. */
  requests(): Record<string, any>[];
  /**
   * The `request completed` records once there are `count` of them. A request's line is written
   * when its response has been sent, which can be a moment after the client has read it.
   */
  waitForRequests(count: number): Promise<Record<string, any>[]>;
  clear(): void;
}

export function logCapture(): { capture: LogCapture; write: (line: string) => void } {
  const lines: string[] = [];
  const records = (): Record<string, any>[] => lines.map((line) => JSON.parse(line) as Record<string, any>);
  const requests = (): Record<string, any>[] => records().filter((record) => record.msg === "request completed");
  return {
    write: (line) => void lines.push(line),
    capture: {
      lines,
      records,
      requests,
      waitForRequests: (count) =>
        vi.waitFor(
          () => {
            const found = requests();
            if (found.length < count) throw new Error(`${found.length} of ${count} request lines logged`);
            return found;
          },
          { timeout: 2_000, interval: 5 },
        ),
      clear: () => void lines.splice(0),
    },
  };
}

export interface BackendOptions {
  readonly tableName: string;
  readonly maxItems?: number;
  readonly scanPageSize?: number;
  /** Wraps the DynamoDB store (to slow it down or count calls). */
  readonly wrapStore?: (store: ItemStore) => ItemStore;
  readonly newId?: () => string;
  /** @default "debug" (so health checks are logged too) */
  readonly logLevel?: LogLevel;
  /** Traces requests and the store's DynamoDB calls, as `server.ts` wires it. @default - no tracing */
  readonly tracer?: RequestTracer;
}

export interface RunningBackend {
  readonly url: string;
  readonly port: number;
  readonly app: BackendServer;
  readonly store: ItemStore;
  readonly logs: LogCapture;
  /** Shuts the server down (if a test has not already) and closes the store. */
  close(): Promise<void>;
}

/** The service in-process on 127.0.0.1 and a free port, with the real DynamoDB store. */
export async function startBackend(options: BackendOptions): Promise<RunningBackend> {
  const dynamo = createDynamoItemStore({
    tableName: options.tableName,
    region: TEST_REGION,
    ...(options.scanPageSize !== undefined && { scanPageSize: options.scanPageSize }),
    ...(options.tracer && { instrument: options.tracer.captureClient }),
  });
  const store = options.wrapStore ? options.wrapStore(dynamo) : dynamo;
  const { capture, write } = logCapture();
  const app = createServer({
    store,
    log: createLogger({ level: options.logLevel ?? "debug", write }),
    ...(options.maxItems !== undefined && { maxItems: options.maxItems }),
    ...(options.newId && { newId: options.newId }),
    ...(options.tracer && { tracer: options.tracer }),
  });
  const port = await app.listen(0, "127.0.0.1");
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    app,
    store,
    logs: capture,
    async close() {
      await app.shutdown(1_000);
      dynamo.destroy();
    },
  };
}

/** A response, with the body as text and (when it parses) as JSON. */
export interface Reply<B = any> {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly body: B;
}

export async function send<B = any>(url: string, init: RequestInit = {}): Promise<Reply<B>> {
  const response = await fetch(url, init);
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, text, body: body as B };
}

/** `POST /api/v1/put` with a JSON body (a string is sent as is). */
export const putItem = <B = any>(baseUrl: string, body: unknown, headers: Record<string, string> = {}): Promise<Reply<B>> =>
  send<B>(`${baseUrl}/api/v1/put`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

/**
 * A raw HTTP/1.1 request on its own connection (no pool), for what fetch hides or forbids: chunked
 * bodies, `Connection` headers, a request that stays in flight while the test acts.
 */
export function rawRequest(
  url: string,
  options: {
    method?: string;
    headers?: Record<string, string>;
    body?: Buffer | string;
    chunked?: boolean;
    /** @default false (a new connection, closed after the response) */
    agent?: Agent | false;
  } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: options.method ?? "GET", headers: options.headers, agent: options.agent ?? false }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, text: Buffer.concat(chunks).toString("utf8") }),
      );
      response.on("error", reject);
    });
    request.on("error", reject);
    if (options.body !== undefined) {
      if (options.chunked) {
        // Several writes without content-length: Node sends them as chunks.
        const body = Buffer.from(options.body);
        for (let offset = 0; offset < body.length; offset += 4096) request.write(body.subarray(offset, offset + 4096));
      } else {
        request.setHeader("content-length", Buffer.byteLength(options.body));
        request.write(options.body);
      }
    }
    request.end();
  });
}

/** Resolves when `port` on 127.0.0.1 refuses connections (the server stopped listening). */
export async function refusesConnections(port: number, timeoutMs = 2_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const refused = await new Promise<boolean>((resolve) => {
      const request = httpRequest({ host: "127.0.0.1", port, path: "/", agent: false }, (response) => {
        response.resume();
        resolve(false);
      });
      request.on("error", (error: NodeJS.ErrnoException) => resolve(error.code === "ECONNREFUSED"));
      request.end();
    });
    if (refused) return true;
    await new Promise((done) => setTimeout(done, 25));
  }
  return false;
}

/** A store whose scans wait at a gate the test opens: a request that stays in flight on demand. */
export function gatedStore(inner: ItemStore): {
  store: ItemStore;
  /** Resolves when a scan has reached the gate. */
  arrived: Promise<void>;
  open(): void;
} {
  let signalArrived!: () => void;
  let open!: () => void;
  const arrived = new Promise<void>((resolve) => (signalArrived = resolve));
  const gate = new Promise<void>((resolve) => (open = resolve));
  return {
    arrived,
    open,
    store: {
      ...inner,
      async scan(maxItems) {
        signalArrived();
        await gate;
        return inner.scan(maxItems);
      },
    },
  };
}

/**
 * An HTTP proxy in front of moto that can hold requests: DynamoDB becomes slow on demand, with no
 * test hook in the service. `holdNext(ms)` delays the next request by `ms` and resolves when it
 * arrives (so the test knows the service is mid-request).
 */
export interface DelayProxy {
  readonly endpoint: string;
  holdNext(ms: number): Promise<void>;
  close(): Promise<void>;
}

export async function startDelayProxy(target: string): Promise<DelayProxy> {
  const targetUrl = new URL(target);
  let hold: { ms: number; arrived: () => void } | undefined;
  const server: Server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const held = hold;
      hold = undefined;
      held?.arrived();
      setTimeout(() => {
        const upstream = httpRequest(
          { host: targetUrl.hostname, port: targetUrl.port, path: req.url, method: req.method, headers: req.headers, agent: false },
          (response) => {
            res.writeHead(response.statusCode ?? 502, response.headers);
            response.pipe(res);
          },
        );
        upstream.on("error", () => res.destroy());
        upstream.end(Buffer.concat(chunks));
      }, held?.ms ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    holdNext: (ms) => new Promise((arrived) => (hold = { ms, arrived })),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
