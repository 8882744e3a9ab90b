/**
 * Reads and writes items in DynamoDB.
 *
 * ## Table spec (the infrastructure creates the table from this)
 *
 * | what          | value                                                                      |
 * | ------------- | -------------------------------------------------------------------------- |
 * | table name    | any; given to the service as env var `TABLE_NAME` (required)               |
 * | partition key | `id` (S); no sort key, no index                                            |
 * | attributes    | `name` (S), `description` (S, optional), `createdAt` (S, ISO-8601 UTC)     |
 * | billing       | on-demand (PAY_PER_REQUEST) suits small, spiky traffic                     |
 *
 * ## IAM (task role)
 * - `dynamodb:Scan` and `dynamodb:PutItem` on the table ARN; nothing else, no index ARN.
 * - with a customer managed KMS key on the table, also `kms:Decrypt`, `kms:Encrypt` and
 *   `kms:GenerateDataKey` on the key (condition `kms:ViaService` = `dynamodb.<region>.amazonaws.com`).
 *
 * The endpoint is the SDK's own business: the standard `AWS_ENDPOINT_URL_DYNAMODB` variable points it
 * at an emulator (moto, DynamoDB Local); credentials come from the task role through the SDK's chain.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, PutCommand, ScanCommand, type ScanCommandInput } from "@aws-sdk/lib-dynamodb";
import type { Item } from "./item";

/** What `GET /api/v1/get` reads. */
export interface ScanResult {
  readonly items: Item[];
  /** More items exist than were returned: the scan stopped at the requested maximum. */
  readonly truncated: boolean;
  /** Scan requests made (for tests and debugging). */
  readonly pages: number;
}

/** Where the service keeps its items; the DynamoDB implementation is {@link createDynamoItemStore}. */
export interface ItemStore {
  /** Up to `maxItems` items, in Scan order (unordered), following pages as needed. */
  scan(maxItems: number): Promise<ScanResult>;
  /**
   * Stores a new item; never overwrites.
   *
   * @throws ItemExistsError when an item with this id exists.
   */
  put(item: Item): Promise<void>;
  /** Closes the store's connections (at shutdown). */
  destroy(): void;
}

/** An item with this id is already stored. */
export class ItemExistsError extends Error {
  override readonly name = "ItemExistsError";

  constructor(readonly id: string) {
    super(`an item with id ${JSON.stringify(id)} already exists`);
  }
}

export interface DynamoItemStoreOptions {
  readonly tableName: string;
  /** Region of the table. @default - the SDK's own resolution (AWS_REGION) */
  readonly region?: string;
  /**
   * `Limit` of each Scan request (tests use a tiny one to exercise paging).
   * @default - what is still needed plus one; DynamoDB still pages at 1 MB
   */
  readonly scanPageSize?: number;
  /**
   * Instruments the DynamoDB client, e.g. `tracer.captureClient` to trace each call.
   * @default - the client as is
   */
  readonly instrument?: <T extends DynamoDBClient>(client: T) => T;
}

/** `name` is a DynamoDB reserved word, so every attribute goes through a placeholder. */
const PROJECTION: Pick<ScanCommandInput, "ProjectionExpression" | "ExpressionAttributeNames"> = {
  ProjectionExpression: "#id, #name, #description, #createdAt",
  ExpressionAttributeNames: { "#id": "id", "#name": "name", "#description": "description", "#createdAt": "createdAt" },
};

export function createDynamoItemStore(options: DynamoItemStoreOptions): ItemStore {
  const { tableName, scanPageSize } = options;
  // One client for the life of the process, so connections are reused. The timeouts keep a stuck
  // connection from holding a request (and a shutdown) for long: with the SDK's 3 attempts a
  // request gives up after ~16 s, under the 25 s shutdown bound and the ALB's 60 s idle timeout.
  const created = new DynamoDBClient({
    ...(options.region !== undefined && { region: options.region }),
    requestHandler: { connectionTimeout: 2_000, requestTimeout: 5_000 },
  });
  const client = options.instrument ? options.instrument(created) : created;
  const documents = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });

  return {
    async scan(maxItems) {
      const items: Item[] = [];
      let pages = 0;
      let startKey: Record<string, unknown> | undefined;
      // Ask for one item more than wanted: getting it proves there are more (truncated) without an
      // extra request. A LastEvaluatedKey alone does not: DynamoDB sets it whenever Limit is reached.
      do {
        const wanted = maxItems + 1 - items.length;
        const page = await documents.send(
          new ScanCommand({
            TableName: tableName,
            ...PROJECTION,
            Limit: scanPageSize === undefined ? wanted : Math.min(scanPageSize, wanted),
            // A client that just stored an item sees it in the next list.
            ConsistentRead: true,
            ...(startKey && { ExclusiveStartKey: startKey }),
          }),
        );
        pages++;
        items.push(...((page.Items ?? []) as Item[]));
        startKey = page.LastEvaluatedKey;
      } while (startKey && items.length <= maxItems);
      const truncated = items.length > maxItems;
      return { items: truncated ? items.slice(0, maxItems) : items, truncated, pages };
    },

    async put(item) {
      try {
        await documents.send(
          new PutCommand({ TableName: tableName, Item: item, ConditionExpression: "attribute_not_exists(id)" }),
        );
      } catch (error) {
        // By name rather than instanceof: robust to two copies of the SDK in one bundle.
        if (error instanceof Error && error.name === "ConditionalCheckFailedException") throw new ItemExistsError(item.id);
        throw error;
      }
    },

    destroy() {
      client.destroy();
    },
  };
}
