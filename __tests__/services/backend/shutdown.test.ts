import { Agent } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gatedStore, rawRequest, refusesConnections, startBackend, useMoto, type RunningBackend } from "./support/backend";

const db = useMoto();
let tableName: string;
const agents: Agent[] = [];
const started: RunningBackend[] = [];

beforeAll(async () => {
  tableName = await db.newTable();
});
afterAll(async () => {
  for (const agent of agents) agent.destroy();
  for (const running of started) await running.close();
});

/** A backend whose next scan waits until the test opens the gate. */
async function gatedBackend() {
  let gate!: ReturnType<typeof gatedStore>;
  const backend = await startBackend({
    tableName,
    wrapStore: (store) => {
      gate = gatedStore(store);
      return gate.store;
    },
  });
  started.push(backend);
  return { backend, gate };
}

const keepAliveAgent = (): Agent => {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  agents.push(agent);
  return agent;
};

describe("graceful shutdown", () => {
  it("stops accepting at once, lets the in-flight request finish with Connection: close, then resolves drained", async () => {
    const { backend, gate } = await gatedBackend();
    const inFlight = rawRequest(`${backend.url}/api/v1/get`, { agent: keepAliveAgent() });
    await gate.arrived;
    expect(backend.app.inFlight()).toBe(1);

    const shutdown = backend.app.shutdown(10_000);
    expect(await refusesConnections(backend.port)).toBe(true);

    gate.open();
    const reply = await inFlight;
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.text)).toEqual({ Count: 0, Items: [], Truncated: false });
    // The client must not send another request on a connection to a server that is going away.
    expect(reply.headers.connection).toBe("close");

    const result = await shutdown;
    expect(result).toEqual({ drained: true, abortedRequests: 0, durationMs: expect.any(Number) });
    expect(backend.app.inFlight()).toBe(0);
    const [line] = await backend.logs.waitForRequests(1);
    expect(line).toEqual(expect.objectContaining({ path: "/api/v1/get", status: 200 }));
    expect(line).not.toHaveProperty("aborted");
  });

  it("does not wait for idle keep-alive connections (their timeout is 65 s)", async () => {
    const backend = await startBackend({ tableName });
    started.push(backend);
    const agent = keepAliveAgent();
    const reply = await rawRequest(`${backend.url}/`, { agent });
    expect(reply.headers.connection).toBe("keep-alive");

    const result = await backend.app.shutdown(10_000);
    expect(result.drained).toBe(true);
    expect(result.durationMs).toBeLessThan(1_000);
  });

  it("after the timeout, closes the connections of requests still running and says how many", async () => {
    const { backend, gate } = await gatedBackend();
    const inFlight = rawRequest(`${backend.url}/api/v1/get`).then(
      () => "answered",
      (error: NodeJS.ErrnoException) => error.code,
    );
    await gate.arrived;

    const result = await backend.app.shutdown(200);
    expect(result).toEqual({ drained: false, abortedRequests: 1, durationMs: expect.any(Number) });
    expect(result.durationMs).toBeGreaterThanOrEqual(190);
    expect(await inFlight).toBe("ECONNRESET");
    const [line] = await backend.logs.waitForRequests(1);
    expect(line).toEqual(expect.objectContaining({ path: "/api/v1/get", status: 0, aborted: true }));
    gate.open();
  });

  it("returns the same result when called again", async () => {
    const backend = await startBackend({ tableName });
    started.push(backend);
    const first = backend.app.shutdown(1_000);
    expect(backend.app.shutdown(5)).toBe(first);
    expect((await first).drained).toBe(true);
  });
});
