#!/usr/bin/env bash
# npm run validate: synthesize every stack, then prove each one with real Terraform, offline:
# `init` from the local provider mirror, `validate`, and a `plan` with dummy credentials, the
# backend swapped for a throwaway local one and cross-stack references read from stub states
# (scripts/lib/offline-override.mjs). Then a `plan -destroy` against a state holding everything
# that plan would create (scripts/lib/destroy-check.mjs): a stack with `prevent_destroy`
# resources must be refused at plan time naming exactly those, any other must destroy completely.
# Exits non-zero if any stack fails.
#
# Stacks are copied out of cdktf.out first, so the override file and .terraform directories this
# needs never end up where `cdktf deploy` or a user's `terraform plan` would pick them up.
# VALIDATE_JOBS stacks run at once (default 2, one per core). VALIDATE_PLAN_JSON_DIR=<dir> also keeps
# each stack's `terraform show -json` of its plan as <dir>/<stack>.json (for npm run plan:summary).
set -euo pipefail
LOG_TAG=validate
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$CDKTF_REPO_ROOT"

started=$SECONDS
load_toolchain terraform

log "synthesizing (ENVIRONMENTS=${ENVIRONMENTS:-all})"
node_modules/.bin/tsx main.ts

work="$(mktemp -d "${TMPDIR:-/tmp}/cdktf-validate.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# check_stack STACK: init + validate + offline plan + destroy check in a copy; writes $work/STACK.result
# as "ok <adds> <changes> <destroys> <ms> <refused|complete> <n>" or "FAILED <step>", and the failing
# step's output to $work/STACK.log.
check_stack() {
  local stack="$1" dir="$work/$1" start step
  start="$(now_ms)"
  : >"$work/$stack.running"
  cp -r "cdktf.out/stacks/$stack" "$dir"
  node scripts/lib/offline-override.mjs "$dir" cdktf.out/stacks
  for step in "init -input=false -no-color" \
    "validate -no-color" \
    "plan -input=false -no-color -lock=false -refresh=false -out=offline.plan"; do
    # shellcheck disable=SC2086  # step holds the subcommand and its flags
    if ! (cd "$dir" && "$TF_BIN" $step) >"$work/$stack.log" 2>&1; then
      echo "FAILED ${step%% *}" >"$work/$stack.result"
      return 0
    fi
  done
  (cd "$dir" && "$TF_BIN" show -json offline.plan) >"$work/$stack.plan.json"
  if [[ -n "${VALIDATE_PLAN_JSON_DIR:-}" ]]; then
    cp "$work/$stack.plan.json" "$VALIDATE_PLAN_JSON_DIR/$stack.json"
  fi
  node -e '
    const plan = JSON.parse(require("fs").readFileSync(0, "utf8"));
    const tally = { create: 0, update: 0, delete: 0 };
    for (const change of plan.resource_changes ?? []) {
      for (const action of change.change.actions) if (action in tally) tally[action]++;
    }
    console.log(`ok ${tally.create} ${tally.update} ${tally.delete}`);
  ' <"$work/$stack.plan.json" >"$work/$stack.tally"
  local verdict
  if ! verdict="$(node scripts/lib/destroy-check.mjs "$dir" "$TF_BIN" 2>"$work/$stack.log")"; then
    echo "FAILED destroy-plan" >"$work/$stack.result"
    return 0
  fi
  echo "$(cat "$work/$stack.tally") $(($(now_ms) - start)) $verdict" >"$work/$stack.result"
}

# progress STACK: one line as each stack finishes, so a run of a few minutes is never silent.
progress() {
  local status adds changes destroys ms verdict count finished
  read -r status adds changes destroys ms verdict count <"$work/$1.result" || status=FAILED
  rm -f "$work/$1.running"
  finished=$(find "$work" -maxdepth 1 -name '*.result' | wc -l)
  if [[ "$status" == ok ]]; then
    log "[$finished/${#stacks[@]}] $1: ok, destroy plan $verdict ($count) ($(fmt_ms_as_s "$ms") s)"
  else
    log "[$finished/${#stacks[@]}] $1: $status $adds"
  fi
}

if [[ -n "${VALIDATE_PLAN_JSON_DIR:-}" ]]; then
  mkdir -p "$VALIDATE_PLAN_JSON_DIR"
  VALIDATE_PLAN_JSON_DIR="$(cd "$VALIDATE_PLAN_JSON_DIR" && pwd -P)"
fi

stacks=()
for dir in cdktf.out/stacks/*/; do stacks+=("$(basename "$dir")"); done
[[ ${#stacks[@]} -gt 0 ]] || die "synthesis produced no stacks in cdktf.out/stacks"
jobs_max="${VALIDATE_JOBS:-2}"
log "terraform $("$TF_BIN" version -json | node -pe 'JSON.parse(require("fs").readFileSync(0)).terraform_version'): init, validate and an offline plan of ${#stacks[@]} stacks, $jobs_max at a time"

# After 15 s without a finished stack, the stacks still running (a platform stack takes about a
# minute). Disowned, so the job count below sees only stacks.
(
  while sleep 15; do
    running=("$work"/*.running)
    [[ -e "${running[0]}" && -z "$(find "$work" -maxdepth 1 -name '*.result' -mmin -0.25)" ]] \
      && log "still running: $(basename -a -s .running "${running[@]}" | paste -sd ' ')"
  done
) &
heartbeat=$!
disown "$heartbeat"
trap 'kill "$heartbeat" 2>/dev/null || true; rm -rf "$work"' EXIT

for stack in "${stacks[@]}"; do
  while [[ $(jobs -rp | wc -l) -ge $jobs_max ]]; do wait -n || true; done
  { check_stack "$stack"; progress "$stack"; } &
done
wait
kill "$heartbeat" 2>/dev/null || true

failed=()
printf '\n%-22s %-42s %-34s %7s\n' "STACK" "OFFLINE PLAN" "DESTROY PLAN" "TIME" >&2
for stack in "${stacks[@]}"; do
  read -r status adds changes destroys ms verdict count <"$work/$stack.result" || status="FAILED"
  if [[ "$status" == ok ]]; then
    if [[ "$verdict" == refused ]]; then verdict="refused: $count protected resources"; else verdict="complete: $count deleted"; fi
    printf '%-22s %-42s %-34s %6ss\n' "$stack" "$adds to add, $changes to change, $destroys to destroy" "$verdict" "$(fmt_ms_as_s "$ms")" >&2
  else
    failed+=("$stack")
    printf '%-22s %s\n' "$stack" "$status $adds" >&2
  fi
done
for stack in "${failed[@]}"; do
  log "FAIL $stack: output of the failing step:"
  sed 's/^/    /' "$work/$stack.log" >&2
done
if [[ ${#failed[@]} -gt 0 ]]; then
  die "${#failed[@]} of ${#stacks[@]} stacks failed: ${failed[*]}"
fi
log "all ${#stacks[@]} stacks passed terraform init, validate, an offline plan and the destroy check in $(((SECONDS - started))) s"
