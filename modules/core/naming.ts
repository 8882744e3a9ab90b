/**
 * Physical names. Every resource name is `<project>-<environment>-<parts...>`, built here and
 * nowhere else, so names stay unique per environment and greppable.
 */
export class Naming {
  constructor(
    readonly project: string,
    readonly environment: string,
  ) {}

  /** `name("flow-logs")` → `acme-dev-flow-logs`. */
  name(...parts: string[]): string {
    return [this.project, this.environment, ...parts].join("-");
  }
}

/** Suffix of an environment's permissions boundary policy, `name(WORKLOAD_BOUNDARY)` → `acme-dev-workload-boundary`. */
export const WORKLOAD_BOUNDARY = "workload-boundary";
