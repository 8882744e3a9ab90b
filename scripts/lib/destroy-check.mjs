// The offline destroy check of one stack (a copy prepared by validate.sh, after its offline plan).
//
// A destroy plan only meets `prevent_destroy` for resources in state, and an offline copy has
// none. So this writes a state holding every resource the offline plan would create, with the
// planned values (ids as placeholders), into the copy's local backend, then runs
// `terraform plan -destroy -refresh=false` against it: no AWS call, the same checks Terraform
// makes before a real destroy touches anything.
//
// The verdict, from cdk.tf.json alone (scripts never read config):
// - a stack with `lifecycle.prevent_destroy` resources must have its destroy plan refused, with
//   an "Instance cannot be destroyed" error naming each of them and no other;
// - a stack without must plan the deletion of every resource in state (a complete destroy).
//
// usage: node destroy-check.mjs <stack dir> <terraform binary>
// Prints one line: `refused <n protected>` or `complete <n deleted>`; on a wrong verdict, prints
// the reason and Terraform's output on stderr and exits 1.
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const [stackDir, terraform] = process.argv.slice(2);
const tf = (args) => spawnSync(terraform, args, { cwd: stackDir, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
const tfJson = (args) =>
  JSON.parse(execFileSync(terraform, args, { cwd: stackDir, encoding: "utf8", maxBuffer: 256 * 1024 * 1024, stdio: ["ignore", "pipe", "pipe"] }));

const stack = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8"));
const protectedAddresses = Object.entries(stack.resource ?? {})
  .flatMap(([type, byName]) => Object.entries(byName).map(([name, body]) => [`${type}.${name}`, body]))
  .filter(([, body]) => body.lifecycle?.prevent_destroy === true)
  .map(([address]) => address)
  .sort();

const plan = tfJson(["show", "-json", "offline.plan"]);
const schemas = tfJson(["providers", "schema", "-json"]);
const schemaVersion = (providerName, type) => {
  const provider = Object.entries(schemas.provider_schemas ?? {}).find(([name]) => name.endsWith(providerName))?.[1];
  return provider?.resource_schemas?.[type]?.version ?? 0;
};

// `aws` or `aws.us-east-1` (the configuration's provider key) to the state's provider address.
const configured = new Map((plan.configuration?.root_module?.resources ?? []).map((r) => [r.address, r.provider_config_key]));
const providerAddress = (resource) => {
  const source = resource.provider_name.includes("/") ? resource.provider_name : `registry.terraform.io/hashicorp/${resource.provider_name}`;
  const key = configured.get(resource.address) ?? "";
  const alias = key.includes(".") ? `.${key.split(".").slice(1).join(".")}` : "";
  return `provider["${source}"]${alias}`;
};

// Attributes of dynamic type are stored with their type in state, which the plan JSON does not
// give; left out (null) they cost nothing, as a destroy plan reads neither.
const DYNAMIC_ATTRIBUTES = { terraform_data: ["input", "output", "triggers_replace"] };
const stateAttributes = (resource, key) => {
  const attributes = { ...resource.values, id: resource.values?.id ?? `offline-destroy-${key}` };
  for (const name of DYNAMIC_ATTRIBUTES[resource.type] ?? []) delete attributes[name];
  return attributes;
};

const byAddress = new Map();
for (const resource of plan.planned_values?.root_module?.resources ?? []) {
  if (resource.mode !== "managed") continue;
  const key = `${resource.type}.${resource.name}`;
  const entry = byAddress.get(key) ?? {
    mode: "managed",
    type: resource.type,
    name: resource.name,
    provider: providerAddress(resource),
    instances: [],
  };
  entry.instances.push({
    ...(resource.index !== undefined && { index_key: resource.index }),
    schema_version: schemaVersion(resource.provider_name, resource.type),
    // Unknown-until-apply values are absent (null); the id is a placeholder: nothing is read back.
    attributes: stateAttributes(resource, key),
    sensitive_attributes: [],
  });
  byAddress.set(key, entry);
}
const inState = [...byAddress.values()];
writeFileSync(
  join(stackDir, "offline.tfstate"),
  JSON.stringify({ version: 4, terraform_version: "1.11.4", serial: 1, lineage: "offline-destroy", outputs: {}, resources: inState }),
);

const result = tf(["plan", "-destroy", "-refresh=false", "-lock=false", "-input=false", "-no-color", "-out=destroy.plan"]);
const output = `${result.stdout}\n${result.stderr}`;
const fail = (reason) => {
  console.error(`${reason}\n--- terraform plan -destroy ---\n${output}`);
  process.exit(1);
};

if (protectedAddresses.length > 0) {
  if (result.status === 0) fail(`destroy plan succeeded although ${protectedAddresses.length} resources carry prevent_destroy: ${protectedAddresses.join(", ")}`);
  // "Resource <address> has lifecycle.prevent_destroy set, but the plan calls for this resource to be destroyed."
  const named = [...output.matchAll(/Resource (\S+) has\s+lifecycle\.prevent_destroy\s+set/g)].map((match) => match[1]).sort();
  const missing = protectedAddresses.filter((address) => !named.includes(address));
  const unexpected = named.filter((address) => !protectedAddresses.includes(address));
  const otherErrors = output.split("\n").filter((line) => line.startsWith("Error: ") && line !== "Error: Instance cannot be destroyed");
  if (missing.length > 0 || unexpected.length > 0 || otherErrors.length > 0) {
    fail(`destroy plan refused, but not by exactly the protected resources: missing ${missing.join(", ") || "none"}; unexpected ${unexpected.join(", ") || "none"}; other errors: ${otherErrors.join(" | ") || "none"}`);
  }
  console.log(`refused ${named.length}`);
} else {
  if (result.status !== 0) fail("destroy plan failed for a stack without protected resources");
  const destroyPlan = tfJson(["show", "-json", "destroy.plan"]);
  const deleted = (destroyPlan.resource_changes ?? []).filter((change) => change.mode === "managed" && change.change.actions.includes("delete"));
  const expected = inState.reduce((sum, entry) => sum + entry.instances.length, 0);
  if (deleted.length !== expected) fail(`destroy plan deletes ${deleted.length} of the ${expected} resources in state`);
  console.log(`complete ${deleted.length}`);
}
