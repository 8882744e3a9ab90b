#!/usr/bin/env bash
# npm run scan: synthesize, then run checkov (pinned in scripts/requirements-tools.txt) over every
# stack's Terraform JSON, offline. Exits non-zero on any failed check not suppressed in
# .checkov.yaml, and on any sign that the scan itself did not see the stacks.
#
#   npm run scan                         synthesize all environments, scan every stack
#   SCAN_SKIP_SYNTH=1 npm run scan       scan cdktf.out/stacks as it is
#   ENVIRONMENTS=dev npm run scan        synthesize (and so scan) only dev and its bootstrap
#
# Environment: SCAN_REPORT_DIR (default cdktf.out/scan) receives checkov-gate.json,
# checkov-audit.json (checkov's own JSON reports), summary.json and unsuppressed-report.md (the
# scan without the skip list: every failing result with its suppression's reason and compensating
# control; a report, never a gate); SCAN_TIMEOUT_SECONDS (default 300) bounds each checkov run.
#
# How it works, and why:
# - Framework `terraform_json`. checkov's `terraform` framework skips *.tf.json when it scans a
#   directory (0 resources, exit 0: a silent pass), and `-f cdk.tf.json` finds no runner.
#   `terraform_json` parses cdktf's output, `//` metadata keys and `${...}` references included.
# - checkov runs through scripts/scan/checkov_tfjson.py, which restores six IAM policy checks that
#   `terraform_json` silently drops (see that file). With it, the results equal those of the HCL
#   `terraform` framework on the same resources.
# - Two runs in parallel over copies of the stacks: the GATE run applies .checkov.yaml and decides;
#   the AUDIT run suppresses nothing and adds a self-test stack (scripts/scan/selftest) of known
#   verdicts. The summary lists what each suppression hides, checks that both runs agree, that
#   every stack was parsed and produced results, and that the self-test verdicts came out right.
# - Offline: no API key reaches checkov (clean environment), --skip-download and BC_SKIP_MAPPING
#   stop the policy-metadata download, CKV_SKIP_PACKAGE_UPDATE_CHECK the PyPI version check,
#   --download-external-modules false the module registry. A `timeout` bounds each run anyway.
set -euo pipefail
# shellcheck disable=SC2034  # read by lib/common.sh's log()
LOG_TAG=scan
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$CDKTF_REPO_ROOT"

start_ms="$(now_ms)"
load_toolchain checkov
checkov_python="$(dirname "$CHECKOV_BIN")/python"
[[ -x "$checkov_python" ]] || die "no Python beside CHECKOV_BIN ($checkov_python): run 'npm run toolchain'"

config="$CDKTF_REPO_ROOT/.checkov.yaml"
report_dir="${SCAN_REPORT_DIR:-cdktf.out/scan}"
timeout_seconds="${SCAN_TIMEOUT_SECONDS:-300}"

# A malformed or softening suppression file must never reach the gate.
"$checkov_python" scripts/scan/summary.py validate-config "$config" \
  || die ".checkov.yaml is invalid (see above)"

synth_start="$(now_ms)"
if [[ "${SCAN_SKIP_SYNTH:-0}" == 1 ]]; then
  log "SCAN_SKIP_SYNTH=1: scanning cdktf.out/stacks as it is"
else
  log "synthesizing (ENVIRONMENTS=${ENVIRONMENTS:-all})"
  node_modules/.bin/tsx main.ts || die "synthesis failed (see above)"
fi
synth_ms=$(($(now_ms) - synth_start))

