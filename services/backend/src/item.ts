/**
 * The item as the API shows it, and the limits a new item must respect.
 */

/** A stored item, as both endpoints return it. */
export interface Item {
  /** The client's id, or a server-made UUID (v4) when the client sent none. */
  readonly id: string;
  readonly name: string;
  /** Absent when the client sent none. */
  readonly description?: string;
  /** When the item was stored: ISO-8601 UTC with milliseconds (`2026-01-31T12:34:56.789Z`). */
  readonly createdAt: string;
}

/** What a client sends to `POST /api/v1/put`, after validation and trimming. */
export interface NewItem {
  readonly id?: string;
  readonly name: string;
  readonly description?: string;
}

export const NAME_MAX_LENGTH = 100;
export const DESCRIPTION_MAX_LENGTH = 1000;
/**
 * A client-chosen id: short, and made of characters that are safe in URLs, logs and shells.
 * Server-made UUIDs match it too.
 */
export const ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;
