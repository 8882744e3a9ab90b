#!/usr/bin/env bash
# npm run lint:workflows: actionlint (pinned, from the toolchain cache) over .github/workflows.
# actionlint also runs shellcheck on `run:` scripts when shellcheck is on PATH. actionlint is
# optional (it is built with Go): without it this check is skipped with a warning, except in CI,
# which must run every check.
set -euo pipefail
LOG_TAG=lint-workflows
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$CDKTF_REPO_ROOT"
source_toolchain_env
if [[ ! -x "${ACTIONLINT_BIN:-}" ]]; then
  [[ "${CI:-}" == true ]] && die "actionlint is not installed (it needs Go): CI runs every check"
  warn "actionlint is not installed (it needs Go; see npm run toolchain's summary): workflows not linted"
  exit 0
fi
log "actionlint $("$ACTIONLINT_BIN" -version | head -n 1) over .github/workflows$(command -v shellcheck >/dev/null && echo ' (with shellcheck)')"
"$ACTIONLINT_BIN" -no-color "$@"
log "workflows OK"
