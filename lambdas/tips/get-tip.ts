/**
 * `GET /tips/{id}`: one tip.
 *
 * 200 with the tip; 400 when `id` is not a UUID; 404 `{"error":"tip <id> not found"}`.
 *
 * IAM: `dynamodb:GetItem` on the table. Env: `TABLE_NAME`.
 */
import { HttpError, json } from "./lib/http";
import { httpHandler, logger } from "./lib/observability";
import { getTip, tipTableFromEnv } from "./lib/repository";
import { parseTipId } from "./lib/validation";

export const handler = httpHandler("getTip", async (event) => {
  const id = parseTipId(event.pathParameters?.id);
  const tip = await getTip(tipTableFromEnv(), id);
  logger.info("tip looked up", { tipId: id, found: tip !== undefined });
  if (!tip) throw new HttpError(404, `tip ${id} not found`);
  return json(200, tip);
});
