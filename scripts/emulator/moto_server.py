#!/usr/bin/env python3
"""moto's own server (`moto.server.main`, the `moto_server` entry point, same CLI) with e2e-only
fixes for moto responses that make hashicorp/aws crash rather than merely disagree.

Each fix makes moto answer the way AWS does, so the synthesized stacks are applied unchanged;
the stacks' own quirks are handled in scripts/e2e/overrides.py instead. A fix touches only the
case it names, prints one line on start, and is a no-op once moto behaves (upgrade moto, then
delete the fix). Run with the toolchain venv's python:

    python scripts/e2e/moto_server.py -H 127.0.0.1 -p 5000
"""

from __future__ import annotations

import sys
import json
from typing import Any, Callable


def omit_empty_ecs_network_configuration() -> str:
    """ECS DescribeServices: no `networkConfiguration` for a service that has none.

    moto >= 5.0.22 (getmoto/moto#8318) stores `{}` for a service created without
    networkConfiguration (bridge/host networking on EC2) and returns `"networkConfiguration": {}`.
    AWS omits the member. hashicorp/aws 5.100.0 `flattenNetworkConfiguration`
    (internal/service/ecs/service.go) then dereferences the nil `AwsvpcConfiguration` and the
    plugin panics on create/read of every such `aws_ecs_service`.
    """
    from moto.ecs import models

    if "network_configuration = {}" not in __import__("inspect").getsource(models.Service.__init__):
        return "ecs networkConfiguration: moto no longer stores {}, fix not applied (delete it)"
    original: Callable[..., None] = models.Service.__init__

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        if self.network_configuration == {}:
            self.network_configuration = None  # serializer omits None members, as AWS does

    models.Service.__init__ = __init__  # type: ignore[method-assign]
    return "ecs DescribeServices omits an empty networkConfiguration (moto returns {}; hashicorp/aws 5.100 panics on it)"


# Tags of Application Auto Scaling scalable targets by ARN (moto keeps none; see the fix below).
SCALABLE_TARGET_TAGS: dict[str, dict[str, str]] = {}


def application_autoscaling_tags() -> str:
    """Application Auto Scaling: keep the tags of scalable targets (ListTagsForResource & co).

    moto 5.2.5 gives scalable targets an ARN but implements none of TagResource, UntagResource or
    ListTagsForResource (NotImplementedError -> HTTP 500). hashicorp/aws reads the tags of every
    `aws_appautoscaling_target` (default_tags make every resource tagged) and retries the 500
    until the create times out. Tags sent with RegisterScalableTarget are kept per target ARN.
    """
    import json

    from moto.applicationautoscaling import responses

    cls = responses.ApplicationAutoScalingResponse
    missing = [name for name in ("tag_resource", "untag_resource", "list_tags_for_resource") if not hasattr(cls, name)]
    if not missing:
        return "application-autoscaling tags: moto implements them now, fix not applied (delete it)"
    tags = SCALABLE_TARGET_TAGS
    register = cls.register_scalable_target

    def register_scalable_target(self: Any) -> str:
        body = register(self)
        arn = json.loads(body)["ScalableTargetARN"]
        tags.setdefault(arn, {}).update(self._get_param("Tags") or {})
        return body

    def tag_resource(self: Any) -> str:
        tags.setdefault(self._get_param("ResourceARN"), {}).update(self._get_param("Tags") or {})
        return "{}"

    def untag_resource(self: Any) -> str:
        for key in self._get_param("TagKeys") or []:
            tags.get(self._get_param("ResourceARN"), {}).pop(key, None)
        return "{}"

    def list_tags_for_resource(self: Any) -> str:
        return json.dumps({"Tags": tags.get(self._get_param("ResourceARN"), {})})

    cls.register_scalable_target = register_scalable_target  # type: ignore[method-assign]
    cls.tag_resource = tag_resource  # type: ignore[attr-defined]
    cls.untag_resource = untag_resource  # type: ignore[attr-defined]
    cls.list_tags_for_resource = list_tags_for_resource  # type: ignore[attr-defined]
    return "application-autoscaling Tag/Untag/ListTagsForResource for scalable targets (moto: not implemented, hashicorp/aws retries until timeout)"


