import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { freePort } from "../../support/moto";
import { putItem, send, startBackend, useMoto, type RunningBackend } from "./support/backend";

const INTERNAL = { error: "internal error" };

useMoto();
/** A service whose TABLE_NAME names a table that does not exist: every DynamoDB call fails. */
let broken: RunningBackend;

beforeAll(async () => {
  broken = await startBackend({ tableName: "no-such-table-5d1e" });
});
afterAll(() => broken?.close());
beforeEach(() => broken.logs.clear());

describe("DynamoDB failures", () => {
  it("GET /api/v1/get answers 500 internal error, revealing nothing of the cause", async () => {
    const reply = await send(`${broken.url}/api/v1/get`);
    expect(reply.status).toBe(500);
    expect(reply.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(reply.body).toEqual(INTERNAL);
    expect(reply.text).toBe('{"error":"internal error"}');
  });

  it("POST /api/v1/put answers 500 internal error, revealing nothing of the cause", async () => {
    const reply = await putItem(broken.url, { name: "body-marker-71c3" });
    expect(reply.status).toBe(500);
    expect(reply.text).toBe('{"error":"internal error"}');
  });

  it("logs the error with name, message, stack and the AWS request id, then the request line at level error", async () => {
    const reply = await putItem(broken.url, { id: "marker-id", name: "body-marker-71c3", description: "secret-2b9d" });
    const [line] = await broken.logs.waitForRequests(1);
    const failure = broken.logs.records().find((record) => record.msg === "request failed");
    expect(failure).toEqual({
      time: expect.any(String),
      level: "error",
      service: "backend",
      msg: "request failed",
      requestId: reply.headers.get("x-request-id"),
      method: "POST",
      path: "/api/v1/put",
      error: {
        name: "ResourceNotFoundException",
        message: expect.any(String),
        stack: expect.stringContaining("ResourceNotFoundException"),
        awsRequestId: expect.any(String),
        httpStatusCode: 400,
        attempts: 1,
      },
    });
    expect(line).toEqual(expect.objectContaining({ level: "error", status: 500, requestId: reply.headers.get("x-request-id") }));
    // Bodies never reach the logs, not even when the request fails.
    expect(broken.logs.lines.join("\n")).not.toMatch(/body-marker|secret-2b9d/);
  });

  it("still answers the health check (it never touches DynamoDB)", async () => {
    expect((await send(`${broken.url}/`)).text).toBe("Healthy");
  });

  it("500 when DynamoDB cannot be reached at all, after the SDK's retries", async () => {
    const closedPort = await freePort();
    const endpoint = process.env.AWS_ENDPOINT_URL_DYNAMODB;
    vi.stubEnv("AWS_ENDPOINT_URL_DYNAMODB", `http://127.0.0.1:${closedPort}`);
    const unreachable = await startBackend({ tableName: "any-table" });
    try {
      const reply = await send(`${unreachable.url}/api/v1/get`);
      expect(reply.status).toBe(500);
      expect(reply.text).toBe('{"error":"internal error"}');
      const failure = unreachable.logs.records().find((record) => record.msg === "request failed");
      expect(failure?.error).toEqual(expect.objectContaining({ message: expect.stringContaining("ECONNREFUSED") }));
    } finally {
      vi.stubEnv("AWS_ENDPOINT_URL_DYNAMODB", endpoint);
      await unreachable.close();
    }
  });
});
