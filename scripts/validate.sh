#!/usr/bin/env bash
# npm run validate: synthesize every stack, then prove each one with real Terraform, offline:
# `init` from the local provider mirror, `validate`, and a `plan` with dummy credentials and the
# backend swapped for a throwaway local one. Exits non-zero if any stack fails.
#
# Stacks are copied out of cdktf.out first, so the override file and .terraform directories this
# needs never end up where `cdktf deploy` or a user's `terraform plan` would pick them up.
set -euo pipefail
LOG_TAG=validate
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$CDKTF_REPO_ROOT"

load_toolchain terraform

log "synthesizing (ENVIRONMENTS=${ENVIRONMENTS:-all})"
node_modules/.bin/tsx main.ts

work="$(mktemp -d "${TMPDIR:-/tmp}/cdktf-validate.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# Offline plan: no credentials, no account lookup, no metadata endpoint. allowed_account_ids is
# nulled because the provider cannot check an account it never asks for; the real guard stays in
# the synthesized stack and is covered by the unit tests.
offline_override='{
  "terraform": { "backend": { "local": { "path": "offline.tfstate" } } },
  "provider": { "aws": [{
    "access_key": "offline-validate", "secret_key": "offline-validate",
    "skip_credentials_validation": true, "skip_requesting_account_id": true,
    "skip_metadata_api_check": true, "allowed_account_ids": null
  }] }
}'

# run_step STACK STEP LOGFILE CMD...: runs CMD in the stack's copy, keeps its output for the report.
run_step() {
  local stack="$1" step="$2" logfile="$3"
  shift 3
  if ! (cd "$work/$stack" && "$@") >"$logfile" 2>&1; then
    log "FAIL $stack: terraform $step"
    sed 's/^/    /' "$logfile" >&2
    return 1
  fi
}

failed=()
summary=()
stacks=()
for dir in cdktf.out/stacks/*/; do stacks+=("$(basename "$dir")"); done
[[ ${#stacks[@]} -gt 0 ]] || die "synthesis produced no stacks in cdktf.out/stacks"

for stack in "${stacks[@]}"; do
  start="$(now_ms)"
  cp -r "cdktf.out/stacks/$stack" "$work/$stack"
  printf '%s\n' "$offline_override" >"$work/$stack/zz_offline_override.tf.json"
  logs="$work/$stack.log"
  if run_step "$stack" init "$logs" "$TF_BIN" init -input=false -no-color -backend=true \
    && run_step "$stack" validate "$logs" "$TF_BIN" validate -no-color \
    && run_step "$stack" plan "$logs" "$TF_BIN" plan -input=false -no-color -lock=false -refresh=false -out=offline.plan \
    && run_step "$stack" show "$logs.json" "$TF_BIN" show -json offline.plan; then
    counts="$(node -e '
      const plan = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
      const tally = { create: 0, update: 0, delete: 0 };
      for (const change of plan.resource_changes ?? []) {
        for (const action of change.change.actions) if (action in tally) tally[action]++;
      }
      console.log(`${tally.create} to add, ${tally.update} to change, ${tally.delete} to destroy`);
    ' "$logs.json")"
    summary+=("$(printf '%-22s %-40s %6ss' "$stack" "$counts" "$(fmt_ms_as_s $(($(now_ms) - start)))")")
    log "ok   $stack: validate passed; plan: $counts"
  else
    failed+=("$stack")
    summary+=("$(printf '%-22s %-40s' "$stack" "FAILED")")
  fi
done

printf '\n%-22s %-40s %7s\n' "STACK" "OFFLINE PLAN" "TIME" >&2
printf '%s\n' "${summary[@]}" >&2
if [[ ${#failed[@]} -gt 0 ]]; then
  die "${#failed[@]} of ${#stacks[@]} stacks failed: ${failed[*]}"
fi
log "all ${#stacks[@]} stacks passed terraform validate and an offline plan"
