/**
 * `GET /tips?limit=&cursor=`: tips, newest first, one page at a time.
 *
 * `limit` 1-100 (default 20); `cursor` is the `nextCursor` of the previous page. 200
 * `{"items": [...], "nextCursor": "<opaque>" | null}`; 400 for a bad `limit` or `cursor`.
 *
 * IAM: `dynamodb:Query` on the index ARN. Env: `TABLE_NAME`, `GSI_NAME` (default `by-created-at`).
 */
import { json, queryParameters } from "./lib/http";
import { httpHandler, logger } from "./lib/observability";
import { listTips, tipTableFromEnv } from "./lib/repository";
import { decodeCursor, encodeCursor, parseLimit } from "./lib/validation";

export const handler = httpHandler("listTips", async (event) => {
  const query = queryParameters(event);
  const limit = parseLimit(query.limit);
  const after = decodeCursor(query.cursor);
  const page = await listTips(tipTableFromEnv(), { limit, ...(after && { after }) });
  logger.info("tips listed", { limit, count: page.items.length, firstPage: after === undefined, lastPage: !page.next });
  return json(200, { items: page.items, nextCursor: page.next ? encodeCursor(page.next) : null });
});
