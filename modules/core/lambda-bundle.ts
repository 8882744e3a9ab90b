/**
 * Synth-time bundling of a TypeScript Lambda entry point into a deterministic zip: the same
 * source always gives the same bytes, so `source_code_hash` only changes when the code does and
 * plans do not churn.
 *
 * Bundling and compressing are most of a synth's time, so a bundle is kept across runs in a
 * per-user cache outside the repository and reused, without starting esbuild, while everything
 * it was built from is unchanged: the build options and esbuild's version, the content of every
 * file esbuild read (its metafile), the listing of each directory holding one (a new file there
 * could change what an import resolves to), and the project's `package-lock.json` and
 * `tsconfig.json` (which steer resolution without being bundled). The cached zip is the very
 * bytes a fresh build writes, checked against its recorded SHA-256 before it is used.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { buildSync, version as esbuildVersion, type BuildOptions } from "esbuild";
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
  /**
   * Directory of the zips and of the records that let a later run reuse them.
   * @default - `cdktf-lambda-bundles-<uid>` in the system's temporary directory
   */
  readonly cacheDir?: string;
}

// Zip entries carry a timestamp; a fixed one (the zip epoch) keeps the archive byte-identical.
// Zip timestamps are local time, so the date is built in local time: the same bytes in every zone.
const ZIP_EPOCH = new Date(1980, 0, 1);

/** Everything about a build but its entry and target; part of the cache key, so a change here rebuilds. */
const BUILD: BuildOptions = {
  bundle: true,
  platform: "node",
  format: "cjs",
  minify: true,
  // Function names survive minification, so stack traces in the logs stay readable.
  keepNames: true,
  legalComments: "none",
  logLevel: "silent",
};

/** Files that steer resolution without being bundled: a change to either invalidates every bundle. */
const PROJECT_FILES = ["package-lock.json", "tsconfig.json"];

/** What the cache keeps about one build: enough to tell whether its inputs are unchanged, and the result. */
interface CacheRecord {
  /** SHA-256 (hex) of each file esbuild read, by path relative to the project root. */
  readonly files: Readonly<Record<string, string>>;
  /** SHA-256 (hex) of the sorted listing of each directory holding such a file. */
  readonly dirs: Readonly<Record<string, string>>;
  /** Hex SHA-256 of the zip: its name in the cache directory. */
  readonly zip: string;
  readonly bundleBytes: number;
}

// One synthesis bundles each entry once, however many stacks (environments) use it.
const bundles = new Map<string, LambdaBundle>();

export function bundleLambda(options: BundleOptions): LambdaBundle {
  const dir = options.cacheDir ?? join(tmpdir(), `cdktf-lambda-bundles-${process.getuid?.() ?? "user"}`);
  const memoKey = JSON.stringify([options.entry, options.projectRoot, options.target, dir]);
  const memoized = bundles.get(memoKey);
  if (memoized) return memoized;
  const bundle = cached(options, dir) ?? build(options, dir);
  bundles.set(memoKey, bundle);
  return bundle;
}

const sha256 = (bytes: Uint8Array | string): string => createHash("sha256").update(bytes).digest("hex");

/** Where the record of `options`' build lives; each checkout has its own, while zips are shared by content. */
function recordPath(options: BundleOptions, dir: string): string {
  const key = sha256(JSON.stringify([esbuildVersion, options.projectRoot, options.entry, options.target, BUILD]));
  return join(dir, `${key}.json`);
}

/** Fingerprints of the files and directories a build depends on, as a record stores them. */
function fingerprints(root: string, files: readonly string[]): Pick<CacheRecord, "files" | "dirs"> {
  const all = [...new Set([...files, ...PROJECT_FILES.filter((file) => existsSync(join(root, file)))])].sort();
  const dirs = [...new Set(all.map((file) => dirname(file)))].sort();
  return {
    files: Object.fromEntries(all.map((file) => [file, sha256(readFileSync(join(root, file)))])),
    dirs: Object.fromEntries(dirs.map((path) => [path, sha256(readdirSync(join(root, path)).sort().join("\n"))])),
  };
}

/** The cached bundle when every input is unchanged and its zip is intact; undefined otherwise. */
function cached(options: BundleOptions, dir: string): LambdaBundle | undefined {
  let record: CacheRecord;
  try {
    record = JSON.parse(readFileSync(recordPath(options, dir), "utf8")) as CacheRecord;
  } catch {
    return undefined;
  }
  const root = options.projectRoot;
  try {
    for (const [path, listing] of Object.entries(record.dirs)) {
      if (sha256(readdirSync(join(root, path)).sort().join("\n")) !== listing) return undefined;
    }
    for (const [file, hash] of Object.entries(record.files)) {
      if (sha256(readFileSync(join(root, file))) !== hash) return undefined;
    }
  } catch {
    // An input is gone: build again, and let esbuild say what is missing.
    return undefined;
  }
  const zipPath = join(dir, `${record.zip}.zip`);
  let zip: Buffer;
  try {
    zip = readFileSync(zipPath);
  } catch {
    return undefined;
  }
  const digest = createHash("sha256").update(zip);
  if (digest.copy().digest("hex") !== record.zip) return undefined;
  return { zipPath, sourceCodeHash: digest.digest("base64"), bundleBytes: record.bundleBytes, zipBytes: zip.byteLength };
}

/** Writes `data` beside `path` and renames it into place, so a parallel synth never reads half a file. */
function writeAtomically(path: string, data: Uint8Array | string): void {
  const partial = `${path}.${process.pid}.partial`;
  writeFileSync(partial, data);
  renameSync(partial, path);
}

function build(options: BundleOptions, dir: string): LambdaBundle {
  const result = buildSync({
    ...BUILD,
    entryPoints: [options.entry],
    absWorkingDir: options.projectRoot,
    target: options.target,
    write: false,
    metafile: true,
  });
  const code = result.outputFiles[0]?.contents;
  if (!code) throw new Error(`esbuild produced no output for ${relative(options.projectRoot, options.entry)}`);

  const zip = zipSync({ "index.js": [code, { mtime: ZIP_EPOCH, level: 9 }] }, { mtime: ZIP_EPOCH });
  const digest = createHash("sha256").update(zip);
  const hex = digest.copy().digest("hex");
  mkdirSync(dir, { recursive: true });
  const zipPath = join(dir, `${hex}.zip`);
  writeAtomically(zipPath, zip);
  // Metafile paths are relative to absWorkingDir (the project root), whatever the entry's location.
  const inputs = Object.keys(result.metafile.inputs).map((input) => relative(options.projectRoot, resolve(options.projectRoot, input)));
  const record: CacheRecord = { ...fingerprints(options.projectRoot, inputs), zip: hex, bundleBytes: code.byteLength };
  writeAtomically(recordPath(options, dir), JSON.stringify(record));
  return { zipPath, sourceCodeHash: digest.digest("base64"), bundleBytes: code.byteLength, zipBytes: zip.byteLength };
}
