/**
 * The project stays one switch away from CDK Terrain (cdktn, the community continuation of cdktf):
 * the code must behave the same under either library, including the npm-alias route, where npm
 * installs two copies of the core library. `npm run check:cdktn` proves it on the synthesized app;
 * these checks catch the known traps in the source, where they are cheap to fix.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { infrastructureInputs } from "./support/bundle-inputs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SOURCE = /\.(ts|mts|cts|js|mjs|cjs)$/;
/** Packages whose classes exist once per installed copy of the library. */
const LIBRARY = /^(cdktf|cdktn|constructs)$|^@(cdktf|cdktn)\//;
/** This file: its samples of what the checks refuse are strings, not code. */
const SELF = "__tests__/library-neutral.test.ts";

/** Every source file of the project: what tsconfig.json type-checks, scripts' .mjs included. */
function projectSources(): string[] {
  const include = (JSON.parse(readFileSync(join(ROOT, "tsconfig.json"), "utf8")) as { include: string[] }).include;
  const walk = (path: string): string[] =>
    statSync(path).isDirectory()
      ? readdirSync(path)
          .filter((name) => name !== "node_modules" && name !== "dist")
          .flatMap((name) => walk(join(path, name)))
      : SOURCE.test(path)
        ? [path]
        : [];
  return include.flatMap((entry) => walk(join(ROOT, entry))).map((path) => relative(ROOT, path));
}

/**
 * Each `instanceof` in `source` whose right-hand side is a class of a library package, imported by
 * name (`instanceof TerraformResource`) or through a namespace (`instanceof cdktf.TerraformStack`).
 */
function libraryInstanceofs(source: string): string[] {
  const names = new Map<string, string>();
  const namespaces = new Map<string, string>();
  const imports = /import\s+(?:type\s+)?([\w$]+\s*,\s*)?(\*\s+as\s+[\w$]+|\{[^}]*\}|[\w$]+)?\s*from\s*["']([^"']+)["']/g;
  for (const [, defaultPart, bindings = "", from] of source.matchAll(imports)) {
    if (!LIBRARY.test(from!)) continue;
    if (defaultPart) names.set(defaultPart.replace(",", "").trim(), from!);
    const namespace = /^\*\s+as\s+([\w$]+)$/.exec(bindings);
    if (namespace) namespaces.set(namespace[1]!, from!);
    else if (bindings.startsWith("{")) {
      for (const part of bindings.slice(1, -1).split(",")) {
        const local = part.replace(/^\s*type\s+/, "").split(/\s+as\s+/).pop()?.trim();
        if (local) names.set(local, from!);
      }
    } else if (bindings) names.set(bindings, from!);
  }
  const requires = /(?:const|let|var)\s+([\w$]+)\s*=\s*require\(\s*["']([^"']+)["']\s*\)/g;
  for (const [, local, from] of source.matchAll(requires)) if (LIBRARY.test(from!)) namespaces.set(local!, from!);

  const found: string[] = [];
  for (const match of source.matchAll(/\binstanceof\s+([\w$]+)(?:\s*\.\s*([\w$]+))?/g)) {
    const [expression, first, member] = match;
    const from = names.get(first!) ?? (member ? namespaces.get(first!) : undefined);
    if (from === undefined) continue;
    const line = source.slice(0, match.index).split("\n").length;
    found.push(`line ${line}: ${expression} ("${from}"): use the library's is* guard (TerraformStack.isStack, TerraformResource.isTerraformResource, ...)`);
  }
  return found;
}

describe("code that behaves the same under cdktf and cdktn", () => {
  const sources = projectSources();

  it("finds the project's sources (main.ts, modules, stacks, tests, scripts)", () => {
    expect(sources).toEqual(expect.arrayContaining(["main.ts", "modules/account/billing-alarm.ts", "__tests__/support/synth.ts", "scripts/cost.ts"]));
  });

  it("never uses instanceof on a cdktf, cdktn or constructs class: it is false across two copies of the library", () => {
    const found = sources
      .filter((path) => path !== SELF)
      .flatMap((path) => libraryInstanceofs(readFileSync(join(ROOT, path), "utf8")).map((hit) => `${path} ${hit}`));
    expect(found).toEqual([]);
  });

  describe("the instanceof finder", () => {
    it("flags named, renamed, default, namespace and require imports of either library", () => {
      const source = [
        'import { TerraformResource, TerraformStack as Stack } from "cdktf";',
        'import * as cdktn from "cdktn";',
        'import { Construct } from "constructs";',
        'import { Vpc } from "@cdktn/provider-aws/lib/vpc";',
        'const lib = require("cdktf");',
        "a instanceof TerraformResource; b instanceof Stack; c instanceof cdktn.App;",
        "d instanceof Construct; e instanceof Vpc; f instanceof lib.TerraformOutput;",
      ].join("\n");
      expect(libraryInstanceofs(source).map((hit) => hit.split(" (")[0])).toEqual([
        "line 6: instanceof TerraformResource",
        "line 6: instanceof Stack",
        "line 6: instanceof cdktn.App",
        "line 7: instanceof Construct",
        "line 7: instanceof Vpc",
        "line 7: instanceof lib.TerraformOutput",
      ]);
    });

    it("leaves our own classes and built-ins alone", () => {
      const source = [
        'import { TerraformResource } from "cdktf";',
        'import { ConfigError } from "./config";',
        "if (e instanceof ConfigError || e instanceof Error) TerraformResource.isTerraformResource(e);",
      ].join("\n");
      expect(libraryInstanceofs(source)).toEqual([]);
    });
  });

  it("builds test apps only through __tests__/support/synth.ts, which states the feature flags tests rely on", () => {
    const direct = /\bTesting\s*\.\s*(app|synthScope)\s*\(|\bnew\s+App\s*\(/;
    const elsewhere = sources.filter(
      (path) => path.startsWith("__tests__/") && path !== "__tests__/support/synth.ts" && path !== SELF,
    );
    expect(elsewhere.filter((path) => direct.test(readFileSync(join(ROOT, path), "utf8")))).toEqual([]);
  });

  it("keeps either library's packages out of runtime bundles", () => {
    const inputs = [
      "node_modules/cdktf/lib/index.js",
      "node_modules/cdktn/lib/index.js",
      "node_modules/@cdktf/provider-aws/lib/vpc/index.js",
      "node_modules/@cdktn/provider-aws/lib/vpc/index.js",
      "node_modules/constructs/lib/index.js",
      "modules/vpc.ts",
      "main.ts",
      "lambdas/tips/create-tip.ts",
      "node_modules/@aws-sdk/client-dynamodb/dist-cjs/index.js",
      "node_modules/cdktn-like/index.js",
    ];
    expect(infrastructureInputs(inputs)).toEqual(inputs.slice(0, 7));
  });
});
