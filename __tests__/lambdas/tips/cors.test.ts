import { beforeAll, describe, expect, it, vi } from "vitest";
import { call, captureOutput, type Handler } from "../support/http";
import { useMotoDynamo } from "../support/moto";

const ID = "3b241101-e2bb-4255-8caf-4136c566a962";

useMotoDynamo();
captureOutput();
let getTip: Handler;

const get = (headers: Record<string, string> = {}) => call(getTip, { routeKey: "GET /tips/{id}", pathParameters: { id: ID }, headers });

beforeAll(async () => {
  ({ handler: getTip } = await import("../../../lambdas/tips/get-tip"));
});

// A REST API proxy integration passes the function's headers through untouched: the function itself
// must tell a browser on an allowed origin that it may read the answer (the HTTP API did it before).
describe("CORS headers of the tips functions", () => {
  describe("with CORS_ALLOW_ORIGINS", () => {
    beforeAll(() => {
      vi.stubEnv("CORS_ALLOW_ORIGINS", "https://tips.example.com, http://localhost:3000");
    });

    it.each(["https://tips.example.com", "http://localhost:3000"])("allows the listed origin %s, and varies by Origin", async (origin) => {
      const response = await get({ origin });
      expect(response.statusCode).toBe(404);
      expect(response.headers).toEqual(expect.objectContaining({ "access-control-allow-origin": origin, vary: "origin" }));
    });

    it("finds the Origin header whatever its case", async () => {
      const response = await get({ Origin: "https://tips.example.com" });
      expect(response.headers["access-control-allow-origin"]).toBe("https://tips.example.com");
    });

    it("allows no other origin, and no request without one", async () => {
      for (const headers of [{ origin: "https://evil.example.com" }, {}] as Record<string, string>[]) {
        const response = await get(headers);
        expect(response.headers, JSON.stringify(headers)).not.toHaveProperty("access-control-allow-origin");
        expect(response.headers.vary).toBe("origin");
      }
    });

    it("adds them to error answers too", async () => {
      const response = await call(getTip, {
        routeKey: "GET /tips/{id}",
        pathParameters: { id: "not-a-uuid" },
        headers: { origin: "http://localhost:3000" },
      });
      expect(response.statusCode).toBe(400);
      expect(response.headers["access-control-allow-origin"]).toBe("http://localhost:3000");
    });
  });

  it("sends no CORS headers without CORS_ALLOW_ORIGINS", async () => {
    vi.stubEnv("CORS_ALLOW_ORIGINS", undefined);
    const response = await get({ origin: "https://tips.example.com" });
    expect(response.headers).not.toHaveProperty("access-control-allow-origin");
    expect(response.headers).not.toHaveProperty("vary");
  });
});
