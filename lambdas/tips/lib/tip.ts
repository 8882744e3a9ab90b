/**
 * The tip as the API shows it, and the limits a new tip must respect.
 */

/** A stored tip, as every endpoint returns it. */
export interface Tip {
  /** Server-made UUID (v4). */
  readonly id: string;
  readonly author: string;
  readonly text: string;
  /** Lowercase slugs, in the order the author gave them; `[]` when none. */
  readonly tags: readonly string[];
  /** When the tip was stored: ISO-8601 UTC with milliseconds (`2026-01-31T12:34:56.789Z`). */
  readonly createdAt: string;
}

/** What a client sends to create a tip, after validation and trimming. */
export interface NewTip {
  readonly author: string;
  readonly text: string;
  readonly tags: readonly string[];
}

export const AUTHOR_MAX_LENGTH = 64;
export const TEXT_MAX_LENGTH = 1000;
export const TAGS_MAX_COUNT = 5;
export const TAG_PATTERN = /^[a-z0-9][a-z0-9-]{0,31}$/;
/** Largest request body `POST /tips` accepts, counted in bytes after base64 decoding. */
export const MAX_BODY_BYTES = 16 * 1024;
export const LIST_DEFAULT_LIMIT = 20;
export const LIST_MAX_LIMIT = 100;
