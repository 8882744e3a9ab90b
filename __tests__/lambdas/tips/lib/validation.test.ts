import { describe, expect, it } from "vitest";
import { HttpError } from "../../../../lambdas/tips/lib/http";
import {
  decodeCursor,
  describeType,
  encodeCursor,
  parseLimit,
  parseTipId,
  quote,
  readJsonBody,
  validateNewTip,
} from "../../../../lambdas/tips/lib/validation";

const ID = "3b241101-e2bb-4255-8caf-4136c566a962";

/** The HttpError `fn` throws, for asserting status and message together. */
function thrown(fn: () => unknown): HttpError {
  try {
    fn();
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
  throw new Error("expected an HttpError");
}

describe("tips validation", () => {
  describe("cursor", () => {
    it("round-trips through an opaque base64url string", () => {
      const cursor = { createdAt: "2026-01-31T12:34:56.789Z", id: ID };
      const encoded = encodeCursor(cursor);
      expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeCursor(encoded)).toEqual(cursor);
    });

    it("is absent when no cursor is given", () => {
      expect(decodeCursor(undefined)).toBeUndefined();
    });

    it("refuses base64url with stray trailing bits, which Node would otherwise decode silently", () => {
      // 85 bytes of JSON: the last base64url character carries 4 unused bits.
      const json = `{"createdAt":"2026-01-31T12:34:56.789Z","id":"${ID}"} `;
      const canonical = Buffer.from(json).toString("base64url");
      expect(decodeCursor(canonical)).toEqual({ createdAt: "2026-01-31T12:34:56.789Z", id: ID });
      const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
      const sloppy = canonical.slice(0, -1) + alphabet[alphabet.indexOf(canonical.at(-1) as string) + 1];
      expect(Buffer.from(sloppy, "base64url").equals(Buffer.from(json))).toBe(true);
      expect(thrown(() => decodeCursor(sloppy))).toMatchObject({ statusCode: 400, message: "cursor is not valid" });
    });
  });

  describe("limit", () => {
    it.each([
      [undefined, 20],
      ["1", 1],
      ["100", 100],
      ["007", 7],
    ])("limit %j is %i", (raw, expected) => {
      expect(parseLimit(raw)).toBe(expected);
    });
  });

  describe("id", () => {
    it("lowercases a valid UUID", () => {
      expect(parseTipId(ID.toUpperCase())).toBe(ID);
    });
  });

  describe("body", () => {
    it("drops a UTF-8 byte order mark and reports the size in bytes", () => {
      const json = '{"author":"Zoë","text":"x"}';
      const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(json)]).toString("base64");
      expect(readJsonBody({ body, isBase64Encoded: true })).toEqual({
        value: { author: "Zoë", text: "x" },
        bytes: Buffer.byteLength(json) + 3,
      });
    });

    it("tolerates line breaks inside base64", () => {
      const body = Buffer.from('{"a":1}').toString("base64").replace(/(.{4})/, "$1\n");
      expect(readJsonBody({ body, isBase64Encoded: true }).value).toEqual({ a: 1 });
    });

    it("trims author and text and keeps tag order", () => {
      expect(validateNewTip({ author: " a ", text: "\nb\t", tags: ["z", "a"] })).toEqual({ author: "a", text: "b", tags: ["z", "a"] });
    });

    it("treats an explicit null for tags as a wrong type, not as absent", () => {
      expect(thrown(() => validateNewTip({ author: "a", text: "b", tags: null })).details).toEqual([
        "tags must be an array of at most 5 strings, received null",
      ]);
    });

    it("counts characters as code points", () => {
      expect(thrown(() => validateNewTip({ author: "😀".repeat(65), text: "b" })).message).toBe(
        "author must be 1-64 characters after trimming whitespace, received 65",
      );
    });
  });

  describe("messages", () => {
    it.each([
      [null, "null"],
      [[], "an array"],
      [{}, "an object"],
      ["s", "a string"],
      [1, "a number"],
      [true, "a boolean"],
    ])("names %j as %s", (value, name) => {
      expect(describeType(value)).toBe(name);
    });

    it("quotes received strings, cut after 40 characters", () => {
      expect(quote("abc")).toBe('"abc"');
      expect(quote("x".repeat(41))).toBe(`"${"x".repeat(40)}"...`);
    });
  });
});
