/**
 * docs/reference/modules.md: every exported construct under modules/ with its props interface, read
 * from the sources with the TypeScript compiler API. It is also where the house rule "every optional
 * prop has `@default`" is enforced: a prop without one stops the generation, named by file and prop.
 *
 * TypeScript 7 is the native compiler; its API (`typescript/unstable/sync`) runs it as a child
 * process and hands back the syntax tree. The sources are served to it from memory, as a project
 * of these files only (no lib, no import resolution): parsing is all the page needs, in ~0.2 s.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { getTextOfJSDocComment, type JSDoc, type Node, type SourceFile, SyntaxKind } from "typescript/unstable/ast";
import {
  isClassDeclaration,
  isConstructorDeclaration,
  isIdentifier,
  isInterfaceDeclaration,
  isPropertySignatureDeclaration,
  isStringLiteral,
  isTypeReferenceNode,
} from "typescript/unstable/ast/is";
import { createVirtualFileSystem } from "typescript/unstable/fs";
import { API } from "typescript/unstable/sync";
import { code, generatedNotice, table } from "./markdown";

export interface PropDoc {
  readonly name: string;
  /** The type as written in the source, on one line. */
  readonly type: string;
  readonly optional: boolean;
  /** Text of the `@default` tag: a value (`14`) or a behaviour (`- one NAT gateway per AZ`). */
  readonly defaultValue: string | undefined;
  /** First paragraph of the prop's JSDoc. */
  readonly summary: string;
}

export interface ConstructDoc {
  /** `modules/<domain>/...`: the domain folder. */
  readonly domain: string;
  /** Path relative to the project root, with `/` separators. */
  readonly file: string;
  readonly name: string;
  readonly summary: string;
  /** The constructor's arguments after `scope, id`, as written (`props: VpcProps`). */
  readonly parameters: string;
  /**
   * The props interface, when the constructor takes one declared under modules/: its members, then
   * those of the interfaces of modules/ it extends; `extends` names the bases declared elsewhere.
   */
  readonly props: { readonly name: string; readonly file: string; readonly extends: readonly string[]; readonly members: readonly PropDoc[] } | undefined;
}

/** Every problem the sources have, found in one pass and reported together. */
export class ModuleDocError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join("\n"));
    this.name = "ModuleDocError";
  }
}

/** Where the sources appear to the compiler: a root that exists only in memory. */
const ROOT = "/modules-reference";

/** `modules/**\/*.ts` under `projectRoot`, keyed by their path relative to it (`modules/core/kms-key.ts`). */
export function readModuleSources(projectRoot: string, dir = "modules"): Record<string, string> {
  const walk = (path: string): string[] =>
    readdirSync(path, { withFileTypes: true })
      .flatMap((entry) => (entry.isDirectory() ? walk(join(path, entry.name)) : entry.name.endsWith(".ts") ? [join(path, entry.name)] : []))
      .sort();
  return Object.fromEntries(walk(join(projectRoot, dir)).map((file) => [relative(projectRoot, file).split(sep).join("/"), readFileSync(file, "utf8")]));
}

/** Parses `sources` (path → text) with the compiler and hands each file's tree to `visit`. */
function parse<T>(sources: Readonly<Record<string, string>>, visit: (file: string, tree: SourceFile) => T[]): T[] {
  const files = Object.keys(sources).sort();
  const virtual: Record<string, string> = Object.fromEntries(files.map((file) => [`${ROOT}/${file}`, sources[file] ?? ""]));
  virtual[`${ROOT}/tsconfig.json`] = JSON.stringify({ compilerOptions: { noLib: true, noResolve: true, types: [] }, files });
  const api = new API({ cwd: ROOT, fs: createVirtualFileSystem(virtual) });
  try {
    const project = api.updateSnapshot({ openProject: `${ROOT}/tsconfig.json` }).getProjects()[0];
    if (project === undefined) throw new Error("the TypeScript API opened no project for modules/");
    return files.flatMap((file) => {
      const tree = project.program.getSourceFile(`${ROOT}/${file}`);
      if (tree === undefined) throw new Error(`the TypeScript API did not load ${file}`);
      return visit(file, tree);
    });
  } finally {
    api.close();
  }
}

const oneLine = (text: string): string => text.replace(/\s+/g, " ").trim();
const sourceText = (tree: SourceFile, node: Node): string => oneLine(tree.text.slice(node.pos, node.end));
const isExported = (node: { readonly modifiers?: readonly Node[] | undefined }): boolean =>
  node.modifiers?.some((m) => m.kind === SyntaxKind.ExportKeyword) ?? false;

/** The JSDoc block directly above a declaration (the last one, as the compiler attaches them). */
const jsDocOf = (node: Node): JSDoc | undefined => node.jsDoc?.at(-1) as JSDoc | undefined;

