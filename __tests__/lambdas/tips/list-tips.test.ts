import { beforeAll, describe, expect, it, vi } from "vitest";
import type { Tip } from "../../../lambdas/tips/lib/tip";
import { call, captureOutput, type Handler } from "../support/http";
import { useMotoDynamo } from "../support/moto";

const db = useMotoDynamo();
captureOutput();
let listTips: Handler;
let repository: typeof import("../../../lambdas/tips/lib/repository");
/** The seeded tips, newest first. */
let seeded: Tip[];

interface Page {
  items: Tip[];
  nextCursor: string | null;
}

const list = (queryStringParameters?: Record<string, string>) =>
  call<Page>(listTips, { routeKey: "GET /tips", ...(queryStringParameters && { queryStringParameters }) });

/** Follows nextCursor from the first page to the last; returns every page. */
async function allPages(limit: number): Promise<Page[]> {
  const pages: Page[] = [];
  let cursor: string | null = null;
  do {
    const response = await list({ limit: String(limit), ...(cursor !== null && { cursor }) });
    expect(response.statusCode).toBe(200);
    pages.push(response.body);
    cursor = response.body.nextCursor;
  } while (cursor !== null && pages.length < 50);
  return pages;
}

/** Stores tips one second apart from 2026-01-01T00:00:00.000Z, oldest first. */
async function seed(count: number, options: { sameTime?: boolean } = {}): Promise<Tip[]> {
  const table = repository.tipTableFromEnv();
  const tips: Tip[] = [];
  for (let index = 0; index < count; index++) {
    const at = new Date(Date.UTC(2026, 0, 1, 0, 0, options.sameTime ? 0 : index));
    tips.push(await repository.createTip(table, { author: `author ${index}`, text: `tip ${index}`, tags: [] }, { now: () => at }));
  }
  return tips.reverse();
}

beforeAll(async () => {
  ({ handler: listTips } = await import("../../../lambdas/tips/list-tips"));
  repository = await import("../../../lambdas/tips/lib/repository");
  seeded = await seed(7);
});

