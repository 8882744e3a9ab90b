# shellcheck shell=bash
# Shared helpers for the repo's shell scripts (toolchain, validate, e2e, scan).
#
# Source it, don't execute it:   source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# It deliberately does not touch the caller's shell options (set -e etc.), so
# it is equally safe from strict scripts and from an interactive shell.

# Sourcing twice (script A sources script B, both source this) is harmless but
# pointless; the guard also keeps LOG_TAG from being reset underneath a caller.
if [[ -n "${_CDKTF_COMMON_SH_LOADED:-}" ]]; then
  return 0
fi
_CDKTF_COMMON_SH_LOADED=1

# Repository root, derived from this file's location rather than $PWD so that
# scripts work no matter where they are invoked from (npm runs them from the
# package root, CI and humans may not).
CDKTF_REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"

# Prefix for log lines; callers set LOG_TAG before or after sourcing
# (e.g. LOG_TAG=validate). Defaults to the calling script's name.
: "${LOG_TAG:=$(basename "${0:-shell}" .sh)}"

# Logs go to stderr so that functions can print results on stdout and be used
# in $(...) without log lines leaking into the captured value.
log() {
  printf '[%s %s] %s\n' "$LOG_TAG" "$(date +%H:%M:%S)" "$*" >&2
}

warn() {
  log "WARNING: $*"
}

# die MESSAGE [EXIT_CODE]: the one way scripts fail, so that every failure
# carries a human-readable reason rather than a bare non-zero exit.
die() {
  log "ERROR: $1"
  exit "${2:-1}"
}

# require_cmd NAME [HINT]: fail early with an actionable hint instead of a
# "command not found" from somewhere deep inside a pipeline.
require_cmd() {
  command -v "$1" >/dev/null 2>&1 || die "required command '$1' not found on PATH${2:+ ($2)}"
}

# Where the toolchain lives: outside the repository, shared by checkouts (scripts/lib/toolchain-cache.ts).
toolchain_cache_dir() {
  printf '%s\n' "${CDKTF_TOOLCHAIN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cdktf-platform}"
}

# source_toolchain_env: every variable of this checkout's toolchain env file, checking none.
# The file's name and format belong to scripts/lib/toolchain-cache.ts; scripts/toolchain.ts writes
# it and names it.
source_toolchain_env() {
  local env_file
  env_file="$("$CDKTF_REPO_ROOT/node_modules/.bin/tsx" "$CDKTF_REPO_ROOT/scripts/toolchain.ts" --env-file)" \
    || die "cannot name the toolchain env file (run 'npm ci' first)"
  [[ -r "$env_file" ]] || die "toolchain not installed for these pins ($env_file missing): run 'npm run toolchain'"
  # shellcheck source=/dev/null
  source "$env_file"
}

# load_toolchain [COMPONENT...]: make TF_BIN, TF_CLI_CONFIG_FILE, TOOLCHAIN_VENV, CHECKOV_BIN,
# MOTO_SERVER_BIN, ACTIONLINT_BIN (and friends) available to the calling script, or stop with
# instructions. COMPONENTs (terraform, checkov, moto, actionlint) name what the caller uses, so
# e.g. validate does not fail over a missing checkov; with none given: terraform, checkov, moto.
load_toolchain() {
  local component var
  local -a components=("$@") required=()
  [[ $# -gt 0 ]] || components=(terraform checkov moto)
  for component in "${components[@]}"; do
    case "$component" in
      terraform) required+=(TF_BIN TF_CLI_CONFIG_FILE) ;;
      checkov) required+=(CHECKOV_BIN) ;;
      moto) required+=(MOTO_SERVER_BIN) ;;
      actionlint) required+=(ACTIONLINT_BIN) ;;
      *) die "load_toolchain: unknown component '$component' (terraform, checkov, moto, actionlint)" ;;
    esac
  done
  source_toolchain_env
  # An entry can be missing (the tool was missing when the toolchain ran) or outlive its target
  # (cache pruned, /opt changed): either way, say what to do instead of failing later.
  for var in "${required[@]}"; do
    if [[ ! -e "${!var:-}" ]]; then
      die "$var is not set by the toolchain or points nowhere ('${!var:-}'): run 'npm run toolchain'; its summary says what is missing and how to get it"
    fi
  done
}

# with_heartbeat WHAT COMMAND...: run COMMAND, logging "still WHAT (N s)" every 15 s while it runs,
# so a long step is never silent; returns COMMAND's exit status.
with_heartbeat() {
  local what=$1 started=$SECONDS beat rc=0
  shift
  ( while sleep 15; do log "still $what ($((SECONDS - started)) s)"; done ) &
  beat=$!
  "$@" || rc=$?
  kill "$beat" 2>/dev/null || true
  wait "$beat" 2>/dev/null || true
  return "$rc"
}

# Millisecond wall clock, for step timings (bash's SECONDS is too coarse for
# the warm path, where most steps take well under a second).
now_ms() {
  local ns
  ns="$(date +%s%N)"
  printf '%s\n' "$((ns / 1000000))"
}

# fmt_ms_as_s MS: "1234" -> "1.2"
fmt_ms_as_s() {
  printf '%d.%d\n' "$(($1 / 1000))" "$((($1 % 1000) / 100))"
}
