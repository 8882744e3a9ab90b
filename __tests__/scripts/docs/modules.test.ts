import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { type ConstructDoc, defaultText, documentModules, ModuleDocError, modulesMarkdown, readModuleSources } from "../../../scripts/docs/modules";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));

const WIDGET = `import { Construct } from "constructs";

export type Mode = "a" | "b";

export interface WidgetProps {
  /** Name of the widget. */
  readonly name: string;
  /**
   * How the widget runs, a summary
   * over two lines.
   *
   * Details that stay out of the table.
   * @default "a"
   */
  readonly mode?: Mode | "c";
  /**
   * Tags on everything.
   * @default - none
   */
  readonly tags?: Readonly<Record<string,
      string>>;
  /**
   * Days kept.
   * @default 0 - the cheapest
   */
  readonly days?: number;
}

/** Not a construct's props: not documented, not held to the @default rule. */
export interface Shape {
  readonly optional?: string;
}

/**
 * A widget with every guard on.
 *
 * Second paragraph.
 */
export class Widget extends Construct {
  constructor(scope: Construct, id: string, props: WidgetProps) {
    super(scope, id);
  }
}

/** A widget with a twist; it takes what a widget takes. */
export class FancyWidget extends Widget {}

class Hidden extends Construct {}

export class Helper {
  constructor(readonly value: string) {}
}
`;

const PIPE = `import { Construct } from "constructs";
import type { Role } from "./role";

export interface SizeProps {
  /**
   * Width.
   * @default 1
   */
  readonly width?: number;
}

/** Everything optional. */
export interface PipeProps extends SizeProps, Partial<Flow> {
  /**
   * Depth.
   * @default 2
   */
  readonly depth?: number;
}

export class Pipe extends Construct {
  constructor(scope: Construct, id: string, props: PipeProps = {}) {
    super(scope, id);
  }
}

/** Holds a role that has no construct of its own. */
export class Holder extends Construct {
  constructor(
    scope: Construct,
    id: string,
    readonly role: Role,
  ) {
    super(scope, id);
  }
}
`;

const construct = (docs: readonly ConstructDoc[], name: string): ConstructDoc => {
  const found = docs.find((d) => d.name === name);
  if (found === undefined) throw new Error(`no construct ${name} in ${docs.map((d) => d.name).join(", ")}`);
  return found;
};