stacks=()
for dir in cdktf.out/stacks/*/; do
  [[ -d "$dir" ]] || continue
  [[ -f "$dir/cdk.tf.json" ]] || die "$dir has no cdk.tf.json"
  stacks+=("$(basename "$dir")")
done
[[ ${#stacks[@]} -gt 0 ]] || die "no stacks in cdktf.out/stacks: run 'npm run synth' (or drop SCAN_SKIP_SYNTH)"

work="$(mktemp -d "${TMPDIR:-/tmp}/cdktf-scan.XXXXXX")"
trap 'rm -rf "$work"' EXIT
# Copies: a synth running meanwhile cannot change what is scanned, and the audit root can hold
# the self-test stack without it ever appearing in cdktf.out.
mkdir -p "$work/gate" "$work/audit" "$work/home"
for stack in "${stacks[@]}"; do
  mkdir -p "$work/gate/$stack" "$work/audit/$stack"
  cp "cdktf.out/stacks/$stack/cdk.tf.json" "$work/gate/$stack/"
  cp "cdktf.out/stacks/$stack/cdk.tf.json" "$work/audit/$stack/"
done
mkdir -p "$work/audit/__scan_selftest__"
cp scripts/scan/selftest/cdk.tf.json "$work/audit/__scan_selftest__/"

# run_checkov NAME ROOT [ARGS...]: checkov in a clean environment (no API keys, proxies or CKV_*
# settings from the caller's shell), from an empty directory with an empty HOME, so no other
# .checkov.yaml is picked up. Report: $work/NAME/results_json.json; log: $work/NAME.log.
run_checkov() {
  local name="$1" root="$2"
  shift 2
  (
    cd "$work/home"
    exec env -i PATH=/usr/bin:/bin HOME="$work/home" TMPDIR="$work" LANG=C.UTF-8 \
      BC_SKIP_MAPPING=TRUE CKV_SKIP_PACKAGE_UPDATE_CHECK=true LOG_LEVEL=WARNING \
      timeout --kill-after=10 "$timeout_seconds" \
      "$checkov_python" "$CDKTF_REPO_ROOT/scripts/scan/checkov_tfjson.py" \
      --directory "$root" --framework terraform_json \
      --output json --output-file-path "$work/$name" \
      --download-external-modules false --skip-download "$@"
  ) >"$work/$name.log" 2>&1
}

checkov_version="$("$checkov_python" -c 'from checkov.version import version; print(version)')"
log "checkov $checkov_version: scanning ${#stacks[@]} stacks (${stacks[*]})"
scan_start="$(now_ms)"
gate_args=()
[[ -f "$config" ]] && gate_args=(--config-file "$config")
run_checkov gate "$work/gate" "${gate_args[@]}" &
gate_pid=$!
run_checkov audit "$work/audit" &
audit_pid=$!
gate_rc=0 audit_rc=0
with_heartbeat "scanning" wait "$gate_pid" || gate_rc=$?
wait "$audit_pid" || audit_rc=$?
scan_ms=$(($(now_ms) - scan_start))

# checkov: 0 = no failed check, 1 = failed checks; anything else is a crash (124: timeout).
for run in gate:$gate_rc audit:$audit_rc; do
  name="${run%%:*}" rc="${run#*:}"
  if [[ "$rc" != 0 && "$rc" != 1 ]] || [[ ! -s "$work/$name/results_json.json" ]]; then
    sed 's/^/    /' "$work/$name.log" >&2
    [[ "$rc" == 124 ]] && die "checkov ($name run) timed out after ${timeout_seconds}s"
    die "checkov ($name run) exited $rc without a report"
  fi
done

mkdir -p "$report_dir"
cp "$work/gate/results_json.json" "$report_dir/checkov-gate.json"
cp "$work/audit/results_json.json" "$report_dir/checkov-audit.json"

summary_rc=0
"$checkov_python" scripts/scan/summary.py report \
  --gate "$work/gate/results_json.json" --audit "$work/audit/results_json.json" \
  --stacks "$work/gate" --selftest-root "$work/audit" --config "$config" \
  --display-root cdktf.out/stacks --checkov-version "$checkov_version" \
  --out "$report_dir/summary.json" --unsuppressed-out "$report_dir/unsuppressed-report.md" || summary_rc=$?

total_ms=$(($(now_ms) - start_ms))
printf '\ncheckov %s | synth %ss | scan %ss | total %ss | reports: %s/\n' "$checkov_version" \
  "$(fmt_ms_as_s "$synth_ms")" "$(fmt_ms_as_s "$scan_ms")" "$(fmt_ms_as_s "$total_ms")" "$report_dir"

case "$summary_rc" in
  0)
    # checkov's own verdict on the gating run must agree with the summary's.
    [[ "$gate_rc" == 0 ]] || die "checkov's gate run exited $gate_rc but the summary found no failures"
    log "passed: no failed checks outside .checkov.yaml"
    ;;
  1) die "failed checks (listed above): fix the module, or suppress in .checkov.yaml with a reason" ;;
  *) die "the scan cannot be trusted (errors above)" 2 ;;
esac