def launch_template_data_without_own_tags() -> str:
    """EC2 launch templates: the template's own tags stay out of its LaunchTemplateData.

    moto 5.2.5 `create_launch_template` (moto/ec2/responses/launch_templates.py) appends the
    request's TagSpecifications (resource type `launch-template`: the template's own tags, here the
    provider's default_tags) to LaunchTemplateData.TagSpecifications, where AWS does not even accept
    that resource type. hashicorp/aws then reads an extra `tag_specifications` block and every
    plan wants to remove it.
    """
    from moto.ec2.models import launch_templates

    original: Callable[..., None] = launch_templates.LaunchTemplateVersion.__init__

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        specs = self.data.get("TagSpecifications")
        if specs:
            kept = [spec for spec in specs if spec.get("ResourceType") != "launch-template"]
            if kept:
                self.data["TagSpecifications"] = kept
            else:
                del self.data["TagSpecifications"]

    launch_templates.LaunchTemplateVersion.__init__ = __init__  # type: ignore[method-assign]
    return "ec2 launch template data keeps no 'launch-template' tag specification (moto copies the template's own tags into it)"


def logs_query_definitions() -> str:
    """CloudWatch Logs: Put/Describe/DeleteQueryDefinition (saved Logs Insights queries).

    moto 5.2.5 implements none of them (NotImplementedError -> HTTP 500); hashicorp/aws retries the
    500 of PutQueryDefinition until the create of an `aws_cloudwatch_query_definition` is canceled.
    Definitions are kept per account and region with the fields AWS returns.
    """
    import json
    import time
    import uuid

    from moto.logs import responses

    cls = responses.LogsResponse
    missing = [name for name in ("put_query_definition", "describe_query_definitions", "delete_query_definition") if not hasattr(cls, name)]
    if not missing:
        return "logs query definitions: moto implements them now, fix not applied (delete it)"
    stores: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}

    def store(self: Any) -> dict[str, dict[str, Any]]:
        return stores.setdefault((self.current_account, self.region), {})

    def put_query_definition(self: Any) -> str:
        definition_id = self._get_param("queryDefinitionId") or str(uuid.uuid4())
        definition = {
            "queryDefinitionId": definition_id,
            "name": self._get_param("name"),
            "queryString": self._get_param("queryString"),
            "lastModified": int(time.time() * 1000),
        }
        if self._get_param("logGroupNames"):
            definition["logGroupNames"] = self._get_param("logGroupNames")
        store(self)[definition_id] = definition
        return json.dumps({"queryDefinitionId": definition_id})

    def describe_query_definitions(self: Any) -> str:
        prefix = self._get_param("queryDefinitionNamePrefix") or ""
        found = [definition for definition in store(self).values() if definition["name"].startswith(prefix)]
        return json.dumps({"queryDefinitions": found})

    def delete_query_definition(self: Any) -> str:
        removed = store(self).pop(self._get_param("queryDefinitionId"), None)
        return json.dumps({"success": removed is not None})

    cls.put_query_definition = put_query_definition  # type: ignore[attr-defined]
    cls.describe_query_definitions = describe_query_definitions  # type: ignore[attr-defined]
    cls.delete_query_definition = delete_query_definition  # type: ignore[attr-defined]
    return "logs Put/Describe/DeleteQueryDefinition for saved Logs Insights queries (moto: not implemented, hashicorp/aws retries until canceled)"


FIXES = [
    omit_empty_ecs_network_configuration,
    application_autoscaling_tags,
    launch_template_data_without_own_tags,
    logs_query_definitions,
]


# --- IAM enforcement -------------------------------------------------------------------------
#
# moto's own enforcement (INITIAL_NO_AUTH_ACTION_COUNT) judges actions only: it passes "*" as the
# resource for most services (so any statement scoped to an ARN never matches), treats conditions
# it cannot evaluate as met, and ignores permissions boundaries. That cannot judge least-privilege
# roles. Instead, every request signed with credentials moto issued to an assumed role (and every
# AssumeRoleWithWebIdentity) is routed and parsed with moto's own botocore-model router and parsers,
# and the decision is asked of an evaluator (the e2e suite's IAM tier: @cloud-copilot/iam-simulate
# over the role's policies as moto holds them). A denial is answered the way the service answers
# AccessDenied, so Terraform fails exactly as it would on AWS. Requests signed with any other key
# are the administrator's (bootstrap and account stacks) and pass unjudged.

