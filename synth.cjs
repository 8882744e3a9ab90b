/**
 * `npm run synth` (and the cdktf CLI's app command): runs main.ts with the project's TypeScript
 * compiled by esbuild and cached on disk by content, and every JavaScript file left to Node.
 *
 * Why not tsx, which runs the scripts and tests: tsx also reads and scans every JavaScript file a
 * program loads (for ES module syntax), and the provider's deep modules alone are 11 MB, most of
 * it inline source maps; with a warm cache this hook starts no compiler at all. A synth took
 * 1.9 s under tsx and takes 1.5 s here (median of paired runs, bench/bench.ts).
 */
"use strict";
const { createHash } = require("node:crypto");
const { mkdirSync, readFileSync, renameSync, writeFileSync } = require("node:fs");
const { tmpdir } = require("node:os");
const { join } = require("node:path");

const CACHE = join(tmpdir(), `cdktf-synth-ts-${process.getuid?.() ?? "user"}`);
/** What the compiled output depends on besides a file's path and text: a change here recompiles everything. */
const OPTIONS = { loader: "ts", format: "cjs", target: "node20" };
const COMPILER = JSON.stringify([require("esbuild/package.json").version, OPTIONS]);

/** CommonJS JavaScript of the TypeScript file `filename`, compiled once per content. */
function compiled(filename) {
  const source = readFileSync(filename, "utf8");
  const key = createHash("sha256").update(COMPILER).update(filename).update("\0").update(source).digest("hex");
  const cached = join(CACHE, `${key}.js`);
  try {
    return readFileSync(cached, "utf8");
  } catch {
    // esbuild only loads (and starts its service) when a file changed.
    const { code } = require("esbuild").transformSync(source, { ...OPTIONS, sourcefile: filename });
    mkdirSync(CACHE, { recursive: true });
    // Written aside and renamed, so a parallel synth never reads half a file.
    writeFileSync(`${cached}.${process.pid}`, code);
    renameSync(`${cached}.${process.pid}`, cached);
    return code;
  }
}

require.extensions[".ts"] = (module, filename) => module._compile(compiled(filename), filename);
require("./main.ts");
