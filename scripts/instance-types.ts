/**
 * npm run instance-types: regenerates the EC2 instance type data, offline, from the copy of AWS's
 * EC2 API answers that moto (pinned in scripts/requirements-tools.txt) ships:
 * - config/instance-types.json: the instance types each region offers (DescribeInstanceTypeOfferings),
 *   which config accepts for `compute.instanceType`;
 * - modules/compute/instance-architectures.json: the CPU architecture of each instance family
 *   (DescribeInstanceTypes), which picks the ECS-optimized AMI.
 * Mac families are left out: they run only on dedicated hosts, never from an Auto Scaling group.
 *
 * Usage: npm run toolchain -- --only=python && npm run instance-types [-- --moto DIR]
 *   --moto DIR   the moto package directory (default: the toolchain venv's, for the pinned moto)
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { gunzipSync } from "node:zlib";
import { toolchainCacheDir } from "./lib/toolchain-cache";

const ROOT = join(import.meta.dirname, "..");
const OFFERINGS_OUT = join(ROOT, "config/instance-types.json");
const ARCHITECTURES_OUT = join(ROOT, "modules/compute/instance-architectures.json");
/** Sizes in the order of their capacity, so a message lists them as a reader expects. */
const SIZE_ORDER = ["nano", "micro", "small", "medium", "large", "xlarge"];

function pinnedMotoVersion(): string {
  const pins = readFileSync(join(ROOT, "scripts/requirements-tools.txt"), "utf8");
  const match = /^moto(?:\[[a-z,]+\])?==(\S+)$/m.exec(pins);
  if (!match?.[1]) throw new Error("scripts/requirements-tools.txt pins no moto version");
  return match[1];
}

/** The moto package of the pinned version in a toolchain venv. */
function findMoto(version: string): string {
  const cache = toolchainCacheDir();
  const candidates = existsSync(cache)
    ? readdirSync(cache)
        .filter((name) => name.startsWith("venv-"))
        .flatMap((venv) => {
          const lib = join(cache, venv, "lib");
          return existsSync(lib) ? readdirSync(lib).map((python) => join(lib, python, "site-packages")) : [];
        })
        .filter((site) => existsSync(join(site, `moto-${version}.dist-info`)))
    : [];
  if (!candidates[0]) {
    throw new Error(`no toolchain venv with moto ${version} under ${cache}: run 'npm run toolchain -- --only=python' or pass --moto DIR`);
  }
  return join(candidates[0], "moto");
}

const readGzipJson = (path: string): unknown => JSON.parse(gunzipSync(readFileSync(path)).toString("utf8"));

function sizeRank(size: string): [number, number, string] {
  const multiple = /^(\d+)xlarge$/.exec(size);
  if (multiple) return [SIZE_ORDER.length, Number(multiple[1]), size];
  const index = SIZE_ORDER.indexOf(size);
  // Named sizes first, then Nxlarge by N, then metal and anything new by name.
  return index >= 0 ? [index, 0, size] : [SIZE_ORDER.length + 1, 0, size];
}

function compareSizes(a: string, b: string): number {
  const [x, y] = [sizeRank(a), sizeRank(b)];
  return x[0] - y[0] || x[1] - y[1] || x[2].localeCompare(y[2]);
}

function main(): void {
  const { values } = parseArgs({ options: { moto: { type: "string" } } });
  const version = pinnedMotoVersion();
  const moto = values.moto ?? findMoto(version);
  const resources = join(moto, "ec2/resources");
  const details = readGzipJson(join(resources, "instance_types.json.gz")) as Record<
    string,
    { ProcessorInfo: { SupportedArchitectures: string[] } }
  >;

  const architectures: Record<string, string[]> = { arm64: [], x86_64: [] };
  const familyArchitecture = new Map<string, string>();
  for (const [type, info] of Object.entries(details)) {
    const family = type.split(".")[0]!;
    // i386 is a 32-bit mode of x86_64 machines, not an architecture of its own here.
    const architecture = info.ProcessorInfo.SupportedArchitectures.filter((arch) => arch !== "i386").join("+");
    if (!(architecture in architectures)) continue;
    const known = familyArchitecture.get(family);
    if (known !== undefined && known !== architecture) throw new Error(`family ${family} mixes ${known} and ${architecture}`);
    familyArchitecture.set(family, architecture);
  }
  for (const [family, architecture] of [...familyArchitecture].sort(([a], [b]) => a.localeCompare(b))) {
    architectures[architecture]!.push(family);
  }

  const regionsDir = join(resources, "instance_type_offerings/region");
  const regions: Record<string, Record<string, string[]>> = {};
  for (const file of readdirSync(regionsDir).sort()) {
    const region = file.replace(/\.json\.gz$/, "");
    const offered = (readGzipJson(join(regionsDir, file)) as { InstanceType: string }[]).map((o) => o.InstanceType);
    const families: Record<string, string[]> = {};
    for (const type of offered) {
      const [family, size] = type.split(".") as [string, string];
      if (!familyArchitecture.has(family)) continue;
      (families[family] ??= []).push(size);
    }
    regions[region] = Object.fromEntries(
      Object.keys(families)
        .sort()
        .map((family) => [family, [...new Set(families[family])].sort(compareSizes)]),
    );
  }

  const generated = new Date().toISOString().slice(0, 10);
  const source = (api: string) =>
    `AWS EC2 ${api}, as captured from AWS by moto ${version} (moto/ec2/resources); generated ${generated} by scripts/instance-types.ts`;
  // One family per line: small, reviewable diffs when the data is regenerated.
  const offerings = [
    "{",
    `  "source": ${JSON.stringify(source("DescribeInstanceTypeOfferings (location type: region)"))},`,
    `  "generated": "${generated}",`,
    '  "regions": {',
    Object.entries(regions)
      .map(
        ([region, families]) =>
          `    ${JSON.stringify(region)}: {\n` +
          Object.entries(families)
            .map(([family, sizes]) => `      ${JSON.stringify(family)}: ${JSON.stringify(sizes)}`)
            .join(",\n") +
          "\n    }",
      )
      .join(",\n"),
    "  }",
    "}",
    "",
  ].join("\n");
  writeFileSync(OFFERINGS_OUT, offerings);
  writeFileSync(
    ARCHITECTURES_OUT,
    `${JSON.stringify({ source: source("DescribeInstanceTypes (ProcessorInfo.SupportedArchitectures) per family"), generated, ...architectures }, null, 2)}\n`,
  );
  console.log(`wrote ${OFFERINGS_OUT} (${Object.keys(regions).length} regions) and ${ARCHITECTURES_OUT} (${familyArchitecture.size} families)`);
}

try {
  main();
} catch (error) {
  console.error(`instance-types: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
