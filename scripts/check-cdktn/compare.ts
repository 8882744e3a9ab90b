/**
 * Compares two synthesized output directories (cdktf's and cdktn's) file by file: Terraform JSON
 * and the manifest by value, everything else (Lambda code assets) byte for byte. A difference is
 * either one of the few that switching libraries is expected to cause, or a failure named by file,
 * stack, JSON path and both values.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export type JsonPath = readonly (string | number)[];

/** One difference between the two outputs. */
export interface Difference {
  /** File relative to the output directory (`stacks/account/cdk.tf.json`). */
  readonly file: string;
  /** Stack id, or undefined for files outside `stacks/` (the manifest). */
  readonly stack: string | undefined;
  readonly path: JsonPath;
  /** Value on each side; undefined when the side has no such key or file. */
  readonly cdktf: unknown;
  readonly cdktn: unknown;
}

/** A difference the switch is expected to cause, and why. */
interface AllowedDifference {
  readonly name: string;
  readonly matches: (difference: Difference) => boolean;
}

const isStackJson = (d: Difference): boolean => d.stack !== undefined && d.file.endsWith("/cdk.tf.json");
const pathIs = (path: JsonPath, expected: readonly (string | null)[]): boolean =>
  path.length === expected.length && expected.every((part, i) => part === null || part === path[i]);

/** Everything the switch may change; any other difference fails the check. */
export const ALLOWED_DIFFERENCES: readonly AllowedDifference[] = [
  {
    // The library writes its own version into every stack and the manifest.
    name: "cdktf metadata version",
    matches: (d) =>
      (isStackJson(d) && pathIs(d.path, ["//", "metadata", "version"])) || (d.file === "manifest.json" && pathIs(d.path, ["version"])),
  },
  {
    // @cdktn/provider-aws writes the full `hashicorp/aws` address where @cdktf/provider-aws wrote `aws`.
    name: "aws provider source",
    matches: (d) => isStackJson(d) && pathIs(d.path, ["terraform", "required_providers", "aws", "source"]),
  },
  {
    // Each binding pins the hashicorp/aws release it was generated from (5.100.0 against 6.x).
    name: "aws provider version",
    matches: (d) => isStackJson(d) && pathIs(d.path, ["terraform", "required_providers", "aws", "version"]),
  },
  {
    // hashicorp/aws 6 removed the argument: it always resets the account setting on destroy.
    name: "reset_on_delete (removed in hashicorp/aws 6)",
    matches: (d) => isStackJson(d) && pathIs(d.path, ["resource", "aws_api_gateway_account", null, "reset_on_delete"]),
  },
];

export interface Comparison {
  readonly files: number;
  readonly stacks: number;
  /** Count of allowed differences by name, in the order of {@link ALLOWED_DIFFERENCES}. */
  readonly allowed: ReadonlyMap<string, number>;
  /** Everything else: each one fails the check. */
  readonly differences: readonly Difference[];
}

function filesUnder(root: string, dir = ""): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? filesUnder(root, join(dir, entry.name)) : [join(dir, entry.name)]))
    .sort();
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/** Paths (and both values) where `a` and `b` differ, down to the deepest differing key. */
export function jsonDifferences(a: unknown, b: unknown, path: JsonPath = []): { path: JsonPath; a: unknown; b: unknown }[] {
  if (Array.isArray(a) && Array.isArray(b)) {
    return Array.from({ length: Math.max(a.length, b.length) }, (_, i) => jsonDifferences(a[i], b[i], [...path, i])).flat();
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((key) => jsonDifferences(a[key], b[key], [...path, key]));
  }
  return Object.is(a, b) ? [] : [{ path, a, b }];
}

/** `terraform.required_providers.aws.version`, `["//"].metadata.version`, `resource.aws_kms_key["key_4A3B"].provider`. */
export function formatPath(path: JsonPath): string {
  if (path.length === 0) return "(whole file)";
  return path
    .map((part, i) =>
      typeof part === "number" ? `[${part}]` : /^[A-Za-z_][A-Za-z0-9_]*$/.test(part) ? `${i === 0 ? "" : "."}${part}` : `[${JSON.stringify(part)}]`,
    )
    .join("");
}

const stackOf = (file: string): string | undefined => /^stacks\/([^/]+)\//.exec(file)?.[1];
const sha256 = (bytes: Buffer): string => createHash("sha256").update(bytes).digest("hex").slice(0, 16);

/** Compares the output directories `cdktfOut` and `cdktnOut` (each as `main.ts` writes it). */
export function compareOutputs(cdktfOut: string, cdktnOut: string): Comparison {
  for (const dir of [cdktfOut, cdktnOut]) if (!existsSync(join(dir, "manifest.json"))) throw new Error(`${dir} is no synthesized output (no manifest.json)`);
  const left = new Set(filesUnder(cdktfOut));
  const right = new Set(filesUnder(cdktnOut));
  const files = [...new Set([...left, ...right])].sort();
  const all: Difference[] = [];
  for (const file of files) {
    const stack = stackOf(file);
    const a = left.has(file) ? readFileSync(join(cdktfOut, file)) : undefined;
    const b = right.has(file) ? readFileSync(join(cdktnOut, file)) : undefined;
    if (a === undefined || b === undefined) {
      all.push({ file, stack, path: [], cdktf: a === undefined ? undefined : "(file)", cdktn: b === undefined ? undefined : "(file)" });
    } else if (file.endsWith(".json")) {
      for (const d of jsonDifferences(JSON.parse(a.toString("utf8")), JSON.parse(b.toString("utf8")))) {
        all.push({ file, stack, path: d.path, cdktf: d.a, cdktn: d.b });
      }
    } else if (!a.equals(b)) {
      all.push({ file, stack, path: [], cdktf: `(sha256 ${sha256(a)})`, cdktn: `(sha256 ${sha256(b)})` });
    }
  }
  const allowed = new Map(ALLOWED_DIFFERENCES.map((rule) => [rule.name, 0]));
  const differences = all.filter((d) => {
    const rule = ALLOWED_DIFFERENCES.find((candidate) => candidate.matches(d));
    if (rule) allowed.set(rule.name, allowed.get(rule.name)! + 1);
    return rule === undefined;
  });
  return { files: files.length, stacks: new Set(files.map(stackOf).filter(Boolean)).size, allowed, differences };
}

const show = (value: unknown): string => {
  if (value === undefined) return "(absent)";
  const text = JSON.stringify(value);
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
};

/** One line per difference: stack (or file), JSON path, both values. */
export function describeDifference(d: Difference): string {
  const where = d.stack === undefined ? d.file : d.file === `stacks/${d.stack}/cdk.tf.json` ? d.stack : `${d.stack} (${d.file})`;
  return `${where}  ${formatPath(d.path)}  cdktf: ${show(d.cdktf)}  cdktn: ${show(d.cdktn)}`;
}
