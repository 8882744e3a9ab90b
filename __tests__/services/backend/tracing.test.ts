/**
 * Proves the backend's X-Ray wiring without a daemon: the service runs with the real tracer
 * (`createXRayTracer`, as `server.ts` wires it when `AWS_XRAY_DAEMON_ADDRESS` is set), and the
 * segments it would send to the task's daemon sidecar arrive on a UDP socket this test listens on.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { ItemStore } from "../../../services/backend/src/item-store";
import type { RequestTracer } from "../../../services/backend/src/tracing";
import { putItem, send, startBackend, useMoto, type RunningBackend } from "./support/backend";
import { createLogger } from "../../../services/backend/src/logger";
import { startFakeXRayDaemon, type FakeXRayDaemon } from "../../support/xray";

/** A segment document as the X-Ray SDK sends it (only the fields asserted here). */
interface Document {
  name: string;
  id: string;
  trace_id: string;
  parent_id?: string;
  namespace?: string;
  http?: { request?: Record<string, unknown>; response?: Record<string, unknown> };
  aws?: Record<string, unknown>;
  fault?: boolean;
  subsegments?: Document[];
}

const db = useMoto();
let daemon: FakeXRayDaemon | undefined;
const received: Document[] = [];
let tracer: RequestTracer;
let backend: RunningBackend;
let failing: boolean;
let tableName: string;
const sdkLog: string[] = [];

/** A fresh X-Ray trace id, as the ALB makes them. */
const newTraceId = (): string => `1-${Math.floor(Date.now() / 1000).toString(16)}-${randomBytes(12).toString("hex")}`;

beforeAll(async () => {
  daemon = await startFakeXRayDaemon(received);
  // Read by the X-Ray SDK itself when it loads, as in the container.
  vi.stubEnv("AWS_XRAY_DAEMON_ADDRESS", daemon.address);
  const { createXRayTracer } = await import("../../../services/backend/src/tracing");
  tracer = createXRayTracer({ serviceName: "backend", log: createLogger({ level: "warn", write: (line) => void sdkLog.push(line) }) });
  failing = false;
  tableName = await db.newTable();
  backend = await startBackend({
    tableName,
    tracer,
    wrapStore: (store: ItemStore) => ({
      ...store,
      scan: (maxItems) => (failing ? store.scan(maxItems).then(() => Promise.reject(new Error("boom"))) : store.scan(maxItems)),
    }),
  });
});

afterAll(async () => {
  await backend?.close();
  await daemon?.close();
});

/** The segment of trace `traceId`, once it has arrived (its subsegments travel inside it). */
const segmentOf = (traceId: string): Promise<Document> =>
  vi.waitFor(
    () => {
      const found = received.find((document) => document.trace_id === traceId && document.name === "backend");
      if (!found) throw new Error(`no segment for ${traceId} yet`);
      return found;
    },
    { timeout: 3_000, interval: 10 },
  );

const dynamoCalls = (segment: Document): Document[] =>
  (segment.subsegments ?? []).filter((subsegment) => subsegment.name === "DynamoDB" && subsegment.namespace === "aws");

describe("X-Ray tracing of the backend", () => {
  it("makes each request a segment of the ALB's trace, with its method, URL and status", async () => {
    const traceId = newTraceId();
    const response = await putItem(backend.url, { name: "traced" }, { "x-amzn-trace-id": `Root=${traceId};Sampled=1` });
    expect(response.status).toBe(201);
    const segment = await segmentOf(traceId);
    expect(segment).toEqual(expect.objectContaining({ name: "backend", trace_id: traceId }));
    expect(segment.parent_id).toBeUndefined();
    expect(segment.http?.request).toEqual(expect.objectContaining({ method: "POST", url: expect.stringContaining("/api/v1/put") }));
    expect(segment.http?.response).toEqual(expect.objectContaining({ status: 201 }));
  });

  it("records the request's DynamoDB calls as subsegments, with operation and table", async () => {
    const putTrace = newTraceId();
    await putItem(backend.url, { name: "traced" }, { "x-amzn-trace-id": `Root=${putTrace};Sampled=1` });
    const [put] = dynamoCalls(await segmentOf(putTrace));
    expect(put?.aws).toEqual(expect.objectContaining({ operation: "PutItem", table_name: tableName }));

    const scanTrace = newTraceId();
    expect((await send(`${backend.url}/api/v1/get`, { headers: { "x-amzn-trace-id": `Root=${scanTrace};Sampled=1` } })).status).toBe(200);
    const scans = dynamoCalls(await segmentOf(scanTrace));
    expect(scans.length).toBeGreaterThan(0);
    for (const scan of scans) expect(scan.aws).toEqual(expect.objectContaining({ operation: "Scan", table_name: tableName }));
  });

  it("continues the caller's parent segment", async () => {
    const traceId = newTraceId();
    await putItem(backend.url, { name: "traced" }, { "x-amzn-trace-id": `Root=${traceId};Parent=53995c3f42cd8ad8;Sampled=1` });
    expect(await segmentOf(traceId)).toEqual(expect.objectContaining({ trace_id: traceId, parent_id: "53995c3f42cd8ad8" }));
  });

  it("keeps concurrent requests apart: each DynamoDB call lands in its own request's segment", async () => {
    const traces = Array.from({ length: 5 }, newTraceId);
    await Promise.all(
      traces.map((traceId, index) =>
        putItem(backend.url, { id: `concurrent-${index}-${traceId}`, name: "x" }, { "x-amzn-trace-id": `Root=${traceId};Sampled=1` }),
      ),
    );
    for (const traceId of traces) expect(dynamoCalls(await segmentOf(traceId)), traceId).toHaveLength(1);
  });

  it("marks a request that failed on our side as a fault", async () => {
    failing = true;
    try {
      const traceId = newTraceId();
      expect((await send(`${backend.url}/api/v1/get`, { headers: { "x-amzn-trace-id": `Root=${traceId};Sampled=1` } })).status).toBe(500);
      const segment = await segmentOf(traceId);
      expect(segment.fault).toBe(true);
      expect(segment.http?.response).toEqual(expect.objectContaining({ status: 500 }));
    } finally {
      failing = false;
    }
  });

  it("sends nothing for a request the caller chose not to sample", async () => {
    const traceId = newTraceId();
    await putItem(backend.url, { name: "not traced" }, { "x-amzn-trace-id": `Root=${traceId};Sampled=0` });
    // Give a datagram that should not exist the time a real one takes to arrive.
    const control = newTraceId();
    await putItem(backend.url, { name: "traced" }, { "x-amzn-trace-id": `Root=${control};Sampled=1` });
    await segmentOf(control);
    expect(received.filter((document) => document.trace_id === traceId)).toEqual([]);
  });

  it("decides by the local rules when the ALB sent only a trace id: the first request of a second is sampled", async () => {
    const traceId = newTraceId();
    await send(`${backend.url}/`, { headers: { "x-amzn-trace-id": `Root=${traceId}` } });
    expect(await segmentOf(traceId)).toEqual(expect.objectContaining({ name: "backend", http: expect.objectContaining({}) }));
  });

  it("reports no X-Ray SDK warnings or errors along the way", () => {
    expect(sdkLog).toEqual([]);
  });
});
