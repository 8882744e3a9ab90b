import { labelled } from "../modules/core/validation";

/**
 * Dotted paths of the settings of `T`: each value (a list counts as one), each object of settings
 * (a construct that checks its entries, such as tags, names them below its label), and the
 * settings inside an optional section (read only where the section is set).
 */
export type SettingPath<T> = {
  [K in keyof T & string]: T[K] extends readonly unknown[]
    ? K
    : NonNullable<T[K]> extends object
      ? K | `${K}.${SettingPath<NonNullable<T[K]>>}`
      : K;
}[keyof T & string];

type At<T, P extends string> = P extends `${infer K}.${infer R}`
  ? K extends keyof T
    ? At<NonNullable<T[K]>, R>
    : never
  : P extends keyof T
    ? T[P]
    : never;

/**
 * Construct props read from settings of `config` (`{ memorySizeMiB: "serverless.functionMemoryMiB" }`),
 * each labelled `<prefix>.<path>`: the construct's own checks then name the setting the user edits.
 * Spread the result into the props (once per props object).
 */
export function fromConfig<C, const M extends Record<string, SettingPath<C>>>(
  config: C,
  prefix: string,
  settings: M,
): { [P in keyof M]: At<C, M[P]> } {
  const entries = Object.entries(settings) as [string, string][];
  const read = (path: string): unknown =>
    path.split(".").reduce<unknown>((value, key) => (value as Record<string, unknown>)[key], config);
  return labelled(
    Object.fromEntries(entries.map(([prop, path]) => [prop, read(path)])),
    Object.fromEntries(entries.map(([prop, path]) => [prop, `${prefix}.${path}`])),
  ) as { [P in keyof M]: At<C, M[P]> };
}
