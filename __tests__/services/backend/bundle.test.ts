/**
 * The service as its container runs it, without Docker: the esbuild command is read from the
 * Dockerfile's build stage and run as is (only the output moves to a temporary directory), the
 * runtime stage's ENV, WORKDIR/COPY layout and CMD are checked and reproduced, and the bundle is
 * started with plain `node` outside the repository (no node_modules anywhere above it) against moto.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createSocket } from "node:dgram";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Metafile } from "esbuild";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { infrastructureInputs } from "../../support/bundle-inputs";
import { awsTestEnv, exited } from "../../support/moto";
import { putItem, rawRequest, refusesConnections, send, startDelayProxy, useMoto, type DelayProxy } from "./support/backend";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const DOCKERFILE = join(ROOT, "services/backend/Dockerfile");
const ENTRY = "services/backend/src/server.ts";
const OUTFILE = "services/backend/dist/server.js";
/** Minified with every dependency inside, the bundle is ~0.6 MB today; fail loudly if it balloons. */
const MAX_BUNDLE_BYTES = 1.5 * 1024 * 1024;
/** How long the proxy holds DynamoDB's answer to the request that is in flight during the shutdown. */
const SLOW_MS = 1_500;

/** Dockerfile instructions with continuation lines joined and comments dropped. */
function dockerfileInstructions(): string[] {
  return readFileSync(DOCKERFILE, "utf8")
    .replace(/\\\n\s*/g, " ")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
}

const instructions = dockerfileInstructions();
const runtimeStage = instructions.slice(instructions.findLastIndex((line) => line.startsWith("FROM ")));
/** The arguments of the build stage's esbuild command. */
const esbuildArgs = (() => {
  const line = instructions.find((instruction) => instruction.startsWith("RUN node_modules/.bin/esbuild "));
  if (!line) throw new Error(`${DOCKERFILE} has no "RUN node_modules/.bin/esbuild ..." line`);
  return line.slice("RUN node_modules/.bin/esbuild ".length).split(/\s+/);
})();
/** ENV of the runtime stage, `KEY=value` pairs. */
const runtimeEnv = Object.fromEntries(
  runtimeStage
    .filter((line) => line.startsWith("ENV "))
    .flatMap((line) => line.slice(4).trim().split(/\s+/))
    .map((pair) => pair.split("=", 2) as [string, string]),
);

const db = useMoto();
let work: string;
/** Where the container's WORKDIR (/app) is reproduced. */
let appDir: string;
let metafile: Metafile;
let proxy: DelayProxy;
const children: ChildProcess[] = [];

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "backend-bundle-"));
  appDir = join(work, "app");
  mkdirSync(appDir);
  const args = esbuildArgs.map((arg) => (arg === `--outfile=${OUTFILE}` ? `--outfile=${join(appDir, "dist/server.js")}` : arg));
  execFileSync(join(ROOT, "node_modules/.bin/esbuild"), [...args, `--metafile=${join(work, "meta.json")}`, "--log-level=warning"], {
    cwd: ROOT,
    stdio: "pipe",
  });
  metafile = JSON.parse(readFileSync(join(work, "meta.json"), "utf8")) as Metafile;
  proxy = await startDelayProxy(db.endpoint);
}, 60_000);

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await proxy?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** A running bundle: its stdout lines parsed as they arrive. */
interface Bundled {
  readonly child: ChildProcess;
  readonly lines: string[];
  readonly stderr: () => string;
  records(): Record<string, any>[];
  waitFor(msg: string): Promise<Record<string, any>>;
}

/** Starts `CMD` of the image in the reproduced WORKDIR with the image's ENV plus `env`. */
function startBundle(env: Record<string, string | undefined>): Bundled {
  const [command, ...args] = JSON.parse(runtimeStage.find((line) => line.startsWith("CMD "))!.slice(4)) as string[];
  expect(command).toBe("node");
  const childEnv = Object.fromEntries(
    Object.entries({ PATH: process.env.PATH, HOME: work, ...runtimeEnv, ...env }).filter(
      (entry): entry is [string, string] => entry[1] !== undefined,
    ),
  );
  const child = spawn(process.execPath, args, { cwd: appDir, env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  const lines: string[] = [];
  let pending = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    const parts = (pending + chunk.toString("utf8")).split("\n");
    pending = parts.pop() ?? "";
    lines.push(...parts.filter((line) => line !== ""));
  });
  child.stderr?.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString("utf8")).slice(-8_000)));
  const records = (): Record<string, any>[] => lines.map((line) => JSON.parse(line) as Record<string, any>);
  return {
    child,
    lines,
    stderr: () => stderr,
    records,
    async waitFor(msg) {
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline) {
        const found = records().find((record) => record.msg === msg);
        if (found) return found;
        if (child.exitCode !== null) break;
        await new Promise((done) => setTimeout(done, 20));
      }
      throw new Error(`no "${msg}" log line; stdout:\n${lines.join("\n")}\nstderr:\n${stderr}`);
    },
  };
}

