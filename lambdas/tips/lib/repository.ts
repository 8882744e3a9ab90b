/**
 * Reads and writes tips in DynamoDB.
 *
 * ## Table spec (the infrastructure creates the table from this)
 *
 * | what                   | value                                                                 |
 * | ---------------------- | --------------------------------------------------------------------- |
 * | table name             | any; given to the functions as env var `TABLE_NAME` (required)        |
 * | partition key          | `id` (S): a UUID made by `crypto.randomUUID()`; no sort key           |
 * | global secondary index | `by-created-at` (env var `GSI_NAME`, optional, default `by-created-at`) |
 * | GSI partition key      | `listPartition` (S): the constant `"tips"` on every item              |
 * | GSI sort key           | `createdAt` (S): ISO-8601 UTC with milliseconds, `2026-01-31T12:34:56.789Z` |
 * | GSI projection         | ALL (the list returns whole tips without a second read)               |
 * | billing                | on-demand (PAY_PER_REQUEST) suits small, spiky traffic                |
 *
 * Only the key attributes are declared in the table definition (`id`, `listPartition`, `createdAt`,
 * all S). Items also hold `author` (S), `text` (S) and `tags` (L of S, `[]` when none).
 *
 * The single GSI partition makes "newest first across all tips" one Query. A GSI partition handles
 * ~1,000 writes/s, far above what a tips board sees; if that ever changes, shard `listPartition`
 * (`tips#0..N`) and merge on read.
 *
 * ## Access per function (IAM)
 * - create: `dynamodb:PutItem` on the table ARN (conditional put, `attribute_not_exists(id)`).
 * - list: `dynamodb:Query` on the index ARN (`<table ARN>/index/by-created-at`). Never a Scan.
 * - get: `dynamodb:GetItem` on the table ARN (strongly consistent, so a `Location` just returned
 *   by create is readable at once).
 * - with a customer managed KMS key on the table, also (condition `kms:ViaService` =
 *   `dynamodb.<region>.amazonaws.com`): `kms:Decrypt` for all three, plus `kms:Encrypt` and
 *   `kms:GenerateDataKey` for create.
 *
 * The client is created once per container. Its endpoint is the SDK's own business: the standard
 * `AWS_ENDPOINT_URL_DYNAMODB` / `AWS_ENDPOINT_URL` variables point it at an emulator in tests.
 */
import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { tracer } from "./observability";
import type { NewTip, Tip } from "./tip";
import type { TipCursor } from "./validation";

/** Value of `listPartition` on every item: the one partition of the `by-created-at` index. */
export const LIST_PARTITION = "tips";
export const DEFAULT_GSI_NAME = "by-created-at";

/** Where the tips live. */
export interface TipTable {
  readonly tableName: string;
  readonly indexName: string;
}

/** One page of the newest-first list. */
export interface TipPage {
  readonly items: Tip[];
  /** Where the next page starts; `undefined` on the last page. */
  readonly next?: TipCursor;
}

/** Two fresh UUIDs both taken: something is badly wrong with the id source, not the request. */
export class TipIdCollisionError extends Error {
  override readonly name = "TipIdCollisionError";
}

/** A required setting of the function is missing (an infrastructure bug, never the caller's). */
export class ConfigurationError extends Error {
  override readonly name = "ConfigurationError";
}

// Created once per container, outside the handler, so connections are reused across invocations.
// Timeouts stay well under the function's: a stuck connection fails (and is retried by the SDK)
// instead of eating the whole invocation.
const documentClient = DynamoDBDocumentClient.from(
  tracer.captureAWSv3Client(
    new DynamoDBClient({ requestHandler: { connectionTimeout: 2_000, requestTimeout: 5_000 } }),
  ),
);

/** The table from `TABLE_NAME` and the index from `GSI_NAME` (default `by-created-at`). */
export function tipTableFromEnv(env: NodeJS.ProcessEnv = process.env): TipTable {
  const tableName = env.TABLE_NAME?.trim();
  if (!tableName) {
    throw new ConfigurationError("environment variable TABLE_NAME is not set: the function cannot find its table");
  }
  return { tableName, indexName: env.GSI_NAME?.trim() || DEFAULT_GSI_NAME };
}

