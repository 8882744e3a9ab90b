// Writes the override that lets `terraform plan` run with no AWS account and no network:
// dummy credentials, the backend swapped for a local file, and every cross-stack reference
// (`data.terraform_remote_state`) pointed at a stub state holding the producer stack's outputs
// with placeholder values of the right type. Terraform `import` blocks (an adopted GuardDuty
// detector) are dropped from the copy: importing reads the real resource, which an offline plan
// cannot; the resource is then planned as a create, which validates the same arguments. AWS data
// sources (a Route 53 zone looked up by name) are made to depend on a resource the plan creates,
// so Terraform defers their read to apply: their arguments are still validated, their results are
// unknown, as they are before the first apply of a real plan.
//
// usage: node offline-override.mjs <stack dir (a copy)> <synthesized stacks dir>
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const [stackDir, stacksDir] = process.argv.slice(2);
const readStack = (dir) => JSON.parse(readFileSync(join(dir, "cdk.tf.json"), "utf8"));

// Placeholder of the same Terraform type as the output's expression.
function placeholder(name, value) {
  if (Array.isArray(value)) {
    return { value: value.map((_, i) => `offline-${name}-${i}`), type: ["list", "string"] };
  }
  if (typeof value === "number") return { value: 0, type: "number" };
  if (typeof value === "boolean") return { value: false, type: "bool" };
  return { value: `offline-${name}`, type: "string" };
}

const producers = new Map();
for (const id of readdirSync(stacksDir)) {
  const stack = readStack(join(stacksDir, id));
  const key = stack.terraform?.backend?.s3?.key;
  if (key) producers.set(key, { id, stack });
}

const stack = readStack(stackDir);
let rewritten = false;
if (stack.import !== undefined) {
  const ids = stack.import.map((block) => block.to).join(", ");
  delete stack.import;
  rewritten = true;
  console.error(`offline-override: import blocks dropped for the offline plan (planned as creates): ${ids}`);
}
// `depends_on` cannot be set from an override file, so the copy itself is changed.
const awsDataSources = Object.entries(stack.data ?? {}).filter(([type]) => type.startsWith("aws_"));
if (awsDataSources.length > 0) {
  stack.resource ??= {};
  stack.resource.terraform_data = { ...stack.resource.terraform_data, offline_read_at_apply: {} };
  for (const [, byName] of awsDataSources) {
    for (const body of Object.values(byName)) body.depends_on = [...(body.depends_on ?? []), "terraform_data.offline_read_at_apply"];
  }
  rewritten = true;
}
if (rewritten) writeFileSync(join(stackDir, "cdk.tf.json"), `${JSON.stringify(stack, null, 2)}\n`);
// One dummy-credential block per provider configuration, the aliased ones included (such as the
// account stack's us-east-1 provider): an override only merges into the block of the same alias.
const aliases = (stack.provider?.aws ?? [{}]).map((provider) => provider.alias);
const override = {
  terraform: { backend: { local: { path: "offline.tfstate" } } },
  provider: {
    aws: aliases.map((alias) => ({
      ...(alias === undefined ? {} : { alias }),
      access_key: "offline-validate",
      secret_key: "offline-validate",
      skip_credentials_validation: true,
      skip_requesting_account_id: true,
      skip_metadata_api_check: true,
      // The provider cannot check an account it never asks for; the pin stays in the
      // synthesized stack and is covered by the unit tests.
      allowed_account_ids: null,
    })),
  },
};

const remoteStates = stack.data?.terraform_remote_state ?? {};
for (const [name, data] of Object.entries(remoteStates)) {
  const producer = producers.get(data.config?.key);
  if (!producer) {
    console.error(`offline-override: ${name} reads state key ${data.config?.key}, which no synthesized stack writes`);
    process.exit(1);
  }
  const outputs = Object.fromEntries(
    Object.entries(producer.stack.output ?? {}).map(([output, body]) => [output, placeholder(output, body.value)]),
  );
  mkdirSync(join(stackDir, "offline-remote-state"), { recursive: true });
  const path = join("offline-remote-state", `${producer.id}.tfstate`);
  writeFileSync(
    join(stackDir, path),
    JSON.stringify({ version: 4, terraform_version: "1.11.4", serial: 1, lineage: "offline", outputs, resources: [] }),
  );
  override.data ??= { terraform_remote_state: {} };
  override.data.terraform_remote_state[name] = { backend: "local", config: { path } };
}

writeFileSync(join(stackDir, "zz_offline_override.tf.json"), `${JSON.stringify(override, null, 2)}\n`);
