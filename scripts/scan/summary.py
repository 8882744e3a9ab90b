"""Suppression-file validation and the per-stack summary of `npm run scan` (see scripts/scan.sh).

  summary.py validate-config .checkov.yaml
      Exit 2 with one line per problem unless the file only has `skip-check:`, each entry an exact
      check id with a reason comment. Runs before checkov, so a bad file never reaches the gate.

  summary.py report --gate G.json --audit A.json --stacks DIR --config .checkov.yaml ...
      G is checkov's JSON report of the gating run (with .checkov.yaml), A of the audit run (same
      stacks plus the self-test stack, nothing suppressed). Prints the table and the findings,
      writes --out, and exits 0 (clean), 1 (unsuppressed failures) or 2 (the scan itself cannot be
      trusted: a stack with no results, parse errors, a failed self-test, the two runs disagreeing).

Runs with the toolchain venv's Python (it needs PyYAML, which checkov brings).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

CHECK_ID = re.compile(r"^CKV2?_[A-Z0-9]+_[0-9]+$")
MIN_REASON_CHARS = 20
COMPENSATING_CONTROL = "Compensating control:"
# A file of this repository cited in a reason, e.g. modules/account/audit-trail.ts.
REPO_FILE = re.compile(
    r"(?<![\w/.-])((?:modules|stacks|config|scripts|__tests__|lambdas|services|runtime|rules)/[A-Za-z0-9_./-]*[A-Za-z0-9_-]\.(?:ts|mts|py|sh|json|ya?ml|md))"
)
SELFTEST_STACK = "__scan_selftest__"


# --------------------------------------------------------------------------------------------
# .checkov.yaml
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Reason:
    text: str  # the whole comment: block above the entry plus the entry's own comment
    summary: str  # the entry's own comment, for one-line display


def load_suppressions(path: Path) -> tuple[dict[str, Reason], list[str]]:
    """Returns ({check id: reason}, problems). A missing file means no suppressions."""
    if not path.exists():
        return {}, []
    text = path.read_text(encoding="utf-8")
    problems: list[str] = []
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        return {}, [f"{path}: not valid YAML: {error}"]
    if data is None:
        return {}, []
    if not isinstance(data, dict):
        return {}, [f"{path}: must be a mapping with a single `skip-check:` list"]
    for key in data:
        if key != "skip-check":
            problems.append(
                f"{path}: key `{key}` is not allowed; only `skip-check` (anything else could change what the gate checks)"
            )
    entries = data.get("skip-check") or []
    if isinstance(entries, str):
        entries = [item.strip() for item in entries.split(",") if item.strip()]
    if not isinstance(entries, list):
        return {}, problems + [f"{path}: `skip-check` must be a list of check ids"]

    reasons = _reasons_by_entry(text)
    suppressions: dict[str, Reason] = {}
    for entry in entries:
        entry_str = str(entry)
        if not CHECK_ID.match(entry_str):
            problems.append(
                f"{path}: skip-check entry {entry_str!r} is not an exact check id like CKV_AWS_144"
                " (wildcards and severities would hide checks nobody reviewed)"
            )
            continue
        if entry_str in suppressions:
            problems.append(f"{path}: {entry_str} is listed twice")
            continue
        reason = reasons.get(entry_str, Reason("", ""))
        if len(reason.text) < MIN_REASON_CHARS:
            problems.append(
                f"{path}: {entry_str} has no reason; put one in a comment on its line or directly above it"
            )
        else:
            problems.extend(_control_problems(path, entry_str, reason.text))
        suppressions[entry_str] = reason
    return suppressions, problems


def _control_problems(path: Path, entry: str, text: str) -> list[str]:
    """A reason must name its compensating control and the repository files where that control lives."""
    if COMPENSATING_CONTROL not in text:
        return [
            f"{path}: {entry}'s reason names no compensating control; add a comment line"
            f" '{COMPENSATING_CONTROL} <what> (<file of this repository where it lives>)'"
        ]
    problems = []
    control = text.split(COMPENSATING_CONTROL, 1)[1]
    if not REPO_FILE.search(control):
        problems.append(
            f"{path}: {entry}'s compensating control cites no file of this repository (module, stack, config or test)"
        )
    root = path.resolve().parent
    for cited in sorted(set(REPO_FILE.findall(text))):
        if not (root / cited).is_file():
            problems.append(f"{path}: {entry}'s reason cites {cited}, which does not exist")
    return problems


def _reasons_by_entry(text: str) -> dict[str, Reason]:
    """Comment text for each `- ID` line: the comment block directly above it plus its own comment.

    Entries on consecutive lines share the block above the first of them.
    """
    reasons: dict[str, Reason] = {}
    block: list[str] = []
    shared: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("#"):
            block.append(line.lstrip("#").strip())
            continue
        match = re.match(r"^-\s*['\"]?([A-Za-z0-9_*]+)['\"]?\s*(?:#\s*(.*))?$", line)
        if match:
            own = (match.group(2) or "").strip()
            shared = block or shared
            full = " ".join(part for part in [*shared, own] if part)
            # The line's own comment is the one-line summary printed next to hidden findings.
            reasons[match.group(1)] = Reason(text=full, summary=own or full[:100])
        else:
            shared = []
        block = []
    return reasons


# --------------------------------------------------------------------------------------------
# checkov JSON
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Finding:
    stack: str
    check_id: str
    resource: str  # Terraform address, e.g. aws_s3_bucket.state-bucket_828F7150
    result: str  # PASSED | FAILED
    check_name: str
    line: int
    construct_path: str


def load_report(path: Path) -> tuple[list[dict[str, Any]], list[str]]:
    """All check records and parsing errors of one checkov JSON report (any of its shapes)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    reports = data if isinstance(data, list) else [data]
    records: list[dict[str, Any]] = []
    parsing_errors: list[str] = []
    for report in reports:
        results = report.get("results") or {}
        for key in ("passed_checks", "failed_checks"):
            records.extend(results.get(key) or [])
        parsing_errors.extend(results.get("parsing_errors") or [])
        if not results and report.get("summary", report).get("parsing_errors"):
            parsing_errors.append(f"{report.get('summary', report)['parsing_errors']} file(s)")
    return records, parsing_errors


