import { beforeAll, describe, expect, it, vi } from "vitest";
import type { Tip } from "../../../lambdas/tips/lib/tip";
import { call, captureOutput, type Handler } from "../support/http";
import { useMotoDynamo } from "../support/moto";

const db = useMotoDynamo();
const output = captureOutput();
let getTip: Handler;
let createTip: Handler;

const get = (pathParameters?: Record<string, string>) =>
  call(getTip, { routeKey: "GET /tips/{id}", ...(pathParameters && { pathParameters }) });

beforeAll(async () => {
  ({ handler: getTip } = await import("../../../lambdas/tips/get-tip"));
  ({ handler: createTip } = await import("../../../lambdas/tips/create-tip"));
});

describe("GET /tips/{id} (get-tip)", () => {
  it("returns a tip by the id (and Location) that create returned", async () => {
    const created = await call<Tip>(createTip, {
      routeKey: "POST /tips",
      body: JSON.stringify({ author: "Barbara", text: "Name things after what they do.", tags: ["naming"] }),
    });
    const id = String(created.headers.location).replace("/tips/", "");
    const response = await get({ id });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toBe("application/json");
    expect(response.body).toEqual(created.body);
  });

  it("accepts the id in upper case", async () => {
    const created = await call<Tip>(createTip, { routeKey: "POST /tips", body: JSON.stringify({ author: "A", text: "B" }) });
    const response = await get({ id: created.body.id.toUpperCase() });
    expect(response.statusCode).toBe(200);
    expect(response.body.id).toBe(created.body.id);
  });

  it("404 naming the id when there is no such tip", async () => {
    const id = "3b241101-e2bb-4255-8caf-4136c566a962";
    const response = await get({ id });
    expect(response.statusCode).toBe(404);
    expect(response.body).toEqual({ error: `tip ${id} not found` });
  });

  it.each([
    ["abc", '"abc"'],
    ["3b241101e2bb42558caf4136c566a962", '"3b241101e2bb42558caf4136c566a962"'],
    ["3b241101-e2bb-4255-8caf-4136c566a96g", '"3b241101-e2bb-4255-8caf-4136c566a96g"'],
    ["../../etc/passwd", '"../../etc/passwd"'],
    ["x".repeat(100), `"${"x".repeat(40)}"...`],
  ])("400 for id %j, naming what was received", async (id, shown) => {
    const response = await get({ id });
    expect(response.statusCode).toBe(400);
    expect(response.body).toEqual({
      error: `id must be a UUID (8-4-4-4-12 hexadecimal digits, e.g. 3b241101-e2bb-4255-8caf-4136c566a962), received ${shown}`,
    });
  });

  it("400 when the route passes no id path parameter", async () => {
    const response = await get();
    expect(response.statusCode).toBe(400);
    expect(response.body).toEqual({ error: "path parameter id is required: call GET /tips/{id}" });
  });

  it("500 without internals when DynamoDB fails, logging it with the request ids", async () => {
    vi.stubEnv("TABLE_NAME", "tips-table-that-does-not-exist");
    try {
      output.clear();
      const response = await get({ id: "3b241101-e2bb-4255-8caf-4136c566a962" });
      expect(response.statusCode).toBe(500);
      expect(response.rawBody).toBe('{"error":"internal error"}');
      expect(output.logs()).toContainEqual(
        expect.objectContaining({
          level: "ERROR",
          message: "request failed",
          correlation_id: response.apiRequestId,
          function_request_id: response.lambdaRequestId,
        }),
      );
    } finally {
      vi.stubEnv("TABLE_NAME", db.tableName);
    }
  });
});
