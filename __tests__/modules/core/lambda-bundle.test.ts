import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { unzipSync } from "fflate";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { bundleLambda, type BundleOptions, type LambdaBundle } from "../../../modules/core/lambda-bundle";

const PROJECT_ROOT = resolve(__dirname, "../../..");
const ENTRIES = ["create-tip", "list-tips", "get-tip"].map((name) => resolve(PROJECT_ROOT, "lambdas", "tips", `${name}.ts`));
/** This file's own bundle cache, so what it proves does not depend on earlier runs. */
const CACHE = mkdtempSync(join(tmpdir(), "lambda-bundle-cache-"));
afterAll(() => rmSync(CACHE, { recursive: true, force: true }));
const options = (entry: string, cacheDir = CACHE): BundleOptions => ({ entry, projectRoot: PROJECT_ROOT, target: "node22", cacheDir });

/** DOS time and date fields of 1980-01-01 00:00:00, the zip epoch. */
const DOS_TIME_1980 = 0x0000;
const DOS_DATE_1980 = (0 << 9) | (1 << 5) | 1;

interface ZipTimestamps {
  readonly name: string;
  readonly local: { time: number; date: number };
  readonly central: { time: number; date: number };
}

/** Timestamps of every entry, read from both the central directory and each local file header. */
function zipTimestamps(zip: Buffer): ZipTimestamps[] {
  const eocd = zip.length - 22;
  expect(zip.readUInt32LE(eocd), "end of central directory signature (no archive comment)").toBe(0x06054b50);
  const count = zip.readUInt16LE(eocd + 10);
  let offset = zip.readUInt32LE(eocd + 16);
  const found: ZipTimestamps[] = [];
  for (let i = 0; i < count; i += 1) {
    expect(zip.readUInt32LE(offset), "central directory header signature").toBe(0x02014b50);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const localOffset = zip.readUInt32LE(offset + 42);
    expect(zip.readUInt32LE(localOffset), "local file header signature").toBe(0x04034b50);
    found.push({
      name: zip.toString("utf8", offset + 46, offset + 46 + nameLength),
      central: { time: zip.readUInt16LE(offset + 12), date: zip.readUInt16LE(offset + 14) },
      local: { time: zip.readUInt16LE(localOffset + 10), date: zip.readUInt16LE(localOffset + 12) },
    });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return found;
}

const sha256 = (bytes: Buffer, encoding: "hex" | "base64"): string => createHash("sha256").update(bytes).digest(encoding);

/** Runs the bundle as Lambda's Node.js runtime would load it (CommonJS) and returns its exports. */
function load(code: string): Record<string, unknown> {
  const module = { exports: {} as Record<string, unknown> };
  new Function("module", "exports", "require", code)(module, module.exports, createRequire(__filename));
  return module.exports;
}

/** A two-file handler written to a fresh directory, so tests can move the same source around. */
const fixtureRoots: string[] = [];
afterAll(() => {
  for (const root of fixtureRoots) rmSync(root, { recursive: true, force: true });
});

function fixtureProject(greetingFile = "greeting.ts"): { root: string; entry: string } {
  const root = mkdtempSync(join(tmpdir(), "lambda-bundle-fixture-"));
  fixtureRoots.push(root);
  mkdirSync(join(root, "src", "greeting"), { recursive: true });
  writeFileSync(join(root, "src", greetingFile), "export const greeting = (name: string): string => `hello ${name}`;\n");
  writeFileSync(
    join(root, "src", "handler.ts"),
    'import { greeting } from "./greeting";\n\nexport async function handler(event: { name: string }) {\n  return { statusCode: 200, body: greeting(event.name) };\n}\n',
  );
  return { root, entry: join(root, "src", "handler.ts") };
}

/**
 * Bundles `entry` in a separate Node.js process with time zone `tz` (the bundler runs at synth
 * time on whatever machine synthesizes), with an empty cache of its own so it really builds.
 * Reports the bundle or the error message; never throws.
 */
function bundleInProcess(tz: string, entry: string): { ok: true; bundle: LambdaBundle } | { ok: false; error: string } {
  const cacheDir = mkdtempSync(join(tmpdir(), "lambda-bundle-cache-"));
  fixtureRoots.push(cacheDir);
  const script = `
    const m = await import(${JSON.stringify(resolve(PROJECT_ROOT, "modules", "core", "lambda-bundle.ts"))});
    const { bundleLambda } = m.bundleLambda ? m : m.default;
    try {
      console.log(JSON.stringify({ ok: true, bundle: bundleLambda(${JSON.stringify(options(entry, cacheDir))}) }));
    } catch (error) {
      console.log(JSON.stringify({ ok: false, error: error.message }));
    }`;
  const stdout = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, TZ: tz },
    encoding: "utf8",
  });
  return JSON.parse(stdout.trim().split("\n").at(-1)!) as { ok: true; bundle: LambdaBundle } | { ok: false; error: string };
}