describe("GET /tips (list-tips)", () => {
  it("returns every tip newest first, with nextCursor null when there is no more", async () => {
    const response = await list();
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toBe("application/json");
    expect(response.body).toEqual({ items: seeded, nextCursor: null });
  });

  it("shows tips exactly as the API made them (no internal attributes such as listPartition)", async () => {
    const { body } = await list({ limit: "1" });
    expect(Object.keys(body.items[0] ?? {}).sort()).toEqual(["author", "createdAt", "id", "tags", "text"]);
  });

  it("pages through 7 tips 3 at a time: 3, 3, 1, none missing or repeated", async () => {
    const pages = await allPages(3);
    expect(pages.map((page) => page.items.length)).toEqual([3, 3, 1]);
    expect(pages.flatMap((page) => page.items)).toEqual(seeded);
    expect(pages.map((page) => page.nextCursor === null)).toEqual([false, false, true]);
    for (const page of pages.slice(0, -1)) expect(page.nextCursor).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it("ends on a full page without an extra empty one (7 tips, limit 7)", async () => {
    const pages = await allPages(7);
    expect(pages.map((page) => page.items.length)).toEqual([7]);
  });

  it.each([1, 2, 4, 6, 100])("pages correctly with limit %i", async (limit) => {
    const pages = await allPages(limit);
    expect(pages.flatMap((page) => page.items)).toEqual(seeded);
    expect(pages.every((page) => page.items.length >= 1 && page.items.length <= limit)).toBe(true);
  });

  it("pages through tips created in the same millisecond without losing or repeating one", async () => {
    const table = await db.newTable();
    vi.stubEnv("TABLE_NAME", table);
    try {
      const sameTime = await seed(4, { sameTime: true });
      const pages = await allPages(1);
      expect(pages.map((page) => page.items.length)).toEqual([1, 1, 1, 1]);
      const ids = pages.flatMap((page) => page.items.map((tip) => tip.id));
      expect(new Set(ids).size).toBe(4);
      expect(ids.sort()).toEqual(sameTime.map((tip) => tip.id).sort());
    } finally {
      vi.stubEnv("TABLE_NAME", db.tableName);
    }
  });

  it("returns an empty list from an empty table", async () => {
    vi.stubEnv("TABLE_NAME", await db.newTable());
    try {
      expect((await list()).body).toEqual({ items: [], nextCursor: null });
    } finally {
      vi.stubEnv("TABLE_NAME", db.tableName);
    }
  });

  it("defaults to 20 per page", async () => {
    const table = await db.newTable();
    vi.stubEnv("TABLE_NAME", table);
    try {
      await seed(21);
      const first = await list();
      expect(first.body.items).toHaveLength(20);
      expect(first.body.nextCursor).not.toBeNull();
    } finally {
      vi.stubEnv("TABLE_NAME", db.tableName);
    }
  });

  it.each(["0", "101", "abc", "", "2.5", "-1", "1e2", " 5", "3,4"])("400 for limit=%j, naming it", async (limit) => {
    const response = await list({ limit });
    expect(response.statusCode).toBe(400);
    expect(response.body).toEqual({
      error: `query parameter limit must be an integer from 1 to 100 (default 20), received ${JSON.stringify(limit)}`,
    });
  });

  it("400 for a repeated limit, as one comma-joined value (the REST payload's single-value map keeps only the last)", async () => {
    const response = await call<Page>(listTips, { routeKey: "GET /tips", queryStringParameters: { limit: ["5", "100"] } });
    expect(response.statusCode).toBe(400);
    expect(response.body).toEqual({
      error: 'query parameter limit must be an integer from 1 to 100 (default 20), received "5,100"',
    });
  });

  describe("cursor", () => {
    const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString("base64url");

    it.each([
      ["not base64url", "not a cursor!"],
      ["empty", ""],
      ["base64url of plain text", Buffer.from("hello").toString("base64url")],
      ["a JSON array", encode(["2026-01-01T00:00:00.000Z", "3b241101-e2bb-4255-8caf-4136c566a962"])],
      ["an extra field", encode({ createdAt: "2026-01-01T00:00:00.000Z", id: "3b241101-e2bb-4255-8caf-4136c566a962", listPartition: "x" })],
      ["an id that is no UUID", encode({ createdAt: "2026-01-01T00:00:00.000Z", id: "x" })],
      ["a timestamp in another format", encode({ createdAt: "2026-01-01", id: "3b241101-e2bb-4255-8caf-4136c566a962" })],
      ["an impossible date", encode({ createdAt: "2026-13-45T99:00:00.000Z", id: "3b241101-e2bb-4255-8caf-4136c566a962" })],
      ["standard base64 padding", `${encode({ createdAt: "2026-01-01T00:00:00.000Z", id: "3b241101-e2bb-4255-8caf-4136c566a962" })}=`],
      ["far too long", "A".repeat(1000)],
    ])("400 `cursor is not valid` for %s", async (_name, cursor) => {
      const response = await list({ cursor });
      expect(response.statusCode).toBe(400);
      expect(response.body).toEqual({ error: "cursor is not valid" });
    });

    it("400 for a tampered cursor from a real page", async () => {
      const { body } = await list({ limit: "2" });
      const cursor = body.nextCursor ?? "";
      const tampered = cursor.slice(0, 5) + (cursor[5] === "A" ? "B" : "A") + cursor.slice(6);
      const response = await list({ cursor: tampered });
      expect(response.statusCode).toBe(400);
      expect(response.body).toEqual({ error: "cursor is not valid" });
    });
  });

  describe("failures", () => {
    it("500 without internals when the table does not exist", async () => {
      vi.stubEnv("TABLE_NAME", "tips-table-that-does-not-exist");
      try {
        const response = await list();
        expect(response.statusCode).toBe(500);
        expect(response.rawBody).toBe('{"error":"internal error"}');
      } finally {
        vi.stubEnv("TABLE_NAME", db.tableName);
      }
    });

    it("500 when GSI_NAME names an index the table lacks", async () => {
      vi.stubEnv("GSI_NAME", "no-such-index");
      try {
        const response = await list();
        expect(response.statusCode).toBe(500);
        expect(response.body).toEqual({ error: "internal error" });
      } finally {
        vi.stubEnv("GSI_NAME", undefined);
      }
    });
  });
});
