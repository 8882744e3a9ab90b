/**
 * The backend's HTTP server: routes, request logging and graceful shutdown, on `node:http`.
 *
 * | route              | answer                                                                   |
 * | ------------------ | ------------------------------------------------------------------------ |
 * | `GET /` (`HEAD /`) | 200 `Healthy` (text/plain): the ALB health check; never touches DynamoDB |
 * | `GET /api/v1/get`  | 200 `{"Count", "Items", "Truncated"}`: a bounded, paginated Scan         |
 * | `POST /api/v1/put` | 201 with the stored item; 400, 409, 413, 415 on bad requests             |
 * | anything else      | 404 (unknown path) or 405 with `Allow` (known path, other method)        |
 *
 * A DynamoDB (or any unexpected) failure is logged with its stack and answered with a 500
 * `{"error":"internal error"}` that reveals nothing of it.
 *
 * `createServer` takes its dependencies (store, logger, limits) instead of reading the environment,
 * so tests run it in-process against any table; `server.ts` wires it to the real environment.
 */
import { randomUUID } from "node:crypto";
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { DEFAULT_MAX_ITEMS, DEFAULT_SHUTDOWN_TIMEOUT_SECONDS, MAX_ITEMS_LIMIT } from "./config";
import { HttpError, INTERNAL_ERROR_MESSAGE, readBody, sendError, sendJson, sendText } from "./http";
import type { Item, NewItem } from "./item";
import { ItemExistsError, type ItemStore } from "./item-store";
import type { LogFields, Logger, LogLevel } from "./logger";
import { quote } from "../../../runtime/messages";
import type { RequestTracer } from "./tracing";
import { parseJsonBody, parseListQuery, validateNewItem } from "./validation";

/**
 * Longer than the ALB's idle timeout (60 s by default). The ALB reuses its connections to targets;
 * if the server closed an idle one first, a request the ALB sends on it at that moment fails with a
 * 502. With the server waiting longer, the ALB is always the side that closes idle connections.
 * Raise it together with the ALB's `idle_timeout` if that ever grows.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;
/**
 * Above the keep-alive timeout, for the same reason: on a reused connection Node's headers timer
 * can count the idle period too, and must never cut a request the ALB sends just before 65 s.
 */
export const HEADERS_TIMEOUT_MS = 66_000;
/** How long the rest of an oversized body is read and discarded after the 413 before the socket closes. */
const BODY_DRAIN_MS = 2_000;
/** An `x-amzn-trace-id` (or any id) longer than this, or with odd characters, is not used as request id. */
const REQUEST_ID_PATTERN = /^[\x20-\x7e]{1,256}$/;
const LOGGED_PATH_MAX_LENGTH = 256;

