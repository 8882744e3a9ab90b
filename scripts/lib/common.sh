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

# Where the toolchain (terraform, provider mirror, Python venvs) lives. It is
# deliberately outside the repository: the provider alone is ~700 MB, and a
# cache shared between worktrees/clones avoids rebuilding it per checkout.
toolchain_cache_dir() {
  printf '%s\n' "${CDKTF_TOOLCHAIN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cdktf-platform}"
}

# One env file per toolchain fingerprint, so checkouts on different pins (two clones, a
# branch switch, worktrees) share the cache without overwriting each other's env file.
toolchain_env_file() {
  printf '%s/env-%s.sh\n' "$(toolchain_cache_dir)" "$(toolchain_fingerprint)"
}

# Fingerprint of the inputs that define the toolchain. The env file records the value
# it was generated from, so consumers can tell a stale cache (pins changed
# since the last `npm run toolchain`) from a current one without re-running
# the slow checks themselves.
toolchain_fingerprint() {
  cat "$CDKTF_REPO_ROOT/scripts/toolchain.sh" \
      "$CDKTF_REPO_ROOT/scripts/requirements-tools.txt" 2>/dev/null \
    | sha256sum | cut -c1-16
}

# load_toolchain [COMPONENT...]: make TF_BIN, TF_CLI_CONFIG_FILE,
# TOOLCHAIN_VENV, CHECKOV_BIN, MOTO_SERVER_BIN, ACTIONLINT_BIN (and friends) available to the
# calling script, or stop with instructions. Scripts such as validate/e2e/scan
# call this first. COMPONENTs (terraform, checkov, moto, actionlint) name what the caller
# actually uses, so e.g. validate does not fail over a missing checkov; with
# none given, everything is checked.
load_toolchain() {
  local env_file component var
  local -a components=("$@") required=()
  if [[ ${#components[@]} -eq 0 ]]; then
    components=(terraform checkov moto)
  fi
  for component in "${components[@]}"; do
    case "$component" in
      terraform) required+=(TF_BIN) ;;
      checkov) required+=(CHECKOV_BIN) ;;
      moto) required+=(MOTO_SERVER_BIN) ;;
      actionlint) required+=(ACTIONLINT_BIN) ;;
      *) die "load_toolchain: unknown component '$component' (terraform, checkov, moto, actionlint)" ;;
    esac
  done
  env_file="$(toolchain_env_file)"
  if [[ ! -r "$env_file" ]]; then
    die "toolchain not installed for these pins ($env_file missing; scripts/toolchain.sh or scripts/requirements-tools.txt decide it): run 'npm run toolchain' first"
  fi
  # shellcheck source=/dev/null
  source "$env_file"

  if [[ "${TOOLCHAIN_FINGERPRINT:-}" != "$(toolchain_fingerprint)" ]]; then
    die "toolchain is out of date (scripts/toolchain.sh or scripts/requirements-tools.txt changed): run 'npm run toolchain'"
  fi

  # The env file can outlive what it points at (cache pruned, /opt image changed);
  # catching that here gives a clear message instead of an exec error later.
  for var in "${required[@]}"; do
    if [[ ! -x "${!var:-}" ]]; then
      die "$var='${!var:-}' from $env_file is not executable: run 'npm run toolchain'"
    fi
  done
  if [[ " ${required[*]} " == *" TF_BIN "* && ! -r "${TF_CLI_CONFIG_FILE:-}" ]]; then
    die "TF_CLI_CONFIG_FILE='${TF_CLI_CONFIG_FILE:-}' is missing: run 'npm run toolchain'"
  fi
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
