#!/usr/bin/env python3
"""Questions the e2e asks moto directly, through boto3 (run with the toolchain venv's python).

    moto_checks.py --endpoint URL ping                       exit 0 when the server answers
    moto_checks.py --endpoint URL account                    account id STS reports
    moto_checks.py --endpoint URL lock --table T --lock-id ID
        {"held": bool, "info": {...}}: a Terraform DynamoDB lock item (LockID = <bucket>/<key>)
    moto_checks.py --endpoint URL state-report --bucket B --table T
        every state object (versions, delete markers, encryption) and every lock table item
    moto_checks.py --endpoint URL inventory                  what exists now, per kind (JSON)
    moto_checks.py --endpoint URL added BASELINE [--expect-none] [--expect-vpc-cidr CIDR ...]
        what exists now and not in BASELINE (an `inventory` file); --expect-none fails (exit 1)
        if anything is left, --expect-vpc-cidr fails unless such a VPC was added.

Credentials are dummies: moto accepts any. Output is JSON on stdout; problems go to stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.request
from typing import Any, Callable

DUMMY = "e2e-moto"


def client(args: argparse.Namespace, service: str) -> Any:
    import boto3  # imported lazily: `ping` runs in a tight loop and needs no SDK
    from botocore.config import Config

    return boto3.client(
        service,
        endpoint_url=args.endpoint,
        region_name=args.region,
        aws_access_key_id=DUMMY,
        aws_secret_access_key=DUMMY,
        config=Config(retries={"max_attempts": 2}, s3={"addressing_style": "path"}),
    )


def cmd_ping(args: argparse.Namespace) -> int:
    try:
        with urllib.request.urlopen(f"{args.endpoint}/moto-api/", timeout=2) as response:
            return 0 if response.status == 200 else 1
    except OSError:
        return 1


def cmd_account(args: argparse.Namespace) -> int:
    print(client(args, "sts").get_caller_identity()["Account"])
    return 0


def cmd_lock(args: argparse.Namespace) -> int:
    item = client(args, "dynamodb").get_item(
        TableName=args.table, Key={"LockID": {"S": args.lock_id}}, ConsistentRead=True
    ).get("Item")
    info: Any = None
    if item and "Info" in item:
        try:
            info = json.loads(item["Info"]["S"])
        except (KeyError, json.JSONDecodeError):
            info = item["Info"]
    print(json.dumps({"held": item is not None, "info": info}))
    return 0


def cmd_state_report(args: argparse.Namespace) -> int:
    s3 = client(args, "s3")
    objects: dict[str, dict[str, Any]] = {}
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=args.bucket):
        for version in page.get("Versions", []):
            entry = objects.setdefault(version["Key"], {"versions": 0, "delete_markers": 0, "latest": None})
            entry["versions"] += 1
            if version["IsLatest"]:
                entry["latest"] = "version"
        for marker in page.get("DeleteMarkers", []):
            entry = objects.setdefault(marker["Key"], {"versions": 0, "delete_markers": 0, "latest": None})
            entry["delete_markers"] += 1
            if marker["IsLatest"]:
                entry["latest"] = "delete-marker"
    for key, entry in objects.items():
        if entry["latest"] == "version":
            head = s3.head_object(Bucket=args.bucket, Key=key)
            entry["sse"] = head.get("ServerSideEncryption")
            entry["kms_key_id"] = head.get("SSEKMSKeyId")
            entry["size"] = head.get("ContentLength")
    locks = [
        item["LockID"]["S"]
        for page in client(args, "dynamodb").get_paginator("scan").paginate(TableName=args.table)
        for item in page.get("Items", [])
    ]
    versioning = s3.get_bucket_versioning(Bucket=args.bucket).get("Status")
    print(json.dumps({"bucket_versioning": versioning, "objects": objects, "lock_items": sorted(locks)}, indent=1))
    return 0


# --- inventory -------------------------------------------------------------------------------

# Known moto gaps that would otherwise read as leftovers; each is listed in the output, not hidden.
QUIRKS: list[str] = []


def _network_acls(ec2: Any, vpc_ids: set[str]) -> list[str]:
    acls = []
    for acl in ec2.describe_network_acls()["NetworkAcls"]:
        if acl.get("IsDefault") and acl.get("VpcId") not in vpc_ids:
            # moto's delete_vpc (moto/ec2/models/vpcs.py, 5.2.5) removes the main route table and
            # the default security group but not the default network ACL; AWS deletes all three
            # with the VPC. An orphaned default ACL of a deleted VPC is moto's, not ours.
            QUIRKS.append(f"ec2:network-acl {acl['NetworkAclId']}: default ACL of deleted {acl.get('VpcId')} kept by moto")
            continue
        acls.append(acl["NetworkAclId"])
    return acls


def _ec2(args: argparse.Namespace) -> dict[str, list[str]]:
    ec2 = client(args, "ec2")
    vpcs = ec2.describe_vpcs()["Vpcs"]
    return {
        "ec2:vpc": [f"{v['VpcId']} {v['CidrBlock']}" for v in vpcs],
        "ec2:subnet": [f"{s['SubnetId']} {s['CidrBlock']}" for s in ec2.describe_subnets()["Subnets"]],
        "ec2:route-table": [t["RouteTableId"] for t in ec2.describe_route_tables()["RouteTables"]],
        "ec2:internet-gateway": [g["InternetGatewayId"] for g in ec2.describe_internet_gateways()["InternetGateways"]],
        "ec2:nat-gateway": [
            g["NatGatewayId"] for g in ec2.describe_nat_gateways()["NatGateways"] if g["State"] not in ("deleted", "deleting")
        ],
        "ec2:elastic-ip": [a.get("AllocationId", a.get("PublicIp", "?")) for a in ec2.describe_addresses()["Addresses"]],
        "ec2:vpc-endpoint": [
            e["VpcEndpointId"] for e in ec2.describe_vpc_endpoints()["VpcEndpoints"]
            if e.get("State", "").lower() not in ("deleted", "deleting")
        ],
        "ec2:flow-log": [f["FlowLogId"] for f in ec2.describe_flow_logs()["FlowLogs"]],
        "ec2:security-group": [g["GroupId"] for g in ec2.describe_security_groups()["SecurityGroups"]],
        "ec2:network-acl": _network_acls(ec2, {v["VpcId"] for v in vpcs}),
    }


def _logs(args: argparse.Namespace) -> dict[str, list[str]]:
    pages = client(args, "logs").get_paginator("describe_log_groups").paginate()
    return {"logs:log-group": [g["logGroupName"] for p in pages for g in p["logGroups"]]}


def _iam(args: argparse.Namespace) -> dict[str, list[str]]:
    iam = client(args, "iam")
    roles = [r["RoleName"] for p in iam.get_paginator("list_roles").paginate() for r in p["Roles"]]
    policies = [
        p["Arn"] for page in iam.get_paginator("list_policies").paginate(Scope="Local") for p in page["Policies"]
    ]
    return {"iam:role": roles, "iam:policy": policies}


def _kms(args: argparse.Namespace) -> dict[str, list[str]]:
    kms = client(args, "kms")
    all_aliases = [a for p in kms.get_paginator("list_aliases").paginate() for a in p["Aliases"]]
    aws_managed = {a.get("TargetKeyId"): a["AliasName"] for a in all_aliases if a["AliasName"].startswith("alias/aws/")}
    keys = []
    for page in kms.get_paginator("list_keys").paginate():
        for key in page["Keys"]:
            meta = kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]
            if key["KeyId"] in aws_managed:
                # moto creates the AWS-managed default key of a service (alias/aws/<service>) the
                # first time something is encrypted without a key, but labels it KeyManager=CUSTOMER.
                # On AWS it is AWS's, outlives the stack, and is free.
                QUIRKS.append(f"kms:key {key['KeyId']}: {aws_managed[key['KeyId']]} default key, created by moto, labelled CUSTOMER")
                continue
            # A destroyed key is scheduled for deletion (7-30 days), as on AWS: it counts as gone.
            if meta.get("KeyManager") == "CUSTOMER" and meta["KeyState"] != "PendingDeletion":
                keys.append(key["KeyId"])
    aliases = [a["AliasName"] for a in all_aliases if not a["AliasName"].startswith("alias/aws/")]
    return {"kms:key": keys, "kms:alias": aliases}


def _storage(args: argparse.Namespace) -> dict[str, list[str]]:
    return {
        "s3:bucket": [b["Name"] for b in client(args, "s3").list_buckets()["Buckets"]],
        "dynamodb:table": client(args, "dynamodb").list_tables()["TableNames"],
    }


def _serverless(args: argparse.Namespace) -> dict[str, list[str]]:
    return {
        "lambda:function": [f["FunctionName"] for f in client(args, "lambda").list_functions()["Functions"]],
        "apigatewayv2:api": [a["ApiId"] for a in client(args, "apigatewayv2").get_apis()["Items"]],
        "apigateway:rest-api": [a["id"] for a in client(args, "apigateway").get_rest_apis()["items"]],
    }


def _cloudwatch(args: argparse.Namespace) -> dict[str, list[str]]:
    cloudwatch = client(args, "cloudwatch")
    return {
        "cloudwatch:alarm": [a["AlarmName"] for a in cloudwatch.describe_alarms()["MetricAlarms"]],
        "cloudwatch:dashboard": [d["DashboardName"] for d in cloudwatch.list_dashboards()["DashboardEntries"]],
    }


def _containers(args: argparse.Namespace) -> dict[str, list[str]]:
    ecs = client(args, "ecs")
    # A deleted cluster or service stays visible as INACTIVE for a while, on AWS as in moto: it is gone.
    cluster_arns = ecs.list_clusters()["clusterArns"]
    described = ecs.describe_clusters(clusters=cluster_arns)["clusters"] if cluster_arns else []
    clusters = [c["clusterArn"] for c in described if c.get("status") != "INACTIVE"]
    services = []
    for cluster in cluster_arns:
        arns = ecs.list_services(cluster=cluster)["serviceArns"]
        for start in range(0, len(arns), 10):
            services += [
                svc["serviceArn"] for svc in ecs.describe_services(cluster=cluster, services=arns[start:start + 10])["services"]
                if svc.get("status") != "INACTIVE"
            ]
    # A deregistered task definition stays visible as INACTIVE on AWS too: only ACTIVE ones count.
    task_definitions = ecs.list_task_definitions(status="ACTIVE")["taskDefinitionArns"]
    autoscaling = client(args, "autoscaling")
    return {
        "ecr:repository": [r["repositoryName"] for r in client(args, "ecr").describe_repositories()["repositories"]],
        "ecs:cluster": clusters,
        "ecs:service": services,
        "ecs:task-definition": task_definitions,
        # moto cannot list capacity providers (DescribeCapacityProviders without names is a 500),
        # so the names the stacks declare are asked for one by one (--capacity-provider).
        "ecs:capacity-provider": [
            c["name"] for c in ecs.describe_capacity_providers(capacityProviders=args.capacity_provider)["capacityProviders"]
        ] if args.capacity_provider else [],
        "autoscaling:group": [g["AutoScalingGroupName"] for g in autoscaling.describe_auto_scaling_groups()["AutoScalingGroups"]],
        "ec2:launch-template": [t["LaunchTemplateName"] for t in client(args, "ec2").describe_launch_templates()["LaunchTemplates"]],
        "application-autoscaling:target": [
            t["ResourceId"]
            for namespace in ("ecs", "dynamodb", "lambda")
            for t in client(args, "application-autoscaling").describe_scalable_targets(ServiceNamespace=namespace)["ScalableTargets"]
        ],
    }


def _load_balancing(args: argparse.Namespace) -> dict[str, list[str]]:
    elbv2 = client(args, "elbv2")
    return {
        "elbv2:load-balancer": [lb["LoadBalancerName"] for lb in elbv2.describe_load_balancers()["LoadBalancers"]],
        "elbv2:target-group": [tg["TargetGroupName"] for tg in elbv2.describe_target_groups()["TargetGroups"]],
        "wafv2:web-acl": [acl["Name"] for acl in client(args, "wafv2").list_web_acls(Scope="REGIONAL")["WebACLs"]],
    }


COLLECTORS: list[Callable[[argparse.Namespace], dict[str, list[str]]]] = [
    _ec2, _logs, _iam, _kms, _storage, _serverless, _cloudwatch, _containers, _load_balancing,
]


def inventory(args: argparse.Namespace) -> dict[str, Any]:
    found: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for collect in COLLECTORS:
        try:
            found.update({kind: sorted(items) for kind, items in collect(args).items()})
        except Exception as error:  # noqa: BLE001 - reported, and `added --expect-none` fails on it
            errors[collect.__name__.lstrip("_")] = f"{type(error).__name__}: {error}"
    return {"kinds": found, "errors": errors, "moto_quirks": sorted(set(QUIRKS))}


def cmd_inventory(args: argparse.Namespace) -> int:
    print(json.dumps(inventory(args), indent=1))
    return 0


def cmd_added(args: argparse.Namespace) -> int:
    with open(args.baseline, encoding="utf-8") as handle:
        baseline = json.load(handle)
    now = inventory(args)
    added = {
        kind: sorted(set(items) - set(baseline["kinds"].get(kind, [])))
        for kind, items in now["kinds"].items()
    }
    added = {kind: items for kind, items in added.items() if items}
    print(json.dumps({"added": added, "errors": now["errors"], "moto_quirks": now["moto_quirks"]}, indent=1))
    status = 0
    if now["errors"]:
        print(f"could not list: {now['errors']}", file=sys.stderr)
        status = 1
    if args.expect_none and added:
        for kind, items in added.items():
            print(f"left behind: {kind}: {', '.join(items)}", file=sys.stderr)
        status = 1
    for cidr in args.expect_vpc_cidr or []:
        if not any(entry.endswith(f" {cidr}") for entry in added.get("ec2:vpc", [])):
            print(f"no VPC with CIDR {cidr} was created", file=sys.stderr)
            status = 1
    return status


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--region", default="eu-west-1")
    parser.add_argument("--capacity-provider", action="append", default=[], help="ECS capacity provider name to look for")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("ping").set_defaults(func=cmd_ping)
    sub.add_parser("account").set_defaults(func=cmd_account)
    lock = sub.add_parser("lock")
    lock.add_argument("--table", required=True)
    lock.add_argument("--lock-id", required=True)
    lock.set_defaults(func=cmd_lock)
    report = sub.add_parser("state-report")
    report.add_argument("--bucket", required=True)
    report.add_argument("--table", required=True)
    report.set_defaults(func=cmd_state_report)
    sub.add_parser("inventory").set_defaults(func=cmd_inventory)
    added = sub.add_parser("added")
    added.add_argument("baseline")
    added.add_argument("--expect-none", action="store_true")
    added.add_argument("--expect-vpc-cidr", action="append")
    added.set_defaults(func=cmd_added)
    args = parser.parse_args()
    args.endpoint = args.endpoint.rstrip("/")
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
