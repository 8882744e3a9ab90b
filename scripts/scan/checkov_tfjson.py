"""Run checkov (same arguments as the `checkov` CLI) with one fix for Terraform JSON input.

Why this exists: checkov's `terraform_json` framework (the only one that reads `*.tf.json`; the
`terraform` framework skips them when scanning a directory) hands IAM `policy` arguments to checks
as the raw JSON string cdktf writes, while the HCL `terraform` framework hands them over as a parsed
object. The cloudsplaining-based IAM checks (CKV_AWS_286 privilege escalation, _287 credentials
exposure, _288 data exfiltration, _289 permissions management, _290 write access without
constraints, _355 "*" resource for restrictable actions) then fail to build their policy document,
return UNKNOWN, and are silently left out of the report: a policy granting `iam:PassRole` on `*`
would pass the scan. Decoding the string first, exactly what the HCL path does, restores them.

The patch only turns a JSON string into the object the check expects; it changes no verdict
logic. scripts/scan/selftest/ holds a policy these checks must fail, so a checkov upgrade that
breaks this shim fails `npm run scan` instead of silently losing the checks.
"""

from __future__ import annotations

import json
import sys
import warnings
from typing import Any

try:
    from checkov.main import Checkov
    from checkov.terraform.checks.resource.base_cloudsplaining_resource_iam_check import (
        BaseTerraformCloudsplainingResourceIAMCheck as _IamCheck,
    )
except ImportError as error:  # a checkov upgrade moved things: say so instead of a traceback
    sys.exit(f"scan: checkov internals changed ({error}); update scripts/scan/checkov_tfjson.py")

_original_convert = getattr(_IamCheck, "convert_to_iam_policy", None)
if _original_convert is None:
    sys.exit("scan: checkov internals changed (convert_to_iam_policy is gone); update scripts/scan/checkov_tfjson.py")


def _convert_json_string_policy(self: Any, conf: dict[str, Any]) -> Any:
    key = "inline_policy" if self.entity_type == "aws_ssoadmin_permission_set_inline_policy" else "policy"
    values = conf.get(key)
    if isinstance(values, list) and values and isinstance(values[0], str):
        try:
            decoded = json.loads(values[0])
        except ValueError:
            decoded = None  # not JSON (e.g. an unresolved reference): let checkov decide as before
        if isinstance(decoded, dict):
            conf = {**conf, key: [decoded]}
    return _original_convert(self, conf)


_IamCheck.convert_to_iam_policy = _convert_json_string_policy  # type: ignore[method-assign]

if __name__ == "__main__":
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=SyntaxWarning)
        sys.exit(Checkov().run())