class StackIndex:
    """Resources of each synthesized stack, to name findings by Terraform address and construct path."""

    def __init__(self, stacks_dir: Path) -> None:
        self.resources: dict[str, dict[str, tuple[str, str]]] = {}  # stack -> name -> (type, path)
        self.counts: dict[str, int] = {}
        for stack_file in sorted(stacks_dir.glob("*/cdk.tf.json")):
            stack = stack_file.parent.name
            document = json.loads(stack_file.read_text(encoding="utf-8"))
            by_name: dict[str, tuple[str, str]] = {}
            count = 0
            for resource_type, bodies in (document.get("resource") or {}).items():
                for name, body in bodies.items():
                    count += 1
                    path = ((body.get("//") or {}).get("metadata") or {}).get("path", "")
                    # cdktf logical ids are unique within a stack; a clash would make the lookup ambiguous
                    by_name[name] = (resource_type, path) if name not in by_name else ("", "")
            self.resources[stack] = by_name
            self.counts[stack] = count

    def address(self, stack: str, resource: str) -> tuple[str, str]:
        """checkov names attribute-check results `resource.<name>` (type dropped for Terraform JSON)."""
        kind, _, name = resource.partition(".")
        entry = self.resources.get(stack, {}).get(name)
        if kind == "resource" and entry and entry[0]:
            return f"{entry[0]}.{name}", entry[1]
        if entry and entry[0] == kind:
            return resource, entry[1]
        return resource, ""


def findings(records: list[dict[str, Any]], index: StackIndex) -> list[Finding]:
    out = []
    for record in records:
        stack = record["file_path"].strip("/").split("/")[0]
        address, construct_path = index.address(stack, record["resource"])
        line_range = record.get("file_line_range") or [0]
        out.append(
            Finding(
                stack=stack,
                check_id=record["check_id"],
                resource=address,
                result=record["check_result"]["result"],
                check_name=record.get("check_name", ""),
                line=line_range[0],
                construct_path=construct_path,
            )
        )
    return out


