import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const SCRIPTS = join(ROOT, "scripts");

const typescriptFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? typescriptFiles(join(dir, entry.name)) : entry.name.endsWith(".ts") ? [join(dir, entry.name)] : [],
  );

describe("scripts", () => {
  it("read cdktf.out, never config or stacks: one source of truth", () => {
    const offending = typescriptFiles(SCRIPTS).flatMap((file) =>
      [...readFileSync(file, "utf8").matchAll(/from\s+["']((?:\.\.\/)+(?:config|stacks)(?:\/[^"']*)?)["']/g)].map(
        (match) => `${relative(ROOT, file)} imports ${match[1]}`,
      ),
    );
    expect(offending).toEqual([]);
  });
});
