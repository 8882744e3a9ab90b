/**
 * Synth-time bundling of a TypeScript Lambda entry point into a deterministic zip: the same
 * source always gives the same bytes, so `source_code_hash` only changes when the code does and
 * plans do not churn.
 */
import { createHash } from "node:crypto";
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { buildSync } from "esbuild";
import { zipSync } from "fflate";

export interface LambdaBundle {
  /** Path of the zip, named by its content hash. */
  readonly zipPath: string;
  /** Base64 SHA-256 of the zip, the form `source_code_hash` expects. */
  readonly sourceCodeHash: string;
  readonly bundleBytes: number;
  readonly zipBytes: number;
}

export interface BundleOptions {
  /** Absolute path of the entry file; it must export `handler`. */
  readonly entry: string;
  /** Directory esbuild resolves from and makes paths in the bundle relative to. */
  readonly projectRoot: string;
  /** esbuild target, matching the Lambda runtime (e.g. `node22`). */
  readonly target: string;
}

// Zip entries carry a timestamp; a fixed one (the zip epoch) keeps the archive byte-identical.
// Zip timestamps are local time, so the date is built in local time: the same bytes in every zone.
const ZIP_EPOCH = new Date(1980, 0, 1);

// One synthesis bundles each entry once, however many stacks (environments) use it.
const bundles = new Map<string, LambdaBundle>();

export function bundleLambda(options: BundleOptions): LambdaBundle {
  const cacheKey = JSON.stringify([options.entry, options.projectRoot, options.target]);
  const cached = bundles.get(cacheKey);
  if (cached) return cached;
  const bundle = build(options);
  bundles.set(cacheKey, bundle);
  return bundle;
}

function build(options: BundleOptions): LambdaBundle {
  const result = buildSync({
    entryPoints: [options.entry],
    absWorkingDir: options.projectRoot,
    bundle: true,
    platform: "node",
    target: options.target,
    format: "cjs",
    minify: true,
    // Function names survive minification, so stack traces in the logs stay readable.
    keepNames: true,
    legalComments: "none",
    write: false,
    logLevel: "silent",
  });
  const code = result.outputFiles[0]?.contents;
  if (!code) throw new Error(`esbuild produced no output for ${relative(options.projectRoot, options.entry)}`);

  const zip = zipSync({ "index.js": [code, { mtime: ZIP_EPOCH, level: 9 }] }, { mtime: ZIP_EPOCH });
  const sha256 = createHash("sha256").update(zip);
  const hex = sha256.copy().digest("hex");
  // Content-addressed, per user; written aside and renamed so a parallel synth never reads half a zip.
  const dir = join(tmpdir(), `cdktf-lambda-bundles-${process.getuid?.() ?? "user"}`);
  mkdirSync(dir, { recursive: true });
  const zipPath = join(dir, `${hex}.zip`);
  const partial = `${zipPath}.${process.pid}.partial`;
  writeFileSync(partial, zip);
  renameSync(partial, zipPath);
  return { zipPath, sourceCodeHash: sha256.digest("base64"), bundleBytes: code.byteLength, zipBytes: zip.byteLength };
}