describe("modules reference", () => {
  let docs: ConstructDoc[];
  let md: string;
  beforeAll(() => {
    docs = documentModules({ "modules/network/pipe.ts": PIPE, "modules/core/widget.ts": WIDGET });
    md = modulesMarkdown(docs);
  });

  it("documents exported construct classes only (inherited constructs included), sorted by domain and name", () => {
    expect(docs.map((d) => [d.domain, d.name, d.file])).toEqual([
      ["core", "FancyWidget", "modules/core/widget.ts"],
      ["core", "Widget", "modules/core/widget.ts"],
      ["network", "Holder", "modules/network/pipe.ts"],
      ["network", "Pipe", "modules/network/pipe.ts"],
    ]);
  });

  it("reads each prop's name, type as written (on one line), required or optional, @default and summary (first paragraph)", () => {
    expect(construct(docs, "Widget").props?.members).toEqual([
      { name: "name", type: "string", optional: false, defaultValue: undefined, summary: "Name of the widget." },
      { name: "mode", type: 'Mode | "c"', optional: true, defaultValue: '"a"', summary: "How the widget runs, a summary over two lines." },
      { name: "tags", type: "Readonly<Record<string, string>>", optional: true, defaultValue: "- none", summary: "Tags on everything." },
      { name: "days", type: "number", optional: true, defaultValue: "0 - the cheapest", summary: "Days kept." },
    ]);
    expect(construct(docs, "Widget").summary).toBe("A widget with every guard on.");
  });

  it("gives an inherited constructor's props to the subclass, and shows a constructor without props as written", () => {
    expect(construct(docs, "FancyWidget").props?.name).toBe("WidgetProps");
    expect(construct(docs, "Holder")).toEqual(expect.objectContaining({ parameters: "readonly role: Role", props: undefined }));
    expect(construct(docs, "Pipe").parameters).toBe("props: PipeProps = {}");
  });

  it("lists the props a props interface inherits from interfaces of modules/, and names the bases it cannot list", () => {
    expect(construct(docs, "Pipe").props).toEqual(
      expect.objectContaining({ extends: ["Partial<Flow>"], members: [expect.objectContaining({ name: "depth" }), expect.objectContaining({ name: "width" })] }),
    );
    expect(md).toContain("`PipeProps` also takes every prop of `Partial<Flow>`.\n\n| Prop |");
  });

  it("renders one section per construct under its domain, with the file, the constructor and a props table", () => {
    expect(md.split("\n").filter((l) => l.startsWith("#"))).toEqual([
      "# Module props reference",
      "## core",
      "### FancyWidget",
      "### Widget",
      "## network",
      "### Holder",
      "### Pipe",
    ]);
    expect(md).toContain("- **core**: [FancyWidget](#fancywidget), [Widget](#widget)\n");
    expect(md).toContain(
      [
        "### Widget",
        "",
        "`modules/core/widget.ts`: `new Widget(scope, id, props: WidgetProps)`",
        "",
        "A widget with every guard on.",
        "",
        "| Prop | Type | Required | Default | Description |",
        "|---|---|---|---|---|",
        "| `name` | `string` | yes | — | Name of the widget. |",
        '| `mode` | `Mode \\| "c"` | no | `"a"` | How the widget runs, a summary over two lines. |',
        "| `tags` | `Readonly<Record<string, string>>` | no | none | Tags on everything. |",
        "| `days` | `number` | no | `0` — the cheapest | Days kept. |",
      ].join("\n"),
    );
    expect(md).toContain("`modules/network/pipe.ts`: `new Holder(scope, id, readonly role: Role)`\n\nHolds a role that has no construct of its own.\n");
  });

  it("writes a value default as code, a behaviour default as prose, and a value with its reason as both", () => {
    expect(defaultText("14")).toBe("`14`");
    expect(defaultText("- one NAT gateway per AZ")).toBe("one NAT gateway per AZ");
    expect(defaultText("0 - NAT gateways cost most")).toBe("`0` — NAT gateways cost most");
    expect(defaultText("`${name}-logs`")).toBe("`` `${name}-logs` ``");
  });

  it("is deterministic: the same sources in another order give the same bytes", () => {
    expect(modulesMarkdown(documentModules({ "modules/core/widget.ts": WIDGET, "modules/network/pipe.ts": PIPE }))).toBe(md);
  });

  it("fails when an optional prop (inherited ones too) has no @default or an empty one, naming every file and prop at once", () => {
    const broken = WIDGET.replace('   * @default "a"\n', "").replace("   * @default - none\n", "   * @default\n");
    const pipe = PIPE.replace("   * @default 1\n", "");
    let error: unknown;
    try {
      documentModules({ "modules/core/widget.ts": broken, "modules/network/pipe.ts": pipe });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ModuleDocError);
    expect((error as ModuleDocError).problems).toEqual([
      "modules/core/widget.ts: WidgetProps.mode is optional but has no @default JSDoc tag; state the default as a value (@default 14) or a behaviour (@default - one NAT gateway per AZ)",
      "modules/core/widget.ts: WidgetProps.tags has an empty @default; state the default as a value (@default 14) or a behaviour (@default - one NAT gateway per AZ)",
      "modules/network/pipe.ts: SizeProps.width is optional but has no @default JSDoc tag; state the default as a value (@default 14) or a behaviour (@default - one NAT gateway per AZ)",
    ]);
  });

  it("docs/reference/modules.md is the page of the sources under modules/ (npm run docs)", () => {
    const committed = readFileSync(`${ROOT}/docs/reference/modules.md`, "utf8");
    expect(committed, "docs/reference/modules.md is stale: run npm run docs, then commit it").toBe(modulesMarkdown(documentModules(readModuleSources(ROOT))));
  });
});