# --------------------------------------------------------------------------------------------
# report
# --------------------------------------------------------------------------------------------
def report(args: argparse.Namespace) -> int:
    stacks_dir = Path(args.stacks)
    display_root = args.display_root.rstrip("/")
    suppressions, config_problems = load_suppressions(Path(args.config))
    if config_problems:
        for problem in config_problems:
            print(f"ERROR: {problem}", file=sys.stderr)
        return 2

    index = StackIndex(stacks_dir)
    selftest_index = StackIndex(Path(args.selftest_root))
    index.resources.update(selftest_index.resources)
    gate_records, gate_errors = load_report(Path(args.gate))
    audit_records, audit_errors = load_report(Path(args.audit))
    gate = findings(gate_records, index)
    audit_all = findings(audit_records, index)
    selftest = [f for f in audit_all if f.stack == SELFTEST_STACK]
    audit = [f for f in audit_all if f.stack != SELFTEST_STACK]

    problems: list[str] = []
    for error in gate_errors + audit_errors:
        problems.append(f"checkov could not parse {error}")

    # Each stack must have been read: resources in its JSON and check results for them.
    stacks = sorted(index.counts)
    if not stacks:
        problems.append(f"no stacks found in {stacks_dir}")
    results_per_stack = Counter(f.stack for f in audit)
    for stack in stacks:
        if index.counts[stack] == 0:
            problems.append(f"{stack}: cdk.tf.json declares no resources")
        elif results_per_stack[stack] == 0:
            problems.append(
                f"{stack}: {index.counts[stack]} resources but checkov returned no check results for them (not parsed?)"
            )
    unknown = sorted({f.stack for f in audit} - set(stacks))
    if unknown:
        problems.append(f"checkov reported files outside the synthesized stacks: {', '.join(unknown)}")

    # The self-test stack proves the scanner still sees what it must (see selftest/cdk.tf.json).
    selftest_file = Path(args.selftest_root) / SELFTEST_STACK / "cdk.tf.json"
    expect = json.loads(selftest_file.read_text(encoding="utf-8"))["//"]["expect"]
    seen = {(f.check_id, f.resource, f.result) for f in selftest}
    for result, pairs in expect.items():
        for check_id, resource in pairs:
            if (check_id, resource, result) not in seen:
                got = sorted(f.result for f in selftest if f.check_id == check_id and f.resource == resource)
                problems.append(
                    f"self-test: expected {check_id} {result} on {resource}, checkov reported {got or 'nothing'}"
                    " (the scanner no longer evaluates this check on cdktf JSON; see scripts/scan/checkov_tfjson.py)"
                )

    # The gating run must equal the audit run minus the suppressed checks, else the suppression
    # file was read differently from how it is reported here.
    key = lambda f: (f.stack, f.check_id, f.resource, f.result, f.line)  # noqa: E731
    expected_gate = Counter(key(f) for f in audit if f.check_id not in suppressions)
    actual_gate = Counter(key(f) for f in gate)
    if expected_gate != actual_gate:
        diff = list((expected_gate - actual_gate).elements())[:5] + list((actual_gate - expected_gate).elements())[:5]
        problems.append(f"the gating and audit runs disagree (first differences: {diff})")

    # ---- table ---------------------------------------------------------------------------------
    rows = []
    totals = Counter()
    for stack in stacks:
        stack_gate = [f for f in gate if f.stack == stack]
        stack_audit = [f for f in audit if f.stack == stack]
        row = {
            "stack": stack,
            "resources": index.counts[stack],
            "checked": len({f.resource for f in stack_audit}),
            "passed": sum(f.result == "PASSED" for f in stack_gate),
            "failed": sum(f.result == "FAILED" for f in stack_gate),
            "skipped": sum(f.check_id in suppressions for f in stack_audit),
        }
        rows.append(row)
        totals.update({k: v for k, v in row.items() if k != "stack"})
    header = ("STACK", "RESOURCES", "CHECKED", "PASSED", "FAILED", "SKIPPED")
    width = max([len(header[0]), len("TOTAL")] + [len(r["stack"]) for r in rows]) + 2
    line = lambda values: values[0].ljust(width) + "".join(str(v).rjust(11) for v in values[1:])  # noqa: E731
    print()
    print(line(header))
    for row in rows:
        print(line([row["stack"], row["resources"], row["checked"], row["passed"], row["failed"], row["skipped"]]))
    print(line(["TOTAL", totals["resources"], totals["checked"], totals["passed"], totals["failed"], totals["skipped"]]))
    print("(RESOURCES: in cdk.tf.json; CHECKED: with at least one check; SKIPPED: results of checks suppressed in .checkov.yaml)")

    def describe(f: Finding) -> str:
        where = f"{display_root}/{f.stack}/cdk.tf.json:{f.line}"
        path = f" [{f.construct_path}]" if f.construct_path else ""
        return f"  {f.check_id:<12} {f.resource}{path}\n  {'':<12} {where}  {f.check_name}"

    failed = sorted((f for f in gate if f.result == "FAILED"), key=lambda f: (f.stack, f.check_id, f.resource))
    hidden = sorted(
        (f for f in audit if f.check_id in suppressions and f.result == "FAILED"),
        key=lambda f: (f.check_id, f.stack, f.resource),
    )
    if failed:
        print(f"\nFAILED ({len(failed)}): fix the module, or suppress in .checkov.yaml with a reason")
        for f in failed:
            print(describe(f))
    if hidden:
        print(f"\nSUPPRESSED by .checkov.yaml ({len(hidden)} failing results hidden)")
        by_check = defaultdict(list)
        for f in hidden:
            by_check[f.check_id].append(f)
        for check_id, items in by_check.items():
            print(f"  {check_id}: {suppressions[check_id].summary}")
            for f in items:
                print(describe(f))
    unsuppressed = sorted((f for f in audit if f.result == "FAILED"), key=lambda f: (f.check_id, f.stack, f.resource))
    if args.unsuppressed_out:
        Path(args.unsuppressed_out).write_text(
            unsuppressed_report(unsuppressed, suppressions, display_root, args.checkov_version), encoding="utf-8"
        )
    print(
        f"\nWITHOUT .checkov.yaml (a report, not a gate): {len(unsuppressed)} failing results of"
        f" {len({f.check_id for f in unsuppressed})} checks"
        + (f"; {args.unsuppressed_out}" if args.unsuppressed_out else "")
    )
    unused = sorted(set(suppressions) - {f.check_id for f in audit if f.result == "FAILED"})
    for check_id in unused:
        print(f"\nWARNING: {check_id} is suppressed in .checkov.yaml but fails nowhere: remove it", file=sys.stderr)

    summary = {
        "checkov_version": args.checkov_version,
        "stacks": rows,
        "totals": dict(totals),
        "failed": [f.__dict__ for f in failed],
        "suppressed": [{**f.__dict__, "reason": suppressions[f.check_id].text} for f in hidden],
        "unused_suppressions": unused,
        "unsuppressed_failed": len(unsuppressed),
        "scan_problems": problems,
        "selftest_results": len(selftest),
    }
    Path(args.out).write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")

    if problems:
        print("", file=sys.stderr)
        for problem in problems:
            print(f"ERROR: {problem}", file=sys.stderr)
        return 2
    return 1 if failed else 0


