/**
 * Emulator settings for one synthesized stack, as a Terraform override file written beside its
 * `cdk.tf.json` (Terraform merges `*_override.tf.json` over the stack), so the stacks themselves
 * carry no emulator switch and `cdktf deploy/diff/destroy --skip-synth` run them unchanged:
 *
 * - every `aws` provider configuration and the S3 backend (and cross-stack `terraform_remote_state`
 *   reads): `endpoints` for exactly the services the stack's resources and data sources call
 *   (derived from their types: an unknown AWS type is an error, so a new service can never reach
 *   real AWS), path-style S3, no metadata API; credentials come from the environment (the
 *   administrator's dummy keys, or a CI role's session);
 * - narrow workarounds for moto's gaps, each reported (see MOTO_WORKAROUNDS).
 *
 * `allowed_account_ids` is kept: moto answers STS with the configured account.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";

export const OVERRIDE_FILE = "zz_emulator_override.tf.json";

/** Resource / data source type prefix → endpoint key of hashicorp/aws 5.x. The longest prefix wins; null: no AWS call. */
const ENDPOINT_BY_PREFIX: Readonly<Record<string, string | null>> = {
  aws_vpc: "ec2", aws_default_vpc: "ec2", aws_subnet: "ec2", aws_default_subnet: "ec2", aws_route: "ec2", aws_default_route_table: "ec2",
  aws_main_route_table_association: "ec2", aws_internet_gateway: "ec2", aws_egress_only_internet_gateway: "ec2", aws_nat_gateway: "ec2",
  aws_eip: "ec2", aws_security_group: "ec2", aws_default_security_group: "ec2", aws_network_acl: "ec2", aws_default_network_acl: "ec2",
  aws_network_interface: "ec2", aws_flow_log: "ec2", aws_ec2_: "ec2", aws_instance: "ec2", aws_launch_template: "ec2", aws_ami: "ec2",
  aws_key_pair: "ec2", aws_availability_zone: "ec2", aws_prefix_list: "ec2", aws_ebs_: "ec2",
  aws_iam_policy_document: null, aws_iam_: "iam", aws_caller_identity: "sts", aws_partition: null, aws_region: null,
  aws_kms_: "kms", aws_cloudwatch_log_: "logs", aws_cloudwatch_query_definition: "logs", aws_cloudwatch_metric_alarm: "cloudwatch",
  aws_cloudwatch_composite_alarm: "cloudwatch", aws_cloudwatch_dashboard: "cloudwatch", aws_cloudwatch_event_: "events",
  aws_s3_account_: "s3control", aws_s3_: "s3", aws_dynamodb_: "dynamodb", aws_sqs_: "sqs", aws_sns_: "sns", aws_ssm_: "ssm", aws_secretsmanager_: "secretsmanager",
  aws_lambda_: "lambda", aws_apigatewayv2_: "apigatewayv2", aws_api_gateway_: "apigateway", aws_ecr_: "ecr", aws_ecs_: "ecs",
  aws_autoscaling_: "autoscaling", aws_appautoscaling_: "appautoscaling", aws_lb: "elbv2", aws_alb: "elbv2", aws_wafv2_: "wafv2",
  aws_acm_: "acm", aws_route53_: "route53", aws_xray_: "xray", aws_sfn_: "sfn", aws_cloudtrail: "cloudtrail", aws_guardduty_: "guardduty",
  aws_securityhub_: "securityhub", aws_config_: "configservice", aws_accessanalyzer_: "accessanalyzer", aws_budgets_: "budgets", aws_ce_: "ce",
};

/** The provider resolves the account id (allowed_account_ids) through STS, falling back to IAM. */
const ALWAYS_ENDPOINTS = ["sts", "iam"];

/** Why each workaround exists; every one in effect is reported. */
export const MOTO_WORKAROUNDS = {
  "conditional-bucket-policy":
    "moto enforces bucket-policy Deny statements on object requests but evaluates their Condition without request context, so every " +
    "conditional Deny matches (moto iam/access_control.py): DenyInsecureTransport would deny reading the state. The emulator gets an " +
    "Allow-only policy; the real one stays covered by the unit and checkov tiers.",
  "ignored-unsupported-attribute":
    "moto accepts this attribute but never returns it on read, so every plan after apply would set it again: lifecycle.ignore_changes " +
    "for exactly that attribute, in the emulator only.",
} as const;

type Body = Record<string, unknown>;
type Predicate = (body: Body) => boolean;

