import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { call, captureOutput, lambdaContext, restEvent, type Handler } from "../support/http";
import { scanAll, useMotoDynamo } from "../support/moto";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ISO_MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const EXAMPLE = '{"author": "...", "text": "...", "tags": ["optional"]}';
const TAG_RULE = "must be 1-32 lowercase letters, digits or hyphens, not starting with a hyphen (^[a-z0-9][a-z0-9-]{0,31}$)";

const db = useMotoDynamo();
const output = captureOutput();
let createTip: Handler;

beforeAll(async () => {
  ({ handler: createTip } = await import("../../../lambdas/tips/create-tip"));
});

beforeEach(() => output.clear());

const post = (body: unknown, options: { raw?: boolean; base64?: boolean } = {}) => {
  const text = options.raw ? (body as string | undefined) : JSON.stringify(body);
  return call(createTip, {
    routeKey: "POST /tips",
    ...(text !== undefined && {
      body: options.base64 ? Buffer.from(text, "utf8").toString("base64") : text,
      isBase64Encoded: options.base64 ?? false,
    }),
  });
};

describe("POST /tips (create-tip)", () => {
  describe("success", () => {
    it("stores the tip and answers 201 with it, a Location header and JSON content type", async () => {
      const before = new Date().toISOString();
      const response = await post({ author: "  Ada Lovelace ", text: "\tPrefer const over let.\n", tags: ["js", "style-guide"] });
      const after = new Date().toISOString();

      expect(response.statusCode).toBe(201);
      expect(response.headers["content-type"]).toBe("application/json");
      const tip = response.body;
      expect(tip).toEqual({
        id: expect.stringMatching(UUID),
        author: "Ada Lovelace",
        text: "Prefer const over let.",
        tags: ["js", "style-guide"],
        createdAt: expect.stringMatching(ISO_MILLIS),
      });
      expect(tip.createdAt >= before && tip.createdAt <= after).toBe(true);
      expect(response.headers.location).toBe(`/tips/${tip.id}`);

      const stored = await DynamoDBDocumentClient.from(db.client).send(
        new GetCommand({ TableName: db.tableName, Key: { id: tip.id }, ConsistentRead: true }),
      );
      expect(stored.Item).toEqual({ ...tip, listPartition: "tips" });
    });

    it("stores an empty tag list when tags are left out", async () => {
      const response = await post({ author: "Grace", text: "Measure before optimising." });
      expect(response.statusCode).toBe(201);
      expect(response.body.tags).toEqual([]);
    });

    it("makes a new id and timestamp for every tip", async () => {
      const first = await post({ author: "Linus", text: "Small commits." });
      const second = await post({ author: "Linus", text: "Small commits." });
      expect(first.body.id).not.toBe(second.body.id);
    });

    it("accepts a base64-encoded body (isBase64Encoded)", async () => {
      const response = await post({ author: "Ken", text: "Keep functions short. ✓", tags: ["unix"] }, { base64: true });
      expect(response.statusCode).toBe(201);
      expect(response.body).toEqual(expect.objectContaining({ author: "Ken", text: "Keep functions short. ✓", tags: ["unix"] }));
    });

    it("accepts the limits exactly: 64-character author, 1000-character text, 5 tags, 32-character tag", async () => {
      const response = await post({
        // Characters are code points: 64 emoji are 64 characters, although 128 UTF-16 units.
        author: "😀".repeat(64),
        text: "x".repeat(1000),
        tags: ["a", "b-1", "c", "d", "e".repeat(32)],
      });
      expect(response.statusCode).toBe(201);
    });

    it("accepts a body of exactly 16 KiB", async () => {
      const json = JSON.stringify({ author: "Pad", text: "Whitespace counts." });
      const body = json + " ".repeat(16 * 1024 - Buffer.byteLength(json));
      expect((await post(body, { raw: true })).statusCode).toBe(201);
    });
  });

  describe("validation", () => {
    // [case, body (raw text unless noted), error, details]
    const cases: [string, { raw?: string; json?: unknown; base64?: string }, string, string[] | undefined][] = [
      ["missing body", {}, `request body is required: send a JSON object such as ${EXAMPLE}`, undefined],
      ["empty body", { raw: "  \n" }, `request body is required: send a JSON object such as ${EXAMPLE}`, undefined],
      ["invalid JSON", { raw: '{"author": "Ada", ' }, `request body is not valid JSON: send a JSON object such as ${EXAMPLE}`, undefined],
      ["array body", { json: [{ author: "Ada", text: "x" }] }, `request body must be a JSON object such as ${EXAMPLE}, received an array`, undefined],
      ["null body", { json: null }, `request body must be a JSON object such as ${EXAMPLE}, received null`, undefined],
      ["string body", { json: "tip" }, `request body must be a JSON object such as ${EXAMPLE}, received a string`, undefined],
      ["missing author", { json: { text: "x" } }, "author is required: a string of 1-64 characters", ["author is required: a string of 1-64 characters"]],
      [
        "too long author",
        { json: { author: "a".repeat(65), text: "x" } },
        "author must be 1-64 characters after trimming whitespace, received 65",
        ["author must be 1-64 characters after trimming whitespace, received 65"],
      ],
      [
        "wrong type text",
        { json: { author: "Ada", text: 42 } },
        "text must be a string of 1-1000 characters, received a number",
        ["text must be a string of 1-1000 characters, received a number"],
      ],
      [
        "empty text after trim",
        { json: { author: "Ada", text: " \t\n " } },
        "text must be 1-1000 characters after trimming whitespace, received 0",
        ["text must be 1-1000 characters after trimming whitespace, received 0"],
      ],
      [
        "too long text",
        { json: { author: "Ada", text: "x".repeat(1001) } },
        "text must be 1-1000 characters after trimming whitespace, received 1001",
        ["text must be 1-1000 characters after trimming whitespace, received 1001"],
      ],
      [
        "tags not an array",
        { json: { author: "Ada", text: "x", tags: "js" } },
        "tags must be an array of at most 5 strings, received a string",
        ["tags must be an array of at most 5 strings, received a string"],
      ],
      [
        "too many tags",
        { json: { author: "Ada", text: "x", tags: ["a", "b", "c", "d", "e", "f"] } },
        "tags must have at most 5 entries, received 6",
        ["tags must have at most 5 entries, received 6"],
      ],
      [
        "bad tag format",
        { json: { author: "Ada", text: "x", tags: ["js", "Type Script"] } },
        `tags[1] ${TAG_RULE}, received "Type Script"`,
        [`tags[1] ${TAG_RULE}, received "Type Script"`],
      ],
      [
        "tag starting with a hyphen",
        { json: { author: "Ada", text: "x", tags: ["-js"] } },
        `tags[0] ${TAG_RULE}, received "-js"`,
        [`tags[0] ${TAG_RULE}, received "-js"`],
      ],
      [
        "tag that is not a string",
        { json: { author: "Ada", text: "x", tags: [7] } },
        "tags[0] must be a string, received a number",
        ["tags[0] must be a string, received a number"],
      ],
      [
        "duplicate tags",
        { json: { author: "Ada", text: "x", tags: ["js", "go", "js"] } },
        'tags[2] "js" repeats tags[0]: tags must be unique',
        ['tags[2] "js" repeats tags[0]: tags must be unique'],
      ],
      [
        "unknown field",
        { json: { author: "Ada", text: "x", rating: 5 } },
        'unknown field "rating": allowed fields are author, text, tags',
        ['unknown field "rating": allowed fields are author, text, tags'],
      ],
      [
        "client-chosen id and createdAt",
        { json: { id: "mine", author: "Ada", text: "x", createdAt: "2000-01-01T00:00:00.000Z" } },
        'request body has 2 problems: unknown field "id": allowed fields are author, text, tags; ' +
          'unknown field "createdAt": allowed fields are author, text, tags',
        ['unknown field "id": allowed fields are author, text, tags', 'unknown field "createdAt": allowed fields are author, text, tags'],
      ],
      [
        "every problem at once",
        { json: { text: 1, tags: ["OK", "ok", "ok"], extra: true } },
        "request body has 5 problems: author is required: a string of 1-64 characters; " +
          "text must be a string of 1-1000 characters, received a number; " +
          `tags[0] ${TAG_RULE}, received "OK"; ` +
          'tags[2] "ok" repeats tags[1]: tags must be unique; ' +
          'unknown field "extra": allowed fields are author, text, tags',
        [
          "author is required: a string of 1-64 characters",
          "text must be a string of 1-1000 characters, received a number",
          `tags[0] ${TAG_RULE}, received "OK"`,
          'tags[2] "ok" repeats tags[1]: tags must be unique',
          'unknown field "extra": allowed fields are author, text, tags',
        ],
      ],
      ["invalid base64", { base64: "not base64!" }, "request body is marked as base64-encoded but is not valid base64", undefined],
      [
        "base64 of invalid UTF-8",
        { base64: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString("base64") },
        "request body is not valid UTF-8 text",
        undefined,
      ],
      [
        "base64 of something that is not JSON",
        { base64: Buffer.from("author=Ada&text=x").toString("base64") },
        `request body is not valid JSON: send a JSON object such as ${EXAMPLE}`,
        undefined,
      ],
    ];

    it.each(cases)("400 for %s, naming the problem", async (_name, body, error, details) => {
      const response =
        body.base64 !== undefined
          ? await call(createTip, { routeKey: "POST /tips", body: body.base64, isBase64Encoded: true })
          : "json" in body
            ? await post(body.json)
            : await post(body.raw, { raw: true });
      expect(response.statusCode).toBe(400);
      expect(response.headers["content-type"]).toBe("application/json");
      expect(response.body).toEqual(details === undefined ? { error } : { error, details });
    });

    it.each(["text/plain", "text/plain; charset=utf-8", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"])(
      "415 for content-type %s, and stores nothing",
      async (contentType) => {
        const table = await db.newTable();
        vi.stubEnv("TABLE_NAME", table);
        try {
          const response = await call(createTip, {
            routeKey: "POST /tips",
            body: JSON.stringify({ author: "Ada", text: "valid JSON, wrong media type" }),
            headers: { "Content-Type": contentType },
          });
          expect(response.statusCode).toBe(415);
          expect(response.headers["content-type"]).toBe("application/json");
          expect(response.body).toEqual({ error: `content-type must be application/json, received ${JSON.stringify(contentType)}` });
          expect(await scanAll(db.client, table)).toEqual([]);
        } finally {
          vi.stubEnv("TABLE_NAME", db.tableName);
        }
      },
    );

    it("accepts JSON with parameters, a +json suffix, any header case, or no content type", async () => {
      for (const headers of <Record<string, string>[]>[
        { "content-type": "application/json; charset=utf-8" },
        { "Content-Type": "Application/JSON" },
        { "content-type": "application/vnd.tips+json" },
      ]) {
        const response = await call(createTip, { routeKey: "POST /tips", body: '{"author":"a","text":"b"}', headers });
        expect(response.statusCode, JSON.stringify(headers)).toBe(201);
      }
      const event = restEvent({ routeKey: "POST /tips", body: '{"author":"a","text":"b"}' });
      const bare = await createTip({ ...event, headers: {}, multiValueHeaders: {} }, lambdaContext());
      expect(bare.statusCode).toBe(201);
    });

    it("413 for a body over 16 KiB, before parsing it", async () => {
      const body = `{"author":"Ada","text":"${"x".repeat(16 * 1024)}"}`;
      const response = await post(body, { raw: true });
      expect(response.statusCode).toBe(413);
      expect(response.body).toEqual({
        error: `request body is ${Buffer.byteLength(body)} bytes; the limit is 16384 bytes (16 KiB)`,
      });
    });

    it("413 counts the decoded size of a base64 body", async () => {
      const json = `{"author":"Ada","text":"${"y".repeat(16 * 1024)}"}`;
      const response = await post(json, { raw: true, base64: true });
      expect(response.statusCode).toBe(413);
      expect(response.body.error).toBe(`request body is ${Buffer.byteLength(json)} bytes; the limit is 16384 bytes (16 KiB)`);
    });

    it("stores nothing for a rejected request", async () => {
      const table = await db.newTable();
      vi.stubEnv("TABLE_NAME", table);
      try {
        await post({ author: "Ada", text: "x", tags: ["Bad"] });
        await post([], {});
        expect(await scanAll(db.client, table)).toEqual([]);
      } finally {
        vi.stubEnv("TABLE_NAME", db.tableName);
      }
    });
  });

  describe("failures", () => {
    it("500 without internals when DynamoDB fails, logging the error with the request ids", async () => {
      vi.stubEnv("TABLE_NAME", "tips-table-that-does-not-exist");
      try {
        const response = await post({ author: "Ada", text: "Secret-free tip" });
        expect(response.statusCode).toBe(500);
        expect(response.rawBody).toBe('{"error":"internal error"}');
        expect(response.headers["content-type"]).toBe("application/json");

        const failure = output.logs().find((log) => log.message === "request failed");
        expect(failure).toEqual(
          expect.objectContaining({
            level: "ERROR",
            correlation_id: response.apiRequestId,
            function_request_id: response.lambdaRequestId,
            error: expect.objectContaining({ name: "ResourceNotFoundException" }),
          }),
        );
      } finally {
        vi.stubEnv("TABLE_NAME", db.tableName);
      }
    });

    it("500 when TABLE_NAME is not set, and the log says so", async () => {
      vi.stubEnv("TABLE_NAME", undefined);
      try {
        const response = await post({ author: "Ada", text: "x" });
        expect(response.statusCode).toBe(500);
        expect(response.body).toEqual({ error: "internal error" });
        expect(output.logs()).toContainEqual(
          expect.objectContaining({
            message: "request failed",
            error: expect.objectContaining({
              name: "ConfigurationError",
              message: "environment variable TABLE_NAME is not set: the function cannot find its table",
            }),
          }),
        );
      } finally {
        vi.stubEnv("TABLE_NAME", db.tableName);
      }
    });
  });

  describe("observability", () => {
    it("logs the tip id and sizes with the request ids, never the tip's text or author", async () => {
      const text = "A very distinctive tip text 8c1f";
      const author = "Distinctive Author 5d2e";
      const response = await post({ author, text, tags: ["logging"] });

      const created = output.logs().find((log) => log.message === "tip created");
      expect(created).toEqual(
        expect.objectContaining({
          level: "INFO",
          service: "coding-tips-test",
          tipId: response.body.id,
          textLength: text.length,
          authorLength: author.length,
          tagCount: 1,
          correlation_id: response.apiRequestId,
          function_request_id: response.lambdaRequestId,
        }),
      );
      expect(output.logs()).toContainEqual(
        expect.objectContaining({ message: "request completed", route: "POST /tips", statusCode: 201 }),
      );
      const printed = output.lines.join("\n");
      expect(printed).not.toContain(text);
      expect(printed).not.toContain(author);
    });

    it("emits a TipCreated count metric in EMF, in the configured namespace", async () => {
      await post({ author: "Ada", text: "Count me." });
      const documents = output.metrics().filter((doc) => "TipCreated" in doc);
      expect(documents).toHaveLength(1);
      expect(documents[0]).toEqual(
        expect.objectContaining({
          TipCreated: 1,
          service: "coding-tips-test",
          _aws: expect.objectContaining({
            CloudWatchMetrics: [
              expect.objectContaining({
                Namespace: "CodingTipsTest",
                Metrics: [{ Name: "TipCreated", Unit: "Count" }],
              }),
            ],
          }),
        }),
      );
    });

    it("prints no Powertools warning for a request that adds no metric", async () => {
      await post({ author: "Ada" });
      expect(output.lines.join("\n")).not.toMatch(/No application metrics/);
      expect(output.logs().filter((log) => log.level === "WARN")).toEqual([]);
    });
  });
});