def unsuppressed_report(failed: list[Finding], suppressions: dict[str, Reason], display_root: str, version: str) -> str:
    """Markdown of the scan without .checkov.yaml: every failing result, grouped by check, with the
    reason and compensating control the suppression file gives (or none: a gate failure)."""
    lines = [
        "# checkov without the skip list",
        "",
        f"checkov {version}, every stack, nothing suppressed: {len(failed)} failing results of"
        f" {len({f.check_id for f in failed})} checks. A report, not a gate: `npm run scan` gates on .checkov.yaml.",
        "",
        "| Check | Failing | Suppressed because | Compensating control |",
        "| --- | ---: | --- | --- |",
    ]
    by_check: dict[str, list[Finding]] = defaultdict(list)
    for f in failed:
        by_check[f.check_id].append(f)
    cell = lambda text: text.replace("|", "\\|").strip()  # noqa: E731
    for check_id, items in by_check.items():
        reason = suppressions.get(check_id)
        block = reason.text.removesuffix(reason.summary) if reason else ""
        control = block.split(COMPENSATING_CONTROL, 1)[1].split("Accepted risk:", 1)[0] if COMPENSATING_CONTROL in block else ""
        lines.append(
            f"| {check_id} {cell(items[0].check_name)} | {len(items)} | {cell(reason.summary) if reason else '**not suppressed: fails the gate**'} | {cell(control)} |"
        )
    lines += ["", "## Failing results", ""]
    for f in failed:
        path = f" [{f.construct_path}]" if f.construct_path else ""
        lines.append(f"- `{f.check_id}` `{f.resource}`{path} — {display_root}/{f.stack}/cdk.tf.json:{f.line}")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    validate = sub.add_parser("validate-config")
    validate.add_argument("config")
    rep = sub.add_parser("report")
    rep.add_argument("--gate", required=True, help="checkov JSON of the gating run (.checkov.yaml applied)")
    rep.add_argument("--audit", required=True, help="checkov JSON of the audit run (nothing suppressed, plus self-test)")
    rep.add_argument("--stacks", required=True, help="directory of <stack>/cdk.tf.json that was scanned")
    rep.add_argument("--selftest-root", required=True, help=f"directory holding {SELFTEST_STACK}/cdk.tf.json")
    rep.add_argument("--config", required=True)
    rep.add_argument("--display-root", default="cdktf.out/stacks")
    rep.add_argument("--checkov-version", default="")
    rep.add_argument("--out", required=True)
    rep.add_argument("--unsuppressed-out", default="", help="Markdown report of the scan without .checkov.yaml")
    args = parser.parse_args()

    if args.command == "validate-config":
        _, problems = load_suppressions(Path(args.config))
        for problem in problems:
            print(f"ERROR: {problem}", file=sys.stderr)
        return 2 if problems else 0
    return report(args)


if __name__ == "__main__":
    sys.exit(main())
