/**
 * `POST /tips`: stores a new coding tip.
 *
 * Body `{ "author": string, "text": string, "tags"?: string[] }` (see {@link validateNewTip} for the
 * rules). 201 with the stored tip and `Location: /tips/<id>`; 400 listing every problem; 413 over
 * 16 KiB; 415 when the content type is not JSON (missing is accepted); 500 `{"error":"internal error"}` when DynamoDB fails.
 *
 * IAM: `dynamodb:PutItem` on the table. Env: `TABLE_NAME`.
 */
import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { json } from "./lib/http";
import { httpHandler, logger, metrics } from "./lib/observability";
import { createTip, tipTableFromEnv } from "./lib/repository";
import { readJsonBody, validateNewTip } from "./lib/validation";

export const handler = httpHandler("createTip", async (event) => {
  const body = readJsonBody(event);
  const newTip = validateNewTip(body.value);
  const tip = await createTip(tipTableFromEnv(), newTip);
  metrics.addMetric("TipCreated", MetricUnit.Count, 1);
  // Sizes only: the tip's text and author are user content and stay out of the logs.
  logger.info("tip created", {
    tipId: tip.id,
    bodyBytes: body.bytes,
    authorLength: tip.author.length,
    textLength: tip.text.length,
    tagCount: tip.tags.length,
  });
  return json(201, tip, { location: `/tips/${tip.id}` });
});
