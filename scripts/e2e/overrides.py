#!/usr/bin/env python3
"""Write the emulator override file beside one synthesized stack (a copy, never cdktf.out itself).

    overrides.py STACK_DIR --endpoint http://127.0.0.1:PORT [--local-state FILE]

Reads STACK_DIR/cdk.tf.json and writes STACK_DIR/zz_e2e_override.tf.json, which Terraform merges
over the stack (override files win), so production code carries no emulator switch:

- every `aws` provider configuration: dummy credentials, `endpoints` for exactly the services the
  stack's resources and data sources call (derived from their types; an unknown AWS type is an
  error, so a new service can never silently reach real AWS), path-style S3, no metadata API;
- an S3 backend: the synthesized block (bucket, key, lock table, KMS key, allowed accounts) plus
  endpoints and dummy credentials. A backend block in an override file replaces the original
  whole, hence the merge;
- a local backend: redirected to --local-state (default: terraform.tfstate in STACK_DIR);
- `terraform_remote_state` data sources reading an S3 backend (cdktf cross-stack references):
  the same endpoint settings as the backend;
- narrow workarounds for moto limitations, each listed in the report (see MOTO_WORKAROUNDS).

`allowed_account_ids` is deliberately kept on provider and backend: moto answers STS with
account 123456789012, the configured account, so the pin is exercised for real (e2e.sh checks).

Prints one JSON object on stdout: {"stack", "backend", "state_key", "services", "workarounds"}.
Standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any, Callable

OVERRIDE_FILE = "zz_e2e_override.tf.json"
DUMMY_KEY = "e2e-moto"

# Resource / data source type prefix -> endpoint key of hashicorp/aws 5.x (`endpoints` block).
# The longest matching prefix wins (aws_route53_ before aws_route). None: makes no AWS call.
# Extend this when a stack adds a service; unknown aws_* types make the script fail on purpose.
ENDPOINT_BY_PREFIX: dict[str, str | None] = {
    # EC2 / VPC
    "aws_vpc": "ec2", "aws_default_vpc": "ec2", "aws_subnet": "ec2", "aws_default_subnet": "ec2",
    "aws_route": "ec2", "aws_default_route_table": "ec2", "aws_main_route_table_association": "ec2",
    "aws_internet_gateway": "ec2", "aws_egress_only_internet_gateway": "ec2", "aws_nat_gateway": "ec2",
    "aws_eip": "ec2", "aws_security_group": "ec2", "aws_default_security_group": "ec2",
    "aws_network_acl": "ec2", "aws_default_network_acl": "ec2", "aws_network_interface": "ec2",
    "aws_flow_log": "ec2", "aws_ec2_": "ec2", "aws_instance": "ec2", "aws_launch_template": "ec2",
    "aws_ami": "ec2", "aws_key_pair": "ec2", "aws_availability_zone": "ec2", "aws_prefix_list": "ec2",
    "aws_ebs_": "ec2",
    # Identity, keys, logs, metrics
    "aws_iam_policy_document": None,
    "aws_iam_": "iam",
    "aws_caller_identity": "sts",
    "aws_partition": None,
    "aws_region": None,
    "aws_kms_": "kms",
    "aws_cloudwatch_log_": "logs",
    "aws_cloudwatch_query_definition": "logs",
    "aws_cloudwatch_metric_alarm": "cloudwatch",
    "aws_cloudwatch_composite_alarm": "cloudwatch",
    "aws_cloudwatch_dashboard": "cloudwatch",
    "aws_cloudwatch_event_": "events",
    # Storage and data
    "aws_s3_": "s3",
    "aws_dynamodb_": "dynamodb",
    "aws_sqs_": "sqs",
    "aws_sns_": "sns",
    "aws_ssm_": "ssm",
    "aws_secretsmanager_": "secretsmanager",
    # Compute and APIs
    "aws_lambda_": "lambda",
    "aws_apigatewayv2_": "apigatewayv2",
    "aws_api_gateway_": "apigateway",
    "aws_ecr_": "ecr",
    "aws_ecs_": "ecs",
    "aws_autoscaling_": "autoscaling",
    "aws_appautoscaling_": "appautoscaling",
    "aws_lb": "elbv2", "aws_alb": "elbv2",
    "aws_wafv2_": "wafv2",
    "aws_acm_": "acm",
    "aws_route53_": "route53",
    "aws_xray_": "xray",
    "aws_sfn_": "sfn",
    # Account baseline
    "aws_cloudtrail": "cloudtrail",
    "aws_guardduty_": "guardduty",
    "aws_securityhub_": "securityhub",
    "aws_config_": "configservice",
    "aws_accessanalyzer_": "accessanalyzer",
    "aws_budgets_": "budgets",
}

# The provider resolves the account id (allowed_account_ids) through STS, falling back to IAM.
ALWAYS_ENDPOINTS = ("sts", "iam")

# Why each workaround exists; e2e.sh prints these and they are reported upstream.
MOTO_WORKAROUNDS = {
    "conditional-bucket-policy": (
        "moto enforces bucket-policy Deny statements on object requests but evaluates their "
        "Condition without any request context, so every conditional Deny matches (moto "
        "iam/access_control.py IAMPolicyStatement._check_conditions + policy_conditions."
        "verify_condition return True for missing keys): DenyInsecureTransport (s3:*, "
        "aws:SecureTransport=false) then denies HeadObject/GetObject/PutObject of the state. "
        "The e2e replaces that one policy with an Allow-only one; the real policy stays covered "
        "by the unit and checkov tiers."
    ),
    "ignored-unsupported-attribute": (
        "moto accepts this attribute but never returns it on read (not stored, or stored and left "
        "out of the read response), so every plan after apply wants to set it again. The e2e override adds "
        "lifecycle.ignore_changes for exactly that attribute of exactly those resources (e2e only; "
        "production keeps the attribute and no ignore_changes)."
    ),
}

# Attributes moto (as pinned in scripts/requirements-tools.txt) accepts but never returns, by
# resource type: (attribute, when: predicate on the resource body, None = when the attribute is set,
# where in moto). Checked against moto's source, not guessed: extend only after confirming the gap there.
Predicate = Callable[[dict[str, Any]], bool] | None
MOTO_UNSUPPORTED_ATTRIBUTES: dict[str, list[tuple[str, Predicate, str]]] = {
    "aws_lambda_function": [
        ("logging_config", None, "moto/awslambda/models.py has no LoggingConfig; GetFunction never returns it"),
    ],
    "aws_s3_bucket_notification": [
        ("eventbridge", None, "moto/s3/responses.py get_bucket_notification stores EventBridgeConfiguration "
                              "but answers with Topic/Queue/LambdaFunction configurations only"),
    ],
    "aws_autoscaling_group": [
        ("default_instance_warmup", None, "moto/autoscaling has no DefaultInstanceWarmup (only EstimatedInstanceWarmup)"),
    ],
    "aws_ecs_service": [
        (attribute, None, "moto/ecs/responses.py create_service ignores capacityProviderStrategy, "
                          "placementStrategy, enableECSManagedTags and healthCheckGracePeriodSeconds")
        for attribute in ("capacity_provider_strategy", "ordered_placement_strategy",
                          "enable_ecs_managed_tags", "health_check_grace_period_seconds")
    ] + [
        # hashicorp/aws defaults it to "DISABLED" when unset, so it diverges even when not configured.
        ("availability_zone_rebalancing", lambda body: True,
         "moto/ecs has no availabilityZoneRebalancing; DescribeServices never returns it"),
    ],
    **{
        rule_type: [
            ("description", lambda body: bool(body.get("description") and body.get("referenced_security_group_id")),
             "moto/ec2/models/security_groups.py SecurityGroupRule.description reads the CIDR range's "
             "Description only, so a rule that references a security group comes back without one"),
        ]
        for rule_type in ("aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule")
    },
}


def endpoint_for(type_name: str) -> tuple[bool, str | None]:
    """(known, endpoint key or None) for a resource or data source type."""
    if not type_name.startswith("aws_"):
        return True, None  # another provider (random, archive, time, null) or terraform_remote_state
    best = None
    for prefix in ENDPOINT_BY_PREFIX:
        if type_name.startswith(prefix) and (best is None or len(prefix) > len(best)):
            best = prefix
    if best is None:
        return False, None
    return True, ENDPOINT_BY_PREFIX[best]


def backend_settings(endpoint: str) -> dict[str, Any]:
    """Emulator settings of the S3 backend (Terraform >= 1.6 argument names)."""
    return {
        "access_key": DUMMY_KEY,
        "secret_key": DUMMY_KEY,
        "skip_credentials_validation": True,
        "skip_metadata_api_check": True,
        "skip_region_validation": True,
        # false: the backend asks STS for the account, which allowed_account_ids needs; moto serves it.
        "skip_requesting_account_id": False,
        "use_path_style": True,
        "endpoints": {"s3": endpoint, "dynamodb": endpoint, "sts": endpoint, "iam": endpoint},
    }


def conditional_policy_workaround(resource_type: str, name: str, body: dict[str, Any], account: str) -> dict[str, Any] | None:
    """Replacement `policy` for a bucket policy moto would turn into deny-everything, else None."""
    policy = body.get("policy")
    if not isinstance(policy, str):
        return None
    try:
        document = json.loads(policy)
    except json.JSONDecodeError:
        return None  # e.g. "${data.aws_iam_policy_document.x.json}": cannot inspect, leave it
    statements = document.get("Statement", [])
    if isinstance(statements, dict):
        statements = [statements]
    if not any(s.get("Effect") == "Deny" and s.get("Condition") for s in statements):
        return None
    bucket_arns = [
        r for s in statements for r in ([s["Resource"]] if isinstance(s.get("Resource"), str) else s.get("Resource", []))
        if not r.endswith("/*")
    ]
    if not bucket_arns:
        return None
    replacement = {
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "E2eMotoCannotEvaluateConditions",
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
            "Action": "s3:ListBucket",
            "Resource": bucket_arns[0],
        }],
    }
    return {
        "//": "e2e only: " + MOTO_WORKAROUNDS["conditional-bucket-policy"],
        "policy": json.dumps(replacement, separators=(",", ":")),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stack_dir")
    parser.add_argument("--endpoint", required=True, help="moto base URL, e.g. http://127.0.0.1:5000")
    parser.add_argument("--local-state", default="terraform.tfstate", help="state path for a local backend")
    args = parser.parse_args()

    with open(os.path.join(args.stack_dir, "cdk.tf.json"), encoding="utf-8") as handle:
        stack = json.load(handle)
    name = os.path.basename(os.path.normpath(args.stack_dir))
    endpoint = args.endpoint.rstrip("/")
    override: dict[str, Any] = {
        "//": "Written by scripts/e2e/overrides.py for the moto e2e run only; never commit or deploy.",
    }
    report: dict[str, Any] = {"stack": name, "backend": None, "state_key": None, "services": [], "workarounds": []}

    # Backend
    backends = stack.get("terraform", {}).get("backend", {})
    if len(backends) != 1:
        print(f"{name}: expected exactly one backend, found {sorted(backends) or 'none'}", file=sys.stderr)
        return 1
    (kind, config), = backends.items()
    report["backend"] = kind
    if kind == "local":
        override["terraform"] = {"backend": {"local": {"path": args.local_state}}}
    elif kind == "s3":
        override["terraform"] = {"backend": {"s3": {**config, **backend_settings(endpoint)}}}
        report["state_key"] = config.get("key")
        report["bucket"] = config.get("bucket")
        report["lock_table"] = config.get("dynamodb_table")
        report["allowed_account_ids"] = config.get("allowed_account_ids", [])
    else:
        print(f"{name}: backend '{kind}' is not supported by the e2e (local or s3 only)", file=sys.stderr)
        return 1

    # Services called, from resource and data source types
    types = set(stack.get("resource", {})) | set(stack.get("data", {}))
    services, unknown = set(ALWAYS_ENDPOINTS), []
    for type_name in sorted(types):
        known, service = endpoint_for(type_name)
        if not known:
            unknown.append(type_name)
        elif service:
            services.add(service)
    if unknown:
        print(
            f"{name}: no emulator endpoint known for {', '.join(unknown)}; add its prefix to "
            f"ENDPOINT_BY_PREFIX in {os.path.relpath(__file__)} (and check moto supports it)",
            file=sys.stderr,
        )
        return 1
    report["services"] = sorted(services)

    # Providers: one override entry per aws configuration (matched by alias)
    providers = stack.get("provider", {}).get("aws", [])
    if isinstance(providers, dict):
        providers = [providers]
    if not providers:
        print(f"{name}: no aws provider configuration found", file=sys.stderr)
        return 1
    accounts: set[str] = set()
    provider_overrides = []
    for provider in providers:
        accounts.update(provider.get("allowed_account_ids") or [])
        entry: dict[str, Any] = {
            "access_key": DUMMY_KEY,
            "secret_key": DUMMY_KEY,
            "skip_credentials_validation": True,
            "skip_metadata_api_check": True,
            "skip_region_validation": True,
            "s3_use_path_style": True,
            "endpoints": [{service: endpoint for service in report["services"]}],
        }
        if provider.get("alias"):
            entry["alias"] = provider["alias"]
        provider_overrides.append(entry)
    override["provider"] = {"aws": provider_overrides}
    report["provider_allowed_account_ids"] = sorted(accounts)

    # cdktf cross-stack references read other states through terraform_remote_state
    remote_states = {}
    for data_name, body in stack.get("data", {}).get("terraform_remote_state", {}).items():
        if body.get("backend") == "s3":
            remote_states[data_name] = {"config": {**body.get("config", {}), **backend_settings(endpoint)}}
    if remote_states:
        override.setdefault("data", {})["terraform_remote_state"] = remote_states

    # Moto workarounds, each narrow and reported
    account = next(iter(sorted(accounts)), "123456789012")
    resources: dict[str, Any] = {}
    for resource_name, body in stack.get("resource", {}).get("aws_s3_bucket_policy", {}).items():
        replacement = conditional_policy_workaround("aws_s3_bucket_policy", resource_name, body, account)
        if replacement:
            resources.setdefault("aws_s3_bucket_policy", {}).setdefault(resource_name, {}).update(replacement)
            report["workarounds"].append({
                "id": "conditional-bucket-policy",
                "resource": f"aws_s3_bucket_policy.{resource_name}",
                "attribute": "policy",
            })
    for type_name, entries in MOTO_UNSUPPORTED_ATTRIBUTES.items():
        for resource_name, body in stack.get("resource", {}).get(type_name, {}).items():
            # By default only set attributes diverge: an unset or false one reads back as moto returns it.
            present = [
                (attribute, where) for attribute, when, where in entries
                if (when(body) if when else body.get(attribute) not in (None, False, "", [], {}))
            ]
            if not present:
                continue
            lifecycle = dict(body.get("lifecycle") or {})
            lifecycle["ignore_changes"] = sorted(set(lifecycle.get("ignore_changes") or []) | {a for a, _ in present})
            entry = resources.setdefault(type_name, {}).setdefault(resource_name, {})
            entry["//"] = (entry.get("//", "") + " e2e only: " + MOTO_WORKAROUNDS["ignored-unsupported-attribute"]
                           + " (" + "; ".join(sorted({where for _, where in present})) + ")").strip()
            entry["lifecycle"] = lifecycle
            for attribute, where in present:
                report["workarounds"].append({
                    "id": "ignored-unsupported-attribute",
                    "resource": f"{type_name}.{resource_name}",
                    "attribute": attribute,
                    "why": where,
                })
    if resources:
        override["resource"] = resources

    with open(os.path.join(args.stack_dir, OVERRIDE_FILE), "w", encoding="utf-8") as handle:
        json.dump(override, handle, indent=2)
        handle.write("\n")
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