export interface AppDeps {
  /** Where items are read and written. */
  readonly store: ItemStore;
  readonly log: Logger;
  /**
   * Most items `GET /api/v1/get` returns; `?limit=` can only lower it.
   * @default 1000
   */
  readonly maxItems?: number;
  /**
   * Makes each request an X-Ray segment (see `tracing.ts`).
   * @default - no tracing
   */
  readonly tracer?: RequestTracer;
  /** @default crypto.randomUUID */
  readonly newId?: () => string;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

/** How a shutdown went. */
export interface ShutdownResult {
  /** Every in-flight request finished before the timeout. */
  readonly drained: boolean;
  /** Requests whose connections were closed at the timeout (0 when drained). */
  readonly abortedRequests: number;
  readonly durationMs: number;
}

/** The server plus what its owner needs to run and stop it. */
export interface BackendServer {
  readonly server: Server;
  /** Starts listening; resolves with the bound port (useful with port 0). Host: all interfaces. */
  listen(port: number, host?: string): Promise<number>;
  /** Requests being handled right now. */
  inFlight(): number;
  /**
   * Stops accepting connections, closes idle keep-alive connections, lets in-flight requests finish
   * (their responses carry `Connection: close`), and after `timeoutMs` closes whatever is left.
   * Calling it again returns the same promise.
   *
   * @param timeoutMs @default 25000
   */
  shutdown(timeoutMs?: number): Promise<ShutdownResult>;
}

/** What a route handler gets besides the request and response. */
interface RequestContext {
  readonly requestId: string;
  readonly query: URLSearchParams;
  /** Extra fields for this request's log line (item id, counts); never bodies. */
  readonly logFields: LogFields;
}

type Handler = (req: IncomingMessage, res: ServerResponse, context: RequestContext) => Promise<void> | void;

/** The request id: the ALB's `x-amzn-trace-id` when usable, otherwise a new UUID. */
function requestIdOf(req: IncomingMessage): string {
  const header = req.headers["x-amzn-trace-id"];
  return typeof header === "string" && REQUEST_ID_PATTERN.test(header) ? header : randomUUID();
}

/** Reads and discards the rest of a refused body for a little while, then gives up on the connection. */
function discardRestOfBody(req: IncomingMessage): void {
  // Destroying at once would send a TCP reset that can make the client lose the 413 itself.
  req.resume();
  if (req.complete) return;
  const timer = setTimeout(() => req.socket.destroy(), BODY_DRAIN_MS);
  timer.unref();
  req.once("end", () => clearTimeout(timer));
  req.socket.once("close", () => clearTimeout(timer));
}

export function createServer(deps: AppDeps): BackendServer {
  const { store, log } = deps;
  const maxItems = deps.maxItems ?? DEFAULT_MAX_ITEMS;
  const newId = deps.newId ?? randomUUID;
  const now = deps.now ?? (() => new Date());

  const health: Handler = (_req, res) => sendText(res, 200, "Healthy");

  const list: Handler = async (_req, res, { query, logFields }) => {
    const limit = parseListQuery(query, MAX_ITEMS_LIMIT);
    const { items, truncated } = await store.scan(Math.min(limit ?? maxItems, maxItems));
    Object.assign(logFields, { count: items.length, truncated });
    sendJson(res, 200, { Count: items.length, Items: items, Truncated: truncated });
  };

  const put: Handler = async (req, res, { logFields }) => {
    const body = await readBody(req);
    logFields.bodyBytes = body.length;
    const newItem = validateNewItem(parseJsonBody(body, req.headers["content-type"]));
    const item = await storeNew(newItem);
    logFields.itemId = item.id;
    sendJson(res, 201, item);
  };

  /** Stores a client-named item, or a new one under a fresh UUID (one retry if that is taken). */
  async function storeNew(newItem: NewItem): Promise<Item> {
    const createdAt = now().toISOString();
    const build = (id: string): Item => ({
      id,
      name: newItem.name,
      ...(newItem.description !== undefined && { description: newItem.description }),
      createdAt,
    });
    if (newItem.id !== undefined) {
      const item = build(newItem.id);
      try {
        await store.put(item);
        return item;
      } catch (error) {
        if (!(error instanceof ItemExistsError)) throw error;
        throw new HttpError(
          409,
          `an item with id ${quote(newItem.id, 128)} already exists and is never overwritten: send another id, or leave id out to get a generated one`,
        );
      }
    }
    for (let attempt = 1; attempt <= 2; attempt++) {
      const item = build(newId());
      try {
        await store.put(item);
        return item;
      } catch (error) {
        if (!(error instanceof ItemExistsError)) throw error;
      }
    }
    throw new Error("2 generated item ids were already taken: the id source is broken");
  }

  const routes = new Map<string, Readonly<Record<string, Handler>>>([
    ["/", { GET: health, HEAD: health }],
    ["/api/v1/get", { GET: list }],
    ["/api/v1/put", { POST: put }],
  ]);
  const routeList = "GET /, GET /api/v1/get, POST /api/v1/put";

  const server = createHttpServer();
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = HEADERS_TIMEOUT_MS;

  let closing = false;
  const active = new Set<ServerResponse>();

  const { tracer } = deps;
  server.on("request", (req: IncomingMessage, res: ServerResponse) =>
    tracer ? tracer.trace(req, res, () => handleRequest(req, res)) : handleRequest(req, res),
  );

  function handleRequest(req: IncomingMessage, res: ServerResponse): void {
    const started = performance.now();
    const requestId = requestIdOf(req);
    const method = req.method ?? "GET";
    const url = req.url ?? "/";
    // Split by hand rather than `new URL(url, base)`, which reads `//host/path` as another host.
    const queryStart = url.indexOf("?");
    const path = queryStart === -1 ? url : url.slice(0, queryStart);
    const context: RequestContext = {
      requestId,
      query: new URLSearchParams(queryStart === -1 ? "" : url.slice(queryStart + 1)),
      logFields: {},
    };

    active.add(res);
    res.setHeader("x-request-id", requestId);
    // During a shutdown the client must not reuse this connection: the server is going away.
    if (closing) res.setHeader("connection", "close");
    res.once("close", () => {
      active.delete(res);
      // 0: no response was sent (the client left, or the shutdown timeout closed the connection).
      const status = res.headersSent ? res.statusCode : 0;
      const level: LogLevel = status >= 500 ? "error" : path === "/" && status === 200 ? "debug" : "info";
      log[level]("request completed", {
        requestId,
        method,
        path: path.length > LOGGED_PATH_MAX_LENGTH ? `${path.slice(0, LOGGED_PATH_MAX_LENGTH)}...` : path,
        status,
        durationMs: Math.round((performance.now() - started) * 10) / 10,
        ...context.logFields,
        // The connection closed before the whole response was sent.
        ...(!res.writableFinished && { aborted: true }),
      });
      if (closing) server.closeIdleConnections();
    });

    const route = routes.get(path);
    // Own properties only: a method name must never reach Object.prototype.
    const handler = route && Object.hasOwn(route, method) ? route[method] : undefined;
    const respond = async (): Promise<void> => {
      if (!route) throw new HttpError(404, `no route for ${method} ${quote(path, 100)}; the routes are ${routeList}`);
      if (!handler) {
        const allowed = Object.keys(route).join(", ");
        throw new HttpError(405, `method ${method} is not allowed on ${path}: use ${allowed}`, undefined, { allow: allowed });
      }
      await handler(req, res, context);
    };
    respond().catch((error: unknown) => {
      if (res.headersSent || res.destroyed) {
        log.error("request failed after its response started or its connection closed", { requestId, method, path, error });
        res.destroy();
        return;
      }
      if (error instanceof HttpError) {
        sendError(res, error);
        if (error.statusCode === 413) discardRestOfBody(req);
        return;
      }
      log.error("request failed", { requestId, method, path, error });
      sendJson(res, 500, { error: INTERNAL_ERROR_MESSAGE });
    });
  }

  let shutdownResult: Promise<ShutdownResult> | undefined;

  return {
    server,

    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen({ port, ...(host !== undefined && { host }) }, () => {
          server.off("error", reject);
          resolve((server.address() as AddressInfo).port);
        });
      });
    },

    inFlight: () => active.size,

    shutdown(timeoutMs = DEFAULT_SHUTDOWN_TIMEOUT_SECONDS * 1000) {
      shutdownResult ??= new Promise((resolve) => {
        closing = true;
        const started = performance.now();
        for (const res of active) if (!res.headersSent) res.setHeader("connection", "close");
        let done = false;
        const finish = (drained: boolean, abortedRequests: number): void => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          resolve({ drained, abortedRequests, durationMs: Math.round(performance.now() - started) });
        };
        const timer = setTimeout(() => {
          const abortedRequests = active.size;
          server.closeAllConnections();
          finish(false, abortedRequests);
        }, timeoutMs);
        // The callback runs once the listener is closed and every connection has ended.
        server.close(() => finish(true, 0));
        server.closeIdleConnections();
      });
      return shutdownResult;
    },
  };
}