/** First paragraph of a JSDoc comment, on one line. */
const summaryOf = (doc: JSDoc | undefined): string => oneLine((getTextOfJSDocComment(doc?.comment) ?? "").split(/\n\s*\n/)[0] ?? "");

const defaultOf = (doc: JSDoc | undefined): string | undefined => {
  const tag = doc?.tags?.find((t) => t.tagName.text === "default");
  return tag === undefined ? undefined : oneLine(getTextOfJSDocComment(tag.comment) ?? "");
};

interface InterfaceInfo {
  readonly file: string;
  readonly name: string;
  readonly extends: readonly string[];
  readonly members: readonly PropDoc[];
}

interface ClassInfo {
  readonly file: string;
  readonly name: string;
  readonly base: string | undefined;
  readonly summary: string;
  /** Constructor arguments after `scope, id`; undefined when the class declares no constructor. */
  readonly parameters: readonly Parameter[] | undefined;
}

interface Parameter {
  readonly text: string;
  /** The type's name when it is a plain reference (`VpcProps`). */
  readonly typeName: string | undefined;
}

type Declaration = { readonly kind: "interface"; readonly info: InterfaceInfo } | { readonly kind: "class"; readonly info: ClassInfo };

function declarationsOf(file: string, tree: SourceFile): Declaration[] {
  const found: Declaration[] = [];
  for (const statement of tree.statements) {
    if (isInterfaceDeclaration(statement)) {
      const members = statement.members.filter(isPropertySignatureDeclaration).map((member): PropDoc => {
        const doc = jsDocOf(member);
        return {
          name: isIdentifier(member.name) || isStringLiteral(member.name) ? member.name.text : sourceText(tree, member.name),
          type: member.type === undefined ? "" : sourceText(tree, member.type),
          optional: member.postfixToken?.kind === SyntaxKind.QuestionToken,
          defaultValue: defaultOf(doc),
          summary: summaryOf(doc),
        };
      });
      const heritage = statement.heritageClauses?.flatMap((clause) => clause.types.map((type) => sourceText(tree, type))) ?? [];
      found.push({ kind: "interface", info: { file, name: statement.name.text, extends: heritage, members } });
    } else if (isClassDeclaration(statement) && statement.name !== undefined && isExported(statement)) {
      const extendsClause = statement.heritageClauses?.find((clause) => clause.token === SyntaxKind.ExtendsKeyword);
      const baseExpression = extendsClause?.types[0]?.expression;
      const constructor = statement.members.find(isConstructorDeclaration);
      found.push({
        kind: "class",
        info: {
          file,
          name: statement.name.text,
          base: baseExpression !== undefined && isIdentifier(baseExpression) ? baseExpression.text : undefined,
          summary: summaryOf(jsDocOf(statement)),
          parameters: constructor?.parameters.slice(2).map((parameter) => ({
            text: sourceText(tree, parameter),
            typeName: parameter.type !== undefined && isTypeReferenceNode(parameter.type) && isIdentifier(parameter.type.typeName) ? parameter.type.typeName.text : undefined,
          })),
        },
      });
    }
  }
  return found;
}

/** What `new` takes: the class's own constructor, else the one it inherits (`Construct`'s takes no more than scope and id). */
function parametersOf(c: ClassInfo, classes: readonly ClassInfo[]): readonly Parameter[] {
  if (c.parameters !== undefined) return c.parameters;
  const base = classes.find((b) => b.name === c.base);
  return base === undefined ? [] : parametersOf(base, classes);
}

/**
 * A props interface and every interface of modules/ it extends, nearest first; the props of a base
 * declared elsewhere (or written as a type expression such as `Omit<...>`) cannot be listed, so
 * such bases are returned by name.
 */
function lineage(start: InterfaceInfo, interfaces: readonly InterfaceInfo[]): { chain: InterfaceInfo[]; external: string[] } {
  const chain: InterfaceInfo[] = [];
  const external: string[] = [];
  const visit = (i: InterfaceInfo): void => {
    if (chain.includes(i)) return;
    chain.push(i);
    for (const base of i.extends) {
      const found = interfaces.find((x) => x.name === base && x.file === i.file) ?? interfaces.find((x) => x.name === base);
      if (found === undefined) external.push(base);
      else visit(found);
    }
  };
  visit(start);
  return { chain, external };
}

/** Classes that extend `Construct`, directly or through another construct class of modules/. */
function constructClasses(classes: readonly ClassInfo[]): ClassInfo[] {
  const names = new Set(["Construct"]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const c of classes) {
      if (c.base !== undefined && names.has(c.base) && !names.has(c.name)) {
        names.add(c.name);
        grew = true;
      }
    }
  }
  return classes.filter((c) => c.base !== undefined && names.has(c.base));
}

const domainOf = (file: string): string => {
  const parts = file.split("/");
  return parts.length > 2 ? (parts[1] ?? "") : (parts[0] ?? "");
};

