import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { HEADERS_TIMEOUT_MS, KEEP_ALIVE_TIMEOUT_MS } from "../../../services/backend/src/app";
import { rawRequest, send, startBackend, useMoto, type RunningBackend } from "./support/backend";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ISO_MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const ROUTES = "GET /, GET /api/v1/get, POST /api/v1/put";

const db = useMoto();
let backend: RunningBackend;

beforeAll(async () => {
  backend = await startBackend({ tableName: await db.newTable() });
});
afterAll(() => backend?.close());
beforeEach(() => backend.logs.clear());

describe("backend routes", () => {
  describe("GET / (the ALB health check)", () => {
    it("answers 200 Healthy as text/plain", async () => {
      const reply = await send(`${backend.url}/`);
      expect(reply.status).toBe(200);
      expect(reply.text).toBe("Healthy");
      expect(reply.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    });

    it("never touches DynamoDB: it stays healthy when the table does not exist", async () => {
      const broken = await startBackend({ tableName: "no-such-table" });
      try {
        const reply = await send(`${broken.url}/`);
        expect(reply.status).toBe(200);
        expect(reply.text).toBe("Healthy");
      } finally {
        await broken.close();
      }
    });

    it("answers HEAD / with the headers only", async () => {
      const reply = await send(`${backend.url}/`, { method: "HEAD" });
      expect(reply.status).toBe(200);
      expect(reply.text).toBe("");
      expect(reply.headers.get("content-length")).toBe("7");
    });
  });

  describe("unknown paths and methods", () => {
    it("404 JSON for an unknown path, listing the routes", async () => {
      const reply = await send(`${backend.url}/api/v2/get?x=1`);
      expect(reply.status).toBe(404);
      expect(reply.headers.get("content-type")).toBe("application/json; charset=utf-8");
      expect(reply.body).toEqual({ error: `no route for GET "/api/v2/get"; the routes are ${ROUTES}` });
    });

    it("404 for a trailing slash (paths match exactly)", async () => {
      const reply = await send(`${backend.url}/api/v1/get/`);
      expect(reply.status).toBe(404);
    });

    it("reads `//host/path` as a path, not as another host", async () => {
      const reply = await rawRequest(`${backend.url}//evil.example/api/v1/get`);
      expect(reply.status).toBe(404);
      expect(JSON.parse(reply.text)).toEqual({ error: `no route for GET "//evil.example/api/v1/get"; the routes are ${ROUTES}` });
    });

    it.each([
      ["POST", "/api/v1/get", "GET"],
      ["DELETE", "/api/v1/get", "GET"],
      ["GET", "/api/v1/put", "POST"],
      ["PUT", "/api/v1/put", "POST"],
      ["POST", "/", "GET, HEAD"],
    ])("405 for %s %s, with Allow: %s", async (method, path, allow) => {
      const reply = await send(`${backend.url}${path}`, { method });
      expect(reply.status).toBe(405);
      expect(reply.headers.get("allow")).toBe(allow);
      expect(reply.body).toEqual({ error: `method ${method} is not allowed on ${path}: use ${allow}` });
    });
  });

  describe("every response", () => {
    it("carries no-store, nosniff and the request id", async () => {
      for (const path of ["/", "/api/v1/get", "/nope"]) {
        const reply = await send(`${backend.url}${path}`);
        expect(reply.headers.get("cache-control")).toBe("no-store");
        expect(reply.headers.get("x-content-type-options")).toBe("nosniff");
        expect(reply.headers.get("x-request-id")).toMatch(UUID);
      }
    });

    it("keeps connections open longer than the ALB's 60 s idle timeout", () => {
      expect(backend.app.server.keepAliveTimeout).toBe(KEEP_ALIVE_TIMEOUT_MS);
      expect(KEEP_ALIVE_TIMEOUT_MS).toBeGreaterThan(60_000);
      expect(backend.app.server.headersTimeout).toBe(HEADERS_TIMEOUT_MS);
      expect(HEADERS_TIMEOUT_MS).toBeGreaterThan(KEEP_ALIVE_TIMEOUT_MS);
    });

    it("advertises the keep-alive timeout to clients", async () => {
      const reply = await rawRequest(`${backend.url}/`, { headers: { connection: "keep-alive" } });
      expect(reply.headers["keep-alive"]).toBe("timeout=65");
    });
  });

  describe("request log", () => {
    it("writes one JSON line per request: time, level, service, msg, request id, method, path, status, duration", async () => {
      await send(`${backend.url}/api/v1/get?limit=5`);
      await send(`${backend.url}/nope`, { method: "DELETE" });
      await backend.logs.waitForRequests(2);
      expect(backend.logs.lines).toHaveLength(2);
      const [get, missing] = backend.logs.records();
      expect(get).toEqual({
        time: expect.stringMatching(ISO_MILLIS),
        level: "info",
        service: "backend",
        msg: "request completed",
        requestId: expect.stringMatching(UUID),
        method: "GET",
        path: "/api/v1/get",
        status: 200,
        durationMs: expect.any(Number),
        count: 0,
        truncated: false,
      });
      expect(Object.keys(get as object).slice(0, 4)).toEqual(["time", "level", "service", "msg"]);
      expect(missing).toEqual(expect.objectContaining({ level: "info", method: "DELETE", path: "/nope", status: 404 }));
    });

    it("logs the path without the query string", async () => {
      await send(`${backend.url}/api/v1/get?limit=2&secret=x`);
      expect((await backend.logs.waitForRequests(1))[0]?.path).toBe("/api/v1/get");
      expect(backend.logs.lines.join("\n")).not.toContain("secret");
    });

    it("uses the ALB's x-amzn-trace-id as request id, and returns it as x-request-id", async () => {
      const traceId = "Root=1-67891233-abcdef012345678912345678;Sampled=1";
      const reply = await send(`${backend.url}/api/v1/get`, { headers: { "x-amzn-trace-id": traceId } });
      expect(reply.headers.get("x-request-id")).toBe(traceId);
      expect((await backend.logs.waitForRequests(1))[0]?.requestId).toBe(traceId);
    });

    it("makes a new request id when x-amzn-trace-id is absent or unusable", async () => {
      const reply = await send(`${backend.url}/`, { headers: { "x-amzn-trace-id": "x".repeat(300) } });
      const id = reply.headers.get("x-request-id");
      expect(id).toMatch(UUID);
      expect((await backend.logs.waitForRequests(1))[0]?.requestId).toBe(id);
    });

    it("logs successful health checks at debug level only, so LOG_LEVEL=info keeps them out", async () => {
      await send(`${backend.url}/`);
      expect((await backend.logs.waitForRequests(1))[0]).toEqual(expect.objectContaining({ level: "debug", path: "/", status: 200 }));

      const quiet = await startBackend({ tableName: await db.newTable(), logLevel: "info" });
      try {
        await send(`${quiet.url}/`);
        await send(`${quiet.url}/api/v1/get`);
        expect((await quiet.logs.waitForRequests(1)).map((record) => record.path)).toEqual(["/api/v1/get"]);
      } finally {
        await quiet.close();
      }
    });

    it("at level warn, leaves out the lines of requests that did not fail", async () => {
      const quiet = await startBackend({ tableName: await db.newTable(), logLevel: "warn" });
      try {
        await send(`${quiet.url}/api/v1/get`);
        await send(`${quiet.url}/nope`);
        // Let any line that would be written (on the response's close) be written.
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect(quiet.logs.lines).toEqual([]);
      } finally {
        await quiet.close();
      }
    });
  });
});
