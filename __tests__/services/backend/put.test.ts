import { ScanCommand } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { putItem, rawRequest, send, startBackend, useMoto, type RunningBackend } from "./support/backend";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ISO_MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const EXAMPLE = '{"name": "...", "description": "optional", "id": "optional"}';
const ID_RULE = "a string of 1-128 letters, digits, '.', '_', ':' or '-' (^[A-Za-z0-9._:-]{1,128}$)";
const ALLOWED = "allowed fields are id, name, description";

const db = useMoto();
let backend: RunningBackend;
let tableName: string;

beforeAll(async () => {
  tableName = await db.newTable();
  backend = await startBackend({ tableName });
});
afterAll(() => backend?.close());
beforeEach(() => backend.logs.clear());

const stored = async (id: string) =>
  (await DynamoDBDocumentClient.from(db.client).send(new GetCommand({ TableName: tableName, Key: { id }, ConsistentRead: true })))
    .Item;
const itemCount = async () => (await db.client.send(new ScanCommand({ TableName: tableName, Select: "COUNT" }))).Count;

describe("POST /api/v1/put", () => {
  describe("success", () => {
    it("stores the item under a new UUID with createdAt, and answers 201 with it", async () => {
      const before = new Date().toISOString();
      const reply = await putItem(backend.url, { name: "  Widget ", description: "\tA small widget.\n" });
      const after = new Date().toISOString();

      expect(reply.status).toBe(201);
      expect(reply.headers.get("content-type")).toBe("application/json; charset=utf-8");
      expect(reply.body).toEqual({
        id: expect.stringMatching(UUID),
        name: "Widget",
        description: "A small widget.",
        createdAt: expect.stringMatching(ISO_MILLIS),
      });
      expect(Object.keys(reply.body)).toEqual(["id", "name", "description", "createdAt"]);
      expect(reply.body.createdAt >= before && reply.body.createdAt <= after).toBe(true);
      expect(await stored(reply.body.id)).toEqual(reply.body);
    });

    it("keeps the client's id, and stores no description when none is sent", async () => {
      const reply = await putItem(backend.url, { id: "order-42", name: "Order 42" });
      expect(reply.status).toBe(201);
      expect(reply.body).toEqual({ id: "order-42", name: "Order 42", createdAt: expect.stringMatching(ISO_MILLIS) });
      expect(await stored("order-42")).toEqual(reply.body);
    });

    it("makes a new id for every item", async () => {
      const first = await putItem(backend.url, { name: "same" });
      const second = await putItem(backend.url, { name: "same" });
      expect(first.body.id).not.toBe(second.body.id);
    });

    it("accepts the limits exactly: 128-character id, 100-character name, 1000-character description", async () => {
      const body = { id: `A.b_c:d-${"9".repeat(120)}`, name: "😀".repeat(100), description: "x".repeat(1000) };
      const reply = await putItem(backend.url, body);
      expect(reply.status).toBe(201);
      // Characters are code points: 100 emoji are 100 characters, although 200 UTF-16 units.
      expect(reply.body).toEqual({ ...body, createdAt: expect.any(String) });
    });

    it("accepts an empty description", async () => {
      const reply = await putItem(backend.url, { name: "n", description: "   " });
      expect(reply.status).toBe(201);
      expect(reply.body.description).toBe("");
    });

    it("accepts a missing content type and JSON with parameters or a +json suffix", async () => {
      const bare = await rawRequest(`${backend.url}/api/v1/put`, { method: "POST", body: '{"name":"bare"}' });
      expect(bare.status).toBe(201);
      for (const contentType of ["application/json; charset=utf-8", "Application/JSON", "application/vnd.items+json"]) {
        const reply = await putItem(backend.url, { name: contentType }, { "content-type": contentType });
        expect(reply.status, contentType).toBe(201);
      }
    });

    it("logs the item id and body size, never the item's content", async () => {
      const reply = await putItem(backend.url, { name: "secret-name-8c1f", description: "secret-description-5e2a" });
      const [line] = await backend.logs.waitForRequests(1);
      expect(line).toEqual(
        expect.objectContaining({ method: "POST", path: "/api/v1/put", status: 201, itemId: reply.body.id, bodyBytes: expect.any(Number) }),
      );
      expect(backend.logs.lines.join("\n")).not.toMatch(/secret-(name|description)/);
    });
  });

  describe("an existing id is never overwritten", () => {
    it("409 with a clear message, and the stored item is unchanged", async () => {
      const first = await putItem(backend.url, { id: "taken-1", name: "original" });
      expect(first.status).toBe(201);
      const second = await putItem(backend.url, { id: "taken-1", name: "replacement", description: "new" });
      expect(second.status).toBe(409);
      expect(second.body).toEqual({
        error:
          'an item with id "taken-1" already exists and is never overwritten: send another id, or leave id out to get a generated one',
      });
      expect(await stored("taken-1")).toEqual(first.body);
    });

    it("a generated id that is taken is replaced by a second new one", async () => {
      await putItem(backend.url, { id: "11111111-1111-4111-8111-111111111111", name: "first" });
      const ids = ["11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222"];
      const scripted = await startBackend({ tableName, newId: () => ids.shift() as string });
      try {
        const reply = await putItem(scripted.url, { name: "second" });
        expect(reply.status).toBe(201);
        expect(reply.body.id).toBe("22222222-2222-4222-8222-222222222222");
        expect((await stored("11111111-1111-4111-8111-111111111111"))?.name).toBe("first");
      } finally {
        await scripted.close();
      }
    });

    it("500 when two generated ids are taken (the id source is broken, not the request)", async () => {
      await putItem(backend.url, { id: "33333333-3333-4333-8333-333333333333", name: "first" });
      const broken = await startBackend({ tableName, newId: () => "33333333-3333-4333-8333-333333333333" });
      try {
        const reply = await putItem(broken.url, { name: "second" });
        expect(reply.status).toBe(500);
        expect(reply.body).toEqual({ error: "internal error" });
        const failure = broken.logs.records().find((record) => record.msg === "request failed");
        expect(failure?.error.message).toBe("2 generated item ids were already taken: the id source is broken");
      } finally {
        await broken.close();
      }
    });
  });

  describe("validation (400 naming field, value or type, and what is allowed)", () => {
    it.each<[string, unknown, string]>([
      ["an array", [], `request body must be a JSON object such as ${EXAMPLE}, received an array`],
      // putItem sends a string as is: this one is the JSON text "name".
      ["a string", JSON.stringify("name"), `request body must be a JSON object such as ${EXAMPLE}, received a string`],
      ["null", null, `request body must be a JSON object such as ${EXAMPLE}, received null`],
      ["a number", 42, `request body must be a JSON object such as ${EXAMPLE}, received a number`],
      ["no name", {}, "name is required: a string of 1-100 characters"],
      ["a numeric name", { name: 5 }, "name must be a string of 1-100 characters, received a number"],
      ["a null name", { name: null }, "name must be a string of 1-100 characters, received null"],
      ["an object name", { name: { first: "a" } }, "name must be a string of 1-100 characters, received an object"],
      ["a blank name", { name: " \t " }, "name must be 1-100 characters after trimming whitespace, received 0"],
      ["a long name", { name: "n".repeat(101) }, "name must be 1-100 characters after trimming whitespace, received 101"],
      [
        "a non-string description",
        { name: "a", description: ["x"] },
        "description must be a string of at most 1000 characters, received an array",
      ],
      [
        "a null description",
        { name: "a", description: null },
        "description must be a string of at most 1000 characters, received null",
      ],
      [
        "a long description",
        { name: "a", description: "d".repeat(1001) },
        "description must be at most 1000 characters after trimming whitespace, received 1001",
      ],
      ["a numeric id", { id: 7, name: "a" }, `id must be ${ID_RULE}, received a number`],
      ["an empty id", { id: "", name: "a" }, `id must be ${ID_RULE}, received ""`],
      ["an id with a space", { id: "a b", name: "a" }, `id must be ${ID_RULE}, received "a b"`],
      ["an id with a slash", { id: "../etc", name: "a" }, `id must be ${ID_RULE}, received "../etc"`],
      ["a long id", { id: "i".repeat(129), name: "a" }, `id must be ${ID_RULE}, received "${"i".repeat(40)}"...`],
      ["an unknown field", { name: "a", color: "red" }, `unknown field "color": ${ALLOWED}`],
      ["createdAt", { name: "a", createdAt: "2020-01-01T00:00:00.000Z" }, `unknown field "createdAt" (the server sets createdAt): ${ALLOWED}`],
      ["__proto__", JSON.parse('{"name": "a", "__proto__": {"admin": true}}'), `unknown field "__proto__": ${ALLOWED}`],
    ])("refuses %s", async (_case, body, message) => {
      const reply = await putItem(backend.url, body);
      expect(reply.status).toBe(400);
      expect(reply.body).toEqual({ error: message, details: [message] });
    });

    it("lists every problem at once, unknown fields first", async () => {
      const reply = await putItem(backend.url, { id: 1, name: "", extra: true, description: 2 });
      const details = [
        `unknown field "extra": ${ALLOWED}`,
        `id must be ${ID_RULE}, received a number`,
        "name must be 1-100 characters after trimming whitespace, received 0",
        "description must be a string of at most 1000 characters, received a number",
      ];
      expect(reply.status).toBe(400);
      expect(reply.body).toEqual({ error: `request body has 4 problems: ${details.join("; ")}`, details });
    });

    it.each<[string, string | Buffer, string]>([
      ["JSON that does not parse", '{"name": ', `request body is not valid JSON: send a JSON object such as ${EXAMPLE}`],
      ["an empty body", "", `request body is required: send a JSON object such as ${EXAMPLE}`],
      ["a blank body", "  \n", `request body is required: send a JSON object such as ${EXAMPLE}`],
      ["broken UTF-8", Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]), "request body is not valid UTF-8 text"],
    ])("refuses %s", async (_case, body, message) => {
      const reply = await rawRequest(`${backend.url}/api/v1/put`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      });
      expect(reply.status).toBe(400);
      expect(JSON.parse(reply.text)).toEqual({ error: message, details: [message] });
    });

    it("415 for a body that is not JSON by its content type", async () => {
      const reply = await send(`${backend.url}/api/v1/put`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "name=a",
      });
      expect(reply.status).toBe(415);
      expect(reply.body).toEqual({ error: 'content-type must be application/json, received "application/x-www-form-urlencoded"' });
    });

    it("415 for text/plain, with the message the tips API gives (runtime/content-type.ts)", async () => {
      const reply = await send(`${backend.url}/api/v1/put`, {
        method: "POST",
        headers: { "content-type": "text/plain" },
        body: '{"name":"valid JSON, wrong media type"}',
      });
      expect(reply.status).toBe(415);
      expect(reply.body).toEqual({ error: 'content-type must be application/json, received "text/plain"' });
    });

    it("stores nothing for a refused request", async () => {
      const before = await itemCount();
      await putItem(backend.url, { name: "refused", extra: 1 });
      await putItem(backend.url, { id: "a b", name: "refused" });
      await putItem(backend.url, '{"name": "refused"');
      expect(await itemCount()).toBe(before);
    });
  });

  describe("body size (16 KiB)", () => {
    const padded = (bytes: number): string => {
      const json = '{"name": "padded"}';
      return json + " ".repeat(bytes - json.length);
    };

    it("accepts a body of exactly 16384 bytes", async () => {
      const reply = await putItem(backend.url, padded(16_384));
      expect(reply.status).toBe(201);
    });

    it("413 for a declared content-length over the limit, before reading the body", async () => {
      const reply = await putItem(backend.url, padded(16_385));
      expect(reply.status).toBe(413);
      expect(reply.body).toEqual({ error: "request body is 16385 bytes; the limit is 16384 bytes (16 KiB)" });
    });

    it("413 for a chunked body that grows over the limit", async () => {
      const reply = await rawRequest(`${backend.url}/api/v1/put`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: padded(40_000),
        chunked: true,
      });
      expect(reply.status).toBe(413);
      expect(JSON.parse(reply.text)).toEqual({ error: "request body is more than 16384 bytes; the limit is 16384 bytes (16 KiB)" });
    });

    it("answers 413 to a 2 MiB upload too (the rest is discarded, not buffered), and keeps serving", async () => {
      const reply = await rawRequest(`${backend.url}/api/v1/put`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: padded(2 * 1024 * 1024),
      });
      expect(reply.status).toBe(413);
      expect((await send(`${backend.url}/`)).status).toBe(200);
    });
  });
});