# Signing name -> botocore service model name, where they differ (elasticloadbalancing: by Version).
SIGNING_TO_MODEL = {"monitoring": "cloudwatch", "elasticloadbalancing": "elbv2", "email": "ses"}
ERROR_CODES = {"ec2": "UnauthorizedOperation", "query": "AccessDenied", "rest-xml": "AccessDenied"}


class IamEnforcement:
    def __init__(self, evaluator: str, account: str) -> None:
        self.evaluator = evaluator.rstrip("/")
        self.account = account

    # -- principal ------------------------------------------------------------------------------

    def assumed_role(self, access_key_id: str) -> Any:
        from moto.sts.models import sts_backends

        for partition_backends in sts_backends.get(self.account, {}).values():
            for session in partition_backends.assumed_roles:
                if session.access_key_id == access_key_id:
                    return session
        return None

    def role_policies(self, role_arn: str) -> dict[str, Any]:
        """The role's identity policies and permissions boundary, as moto holds them now."""
        from moto.iam.models import iam_backends

        backend = iam_backends[self.account]["aws"]
        role = backend.get_role_by_arn(role_arn)

        def document(policy: Any) -> Any:
            version = next(v for v in policy.versions if v.is_default)
            return json.loads(version.document) if isinstance(version.document, str) else version.document

        identity = [{"name": name, "policy": json.loads(doc) if isinstance(doc, str) else doc} for name, doc in role.policies.items()]
        identity += [{"name": arn, "policy": document(policy)} for arn, policy in role.managed_policies.items()]
        boundary = None
        if role.permissions_boundary_arn:
            boundary = {"name": role.permissions_boundary_arn, "policy": document(backend.get_policy(role.permissions_boundary_arn))}
        trust = json.loads(role.assume_role_policy_document) if isinstance(role.assume_role_policy_document, str) else role.assume_role_policy_document
        return {"arn": role.arn, "identity": identity, "boundary": boundary, "trust": trust, "tags": {tag["Key"]: tag["Value"] for tag in role.tags}}

    # -- request parsing ------------------------------------------------------------------------

    @staticmethod
    def read_body(environ: dict[str, Any]) -> bytes:
        import io

        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)
        return body

    @staticmethod
    def model_name(signing: str, environ: dict[str, Any], body: bytes) -> str:
        if signing == "s3" and (environ.get("PATH_INFO", "").startswith("/v20180820/") or "s3-control" in environ.get("HTTP_HOST", "")):
            return "s3control"
        if signing == "elasticloadbalancing" and b"Version=2012-06-01" in body:
            return "elb"
        return SIGNING_TO_MODEL.get(signing, signing)

    @staticmethod
    def parse(model: str, environ: dict[str, Any], body: bytes) -> tuple[str, str, dict[str, Any]]:
        from moto.core.parse import PROTOCOL_PARSERS
        from moto.core.request import Request, determine_request_protocol
        from moto.core.routing import get_service_router
        from moto.core.utils import get_service_model

        import io

        request = Request(dict(environ, **{"wsgi.input": io.BytesIO(body)}))
        operation, uri_params = get_service_router(model).match(request)
        protocol = determine_request_protocol(get_service_model(model), request.content_type)
        parser = PROTOCOL_PARSERS[protocol](operation)
        params = parser.parse({
            "method": request.method, "values": request.values, "headers": request.headers,
            "body": body, "url_path": request.path, "url_params": uri_params,
        })
        return operation.name, protocol, params

    @staticmethod
    def plain(value: Any) -> Any:
        """JSON-safe copy of parsed parameters; payloads (zip files, objects) become their size."""
        if isinstance(value, (bytes, bytearray)):
            return f"<{len(value)} bytes>"
        if isinstance(value, dict) or hasattr(value, "items"):
            return {str(k): IamEnforcement.plain(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [IamEnforcement.plain(v) for v in value]
        if isinstance(value, (str, int, float, bool)) or value is None:
            return value
        return str(value)

    # -- decision -------------------------------------------------------------------------------

    def ask(self, question: dict[str, Any]) -> dict[str, Any]:
        import urllib.request

        data = json.dumps(question, default=str).encode()
        request = urllib.request.Request(f"{self.evaluator}/authorize", data=data, headers={"content-type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return json.loads(response.read())
        except OSError as error:  # fail closed: an unjudged request is a denied request
            return {"allowed": False, "message": f"the IAM evaluator at {self.evaluator} did not answer ({error})"}

    @staticmethod
    def denial(protocol: str, message: str) -> tuple[str, list[tuple[str, str]], bytes]:
        from xml.sax.saxutils import escape

        request_id = "iam-tier-denied"
        if protocol in ("json", "rest-json"):
            body = json.dumps({"__type": "AccessDeniedException", "message": message, "Message": message}).encode()
            return "403 Forbidden", [("Content-Type", "application/x-amz-json-1.1"), ("x-amzn-ErrorType", "AccessDeniedException"), ("x-amzn-RequestId", request_id)], body
        code = ERROR_CODES.get(protocol, "AccessDenied")
        if protocol == "ec2":
            xml = f"<Response><Errors><Error><Code>{code}</Code><Message>{escape(message)}</Message></Error></Errors><RequestID>{request_id}</RequestID></Response>"
        elif protocol == "rest-xml":
            xml = f"<Error><Code>{code}</Code><Message>{escape(message)}</Message><RequestId>{request_id}</RequestId></Error>"
        else:
            xml = f"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{escape(message)}</Message></Error><RequestId>{request_id}</RequestId></ErrorResponse>"
        return "403 Forbidden", [("Content-Type", "text/xml")], xml.encode()

    # -- resource facts for the evaluator --------------------------------------------------------

    def resource_facts(self, arn: str, region: str) -> dict[str, Any]:
        """Tags (aws:ResourceTag), resource policy and KMS aliases of an existing resource."""
        from moto.core.resource_tagging import iter_taggable_backends

        facts: dict[str, Any] = {"arn": arn, "exists": False, "tags": {}, "policy": None, "aliases": []}
        parts = arn.split(":", 5)
        service = parts[2] if len(parts) > 5 else ""
        if service == "kms":
            from moto.kms.models import kms_backends

            backend = kms_backends[self.account][region]
            try:
                key = backend.keys.get(backend.any_id_to_key_id(arn))
            except Exception:  # noqa: BLE001 - an alias or key that does not exist
                key = None
            if key is None:
                return facts
            facts.update(exists=True, arn=key.arn, policy=json.loads(key.policy),
                         aliases=[alias.alias_name for alias in backend.list_aliases(key.id)],
                         tags={t["TagKey"]: t["TagValue"] for t in backend.list_resource_tags(key.id).get("Tags", [])})
            return facts
        if service == "apigateway":
            from moto.apigateway.models import apigateway_backends

            path = parts[5].lstrip(":")
            segments = path.strip("/").split("/")
            apis = apigateway_backends[self.account][region].apis
            if len(segments) >= 2 and segments[0] == "restapis" and segments[1] in apis:
                api = apis[segments[1]]
                # API Gateway authorizes child resources (resources, methods, deployments) with the
                # tags of the REST API and of the stage they belong to (tag inheritance).
                tags = dict(api.tags or {})
                if len(segments) >= 4 and segments[2] == "stages" and segments[3] in api.stages:
                    tags.update(api.stages[segments[3]].tags or {})
                facts.update(exists=True, tags=tags)
            return facts
        for backend in iter_taggable_backends(self.account, region):
            for resource in backend.iter_tagged_resources():
                if resource.arn == arn:
                    facts.update(exists=True, tags=dict(resource.tags))
                    break
        if service == "ec2" and "/" in parts[5]:
            # EC2 keeps one tag store keyed by resource id (launch templates are not in the tagging API).
            from moto.ec2.models import ec2_backends

            found = ec2_backends[self.account][region].describe_tags(filters={"resource-id": [parts[5].split("/", 1)[1]]})
            if found:
                facts.update(exists=True, tags={tag["key"]: tag["value"] for tag in found})
        if service == "application-autoscaling" and arn in SCALABLE_TARGET_TAGS:
            facts.update(exists=True, tags=dict(SCALABLE_TARGET_TAGS[arn]))
        facts["details"] = self.details(service, parts, region, facts)
        if service == "s3" and "/" not in parts[5]:
            from moto.s3.models import s3_backends

            bucket = s3_backends[self.account]["aws"].buckets.get(parts[5])
            if bucket is not None:
                facts["exists"] = True
                if bucket.policy:
                    facts["policy"] = json.loads(bucket.policy)
        return facts

    def scalable_target(self, region: str, namespace: str, resource_id: str, dimension: str) -> dict[str, Any]:
        """The ARN of a scalable target (Application Auto Scaling addresses it by namespace, resource id and dimension)."""
        from moto.applicationautoscaling.models import applicationautoscaling_backends

        backend = applicationautoscaling_backends[self.account][region]
        target = backend.targets.get(dimension, {}).get(resource_id)
        if target is None or target.service_namespace != namespace:
            return {"arn": None}
        return {"arn": target.arn}

    def route_table_association(self, region: str, association_id: str) -> dict[str, Any]:
        """The route table and subnet of an association: AWS authorizes DisassociateRouteTable and
        ReplaceRouteTableAssociation on them, though the request names only the association."""
        from moto.ec2.models import ec2_backends

        for table in ec2_backends[self.account][region].route_tables.values():
            for association in table.associations:
                if association.get("RouteTableAssociationId") == association_id:
                    return {"routeTableId": table.id, "subnetId": association.get("SubnetId")}
        return {"routeTableId": None, "subnetId": None}

    def details(self, service: str, parts: list[str], region: str, facts: dict[str, Any]) -> dict[str, str]:
        """What the evaluator needs beyond tags: the KMS key a function or object is encrypted
        with, the role a launch template's instance profile carries, a role's boundary."""
        resource = parts[5] if len(parts) > 5 else ""
        try:
            if service == "lambda" and resource.startswith("function:"):
                from moto.awslambda.models import lambda_backends

                function = lambda_backends[self.account][region].get_function(resource.split(":")[1])
                return {"kmsKeyArn": function.kms_key_arn} if function.kms_key_arn else {}
            if service == "s3" and "/" in resource:
                from moto.s3.models import s3_backends

                bucket, key = resource.split("/", 1)
                found = s3_backends[self.account]["aws"].get_object(bucket, key)
                facts["exists"] = found is not None
                return {"kmsKeyArn": found.kms_key_id} if found is not None and found.kms_key_id else {}
            if service == "ec2" and resource.startswith("launch-template/"):
                from moto.ec2.models import ec2_backends
                from moto.iam.models import iam_backends

                data = ec2_backends[self.account][region].get_launch_template(resource.split("/", 1)[1]).latest_version().data
                facts["exists"] = True
                interfaces = data.get("NetworkInterfaces") or []
                groups = [*(data.get("SecurityGroupIds") or []), *[g for i in interfaces for g in (i.get("Groups") or [])]]
                found = {"securityGroupIds": ",".join(groups)}
                profile = data.get("IamInstanceProfile") or {}
                name = profile.get("Name") or (profile.get("Arn") or "").rsplit("/", 1)[-1]
                roles = iam_backends[self.account]["aws"].get_instance_profile(name).roles if name else []
                return {**found, "instanceRoleArn": roles[0].arn} if roles else found
            if service == "dynamodb" and resource.startswith("table/"):
                from moto.dynamodb.models import dynamodb_backends

                table = dynamodb_backends[self.account][region].get_table(resource.split("/")[1])
                return {"partitionKey": table.hash_key_attr}
            if service == "iam" and resource.startswith("role/"):
                from moto.iam.models import iam_backends

                role = iam_backends[self.account]["aws"].get_role(resource.rsplit("/", 1)[1])
                facts.update(exists=True, tags={tag["Key"]: tag["Value"] for tag in role.tags})
                return {"permissionsBoundary": role.permissions_boundary_arn} if role.permissions_boundary_arn else {}
        except Exception:  # noqa: BLE001 - a resource that does not exist (yet) has no details
            return {}
        return {}

    # -- WSGI -----------------------------------------------------------------------------------

    def wrap(self, app: Callable[..., Any]) -> Callable[..., Any]:
        from urllib.parse import parse_qs

        def application(environ: dict[str, Any], start_response: Any) -> Any:
            path = environ.get("PATH_INFO", "")
            if path.startswith("/_iam-tier/"):
                return self.internal(path, parse_qs(environ.get("QUERY_STRING", "")), start_response)
            if path.startswith("/moto-api"):
                return app(environ, start_response)
            auth = environ.get("HTTP_AUTHORIZATION", "")
            body = self.read_body(environ)
            session = None
            if auth.startswith("AWS4-HMAC-SHA256"):
                scope = auth.split("Credential=", 1)[1].split(",", 1)[0].split("/")
                access_key_id, region, signing = scope[0], scope[2], scope[3]
                session = self.assumed_role(access_key_id)
                if session is None:
                    return app(environ, start_response)  # the administrator
            elif b"Action=AssumeRoleWithWebIdentity" in body:
                region, signing = "us-east-1", "sts"
            else:
                return app(environ, start_response)
            protocol = "query"
            try:
                principal = session and {
                    **self.role_policies(session.role_arn),
                    "arn": f"arn:aws:sts::{self.account}:assumed-role/{session.role_arn.split('/')[-1]}/{session.session_name}",
                }
                model = self.model_name(signing, environ, body)
                operation, protocol, params = self.parse(model, environ, body)
                verdict = self.ask({
                    "principal": principal, "account": self.account, "region": region, "signingName": signing,
                    "service": model, "operation": operation, "method": environ.get("REQUEST_METHOD"), "path": path,
                    "params": self.plain(params),
                })
            except Exception as error:  # noqa: BLE001 - an unjudged request is denied, with the reason
                verdict = {"allowed": False, "message": f"the IAM tier could not judge {environ.get('REQUEST_METHOD')} {path} ({signing}): {type(error).__name__}: {error}"}
            if verdict.get("allowed"):
                return app(environ, start_response)
            status, headers, payload = self.denial(protocol, verdict.get("message", "denied"))
            start_response(status, headers + [("Content-Length", str(len(payload)))])
            return [payload]

        return application

    def internal(self, path: str, query: dict[str, list[str]], start_response: Any) -> Any:
        try:
            if path == "/_iam-tier/resource":
                answer = self.resource_facts(query["arn"][0], query["region"][0])
            elif path == "/_iam-tier/role":
                answer = self.role_policies(query["arn"][0])
            elif path == "/_iam-tier/route-table-association":
                answer = self.route_table_association(query["region"][0], query["id"][0])
            elif path == "/_iam-tier/scalable-target":
                answer = self.scalable_target(query["region"][0], query["namespace"][0], query["resource"][0], query["dimension"][0])
            else:
                raise KeyError(path)
            status, payload = "200 OK", json.dumps(answer).encode()
        except Exception as error:  # noqa: BLE001 - the evaluator reports it
            status, payload = "404 Not Found", json.dumps({"error": f"{type(error).__name__}: {error}"}).encode()
        start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))])
        return [payload]


def enforce_iam(evaluator: str) -> str:
    import os

    from moto.moto_server import werkzeug_app

    enforcement = IamEnforcement(evaluator, os.environ.get("MOTO_ACCOUNT_ID", "123456789012"))
    dispatch = werkzeug_app.DomainDispatcherApplication.__call__

    def __call__(self: Any, environ: dict[str, Any], start_response: Any) -> Any:
        return enforcement.wrap(lambda e, s: dispatch(self, e, s))(environ, start_response)

    werkzeug_app.DomainDispatcherApplication.__call__ = __call__  # type: ignore[method-assign]
    return f"IAM enforcement: assumed-role requests judged by {evaluator}"


def main() -> None:
    import argparse

    from moto import __version__
    from moto.server import main as moto_server_main

    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--iam-evaluator", help="URL of the IAM evaluator; without it no request is judged")
    ours, moto_args = parser.parse_known_args(sys.argv[1:])
    for fix in FIXES:
        print(f"emulator moto fix ({__version__}): {fix()}", file=sys.stderr, flush=True)
    if ours.iam_evaluator:
        print(f"emulator: {enforce_iam(ours.iam_evaluator)}", file=sys.stderr, flush=True)
    moto_server_main(moto_args)


if __name__ == "__main__":
    main()