/** Stored item: the tip plus the GSI partition key. */
interface TipItem extends Tip {
  readonly listPartition: typeof LIST_PARTITION;
}

/** Options for tests: where ids and timestamps come from. */
export interface CreateTipOptions {
  /** @default crypto.randomUUID */
  readonly newId?: () => string;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

/**
 * Stores a new tip under a fresh id, never overwriting an existing item.
 *
 * The put is conditional on `attribute_not_exists(id)`. If the id is taken (astronomically unlikely
 * with random UUIDs), one more id is tried.
 *
 * @throws TipIdCollisionError when both ids are taken.
 */
export async function createTip(table: TipTable, tip: NewTip, options: CreateTipOptions = {}): Promise<Tip> {
  const newId = options.newId ?? randomUUID;
  const createdAt = (options.now ?? (() => new Date()))().toISOString();
  const attempts = 2;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const stored: Tip = { id: newId(), author: tip.author, text: tip.text, tags: [...tip.tags], createdAt };
    const item: TipItem = { ...stored, listPartition: LIST_PARTITION };
    try {
      await documentClient.send(
        new PutCommand({
          TableName: table.tableName,
          Item: item,
          ConditionExpression: "attribute_not_exists(id)",
        }),
      );
      return stored;
    } catch (error) {
      if (!isConditionalCheckFailure(error)) throw error;
    }
  }
  throw new TipIdCollisionError(`${attempts} generated tip ids were already taken in table ${table.tableName}`);
}

/** The tip with this id, or `undefined`. */
export async function getTip(table: TipTable, id: string): Promise<Tip | undefined> {
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: table.tableName, Key: { id }, ConsistentRead: true }),
  );
  return Item === undefined ? undefined : toTip(Item);
}

/**
 * One page of tips, newest first: a Query on the `by-created-at` index, never a Scan.
 *
 * Asks for one item more than `limit`, so the last page is recognised as last (no `next`) instead of
 * being followed by an empty page.
 */
export async function listTips(
  table: TipTable,
  { limit, after }: { readonly limit: number; readonly after?: TipCursor },
): Promise<TipPage> {
  const result = await documentClient.send(
    new QueryCommand({
      TableName: table.tableName,
      IndexName: table.indexName,
      KeyConditionExpression: "listPartition = :partition",
      ExpressionAttributeValues: { ":partition": LIST_PARTITION },
      ScanIndexForward: false,
      Limit: limit + 1,
      ...(after && {
        ExclusiveStartKey: { id: after.id, listPartition: LIST_PARTITION, createdAt: after.createdAt },
      }),
    }),
  );
  const items = (result.Items ?? []).map(toTip);
  if (items.length > limit) {
    const page = items.slice(0, limit);
    const last = page[page.length - 1] as Tip;
    return { items: page, next: { createdAt: last.createdAt, id: last.id } };
  }
  // Fewer items than asked for, yet a LastEvaluatedKey: the 1 MB page limit cut the Query short.
  const key = result.LastEvaluatedKey;
  if (key && typeof key.createdAt === "string" && typeof key.id === "string") {
    return { items, next: { createdAt: key.createdAt, id: key.id } };
  }
  return { items };
}

function isConditionalCheckFailure(error: unknown): boolean {
  // By name rather than instanceof: robust to two copies of the SDK in one bundle.
  return error instanceof Error && error.name === "ConditionalCheckFailedException";
}

/** The public tip of a stored item; fails loudly on an item this code did not write. */
function toTip(item: Record<string, unknown>): Tip {
  const { id, author, text, tags, createdAt } = item;
  if (
    typeof id !== "string" ||
    typeof author !== "string" ||
    typeof text !== "string" ||
    typeof createdAt !== "string" ||
    !(tags === undefined || (Array.isArray(tags) && tags.every((tag) => typeof tag === "string")))
  ) {
    throw new Error(`item ${JSON.stringify(String(id))} is not a valid tip (unexpected attribute types)`);
  }
  return { id, author, text, tags: tags ?? [], createdAt };
}
