import { PutItemCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Item } from "../../../services/backend/src/item";
import { createDynamoItemStore } from "../../../services/backend/src/item-store";
import { putItem, send, startBackend, TEST_REGION, useMoto, type RunningBackend } from "./support/backend";

interface ListBody {
  Count: number;
  Items: Item[];
  Truncated: boolean;
}

const db = useMoto();
/** A table with 7 items, stored through the service. */
let seededTable: string;
let seeded: Item[];
let backend: RunningBackend;
const started: RunningBackend[] = [];

const byId = (items: readonly Item[]): Item[] => [...items].sort((a, b) => a.id.localeCompare(b.id));
const list = (base: RunningBackend, query = "") => send<ListBody>(`${base.url}/api/v1/get${query}`);
async function backendOn(tableName: string, options: { maxItems?: number; scanPageSize?: number } = {}): Promise<RunningBackend> {
  const running = await startBackend({ tableName, ...options });
  started.push(running);
  return running;
}

beforeAll(async () => {
  seededTable = await db.newTable();
  backend = await backendOn(seededTable);
  seeded = [];
  for (let index = 0; index < 7; index++) {
    const body = index % 2 === 0 ? { name: `item ${index}`, description: `number ${index}` } : { name: `item ${index}` };
    const reply = await putItem<Item>(backend.url, body);
    expect(reply.status).toBe(201);
    seeded.push(reply.body);
  }
});
afterAll(async () => {
  for (const running of started) await running.close();
});