/** Attributes moto (scripts/requirements-tools.txt) accepts but never returns, by resource type, with where in moto. */
const MOTO_UNSUPPORTED_ATTRIBUTES: Readonly<Record<string, ReadonlyArray<readonly [string, Predicate | null, string]>>> = {
  aws_lambda_function: [["logging_config", null, "moto/awslambda/models.py has no LoggingConfig; GetFunction never returns it"]],
  aws_s3_bucket_notification: [["eventbridge", null, "moto/s3/responses.py answers Topic/Queue/LambdaFunction configurations only"]],
  aws_autoscaling_group: [["default_instance_warmup", null, "moto/autoscaling has no DefaultInstanceWarmup"]],
  aws_ecs_service: [
    ...["capacity_provider_strategy", "ordered_placement_strategy", "enable_ecs_managed_tags", "health_check_grace_period_seconds"].map(
      (attribute) => [attribute, null, "moto/ecs/responses.py create_service ignores capacityProviderStrategy, placementStrategy, enableECSManagedTags, healthCheckGracePeriodSeconds"] as const,
    ),
    // hashicorp/aws defaults it to "DISABLED" when unset, so it diverges even when not configured.
    ["availability_zone_rebalancing", () => true, "moto/ecs has no availabilityZoneRebalancing"],
  ],
  ...Object.fromEntries(
    ["aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule"].map((type) => [
      type,
      [["description", (body: Body) => Boolean(body.description && body.referenced_security_group_id), "moto's SecurityGroupRule.description reads the CIDR range's Description only"]],
    ]),
  ),
};

export interface Workaround {
  readonly id: keyof typeof MOTO_WORKAROUNDS;
  readonly resource: string;
  readonly attribute: string;
}

/** What the override of one stack did. */
export interface OverrideReport {
  readonly stack: string;
  readonly backend: "s3" | "local";
  readonly stateKey?: string;
  readonly bucket?: string;
  readonly lockTable?: string;
  readonly services: readonly string[];
  readonly workarounds: readonly Workaround[];
}

export class UnknownServiceError extends Error {}

function endpointFor(type: string): { known: boolean; service: string | null } {
  if (!type.startsWith("aws_")) return { known: true, service: null }; // another provider, or terraform_remote_state
  const prefix = Object.keys(ENDPOINT_BY_PREFIX)
    .filter((candidate) => type.startsWith(candidate))
    .sort((a, b) => b.length - a.length)[0];
  return prefix === undefined ? { known: false, service: null } : { known: true, service: ENDPOINT_BY_PREFIX[prefix] ?? null };
}

function backendSettings(endpoint: string): Body {
  return {
    skip_credentials_validation: true,
    skip_metadata_api_check: true,
    skip_region_validation: true,
    // false: the backend asks STS for the account, which allowed_account_ids needs; moto serves it.
    skip_requesting_account_id: false,
    use_path_style: true,
    endpoints: { s3: endpoint, dynamodb: endpoint, sts: endpoint, iam: endpoint },
  };
}

/** Allow-only replacement of a bucket policy with conditional denies, which moto would turn into deny-everything. */
function conditionalPolicyReplacement(body: Body, account: string): string | undefined {
  if (typeof body.policy !== "string") return undefined;
  let document: { Statement?: unknown };
  try {
    document = JSON.parse(body.policy) as { Statement?: unknown };
  } catch {
    return undefined; // a `${...}` reference: nothing to inspect
  }
  const statements = (Array.isArray(document.Statement) ? document.Statement : [document.Statement]) as Body[];
  if (!statements.some((statement) => statement?.Effect === "Deny" && statement.Condition)) return undefined;
  const bucket = statements
    .flatMap((statement) => (Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource]))
    .find((resource): resource is string => typeof resource === "string" && !resource.endsWith("/*"));
  if (!bucket) return undefined;
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Sid: "EmulatorCannotEvaluateConditions", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: "s3:ListBucket", Resource: bucket }],
  });
}

/**
 * Writes the emulator override beside `<stackDir>/cdk.tf.json` and reports what it did. A local
 * backend (bootstrap) is left where the stack puts it.
 */
