/**
 * What a runtime bundle (a Lambda function's, the container service's) must never contain: the
 * infrastructure side. Bundle tests ask esbuild's metafile which inputs went in and filter them here,
 * so the list of infrastructure packages lives in one place and knows both names of the library:
 * CDK for Terraform (`cdktf`, `@cdktf/provider-aws`) and CDK Terrain (`cdktn`, `@cdktn/provider-aws`).
 */

/** npm packages (or scopes) of the infrastructure side, under either library name. */
export const INFRASTRUCTURE_PACKAGES: readonly string[] = ["cdktf", "cdktn", "constructs", "@cdktf", "@cdktn"];
/** Project folders of the infrastructure side (besides `main.ts`). */
export const INFRASTRUCTURE_FOLDERS: readonly string[] = ["stacks", "modules", "rules", "config"];

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const alternatives = (names: readonly string[]): string => names.map(escape).join("|");

/**
 * The entries of `inputs` (esbuild metafile input paths, relative to the project root) that are
 * infrastructure code, or come from one of the `also` packages or folders a given bundle must not
 * contain either (the service bundle: no Lambda code, no Powertools).
 */
export function infrastructureInputs(
  inputs: readonly string[],
  also: { readonly packages?: readonly string[]; readonly folders?: readonly string[] } = {},
): string[] {
  const packages = alternatives([...INFRASTRUCTURE_PACKAGES, ...(also.packages ?? [])]);
  const folders = alternatives([...INFRASTRUCTURE_FOLDERS, ...(also.folders ?? [])]);
  const foreign = new RegExp(`(^|/)node_modules/(${packages})/|^(${folders})/|^main\\.ts$`);
  return inputs.filter((path) => foreign.test(path));
}
