/** SVG through Graphviz compiled to WebAssembly; PNG through resvg when it is installed. */
import { Graphviz } from "@hpcc-js/wasm-graphviz";

let graphviz: Graphviz | undefined;

export async function renderSvg(dot: string): Promise<string> {
  graphviz ??= await Graphviz.load();
  return graphviz.dot(dot, "svg");
}

export type PngResult = { ok: true; png: Buffer } | { ok: false; reason: string };

/** resvg ships prebuilt per platform; a platform without one gets the SVG only, not a failure. */
export async function renderPng(svg: string): Promise<PngResult> {
  let Resvg: typeof import("@resvg/resvg-js").Resvg;
  try {
    ({ Resvg } = await import("@resvg/resvg-js"));
  } catch (error) {
    return { ok: false, reason: `@resvg/resvg-js is not available on this platform (${error instanceof Error ? error.message.split("\n")[0] : String(error)})` };
  }
  const png = new Resvg(svg, { background: "white", fitTo: { mode: "zoom", value: 1.5 }, font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" } }).render().asPng();
  return { ok: true, png: Buffer.from(png) };
}
