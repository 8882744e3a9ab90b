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
    tags: dict[str, dict[str, str]] = {}
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


def main() -> None:
    from moto import __version__
    from moto.server import main as moto_server_main

    for fix in FIXES:
        print(f"e2e moto fix ({__version__}): {fix()}", file=sys.stderr, flush=True)
    moto_server_main(sys.argv[1:])


if __name__ == "__main__":
    main()
