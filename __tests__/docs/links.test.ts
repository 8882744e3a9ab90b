import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../scripts/lib/tool-versions";

/** The README is an entry page; reference lives in docs/. */
const README_MAX_LINES = 200;

interface Files {
  /** A file or directory, by path relative to the repository root. */
  exists(path: string): boolean;
  /** A markdown file's text. */
  read(path: string): string;
}

/** The lines of `markdown` with fenced code blocks blanked out, so a line keeps its number. */
function outsideCodeBlocks(markdown: string): string[] {
  let fence: string | undefined;
  return markdown.split("\n").map((line) => {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker && (fence === undefined || marker.startsWith(fence))) {
      fence = fence === undefined ? marker : undefined;
      return "";
    }
    return fence === undefined ? line : "";
  });
}

/** Markdown without code blocks and code spans, where a link is a link. */
function prose(markdown: string): string {
  return outsideCodeBlocks(markdown)
    .map((line) => line.replace(/(`+)[\s\S]*?\1/g, ""))
    .join("\n");
}

/**
 * The anchors GitHub gives a page: one per heading, its text lower-cased, punctuation dropped,
 * spaces turned into '-' (a repeated heading gets -1, -2, ...), plus explicit `<a name|id="...">`.
 */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const line of outsideCodeBlocks(markdown)) {
    for (const [, id] of line.matchAll(/<a\s+(?:name|id)="([^"]+)"/g)) result.add(id!);
    const heading = /^#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const base = heading
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
      .replace(/ /g, "-");
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    result.add(count === 0 ? base : `${base}-${count}`);
  }
  return result;
}

/** Every relative link of `pages` whose file or heading does not exist, as `page:line: problem`. */
function brokenLinks(pages: readonly string[], files: Files): string[] {
  const problems: string[] = [];
  for (const page of pages) {
    const text = prose(files.read(page));
    const targets = [
      ...[...text.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => ({ target: m[1]!, index: m.index })),
      ...[...text.matchAll(/^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)].map((m) => ({ target: m[1]!, index: m.index })),
    ];
    for (const { target, index } of targets) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
      const where = `${page}:${text.slice(0, index).split("\n").length}: link "${target}"`;
      const [path = "", anchor] = target.split("#", 2) as [string, string | undefined];
      const file = path === "" ? page : normalize(join(dirname(page), decodeURIComponent(path)));
      if (file.startsWith("..")) {
        problems.push(`${where} leaves the repository`);
      } else if (!files.exists(file)) {
        problems.push(`${where}: ${file} does not exist`);
      } else if (anchor !== undefined && file.endsWith(".md") && !anchors(files.read(file)).has(decodeURIComponent(anchor))) {
        problems.push(`${where}: ${file} has no heading with the anchor #${anchor}`);
      }
    }
  }
  return problems;
}

/** The pages a reader follows links through: the top-level ones, docs/, and the runtime code's READMEs. */
function repositoryPages(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(join(REPO_ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return ["node_modules", "dist"].includes(entry.name) ? [] : walk(path);
      return entry.name.endsWith(".md") ? [path] : [];
    });
  const topLevel = readdirSync(REPO_ROOT).filter((name) => name.endsWith(".md"));
  return [...topLevel, ...walk("docs"), ...walk("lambdas"), ...walk("services")].sort();
}

const repository: Files = {
  exists: (path) => existsSync(join(REPO_ROOT, path)),
  read: (path) => readFileSync(join(REPO_ROOT, path), "utf8"),
};

describe("README and docs/", () => {
  it("every relative link points to an existing file, and every #anchor to a heading of it", () => {
    const pages = repositoryPages();
    expect(pages).toEqual(expect.arrayContaining(["README.md", "docs/deploying.md", "docs/reference/alarms.md"]));
    expect(brokenLinks(pages, repository)).toEqual([]);
  });

  it(`README.md is an entry page of at most ${README_MAX_LINES} lines`, () => {
    const lines = repository.read("README.md").trimEnd().split("\n").length;
    expect(lines, `README.md has ${lines} lines; move reference into docs/`).toBeLessThanOrEqual(README_MAX_LINES);
  });

  it("the README's documentation list links every page under docs/", () => {
    const readme = repository.read("README.md");
    const listed = new Set([...readme.matchAll(/\]\((docs\/[^)#\s]+\.md)/g)].map((m) => m[1]));
    const missing = repositoryPages().filter((page) => page.startsWith("docs/") && !listed.has(page));
    expect(missing, "pages under docs/ the README does not link").toEqual([]);
  });
});

describe("brokenLinks", () => {
  const fixture: Record<string, string> = {
    "README.md": [
      "# Title",
      "[fine](docs/a.md#container-platform-platform-env), [also](docs/a.md#guarddutys-vpc-endpoint),",
      "[repeated](docs/a.md#notes-1), [cicd](docs/a.md#cicd), [self](#title), [web](https://example.com/x.md#y)",
      "![image](docs/pic.svg) [folder](docs/)",
      "[missing file](docs/b.md)",
      "[missing anchor](docs/a.md#container-platform)",
      "`[in a code span](nowhere.md)`",
      "```sh",
      "[in a code block](nowhere.md)",
      "```",
      "[escape](../outside.md)",
      "[ref]: docs/gone.md",
    ].join("\n"),
    "docs/a.md": [
      "# A",
      "## Container platform (`platform-<env>`)",
      "### GuardDuty's VPC endpoint",
      "## Notes",
      "## Notes",
      "## CI/CD",
      "[back](../README.md#title) [sideways](a.md#a) [code](../main.ts)",
      "```",
      "# a comment, not a heading",
      "```",
    ].join("\n"),
    "docs/pic.svg": "<svg/>",
    "main.ts": "",
  };
  const files: Files = {
    exists: (path) => path in fixture || Object.keys(fixture).some((name) => name.startsWith(`${path.replace(/\/$/, "")}/`)),
    read: (path) => fixture[path]!,
  };

  it("follows GitHub's heading anchors and reports each missing file and heading with its line", () => {
    expect(brokenLinks(["README.md", "docs/a.md"], files)).toEqual([
      'README.md:5: link "docs/b.md": docs/b.md does not exist',
      'README.md:6: link "docs/a.md#container-platform": docs/a.md has no heading with the anchor #container-platform',
      'README.md:11: link "../outside.md" leaves the repository',
      'README.md:12: link "docs/gone.md": docs/gone.md does not exist',
    ]);
  });

  it("gives headings GitHub's anchors", () => {
    expect([...anchors(fixture["docs/a.md"]!)]).toEqual(["a", "container-platform-platform-env", "guarddutys-vpc-endpoint", "notes", "notes-1", "cicd"]);
  });
});
