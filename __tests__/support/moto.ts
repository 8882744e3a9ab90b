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
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { accessSync, constants } from "node:fs";
import { createServer } from "node:net";
import { homedir } from "node:os";
import { join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, vi } from "vitest";
import { readToolchainEnv, toolchainEnvFile } from "../../scripts/lib/toolchain-cache";

/** Upper bound on a server's life even if nobody stops it: far above any one test file. */
const MAX_LIFETIME_SECONDS = 300;
const STARTUP_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;
export const TEST_REGION = "us-east-1";

/**
 * Path of `moto_server` as recorded by `npm run toolchain` in its env file.
 *
 * @throws Error telling the user to run `npm run toolchain` when the toolchain is missing.
 */
export function motoServerBin(): string {
  const envFile = toolchainEnvFile();
  const fix = "run `npm run toolchain` (it installs moto into the toolchain venv), then re-run the tests";
  const env = readToolchainEnv(envFile);
  if (!env) {
    throw new Error(
      `these tests need moto_server (a real DynamoDB API on 127.0.0.1), but the toolchain is not installed (${envFile} is missing): ${fix}`,
    );
  }
  const bin = env.MOTO_SERVER_BIN;
  if (!bin) throw new Error(`${envFile} sets no MOTO_SERVER_BIN: ${fix}`);
  try {
    accessSync(bin, constants.X_OK);
  } catch {
    throw new Error(`MOTO_SERVER_BIN='${bin}' from ${envFile} is not executable: ${fix}`);
  }
  return bin;
}

/** A loopback port nobody listens on right now (callers retry if another process grabs it first). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

const hasTimeoutCommand = (): boolean => {
  try {
    execFileSync("timeout", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
};

/** A running moto server. */
export interface MotoServer {
  readonly endpoint: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/** Resolves when the child has exited (at once if it already has). */
export const exited = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once("exit", () => resolve()));

async function startOnce(bin: string, port: number): Promise<MotoServer> {
  const args = ["-H", "127.0.0.1", "-p", String(port)];
  // timeout(1) puts itself and moto in a new process group and forwards SIGTERM to moto.
  const [command, commandArgs] = hasTimeoutCommand()
    ? ["timeout", ["-k", "5", String(MAX_LIFETIME_SECONDS), bin, ...args]]
    : [bin, args];
  const child = spawn(command, commandArgs, { stdio: ["ignore", "pipe", "pipe"] });
  // Keep only the tail of moto's chatter (one line per request), for error messages; draining the
  // pipes also keeps moto from blocking on a full pipe.
  let output = "";
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString("utf8")).slice(-4_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${bin}`);
  const killOnExit = (): void => {
    try {
      process.kill(pid, "SIGTERM");
    } catch {
      // already gone
    }
  };
  process.once("exit", killOnExit);

  const stop = async (): Promise<void> => {
    process.removeListener("exit", killOnExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const stopped = await Promise.race([
      exited(child).then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), STOP_TIMEOUT_MS)),
    ]);
    if (!stopped) {
      try {
        // The process group that timeout(1) leads: timeout and moto together.
        process.kill(-pid, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
      await exited(child);
    }
  };

  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`moto_server exited (${child.exitCode ?? child.signalCode}) during startup:\n${output}`);
    }
    try {
      const response = await fetch(`${endpoint}/moto-api/data.json`, { signal: AbortSignal.timeout(1_000) });
      if (response.ok) return { endpoint, pid, stop };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stop();
  throw new Error(`moto_server did not answer on ${endpoint} within ${STARTUP_TIMEOUT_MS} ms:\n${output}`);
}

/** Starts moto_server on a free loopback port; fails with instructions when the toolchain is missing. */
export async function startMoto(): Promise<MotoServer> {
  const bin = motoServerBin();
  let lastError: unknown;
  // The free port can be taken between our probe and moto's bind; a new port fixes that.
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(bin, await freePort());
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
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
