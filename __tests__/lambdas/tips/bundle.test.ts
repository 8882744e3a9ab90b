/**
 * The functions as Lambda runs them: each entry point bundled alone by esbuild with the settings
 * modules/lambda-bundle.ts uses (platform node, target node22, format cjs, minified with names kept,
 * nothing external), then loaded with plain `require` and called against moto.
 */
import { createSocket } from "node:dgram";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Metafile } from "esbuild";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { infrastructureInputs } from "../../support/bundle-inputs";
import { call, captureOutput, type Handler } from "../support/http";
import { useMotoDynamo } from "../support/moto";

const ENTRY_POINTS = ["create-tip", "list-tips", "get-tip"] as const;
type EntryPoint = (typeof ENTRY_POINTS)[number];
/** Minified, everything bundled, each is ~0.7 MB today; fail loudly if a dependency balloons. */
const MAX_BUNDLE_BYTES = 1.5 * 1024 * 1024;

useMotoDynamo();
captureOutput();

interface Bundle {
  readonly code: string;
  readonly metafile: Metafile;
  readonly warnings: readonly string[];
}

const bundles = {} as Record<EntryPoint, Bundle>;
const handlers = {} as Record<EntryPoint, Handler>;
let outDir: string;
let requireBundle: (file: string) => { handler: Handler };

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), "tips-bundle-"));
  const require = createRequire(import.meta.url);
  requireBundle = (file) => require(file) as { handler: Handler };
  for (const name of ENTRY_POINTS) {
    const result = await build({
      entryPoints: [fileURLToPath(new URL(`../../../lambdas/tips/${name}.ts`, import.meta.url))],
      bundle: true,
      platform: "node",
      target: "node22",
      format: "cjs",
      minify: true,
      keepNames: true,
      legalComments: "none",
      write: false,
      metafile: true,
      logLevel: "silent",
    });
    const code = result.outputFiles[0]?.text ?? "";
    bundles[name] = { code, metafile: result.metafile, warnings: result.warnings.map((warning) => warning.text) };
    const file = join(outDir, `${name}.js`);
    writeFileSync(file, code);
    // Plain Node require: no vitest transform, exactly what the Lambda runtime does with index.js.
    handlers[name] = requireBundle(file).handler;
  }
}, 60_000);

afterAll(() => {
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

describe("tips function bundles", () => {
  it.each(ENTRY_POINTS)("%s bundles without warnings, within the size budget", (name) => {
    const bundle = bundles[name];
    expect(bundle.warnings).toEqual([]);
    expect(Buffer.byteLength(bundle.code)).toBeLessThan(MAX_BUNDLE_BYTES);
  });

  it.each(ENTRY_POINTS)("%s contains no infrastructure code (cdktf or cdktn, constructs, stacks, modules, config)", (name) => {
    const inputs = Object.keys(bundles[name].metafile.inputs);
    expect(infrastructureInputs(inputs)).toEqual([]);
    expect(inputs).toContain(`lambdas/tips/${name}.ts`);
  });

  it("the bundled functions create, read and list a tip against DynamoDB", async () => {
    const created = await call(handlers["create-tip"], {
      routeKey: "POST /tips",
      body: JSON.stringify({ author: "Bundle", text: "Ship what you test.", tags: ["esbuild"] }),
    });
    expect(created.statusCode).toBe(201);

    const fetched = await call(handlers["get-tip"], { routeKey: "GET /tips/{id}", pathParameters: { id: created.body.id } });
    expect(fetched.statusCode).toBe(200);
    expect(fetched.body).toEqual(created.body);

    const listed = await call(handlers["list-tips"], { routeKey: "GET /tips", queryStringParameters: { limit: "5" } });
    expect(listed.statusCode).toBe(200);
    expect(listed.body).toEqual({ items: [created.body], nextCursor: null });
  });

  it("the bundled functions answer validation errors the same way", async () => {
    const response = await call(handlers["get-tip"], { routeKey: "GET /tips/{id}", pathParameters: { id: "nope" } });
    expect(response.statusCode).toBe(400);
    expect(response.body.error).toMatch(/^id must be a UUID/);
  });

  it("in Lambda, traces each request as a `## <operation>` subsegment with the DynamoDB call inside, without the response", async () => {
    const created = await call(handlers["create-tip"], {
      routeKey: "POST /tips",
      body: JSON.stringify({ author: "Tracer", text: "Trace text that must not leave 4f7a." }),
    });
    // A stand-in X-Ray daemon: the SDK sends segment documents over UDP to AWS_XRAY_DAEMON_ADDRESS.
    const daemon = createSocket("udp4");
    const documents: string[] = [];
    daemon.on("message", (message) => documents.push(message.toString("utf8")));
    await new Promise<void>((done) => daemon.bind(0, "127.0.0.1", done));
    const lambdaEnv: Record<string, string | undefined> = {
      AWS_EXECUTION_ENV: "AWS_Lambda_nodejs22.x",
      AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand",
      LAMBDA_TASK_ROOT: "/var/task",
      _X_AMZN_TRACE_ID: "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1",
      AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${daemon.address().port}`,
      AWS_XRAY_CONTEXT_MISSING: "IGNORE_ERROR",
      POWERTOOLS_TRACE_ENABLED: undefined,
    };
    const previous = Object.fromEntries(Object.keys(lambdaEnv).map((name) => [name, process.env[name]]));
    try {
      for (const [name, value] of Object.entries(lambdaEnv)) vi.stubEnv(name, value);
      // A second copy of the bundle: its Tracer is created now, in the Lambda-like environment.
      const file = join(outDir, "get-tip-traced.js");
      writeFileSync(file, bundles["get-tip"].code);
      const traced = requireBundle(file).handler;

      const response = await call(traced, { routeKey: "GET /tips/{id}", pathParameters: { id: created.body.id } });
      expect(response.statusCode).toBe(200);

      const segments = await vi.waitFor(
        () => {
          const found = documents
            .map((document) => JSON.parse(document.slice(document.indexOf("\n") + 1)) as Record<string, any>)
            .flatMap(function flatten(segment): Record<string, any>[] {
              return [segment, ...((segment.subsegments as Record<string, any>[] | undefined) ?? []).flatMap(flatten)];
            });
          expect(found.map((segment) => segment.name)).toEqual(expect.arrayContaining(["## getTip", "DynamoDB"]));
          return found;
        },
        { timeout: 3_000, interval: 50 },
      );
      expect(segments.find((segment) => segment.name === "## getTip")).toEqual(
        expect.objectContaining({
          trace_id: "1-5759e988-bd862e3fe1be46a994272793",
          annotations: { ColdStart: true, Service: "coding-tips-test", operation: "getTip" },
        }),
      );
      expect(segments.find((segment) => segment.name === "DynamoDB")).toEqual(
        expect.objectContaining({ aws: expect.objectContaining({ operation: "GetItem" }) }),
      );
      expect(documents.join("\n")).not.toContain("4f7a");
    } finally {
      for (const [name, value] of Object.entries(previous)) vi.stubEnv(name, value);
      daemon.close();
    }
  });
});
