/**
 * Proves the functions' X-Ray wiring without a daemon: the X-Ray SDK runs in its Lambda mode (a
 * facade segment from `_X_AMZN_TRACE_ID`, each subsegment sent on close) and sends to a UDP socket
 * this test listens on, as it would send to the Lambda service's daemon.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { call, captureOutput, type Handler } from "../support/http";
import { useMotoDynamo } from "../support/moto";
import { startFakeXRayDaemon, type FakeXRayDaemon } from "../../support/xray";

const TRACE_ID = "1-6740a1b2-0123456789abcdef01234567";
const PARENT_ID = "53995c3f42cd8ad8";

/** A subsegment document as the X-Ray SDK sends it (only the fields asserted here). */
interface Document {
  name: string;
  id: string;
  trace_id: string;
  parent_id?: string;
  type?: string;
  namespace?: string;
  annotations?: Record<string, unknown>;
  aws?: Record<string, unknown>;
  error?: boolean;
  fault?: boolean;
  subsegments?: Document[];
}

useMotoDynamo();
captureOutput();
let daemon: FakeXRayDaemon | undefined;
const received: Document[] = [];
let createTip: Handler;
let getTip: Handler;

beforeAll(async () => {
  daemon = await startFakeXRayDaemon(received);
  const env: Record<string, string> = {
    AWS_XRAY_DAEMON_ADDRESS: daemon.address,
    // What the Lambda runtime sets: the SDK's Lambda mode and the invocation's trace header.
    LAMBDA_TASK_ROOT: "/var/task",
    AWS_EXECUTION_ENV: "AWS_Lambda_nodejs22.x",
    _X_AMZN_TRACE_ID: `Root=${TRACE_ID};Parent=${PARENT_ID};Sampled=1`,
    POWERTOOLS_TRACE_ENABLED: "true",
    AWS_XRAY_CONTEXT_MISSING: "IGNORE_ERROR",
  };
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  ({ handler: createTip } = await import("../../../lambdas/tips/create-tip"));
  ({ handler: getTip } = await import("../../../lambdas/tips/get-tip"));
});

afterAll(() => daemon?.close());

beforeEach(() => void received.splice(0));

/** Every document received so far once one satisfies `found`; waits for the UDP datagrams. */
const documentsOnce = (found: (documents: Document[]) => boolean): Promise<Document[]> =>
  vi.waitFor(
    () => {
      if (!found(received)) throw new Error(`not yet: ${received.map((document) => document.name).join(", ")}`);
      return [...received];
    },
    { timeout: 3_000, interval: 10 },
  );

const dynamoCall = (operation: string) => (document: Document) =>
  document.name === "DynamoDB" && document.namespace === "aws" && document.aws?.operation === operation;

describe("X-Ray tracing of the tips functions", () => {
  it("records the handler as a `## createTip` subsegment of the invocation's trace, annotated", async () => {
    const response = await call(createTip, { routeKey: "POST /tips", body: JSON.stringify({ author: "Ada", text: "Trace it." }) });
    expect(response.statusCode).toBe(201);
    const documents = await documentsOnce((all) => all.some((document) => document.name === "## createTip"));
    const handler = documents.find((document) => document.name === "## createTip")!;
    expect(handler).toEqual(
      expect.objectContaining({ trace_id: TRACE_ID, parent_id: PARENT_ID, type: "subsegment" }),
    );
    expect(handler.annotations).toEqual(
      expect.objectContaining({ ColdStart: expect.any(Boolean), Service: "coding-tips-test", operation: "createTip" }),
    );
  });

  it("records each DynamoDB call as a subsegment of the handler's, with operation and table", async () => {
    const created = await call(createTip, { routeKey: "POST /tips", body: JSON.stringify({ author: "Ada", text: "Trace it." }) });
    const documents = await documentsOnce(
      (all) => all.some(dynamoCall("PutItem")) && all.some((document) => document.name === "## createTip"),
    );
    const handler = documents.find((document) => document.name === "## createTip")!;
    const put = documents.find(dynamoCall("PutItem"))!;
    expect(put).toEqual(expect.objectContaining({ trace_id: TRACE_ID, parent_id: handler.id }));
    expect(put.aws).toEqual(expect.objectContaining({ operation: "PutItem", table_name: process.env.TABLE_NAME }));

    received.splice(0);
    await call(getTip, { routeKey: "GET /tips/{id}", pathParameters: { id: created.body.id } });
    const read = await documentsOnce((all) => all.some(dynamoCall("GetItem")));
    expect(read.find(dynamoCall("GetItem"))!.aws).toEqual(
      expect.objectContaining({ operation: "GetItem", table_name: process.env.TABLE_NAME }),
    );
  });

  it("marks a failed DynamoDB call as an error or fault in its subsegment", async () => {
    const tableName = process.env.TABLE_NAME;
    vi.stubEnv("TABLE_NAME", "tips-table-that-does-not-exist");
    try {
      const response = await call(getTip, { routeKey: "GET /tips/{id}", pathParameters: { id: "3b241101-e2bb-4255-8caf-4136c566a962" } });
      expect(response.statusCode).toBe(500);
      const documents = await documentsOnce((all) => all.some(dynamoCall("GetItem")));
      const failed = documents.find(dynamoCall("GetItem"))!;
      expect(failed.error === true || failed.fault === true).toBe(true);
    } finally {
      vi.stubEnv("TABLE_NAME", tableName);
    }
  });
});