export function writeEmulatorOverride(stackDir: string, endpoint: string): OverrideReport {
  const stack = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")) as Body;
  const name = basename(stackDir);
  const url = endpoint.replace(/\/$/, "");
  const override: Body = { "//": "Written by scripts/emulator/overrides.ts for the emulator (moto) only; never deploy it." };

  const backends = ((stack.terraform as Body | undefined)?.backend ?? {}) as Record<string, Body>;
  const kinds = Object.keys(backends);
  if (kinds.length !== 1 || (kinds[0] !== "s3" && kinds[0] !== "local")) {
    throw new Error(`${name}: expected exactly one s3 or local backend, found ${kinds.join(", ") || "none"}`);
  }
  const backend = kinds[0] as "s3" | "local";
  const s3 = backends.s3;
  if (s3) override.terraform = { backend: { s3: { ...s3, ...backendSettings(url) } } };

  const resources = (stack.resource ?? {}) as Record<string, Record<string, Body>>;
  const data = (stack.data ?? {}) as Record<string, Record<string, Body>>;
  const services = new Set(ALWAYS_ENDPOINTS);
  const unknown: string[] = [];
  for (const type of [...Object.keys(resources), ...Object.keys(data)].sort()) {
    const { known, service } = endpointFor(type);
    if (!known) unknown.push(type);
    else if (service) services.add(service);
  }
  if (unknown.length > 0) {
    throw new UnknownServiceError(`${name}: no emulator endpoint known for ${unknown.join(", ")}; add its prefix to ENDPOINT_BY_PREFIX in scripts/emulator/overrides.ts (and check moto serves it)`);
  }

  const providerList = ((stack.provider as Body | undefined)?.aws ?? []) as Body | Body[];
  const providers = Array.isArray(providerList) ? providerList : [providerList];
  if (providers.length === 0) throw new Error(`${name}: no aws provider configuration found`);
  const endpoints = Object.fromEntries([...services].sort().map((service) => [service, url]));
  override.provider = {
    aws: providers.map((provider) => ({
      skip_credentials_validation: true,
      skip_metadata_api_check: true,
      skip_region_validation: true,
      s3_use_path_style: true,
      endpoints: [endpoints],
      ...(provider.alias ? { alias: provider.alias } : {}),
    })),
  };
  const account = providers.flatMap((provider) => (provider.allowed_account_ids as string[] | undefined) ?? [])[0] ?? "123456789012";

  const remoteStates = Object.fromEntries(
    Object.entries(data.terraform_remote_state ?? {})
      .filter(([, body]) => body.backend === "s3")
      .map(([id, body]) => [id, { config: { ...(body.config as Body), ...backendSettings(url) } }]),
  );
  if (Object.keys(remoteStates).length > 0) override.data = { terraform_remote_state: remoteStates };

  const workarounds: Workaround[] = [];
  const patched: Record<string, Record<string, Body>> = {};
  for (const [id, body] of Object.entries(resources.aws_s3_bucket_policy ?? {})) {
    const policy = conditionalPolicyReplacement(body, account);
    if (!policy) continue;
    (patched.aws_s3_bucket_policy ??= {})[id] = { policy };
    workarounds.push({ id: "conditional-bucket-policy", resource: `aws_s3_bucket_policy.${id}`, attribute: "policy" });
  }
  for (const [type, entries] of Object.entries(MOTO_UNSUPPORTED_ATTRIBUTES)) {
    for (const [id, body] of Object.entries(resources[type] ?? {})) {
      // By default only set attributes diverge: an unset or false one reads back as moto returns it.
      const present = entries.filter(([attribute, when]) => (when ? when(body) : ![undefined, null, false, "", []].includes(body[attribute] as never) && !(Array.isArray(body[attribute]) && (body[attribute] as unknown[]).length === 0)));
      if (present.length === 0) continue;
      const lifecycle = { ...((body.lifecycle as Body | undefined) ?? {}) };
      const ignored = new Set([...((lifecycle.ignore_changes as string[] | undefined) ?? []), ...present.map(([attribute]) => attribute)]);
      (patched[type] ??= {})[id] = { ...patched[type]?.[id], lifecycle: { ...lifecycle, ignore_changes: [...ignored].sort() } };
      for (const [attribute] of present) workarounds.push({ id: "ignored-unsupported-attribute", resource: `${type}.${id}`, attribute });
    }
  }
  if (Object.keys(patched).length > 0) override.resource = patched;

  writeFileSync(join(stackDir, OVERRIDE_FILE), `${JSON.stringify(override, null, 2)}\n`);
  return {
    stack: name,
    backend,
    ...(s3 ? { stateKey: String(s3.key), bucket: String(s3.bucket), lockTable: String(s3.dynamodb_table) } : {}),
    services: [...services].sort(),
    workarounds,
  };
}

/** Writes the emulator override of every stack in `<outdir>/stacks`. */
export function writeEmulatorOverrides(outdir: string, stacks: readonly string[], endpoint: string): OverrideReport[] {
  return stacks.map((stack) => {
    const dir = join(outdir, "stacks", stack);
    if (!existsSync(join(dir, "cdk.tf.json"))) throw new Error(`${stack} was not synthesized into ${outdir}`);
    return writeEmulatorOverride(dir, endpoint);
  });
}
