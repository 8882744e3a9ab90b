/**
 * npm run diagram: one architecture diagram per environment from cdktf.out, written to
 * docs/architecture-<env>.svg (and .png when the PNG renderer is installed). Offline: Graphviz
 * runs as WebAssembly from node_modules.
 *
 * Usage: npm run diagram [-- --out docs] [--env dev,prod] [--cdktf-out cdktf.out] [--no-png]
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { buildDiagram, toDot } from "./diagram/graph";
import { renderPng, renderSvg } from "./diagram/render";
import { environments, loadSynthOutput } from "./lib/synth-output";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      out: { type: "string", default: "docs" },
      env: { type: "string" },
      "cdktf-out": { type: "string", default: "cdktf.out" },
      "no-png": { type: "boolean", default: false },
    },
  });
  const output = loadSynthOutput(values["cdktf-out"]);
  const wanted = values.env?.split(",").map((e) => e.trim());
  mkdirSync(values.out, { recursive: true });
  for (const [env, stacks] of environments(output)) {
    if (wanted && !wanted.includes(env)) continue;
    const diagram = buildDiagram(output, env, stacks);
    const svg = await renderSvg(toDot(diagram));
    const svgFile = join(values.out, `architecture-${env}.svg`);
    writeFileSync(svgFile, svg);
    let png = "PNG skipped (--no-png)";
    if (!values["no-png"]) {
      const result = await renderPng(svg);
      if (result.ok) {
        writeFileSync(join(values.out, `architecture-${env}.png`), result.png);
        png = `+ architecture-${env}.png`;
      } else {
        png = `PNG skipped: ${result.reason}`;
      }
    }
    const resources = [...diagram.resourceKinds.values()].reduce((a, b) => a + b, 0);
    console.log(
      `${svgFile}: ${diagram.nodes.length} nodes, ${diagram.edges.length} edges, ${resources} resources of ${diagram.resourceKinds.size} kinds in ${stacks.length} stacks; ${png}`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(`diagram: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