const serviceEnv = (tableName: string, extra: Record<string, string> = {}) => ({
  ...awsTestEnv(proxy.endpoint),
  TABLE_NAME: tableName,
  PORT: "0",
  ...extra,
});

describe("backend container image (without Docker)", () => {
  describe("Dockerfile", () => {
    it("bundles src/server.ts into one dist/server.js for Node 22, minified, with a source map", () => {
      expect(esbuildArgs).toEqual([
        ENTRY,
        "--bundle",
        "--platform=node",
        "--target=node22",
        "--format=cjs",
        "--minify",
        "--keep-names",
        "--legal-comments=none",
        "--sourcemap",
        "--sources-content=false",
        "--tsconfig-raw={}",
        `--outfile=${OUTFILE}`,
      ]);
    });

    it("runs the bundle as the node user on node:22-alpine, port 8080, production mode, from /app", () => {
      expect(instructions).toContain("ARG NODE_IMAGE=node:22-alpine");
      expect(runtimeStage[0]).toBe("FROM ${NODE_IMAGE}");
      expect(runtimeStage).toEqual(
        expect.arrayContaining([
          "WORKDIR /app",
          "COPY --from=build --chown=root:root /src/services/backend/dist/ ./dist/",
          "USER node",
          "EXPOSE 8080",
          'CMD ["node", "dist/server.js"]',
        ]),
      );
      expect(runtimeEnv).toEqual({ NODE_ENV: "production", NODE_OPTIONS: "--enable-source-maps" });
      // Nothing but the bundle reaches the runtime image: no npm install, no node_modules.
      expect(runtimeStage.filter((line) => line.startsWith("RUN ") || line.startsWith("COPY "))).toHaveLength(1);
    });

    it("builds from a context that holds only the lock files, the shared runtime code and the service's source", () => {
      const ignore = readFileSync(join(ROOT, "services/backend/Dockerfile.dockerignore"), "utf8")
        .split("\n")
        .filter((line) => line.trim() !== "" && !line.startsWith("#"));
      expect(ignore).toEqual(["*", "!package.json", "!package-lock.json", "!services/backend/src", "!runtime"]);
    });
  });

  describe("bundle", () => {
    it("is one file within the size budget, with everything but Node built-ins inside", () => {
      const size = statSync(join(appDir, "dist/server.js")).size;
      expect(size).toBeLessThan(MAX_BUNDLE_BYTES);
      const output = Object.values(metafile.outputs).find((entry) => entry.entryPoint === ENTRY);
      const external = (output?.imports ?? []).filter((entry) => entry.external).map((entry) => entry.path.replace(/^node:/, ""));
      expect(external.filter((path) => !builtinModules.includes(path))).toEqual([]);
    });

    it("contains no infrastructure or lambda code (cdktf or cdktn, constructs, stacks, modules, config, lambdas)", () => {
      const inputs = Object.keys(metafile.inputs);
      expect(infrastructureInputs(inputs, { packages: ["@aws-lambda-powertools"], folders: ["lambdas"] })).toEqual([]);
      expect(inputs).toContain(ENTRY);
    });
  });

  describe("the bundled server, run with `node dist/server.js`", () => {
    it("serves real requests against DynamoDB, then on SIGTERM finishes the slow in-flight request and exits 0", async () => {
      const tableName = await db.newTable();
      const server = startBundle(serviceEnv(tableName));
      const listening = await server.waitFor("listening");
      const url = `http://127.0.0.1:${listening.port}`;
      expect(listening).toEqual(expect.objectContaining({ level: "info", tableName, region: "us-east-1", maxItems: 1000 }));

      const health = await send(`${url}/`);
      expect([health.status, health.text]).toEqual([200, "Healthy"]);
      const created = await putItem(url, { name: "bundled", description: "from the image's command" });
      expect(created.status).toBe(201);
      const listed = await send(`${url}/api/v1/get`);
      expect(listed.body).toEqual({ Count: 1, Items: [created.body], Truncated: false });
      expect((await putItem(url, { name: "" })).status).toBe(400);

      // DynamoDB turns slow: the next request stays in flight while the task is stopped.
      const held = proxy.holdNext(SLOW_MS);
      const sentAt = Date.now();
      const slow = rawRequest(`${url}/api/v1/get`);
      await held;
      server.child.kill("SIGTERM");
      expect(await refusesConnections(listening.port)).toBe(true);

      const reply = await slow;
      expect(Date.now() - sentAt).toBeGreaterThanOrEqual(SLOW_MS - 50);
      expect(reply.status).toBe(200);
      expect(JSON.parse(reply.text)).toEqual({ Count: 1, Items: [created.body], Truncated: false });

      await exited(server.child);
      expect({ code: server.child.exitCode, signal: server.child.signalCode }).toEqual({ code: 0, signal: null });

      // Every line is JSON; the slow request was logged before the shutdown completed.
      const records = server.records();
      const messages = records.map((record) => record.msg);
      expect(records.find((record) => record.msg === "shutdown started")).toEqual(
        expect.objectContaining({ signal: "SIGTERM", inFlight: 1, timeoutMs: 25_000 }),
      );
      expect(records.at(-1)).toEqual(expect.objectContaining({ msg: "shutdown complete", drained: true, abortedRequests: 0 }));
      const requests = records.filter((record) => record.msg === "request completed");
      expect(requests.map((record) => [record.method, record.path, record.status])).toEqual([
        ["POST", "/api/v1/put", 201],
        ["GET", "/api/v1/get", 200],
        ["POST", "/api/v1/put", 400],
        ["GET", "/api/v1/get", 200],
      ]);
      expect(requests.at(-1)?.durationMs).toBeGreaterThanOrEqual(SLOW_MS - 50);
      expect(messages.lastIndexOf("request completed")).toBeLessThan(messages.indexOf("shutdown complete"));
    });

    it("logs source-mapped stack traces (NODE_OPTIONS=--enable-source-maps) and answers 500 on a DynamoDB failure", async () => {
      const server = startBundle(serviceEnv("no-such-table-in-bundle"));
      const { port } = await server.waitFor("listening");
      const reply = await send(`http://127.0.0.1:${port}/api/v1/get`);
      expect(reply.status).toBe(500);
      expect(reply.text).toBe('{"error":"internal error"}');
      const failure = await server.waitFor("request failed");
      expect(failure.error.name).toBe("ResourceNotFoundException");
      // Frames point into the original sources, not at a column of the one-line bundle.
      expect(failure.error.stack).toMatch(/node_modules\/@(aws-sdk|smithy)\//);
      server.child.kill("SIGINT");
      await exited(server.child);
      expect(server.child.exitCode).toBe(0);
    });

    it("traces each request and its DynamoDB calls to the daemon at AWS_XRAY_DAEMON_ADDRESS", async () => {
      const socket = createSocket("udp4");
      const segments: Record<string, any>[] = [];
      socket.on("message", (message) => {
        const [, body] = message.toString("utf8").split("\n", 2);
        if (body) segments.push(JSON.parse(body) as Record<string, any>);
      });
      await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
      try {
        const daemon = `127.0.0.1:${(socket.address() as AddressInfo).port}`;
        const server = startBundle(serviceEnv(await db.newTable(), { AWS_XRAY_DAEMON_ADDRESS: daemon }));
        const { port, tracing } = await server.waitFor("listening");
        expect(tracing).toBe(true);
        const traceId = "1-6740a1b2-00000000000000000000abcd";
        const created = await putItem(`http://127.0.0.1:${port}`, { name: "traced" }, { "x-amzn-trace-id": `Root=${traceId};Sampled=1` });
        expect(created.status).toBe(201);
        const segment = await vi.waitFor(
          () => {
            const found = segments.find((candidate) => candidate.trace_id === traceId);
            if (!found) throw new Error("no segment yet");
            return found;
          },
          { timeout: 3_000, interval: 10 },
        );
        expect(segment).toEqual(expect.objectContaining({ name: "backend", http: expect.objectContaining({ response: { status: 201 } }) }));
        expect(segment.subsegments).toContainEqual(
          expect.objectContaining({ name: "DynamoDB", namespace: "aws", aws: expect.objectContaining({ operation: "PutItem" }) }),
        );
        server.child.kill("SIGTERM");
        await exited(server.child);
        expect(server.records().filter((record) => record.level === "warn" || record.level === "error")).toEqual([]);
      } finally {
        await new Promise<void>((resolve) => socket.close(() => resolve()));
      }
    });

    it("exits 1 with one JSON line listing every configuration problem", async () => {
      const server = startBundle({ ...awsTestEnv(proxy.endpoint), AWS_REGION: undefined, MAX_ITEMS: "lots" });
      await exited(server.child);
      expect(server.child.exitCode).toBe(1);
      expect(server.records()).toEqual([
        expect.objectContaining({
          level: "error",
          msg: "invalid configuration",
          problems: [
            "TABLE_NAME is required: the name of the DynamoDB table the service reads and writes",
            "AWS_REGION is required: the region of the table, e.g. us-east-1 (set it in the task definition)",
            'MAX_ITEMS must be an integer from 1 to 1000 (default 1000), received "lots"',
          ],
        }),
      ]);
    });
  });
});
