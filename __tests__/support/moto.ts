/**
 * A real DynamoDB API for runtime-code tests (lambdas, services): moto server from the project
 * toolchain, on 127.0.0.1.
 *
 * This file holds only the generic part: find `moto_server`, start it on a free loopback port, stop
 * it, and the AWS SDK environment that points code at it. Each suite keeps its own table spec and
 * `use…` hook (`__tests__/lambdas/support/moto.ts`, `__tests__/services/backend/support/backend.ts`).
 *
 * A server's lifetime is bounded twice: the caller stops it by PID (usually in `afterAll`), and it
 * runs under `timeout(1)`, so even a test process killed outright cannot leave it running for long.
 */
import { type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { homedir } from "node:os";
import { join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, vi } from "vitest";
import { startEmulator, type Emulator } from "../../scripts/emulator/server";

export { freePort } from "../../scripts/emulator/server";

/** Upper bound on a server's life even if nobody stops it: far above any one test file. */
const MAX_LIFETIME_SECONDS = 300;
export const TEST_REGION = "us-east-1";

/** A running moto server. */
export type MotoServer = Emulator;

/** Resolves when the child has exited (at once if it already has). */
export const exited = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once("exit", () => resolve()));

/** Starts moto on a free loopback port; fails with instructions when the toolchain is missing. */
export function startMoto(): Promise<MotoServer> {
  return startEmulator({ lifetimeSeconds: MAX_LIFETIME_SECONDS });
}

/** An SDK client for a test's own setup and assertions (the code under test builds its own). */
export function testDynamoClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: TEST_REGION,
    credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
  });
}

/**
 * The environment that points an AWS SDK v3 client at moto through the SDK's standard variables:
 * `AWS_ENDPOINT_URL_DYNAMODB`, region, dummy credentials, and nothing from the developer's own AWS
 * setup (a profile, a session, config files, instance metadata). `undefined` means "unset it".
 *
 * Stub it in-process with `vi.stubEnv`, or merge it into a child process's environment (dropping
 * the `undefined` entries).
 */
export function awsTestEnv(endpoint: string): Record<string, string | undefined> {
  return {
    AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    AWS_REGION: TEST_REGION,
    AWS_ACCESS_KEY_ID: "testing",
    AWS_SECRET_ACCESS_KEY: "testing",
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
    AWS_CONFIG_FILE: join(homedir(), ".aws-config-unused-by-tests"),
    AWS_SHARED_CREDENTIALS_FILE: join(homedir(), ".aws-credentials-unused-by-tests"),
    AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: undefined,
    AWS_EC2_METADATA_DISABLED: "true",
  };
}

/** What a test file gets from {@link useMotoTables}; filled in by `beforeAll`. */
export interface MotoTables {
  endpoint: string;
  client: DynamoDBClient;
  /** Creates a fresh, empty table to the spec. */
  newTable(): Promise<string>;
}

/**
 * Starts moto for this test file, points the AWS SDK at it through the standard environment
 * ({@link awsTestEnv}), and stops it afterwards. Tables are made by `createTable`, named
 * `<prefix>-<random>`; they go with the server, as moto keeps everything in memory.
 */
export function useMotoTables(
  prefix: string,
  createTable: (client: DynamoDBClient, tableName: string) => Promise<void>,
): MotoTables {
  let server: MotoServer | undefined;
  const state = {} as MotoTables;
  beforeAll(async () => {
    server = await startMoto();
    const client = testDynamoClient(server.endpoint);
    const newTable = async (): Promise<string> => {
      const name = `${prefix}-${randomUUID().slice(0, 8)}`;
      await createTable(client, name);
      return name;
    };
    Object.assign(state, { endpoint: server.endpoint, client, newTable });
    for (const [name, value] of Object.entries(awsTestEnv(server.endpoint))) vi.stubEnv(name, value);
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    state.client?.destroy();
    await server?.stop();
  });
  return state;
}