describe("bundleLambda", () => {
  describe.each(ENTRIES.map((entry) => [basename(entry, ".ts"), entry] as const))("%s", (_name, entry) => {
    let bundle: LambdaBundle;
    let zip: Buffer;
    beforeAll(() => {
      bundle = bundleLambda(options(entry));
      zip = readFileSync(bundle.zipPath);
    });

    it("gives source_code_hash as the base64 SHA-256 of the zip file's bytes", () => {
      expect(bundle.sourceCodeHash).toBe(sha256(zip, "base64"));
    });

    it("names the zip by the hex SHA-256 of its content", () => {
      expect(basename(bundle.zipPath)).toBe(`${sha256(zip, "hex")}.zip`);
    });

    it("reports the zip and bundle sizes", () => {
      expect(bundle.zipBytes).toBe(statSync(bundle.zipPath).size);
      expect(bundle.bundleBytes).toBe(unzipSync(zip)["index.js"]!.byteLength);
      expect(bundle.zipBytes).toBeLessThan(bundle.bundleBytes);
    });

    it("holds exactly one entry, index.js (the handler is index.handler)", () => {
      expect(Object.keys(unzipSync(zip))).toEqual(["index.js"]);
    });

    it("stamps every entry with the fixed 1980-01-01 00:00 timestamp, in both headers", () => {
      expect(zipTimestamps(zip)).toEqual([
        {
          name: "index.js",
          local: { time: DOS_TIME_1980, date: DOS_DATE_1980 },
          central: { time: DOS_TIME_1980, date: DOS_DATE_1980 },
        },
      ]);
    });

    it("carries no absolute path of the machine that bundled it", () => {
      const code = Buffer.from(unzipSync(zip)["index.js"]!).toString("utf8");
      expect(code).not.toContain(PROJECT_ROOT);
      expect(code).not.toContain(tmpdir());
    });

    it("is CommonJS without a source map", () => {
      const code = Buffer.from(unzipSync(zip)["index.js"]!).toString("utf8");
      expect(code).toContain("module.exports");
      expect(code).not.toContain("sourceMappingURL");
    });
  });

  describe("determinism", () => {
    afterEach(() => {
      vi.useRealTimers();
      vi.resetModules();
    });

    it("returns the memoized bundle when asked for the same entry twice", () => {
      const first = bundleLambda(options(ENTRIES[0]!));
      const second = bundleLambda(options(ENTRIES[0]!));
      expect(second).toBe(first);
    });

    it("rebuilds byte-identical zips in a fresh module with an empty cache, at another wall-clock time", async () => {
      const before = ENTRIES.map((entry) => bundleLambda(options(entry)));
      const bytesBefore = before.map((bundle) => readFileSync(bundle.zipPath));

      vi.useFakeTimers({ now: new Date("2031-07-15T13:37:00Z"), toFake: ["Date"] });
      vi.resetModules();
      const fresh = await import("../../../modules/core/lambda-bundle");
      expect(fresh.bundleLambda).not.toBe(bundleLambda);
      const emptyCache = mkdtempSync(join(tmpdir(), "lambda-bundle-cache-"));
      fixtureRoots.push(emptyCache);
      const after = ENTRIES.map((entry) => fresh.bundleLambda(options(entry, emptyCache)));

      expect(after.map((bundle) => bundle.sourceCodeHash)).toEqual(before.map((bundle) => bundle.sourceCodeHash));
      after.forEach((bundle, i) => expect(readFileSync(bundle.zipPath).equals(bytesBefore[i]!)).toBe(true));
    });

    it("gives each entry its own bundle", () => {
      const hashes = ENTRIES.map((entry) => bundleLambda(options(entry)).sourceCodeHash);
      expect(new Set(hashes).size).toBe(ENTRIES.length);
    });

    it("gives the same bytes for the same source in another checkout directory", () => {
      const a = fixtureProject();
      const b = fixtureProject();
      const first = bundleLambda({ entry: a.entry, projectRoot: a.root, target: "node22", cacheDir: CACHE });
      const second = bundleLambda({ entry: b.entry, projectRoot: b.root, target: "node22", cacheDir: CACHE });
      expect(second).not.toBe(first);
      expect(second.sourceCodeHash).toBe(first.sourceCodeHash);
      expect(second.zipPath).toBe(first.zipPath);
    });

    it("bundles imports into one file whose handler runs", async () => {
      const project = fixtureProject();
      const bundle = bundleLambda({ entry: project.entry, projectRoot: project.root, target: "node22", cacheDir: CACHE });
      const code = Buffer.from(unzipSync(readFileSync(bundle.zipPath))["index.js"]!).toString("utf8");
      const { handler } = load(code) as { handler: (event: { name: string }) => Promise<unknown> };
      await expect(handler({ name: "tips" })).resolves.toEqual({ statusCode: 200, body: "hello tips" });
    });

    it("changes the hash when the source changes", () => {
      const project = fixtureProject();
      const before = bundleLambda({ entry: project.entry, projectRoot: project.root, target: "node22", cacheDir: CACHE });
      const changed = fixtureProject();
      writeFileSync(
        join(changed.root, "src", "greeting.ts"),
        "export const greeting = (name: string): string => `hi ${name}`;\n",
      );
      const after = bundleLambda({ entry: changed.entry, projectRoot: changed.root, target: "node22", cacheDir: CACHE });
      expect(after.sourceCodeHash).not.toBe(before.sourceCodeHash);
    });

    it("fails with esbuild's error when an import cannot be resolved", () => {
      const project = fixtureProject();
      writeFileSync(project.entry, 'export { handler } from "./missing";\n');
      expect(() => bundleLambda({ entry: project.entry, projectRoot: project.root, target: "node22", cacheDir: CACHE })).toThrow(
        /Could not resolve "\.\/missing"/,
      );
    });
  });

  describe("cache across runs", () => {
    afterEach(() => {
      vi.doUnmock("esbuild");
      vi.resetModules();
    });

    /** `bundleLambda` of a fresh module instance (as a new synth process has), optionally with an esbuild that must not run. */
    async function freshBundler(esbuildMayRun: boolean): Promise<typeof bundleLambda> {
      vi.resetModules();
      if (!esbuildMayRun) {
        vi.doMock("esbuild", async (importOriginal) => ({
          ...(await importOriginal<typeof import("esbuild")>()),
          buildSync: () => {
            throw new Error("esbuild ran");
          },
        }));
      }
      return (await import("../../../modules/core/lambda-bundle")).bundleLambda;
    }

    const fixtureOptions = (project: { root: string; entry: string }): BundleOptions => ({ entry: project.entry, projectRoot: project.root, target: "node22", cacheDir: CACHE });

    it("reuses the bundle of an earlier run without starting esbuild while nothing it was built from changed", async () => {
      const built = bundleLambda(options(ENTRIES[1]!));
      const reused = (await freshBundler(false))(options(ENTRIES[1]!));
      expect(reused).toEqual(built);
    });

    it("rebuilds when a bundled file changes", async () => {
      const project = fixtureProject();
      const before = bundleLambda(fixtureOptions(project));
      writeFileSync(join(project.root, "src", "greeting.ts"), "export const greeting = (name: string): string => `hi ${name}`;\n");
      const after = (await freshBundler(true))(fixtureOptions(project));
      expect(after.sourceCodeHash).not.toBe(before.sourceCodeHash);
    });

    it("rebuilds when a new file next to a bundled one changes what an import resolves to", async () => {
      // `./greeting` resolves to greeting/index.ts until a greeting.ts appears beside the directory.
      const project = fixtureProject(join("greeting", "index.ts"));
      const before = bundleLambda(fixtureOptions(project));
      writeFileSync(join(project.root, "src", "greeting.ts"), "export const greeting = (name: string): string => `hey ${name}`;\n");
      const after = (await freshBundler(true))(fixtureOptions(project));
      expect(after.sourceCodeHash).not.toBe(before.sourceCodeHash);
    });

    it("rebuilds a damaged zip instead of handing it to Terraform", async () => {
      const project = fixtureProject();
      const before = bundleLambda(fixtureOptions(project));
      writeFileSync(before.zipPath, "not a zip");
      const after = (await freshBundler(true))(fixtureOptions(project));
      expect(after).toEqual(before);
      expect(sha256(readFileSync(after.zipPath), "base64")).toBe(before.sourceCodeHash);
    });
  });

  describe("time zone of the synthesizing machine", () => {
    const entry = ENTRIES[2]!;

    it("bundles in a child process under TZ=UTC exactly as in this process (the harness below is sound)", () => {
      const result = bundleInProcess("UTC", entry);
      expect(result).toEqual({
        ok: true,
        bundle: expect.objectContaining({ sourceCodeHash: bundleLambda(options(entry)).sourceCodeHash }),
      });
    });

    // fflate writes DOS timestamps in local time: a UTC epoch would shift (east) or fail (west).
    it("gives the same source_code_hash in every time zone", () => {
      const utc = bundleLambda(options(entry)).sourceCodeHash;
      for (const tz of ["Europe/Berlin", "Asia/Tokyo", "America/New_York"]) {
        expect(bundleInProcess(tz, entry), tz).toEqual({ ok: true, bundle: expect.objectContaining({ sourceCodeHash: utc }) });
      }
    });
  });
});