describe("GET /api/v1/get", () => {
  it("answers an empty table with Count 0", async () => {
    const empty = await backendOn(await db.newTable());
    const reply = await list(empty);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ Count: 0, Items: [], Truncated: false });
  });

  it("returns every item as stored, with Count, as JSON", async () => {
    const reply = await list(backend);
    expect(reply.status).toBe(200);
    expect(reply.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(Object.keys(reply.body)).toEqual(["Count", "Items", "Truncated"]);
    expect(reply.body.Count).toBe(7);
    expect(reply.body.Truncated).toBe(false);
    expect(byId(reply.body.Items)).toEqual(byId(seeded));
  });

  it("shows only the item's attributes, not others someone stored in the table", async () => {
    const table = await db.newTable();
    await db.client.send(
      new PutItemCommand({
        TableName: table,
        Item: { id: { S: "x" }, name: { S: "n" }, createdAt: { S: "2026-01-01T00:00:00.000Z" }, internal: { S: "hidden" } },
      }),
    );
    const reply = await list(await backendOn(table));
    expect(reply.body.Items).toEqual([{ id: "x", name: "n", createdAt: "2026-01-01T00:00:00.000Z" }]);
  });

  describe("?limit=", () => {
    it("returns at most `limit` items and says the list is truncated", async () => {
      const reply = await list(backend, "?limit=3");
      expect(reply.status).toBe(200);
      expect(reply.body.Count).toBe(3);
      expect(reply.body.Items).toHaveLength(3);
      expect(reply.body.Truncated).toBe(true);
      for (const item of reply.body.Items) expect(seeded).toContainEqual(item);
    });

    it("is not truncated when the limit equals the number of items", async () => {
      const reply = await list(backend, "?limit=7");
      expect(reply.body).toEqual(expect.objectContaining({ Count: 7, Truncated: false }));
    });

    it("accepts 1 and 1000", async () => {
      expect((await list(backend, "?limit=1")).body).toEqual(expect.objectContaining({ Count: 1, Truncated: true }));
      expect((await list(backend, "?limit=1000")).body).toEqual(expect.objectContaining({ Count: 7, Truncated: false }));
    });

    it.each([
      ["0", "query parameter limit must be an integer from 1 to 1000, received \"0\""],
      ["1001", "query parameter limit must be an integer from 1 to 1000, received \"1001\""],
      ["-1", "query parameter limit must be an integer from 1 to 1000, received \"-1\""],
      ["1.5", "query parameter limit must be an integer from 1 to 1000, received \"1.5\""],
      ["ten", "query parameter limit must be an integer from 1 to 1000, received \"ten\""],
      ["", "query parameter limit must be an integer from 1 to 1000, received \"\""],
      ["%205", "query parameter limit must be an integer from 1 to 1000, received \" 5\""],
    ])("400 for limit=%s", async (raw, message) => {
      const reply = await list(backend, `?limit=${raw}`);
      expect(reply.status).toBe(400);
      expect(reply.body).toEqual({ error: message, details: [message] });
    });

    it("400 for a repeated limit or an unknown parameter, naming each", async () => {
      const repeated = await list(backend, "?limit=1&limit=2");
      expect(repeated.status).toBe(400);
      const message = "query parameter limit must be given at most once, received 2 values";
      expect(repeated.body).toEqual({ error: message, details: [message] });

      const unknown = await list(backend, "?limt=5&sort=name");
      const details = ['unknown query parameter "limt": allowed is limit', 'unknown query parameter "sort": allowed is limit'];
      expect(unknown.status).toBe(400);
      expect(unknown.body).toEqual({ error: `request has 2 problems: ${details.join("; ")}`, details });
    });
  });

  describe("bounded by MAX_ITEMS, paging through the table", () => {
    it("stops at MAX_ITEMS and says so with Truncated: true, following Scan pages", async () => {
      const bounded = await backendOn(seededTable, { maxItems: 5, scanPageSize: 2 });
      const reply = await list(bounded);
      expect(reply.status).toBe(200);
      expect(reply.body.Count).toBe(5);
      expect(reply.body.Items).toHaveLength(5);
      expect(reply.body.Truncated).toBe(true);
      expect(new Set(reply.body.Items.map((item) => item.id)).size).toBe(5);
      for (const item of reply.body.Items) expect(seeded).toContainEqual(item);
    });

    it("caps ?limit= at MAX_ITEMS", async () => {
      const bounded = await backendOn(seededTable, { maxItems: 5, scanPageSize: 2 });
      const reply = await list(bounded, "?limit=1000");
      expect(reply.body).toEqual(expect.objectContaining({ Count: 5, Truncated: true }));
      expect((await list(bounded, "?limit=2")).body).toEqual(expect.objectContaining({ Count: 2, Truncated: true }));
    });

    it("returns everything across pages when the table holds exactly MAX_ITEMS items", async () => {
      const exact = await backendOn(seededTable, { maxItems: 7, scanPageSize: 2 });
      const reply = await list(exact);
      expect(reply.body.Count).toBe(7);
      expect(reply.body.Truncated).toBe(false);
      expect(byId(reply.body.Items)).toEqual(byId(seeded));
    });

    it("returns everything across pages when the table holds fewer items", async () => {
      const paged = await backendOn(seededTable, { maxItems: 1000, scanPageSize: 3 });
      const reply = await list(paged);
      expect(reply.body.Count).toBe(7);
      expect(reply.body.Truncated).toBe(false);
      expect(byId(reply.body.Items)).toEqual(byId(seeded));
    });
  });

  describe("DynamoDB store scan", () => {
    it.each([
      // [max items, page size, expected pages, expected count, truncated]
      [5, 2, 3, 5, true], // pages of 2, 2, 2: the 6th item proves there are more
      [1000, undefined, 1, 7, false], // one request asks for 1001
      [5, undefined, 1, 5, true], // one request asks for 6
      [3, 1, 4, 3, true],
      [1000, 3, 3, 7, false], // 3, 3, 1 and no LastEvaluatedKey
    ] as const)("scan(%s) with page size %s makes %s request(s)", async (maxItems, scanPageSize, pages, count, truncated) => {
      const store = createDynamoItemStore({
        tableName: seededTable,
        region: TEST_REGION,
        ...(scanPageSize !== undefined && { scanPageSize }),
      });
      try {
        const result = await store.scan(maxItems);
        expect({ pages: result.pages, count: result.items.length, truncated: result.truncated }).toEqual({ pages, count, truncated });
      } finally {
        store.destroy();
      }
    });
  });
});
