#!/usr/bin/env bash
# npm run lint:workflows: actionlint (pinned, from the toolchain cache) over .github/workflows.
# actionlint also runs shellcheck on `run:` scripts when shellcheck is on PATH.
set -euo pipefail
LOG_TAG=lint-workflows
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$CDKTF_REPO_ROOT"
load_toolchain actionlint
log "actionlint $("$ACTIONLINT_BIN" -version | head -n 1) over .github/workflows$(command -v shellcheck >/dev/null && echo ' (with shellcheck)')"
"$ACTIONLINT_BIN" -no-color "$@"
log "workflows OK"