/**
 * The constructs of `sources` (path → TypeScript text), sorted by domain and name. Throws a
 * ModuleDocError listing every optional prop without a `@default`.
 */
export function documentModules(sources: Readonly<Record<string, string>>): ConstructDoc[] {
  const declarations = parse(sources, declarationsOf);
  const interfaces = declarations.flatMap((d) => (d.kind === "interface" ? [d.info] : []));
  const classes = declarations.flatMap((d) => (d.kind === "class" ? [d.info] : []));
  const problems: string[] = [];
  const checked = new Set<InterfaceInfo>();
  const check = (i: InterfaceInfo): void => {
    if (checked.has(i)) return;
    checked.add(i);
    for (const member of i.members) {
      if (!member.optional) continue;
      if (member.defaultValue === undefined) {
        problems.push(`${i.file}: ${i.name}.${member.name} is optional but has no @default JSDoc tag; state the default as a value (@default 14) or a behaviour (@default - one NAT gateway per AZ)`);
      } else if (member.defaultValue === "" || member.defaultValue === "-") {
        problems.push(`${i.file}: ${i.name}.${member.name} has an empty @default; state the default as a value (@default 14) or a behaviour (@default - one NAT gateway per AZ)`);
      }
    }
  };
  const constructs = constructClasses(classes).map((c): ConstructDoc => {
    const parameters = parametersOf(c, classes);
    const typeName = parameters[0]?.typeName;
    // The interface of the same file wins over a namesake elsewhere.
    const props = typeName === undefined ? undefined : (interfaces.find((i) => i.name === typeName && i.file === c.file) ?? interfaces.find((i) => i.name === typeName));
    const inherited = props === undefined ? undefined : lineage(props, interfaces);
    inherited?.chain.forEach(check);
    return {
      domain: domainOf(c.file),
      file: c.file,
      name: c.name,
      summary: c.summary,
      parameters: parameters.map((p) => p.text).join(", "),
      props:
        props === undefined || inherited === undefined
          ? undefined
          : { name: props.name, file: props.file, extends: inherited.external, members: inherited.chain.flatMap((i) => i.members) },
    };
  });
  if (problems.length > 0) throw new ModuleDocError(problems);
  return constructs.sort((a, b) => a.domain.localeCompare(b.domain) || a.name.localeCompare(b.name) || a.file.localeCompare(b.file));
}

/**
 * `@default 14` is a value (a code span); `@default - one per AZ` a behaviour (prose); `@default 0 -
 * why` a value and why.
 */
export function defaultText(value: string): string {
  if (value.startsWith("- ")) return value.slice(2);
  const split = value.indexOf(" - ");
  return split < 0 ? code(value) : `${code(value.slice(0, split))} — ${value.slice(split + 3)}`;
}

const anchor = (heading: string): string => heading.toLowerCase().replace(/[^a-z0-9 -]/g, "").replaceAll(" ", "-");

/** The modules page, byte-for-byte the same for the same sources. */
export function modulesMarkdown(constructs: readonly ConstructDoc[]): string {
  const domains = [...new Set(constructs.map((c) => c.domain))];
  const out = [
    "# Module props reference",
    "",
    generatedNotice("the sources under modules/", "npm run docs"),
    "",
    "Every construct under `modules/`, by domain: the props its constructor takes, each prop's type as",
    "written, whether it is required, its default (the `@default` JSDoc tag) and its summary.",
    "",
    ...domains.map(
      (domain) =>
        `- **${domain}**: ${constructs
          .filter((c) => c.domain === domain)
          .map((c) => `[${c.name}](#${anchor(c.name)})`)
          .join(", ")}`,
    ),
  ];
  for (const domain of domains) {
    out.push("", `## ${domain}`);
    for (const c of constructs.filter((x) => x.domain === domain)) {
      const where = c.props !== undefined && c.props.file !== c.file ? ` (${code(c.props.name)} in ${code(c.props.file)})` : "";
      out.push("", `### ${c.name}`, "", `${code(c.file)}: ${code(`new ${c.name}(scope, id${c.parameters === "" ? "" : `, ${c.parameters}`})`)}${where}`);
      if (c.summary !== "") out.push("", c.summary);
      if (c.props === undefined) continue;
      if (c.props.extends.length > 0) out.push("", `\`${c.props.name}\` also takes every prop of ${c.props.extends.map(code).join(", ")}.`);
      if (c.props.members.length === 0) {
        out.push("", `\`${c.props.name}\` has no props.`);
        continue;
      }
      out.push(
        "",
        ...table(
          ["Prop", "Type", "Required", "Default", "Description"],
          c.props.members.map((p) => [code(p.name), code(p.type), p.optional ? "no" : "yes", p.defaultValue === undefined ? "—" : defaultText(p.defaultValue), p.summary]),
        ),
      );
    }
  }
  return `${out.join("\n")}\n`;
}
