/**
 * A real DynamoDB API for the lambda tests: moto server from the project toolchain, on 127.0.0.1.
 *
 * `useMotoDynamo()` registers `beforeAll`/`afterAll` hooks: start `moto_server` on a free loopback
 * port, create a tips table (with its GSI) through the AWS SDK, and point the SDK at it with the
 * standard `AWS_ENDPOINT_URL_DYNAMODB` variable plus dummy credentials. Each test file gets its own
 * server and table, so files stay independent when vitest runs them in parallel.
 *
 * Starting and stopping moto, and the SDK environment, live in the shared `__tests__/support/moto.ts`
 * (the services' tests use them too); this file adds the tips table and the Powertools settings.
 */
import { CreateTableCommand, ScanCommand, type AttributeValue, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { beforeAll, vi } from "vitest";
import { useMotoTables, type MotoTables } from "../../support/moto";

export { startMoto, testDynamoClient, TEST_REGION, type MotoServer } from "../../support/moto";
export const GSI_NAME = "by-created-at";

/** Creates a table to the spec in lambdas/tips/lib/repository.ts. */
export async function createTipsTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [
        { AttributeName: "id", AttributeType: "S" },
        { AttributeName: "listPartition", AttributeType: "S" },
        { AttributeName: "createdAt", AttributeType: "S" },
      ],
      KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
      GlobalSecondaryIndexes: [
        {
          IndexName: GSI_NAME,
          KeySchema: [
            { AttributeName: "listPartition", KeyType: "HASH" },
            { AttributeName: "createdAt", KeyType: "RANGE" },
          ],
          Projection: { ProjectionType: "ALL" },
        },
      ],
    }),
  );
}

/** Every raw item of a table (tests may Scan; the functions never do). */
export async function scanAll(client: DynamoDBClient, tableName: string): Promise<Record<string, AttributeValue>[]> {
  const items: Record<string, AttributeValue>[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** What a test file gets from {@link useMotoDynamo}; filled in by `beforeAll`. */
export interface MotoDynamo extends MotoTables {
  /** The table `TABLE_NAME` points at. */
  tableName: string;
}

/**
 * Starts moto for this test file and sets the environment the functions read: `TABLE_NAME`,
 * `AWS_ENDPOINT_URL_DYNAMODB`, region, dummy credentials, and Powertools settings for a run outside
 * Lambda. Import the code under test (dynamically) in a later `beforeAll`, so its module-level SDK
 * client and Powertools instances see this environment.
 */
export function useMotoDynamo(): MotoDynamo {
  const state = useMotoTables("tips-test", createTipsTable) as MotoDynamo;
  beforeAll(async () => {
    state.tableName = await state.newTable();
    const env: Record<string, string | undefined> = {
      TABLE_NAME: state.tableName,
      GSI_NAME: undefined,
      POWERTOOLS_SERVICE_NAME: "coding-tips-test",
      POWERTOOLS_METRICS_NAMESPACE: "CodingTipsTest",
      POWERTOOLS_TRACE_ENABLED: "false",
      POWERTOOLS_LOG_LEVEL: "INFO",
      POWERTOOLS_DEV: undefined,
      POWERTOOLS_METRICS_DISABLED: undefined,
      AWS_LAMBDA_LOG_LEVEL: undefined,
      AWS_EXECUTION_ENV: undefined,
    };
    for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  });
  return state;
}
