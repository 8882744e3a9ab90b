#!/usr/bin/env bash
# Provision the pinned, offline toolchain this project needs: the Terraform
# CLI, the hashicorp/aws provider (as a filesystem mirror, so `terraform init`
# never needs registry.terraform.io), actionlint for the GitHub workflows,
# and a Python venv with moto + checkov.
#
# Everything lives in a cache OUTSIDE the repository (see toolchain_cache_dir
# in lib/common.sh), every path keyed by version, so the script is idempotent
# and a warm run only re-checks what is there. The result is summarised in
# <cache>/env-<fingerprint>.sh, which other scripts load via load_toolchain.
#
# Usage: npm run toolchain [-- OPTIONS]
#   --verify               re-run the offline `terraform init/validate` and
#                          venv smoke tests even if they already passed
#   --from-source=WHAT     ignore existing binaries and build WHAT from the Go
#                          module proxy: terraform, aws-provider or all
#                          (mainly for testing the fallback path)
#   --no-build             never compile from source; fail if a tool is missing
#   --only=python          only the Python venv (moto, checkov): what `npm test`
#                          needs, without Terraform; keeps the Terraform and
#                          actionlint entries of an existing env file
#   -h, --help             show this help
#
# Environment:
#   CDKTF_TOOLCHAIN_CACHE     cache root (default ${XDG_CACHE_HOME:-~/.cache}/cdktf-platform)
#   TOOLCHAIN_PYTHON          interpreter for the venv (default python3)
#   TOOLCHAIN_GO_PARALLELISM  go build -p value (default 2; each parallel
#                             compile of the provider's biggest packages
#                             needs several GiB of RAM)
set -Eeuo pipefail

# shellcheck disable=SC2034  # read by lib/common.sh's log()
LOG_TAG=toolchain
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

# ----------------------------------------------------------------------------
# Pins
# ----------------------------------------------------------------------------
TERRAFORM_VERSION=1.11.4
# Terraform's nested Go modules (internal/backend/remote-state/*,
# internal/legacy) are excluded from the module zip and never tagged, so the
# only way to fetch them is as a pseudo-version of the release commit. This is
# the commit tagged v1.11.4; bump it together with TERRAFORM_VERSION.
TERRAFORM_COMMIT=35645b8fca68ff7e0b8785a3b563724a529a0caf

AWS_PROVIDER_VERSION=5.100.0
# terraform-provider-aws's go.mod has no /v5 suffix, so its vX tags are not
# valid Go module versions and `@v5.100.0` cannot be fetched. The release
# commit has to be addressed as a pseudo-version on top of v1.60.0, the last
# v1 tag. Commit and time come from `go version -m` of the official binary.
AWS_PROVIDER_COMMIT=f7a3b98da589ab1d52756b0dcee0dbf2de83d635
AWS_PROVIDER_COMMIT_TIME=20250612171449
AWS_PROVIDER_PSEUDO_VERSION="v1.60.1-0.${AWS_PROVIDER_COMMIT_TIME}-${AWS_PROVIDER_COMMIT:0:12}"
# h1 hash of the official linux_amd64 package (binary + LICENSE.txt), as the
# registry records it in .terraform.lock.hcl. The smoke test compares against
# it to tell an official binary from a locally built (or foreign) one.
AWS_PROVIDER_OFFICIAL_H1_LINUX_AMD64='h1:edXOJWE4ORX8Fm+dpVpICzMZJat4AX0VRCAy/xkcOc0='

# Linter for .github/workflows (npm run lint:workflows), built from the Go
# module proxy: the project publishes no release binaries we could fetch.
ACTIONLINT_VERSION=1.7.12

REQUIREMENTS_FILE="$CDKTF_REPO_ROOT/scripts/requirements-tools.txt"

# ----------------------------------------------------------------------------
# State shared between steps
# ----------------------------------------------------------------------------
CACHE=""
TF_OS=""
TF_ARCH=""
TF_BIN=""
AWS_PROVIDER_BIN=""      # the mirror entry (may be a symlink)
AWS_PROVIDER_ORIGIN=""   # what the mirror entry resolves to / came from
CLI_CONFIG=""
TOOLCHAIN_VENV=""
ACTIONLINT_BIN=""
OPT_VERIFY=0
OPT_NO_BUILD=0
OPT_FROM_SOURCE=""
OPT_ONLY=""
STEP_STATUS=""
SUMMARY=()

usage() {
  sed -n '2,/^set -Eeuo/{/^set -Eeuo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"
}

# All scratch space lives under <cache>/.tmp (same filesystem as the final
# paths, so results can be mv'd into place atomically). We hold the cache
# lock, so removing the whole directory on exit cannot hit another run's files.
cleanup() {
  if [[ -n "$CACHE" ]]; then
    rm -rf -- "$CACHE/.tmp"
  fi
}

# With set -E the ERR trap fires inside functions too, so an unexpected
# failure (a command we did not wrap in die) still names the failing command
# instead of exiting silently.
on_err() {
  local rc=$? line=$1 cmd=$2
  log "ERROR: command failed (exit $rc) at ${BASH_SOURCE[0]}:$line: $cmd"
  exit "$rc"
}

make_tmp_dir() {
  mkdir -p "$CACHE/.tmp"
  mktemp -d "$CACHE/.tmp/$1.XXXXXX"
}

from_source() {
  [[ ",$OPT_FROM_SOURCE," == *",$1,"* || "$OPT_FROM_SOURCE" == all ]]
}

parse_args() {
  local arg
  for arg in "$@"; do
    case "$arg" in
      --verify) OPT_VERIFY=1 ;;
      --no-build) OPT_NO_BUILD=1 ;;
      --from-source=*) OPT_FROM_SOURCE="${arg#*=}" ;;
      --only=python) OPT_ONLY=python ;;
      --only=*) die "--only accepts python, not '${arg#*=}'" 2 ;;
      -h|--help) usage; exit 0 ;;
      *) die "unknown option '$arg' (see --help)" 2 ;;
    esac
  done
  local what
  for what in ${OPT_FROM_SOURCE//,/ }; do
    case "$what" in
      terraform|aws-provider|all) ;;
      *) die "--from-source accepts terraform, aws-provider or all, not '$what'" 2 ;;
    esac
  done
  if [[ -n "$OPT_FROM_SOURCE" && $OPT_NO_BUILD -eq 1 ]]; then
    die "--from-source and --no-build contradict each other" 2
  fi
}

# run_step NAME FUNCTION: time a step and record how its tool was obtained
# (each step function sets STEP_STATUS) for the closing summary.
run_step() {
  local name=$1 fn=$2 start elapsed
  start="$(now_ms)"
  STEP_STATUS=""
  "$fn"
  elapsed="$(fmt_ms_as_s "$(($(now_ms) - start))")"
  SUMMARY+=("$(printf '%-12s %7ss  %s' "$name" "$elapsed" "$STEP_STATUS")")
}

detect_platform() {
  case "$(uname -s)" in
    Linux) TF_OS=linux ;;
    Darwin) TF_OS=darwin ;;
    *) die "unsupported OS '$(uname -s)'" ;;
  esac
  case "$(uname -m)" in
    x86_64|amd64) TF_ARCH=amd64 ;;
    aarch64|arm64) TF_ARCH=arm64 ;;
    *) die "unsupported CPU architecture '$(uname -m)'" ;;
  esac
}

prepare_cache() {
  # realpath -m canonicalises without requiring the path to exist, so the
  # check below runs before anything is created.
  CACHE="$(realpath -m "$(toolchain_cache_dir)")"
  # A cache inside the work tree would be picked up by git, tsc and vitest
  # alike, and a 700 MB provider there is a commit accident waiting to happen.
  case "$CACHE/" in
    "$CDKTF_REPO_ROOT/"*) die "toolchain cache '$CACHE' is inside the repository; point CDKTF_TOOLCHAIN_CACHE elsewhere" ;;
  esac
  mkdir -p "$CACHE"
  # Serialise concurrent runs (two terminals, parallel CI jobs sharing a
  # cache) so they don't build into or delete each other's directories.
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$CACHE/.lock"
    if ! flock -n 9; then
      log "another toolchain run holds $CACHE/.lock; waiting for it"
      flock 9
    fi
  fi
  # Leftovers of an interrupted build are never reused, only removed.
  rm -rf "$CACHE/.tmp"
  mkdir -p "$CACHE/logs"
}

# ----------------------------------------------------------------------------
# Go builds (fallback when a binary is not already on the machine)
# ----------------------------------------------------------------------------

# go_mod_download MODULE@VERSION: print the module's directory in the
# (read-only) module cache, or die with the proxy's error message.
go_mod_download() {
  local out dir err
  # Run outside any module/workspace so the caller's go.mod or go.work (if the
  # cache happens to sit below one) cannot influence resolution.
  mkdir -p "$CACHE/.tmp"
  out="$(cd "$CACHE/.tmp" && GOWORK=off GOFLAGS='' go mod download -json "$1" 2>&1)" || true
  dir="$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p' <<<"$out")"
  if [[ -z "$dir" || ! -d "$dir" ]]; then
    err="$(sed -n 's/^[[:space:]]*"Error": "\(.*\)",\{0,1\}$/\1/p' <<<"$out" | sed 's/\\n\\t/ /g')"
    die "cannot download Go module $1: ${err:-$out}"
  fi
  printf '%s\n' "$dir"
}

# copy_module_source SRC DEST: module cache files are read-only; builds that
# need to patch go.mod or add files need a writable copy.
copy_module_source() {
  mkdir -p "$2"
  cp -R "$1/." "$2/"
  chmod -R u+w "$2"
}

# Go 1.24 removed GODEBUG tlskyber (Kyber was replaced by ML-KEM) and now
# rejects go.mod files that still set it. Upstream used tlskyber=0 to turn off
# post-quantum key exchange because it broke AWS Network Firewall; tlsmlkem=0
# is the same switch for the newer toolchain, so translate rather than drop.
patch_godebug_for_toolchain() {
  local gomod=$1 table
  table="$(go env GOROOT)/src/internal/godebugs/table.go"
  if grep -q '^godebug tlskyber=' "$gomod" && [[ -f "$table" ]] && ! grep -q '"tlskyber"' "$table"; then
    log "  go.mod sets godebug tlskyber, unknown to $(go env GOVERSION); using tlsmlkem instead"
    sed -i 's/^godebug tlskyber=/godebug tlsmlkem=/' "$gomod"
  fi
}

# go_build_logged LOGNAME DIR OUTPUT LDFLAGS: static, reproducible-ish build
# like upstream's release builds; the noisy output goes to a log whose tail is
# shown on failure.
go_build_logged() {
  local logfile="$CACHE/logs/$1.log" dir=$2 output=$3 ldflags=$4
  log "  go build in $dir (log: $logfile)"
  if ! (cd "$dir" && CGO_ENABLED=0 GOWORK=off GOFLAGS=-buildvcs=false \
        go build -p "${TOOLCHAIN_GO_PARALLELISM:-2}" -trimpath -ldflags "$ldflags" -o "$output" .) \
        >"$logfile" 2>&1; then
    tail -n 25 "$logfile" >&2
    die "go build failed; full log in $logfile"
  fi
}

build_terraform() {
  require_cmd go "needed to build Terraform $TERRAFORM_VERSION from source"
  local work src moddir info tag_time pseudo sub subdir dest
  work="$(make_tmp_dir terraform)"
  src="$work/src"

  log "  fetching github.com/hashicorp/terraform@v$TERRAFORM_VERSION from the Go module proxy"
  moddir="$(go_mod_download "github.com/hashicorp/terraform@v$TERRAFORM_VERSION")" \
    || die "Terraform $TERRAFORM_VERSION is not installed and its source cannot be fetched (see above)"
  copy_module_source "$moddir" "$src"

  # `go install ...@v1.11.4` refuses modules whose go.mod has replace
  # directives, and these point at nested modules missing from the zip. Fetch
  # each one at the release commit and drop it where the replace expects it.
  info="$(go env GOMODCACHE)/cache/download/github.com/hashicorp/terraform/@v/v$TERRAFORM_VERSION.info"
  tag_time="$(sed -n 's/.*"Time": *"\([^"]*\)".*/\1/p' "$info")"
  [[ -n "$tag_time" ]] || die "cannot read the release time from $info"
  pseudo="v0.0.0-$(date -u -d "$tag_time" +%Y%m%d%H%M%S)-${TERRAFORM_COMMIT:0:12}"
  while IFS= read -r sub; do
    dest="$src/$sub"
    if [[ -f "$dest/go.mod" ]]; then
      continue
    fi
    log "  fetching nested module $sub@$pseudo"
    subdir="$(go_mod_download "github.com/hashicorp/terraform/$sub@$pseudo")" \
      || die "nested module $sub not available (is TERRAFORM_COMMIT the commit of v$TERRAFORM_VERSION?)"
    copy_module_source "$subdir" "$dest"
  done < <(awk '$1 == "replace" && $4 ~ /^\.\// { print substr($4, 3) }' "$src/go.mod")
  patch_godebug_for_toolchain "$src/go.mod"

  # version.dev=no is what release builds set; without it the binary reports
  # "1.11.4-dev" and fails our own exact-version check.
  go_build_logged "terraform-$TERRAFORM_VERSION-build" "$src" "$work/terraform" \
    "-s -w -X github.com/hashicorp/terraform/version.dev=no"

  local got
  got="$(terraform_version_of "$work/terraform")"
  [[ "$got" == "$TERRAFORM_VERSION" ]] || die "built terraform reports version '$got', expected $TERRAFORM_VERSION"
  mkdir -p "$CACHE/terraform-$TERRAFORM_VERSION"
  # mv within the cache filesystem is atomic: a half-written binary never
  # appears at the final path, so "exists" can be trusted on the next run.
  mv -f "$work/terraform" "$CACHE/terraform-$TERRAFORM_VERSION/terraform"
}

build_aws_provider() {
  require_cmd go "needed to build terraform-provider-aws $AWS_PROVIDER_VERSION from source"
  local work src moddir mirror_dir name
  work="$(make_tmp_dir aws-provider)"
  src="$work/src"
  mirror_dir="$(provider_mirror_dir)"
  name="terraform-provider-aws_v${AWS_PROVIDER_VERSION}_x5"

  log "  fetching github.com/hashicorp/terraform-provider-aws@$AWS_PROVIDER_PSEUDO_VERSION (= v$AWS_PROVIDER_VERSION) from the Go module proxy"
  # Copied rather than built in place: go.mod has replace directives (so `go
  # install module@version` refuses) and may need the godebug patch.
  moddir="$(go_mod_download "github.com/hashicorp/terraform-provider-aws@$AWS_PROVIDER_PSEUDO_VERSION")" \
    || die "terraform-provider-aws v$AWS_PROVIDER_VERSION: no binary on this machine and its source cannot be fetched (see above); put the official terraform-provider-aws_v${AWS_PROVIDER_VERSION}_x5 (+ LICENSE.txt) under /opt/tf-plugins/registry.terraform.io/hashicorp/aws/$AWS_PROVIDER_VERSION/${TF_OS}_${TF_ARCH}/ and re-run"
  copy_module_source "$moddir" "$src"
  patch_godebug_for_toolchain "$src/go.mod"

  # Measured on 2 cores / 24 GiB with a cold build cache: ~35 min, and the
  # final link alone peaks at ~9 GiB RSS whatever -p is set to.
  log "  ~2000 packages: expect ~35 min on 2 cores and ~9 GiB RAM at link time"
  go_build_logged "aws-provider-$AWS_PROVIDER_VERSION-build" "$src" "$work/$name" \
    "-s -w -X github.com/hashicorp/terraform-provider-aws/version.ProviderVersion=$AWS_PROVIDER_VERSION"

  # The official package ships LICENSE.txt next to the binary; keep the same
  # file set so the directory looks like an unpacked release.
  cp "$src/LICENSE" "$work/LICENSE.txt"
  rm -rf "$mirror_dir"
  mkdir -p "$mirror_dir"
  mv -f "$work/LICENSE.txt" "$mirror_dir/LICENSE.txt"
  mv -f "$work/$name" "$mirror_dir/$name"
}

# ----------------------------------------------------------------------------
# Step: Terraform CLI
# ----------------------------------------------------------------------------

# terraform_version_of BIN: the version BIN reports, or "" if it is not a
# (modern) terraform at all. Checkpoint is off so this never phones home, and
# the CLI config is neutralised so a broken ~/.terraformrc can't make it fail.
terraform_version_of() {
  CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE=/dev/null "$1" version -json 2>/dev/null \
    | sed -n 's/^[[:space:]]*"terraform_version": *"\([^"]*\)".*/\1/p' || true
}

step_terraform() {
  local candidate cached="$CACHE/terraform-$TERRAFORM_VERSION/terraform" version
  if ! from_source terraform; then
    if candidate="$(command -v terraform)"; then
      version="$(terraform_version_of "$candidate")"
      if [[ "$version" == "$TERRAFORM_VERSION" ]]; then
        TF_BIN="$candidate"
        STEP_STATUS="found on PATH: $TF_BIN"
        return
      fi
      log "terraform on PATH ($candidate) is '${version:-unknown}', need $TERRAFORM_VERSION; ignoring it"
    fi
    if [[ -x "$cached" && "$(terraform_version_of "$cached")" == "$TERRAFORM_VERSION" ]]; then
      TF_BIN="$cached"
      STEP_STATUS="cached: $TF_BIN"
      return
    fi
  fi
  if [[ $OPT_NO_BUILD -eq 1 ]]; then
    die "Terraform $TERRAFORM_VERSION is not on PATH or in $CACHE, and --no-build forbids building it"
  fi
  log "building Terraform $TERRAFORM_VERSION from source (a few minutes)"
  build_terraform
  TF_BIN="$cached"
  STEP_STATUS="built from Go module proxy: $TF_BIN"
}

# ----------------------------------------------------------------------------
# Step: hashicorp/aws provider (filesystem mirror)
# ----------------------------------------------------------------------------

provider_mirror_dir() {
  printf '%s/providers/registry.terraform.io/hashicorp/aws/%s/%s_%s\n' \
    "$CACHE" "$AWS_PROVIDER_VERSION" "$TF_OS" "$TF_ARCH"
}

# is_native_executable FILE: an executable for this OS/CPU, so that a binary
# for another platform sitting in some plugin dir is not picked up and only
# fails later, deep inside `terraform init`.
is_native_executable() {
  local f=$1 magic machine
  [[ -f "$f" && -x "$f" ]] || return 1
  [[ "$TF_OS" == linux ]] || return 0
  magic="$(od -An -tx1 -N4 "$f" | tr -d ' \n')"
  [[ "$magic" == 7f454c46 ]] || return 1
  machine="$(od -An -tx1 -j18 -N2 "$f" | tr -d ' \n')"
  case "$TF_ARCH" in
    amd64) [[ "$machine" == 3e00 ]] ;;
    arm64) [[ "$machine" == b700 ]] ;;
  esac
}

# find_provider_binary: print the first usable existing provider binary.
# Well-known plugin directories first (cheap), then a bounded scan of the root
# filesystem for images that put it somewhere unusual.
find_provider_binary() {
  local pattern="terraform-provider-aws_v${AWS_PROVIDER_VERSION}*" root candidate
  local -a roots=(
    /opt/tf-plugins
    "$HOME/.terraform.d/plugins"
    "${XDG_DATA_HOME:-$HOME/.local/share}/terraform/plugins"
    /usr/local/share/terraform/plugins
    /usr/share/terraform/plugins
  )
  for root in "${roots[@]}"; do
    [[ -d "$root" ]] || continue
    while IFS= read -r candidate; do
      if is_native_executable "$candidate"; then
        printf '%s\n' "$candidate"
        return 0
      fi
    done < <(find "$root" -maxdepth 8 -name "$pattern" \( -type f -o -type l \) 2>/dev/null)
  done

  log "  not in the usual plugin dirs; scanning / (same filesystem, max 120 s)"
  # The cache is pruned because its mirror entry is exactly what we are
  # trying to (re)create; node_modules and .git because they are huge and
  # never hold providers.
  while IFS= read -r candidate; do
    if is_native_executable "$candidate"; then
      printf '%s\n' "$candidate"
      return 0
    fi
  done < <(timeout 120 find / -xdev \
             \( -path /proc -o -path /sys -o -path /dev -o -path /run -o -path "$CACHE" \
                -o -name node_modules -o -name .git \) -prune \
             -o -type f -name "$pattern" -print 2>/dev/null || true)
  return 1
}

# link_provider SOURCE_BINARY: expose an existing binary through the mirror.
# Symlinks work (terraform init resolves them and links .terraform/providers
# straight to the target), and avoid copying ~700 MB per cache.
link_provider() {
  local found=$1 mirror_dir name license
  mirror_dir="$(provider_mirror_dir)"
  name="terraform-provider-aws_v${AWS_PROVIDER_VERSION}_x5"
  rm -rf "$mirror_dir"
  mkdir -p "$mirror_dir"
  ln -s "$found" "$mirror_dir/$name"
  # The lock file's h1 hash covers every file in the package directory, and
  # the official package contains LICENSE.txt too: without it the hash would
  # not match lock files generated against the real registry.
  license="$(dirname "$found")/LICENSE.txt"
  if [[ -f "$license" ]]; then
    ln -s "$license" "$mirror_dir/LICENSE.txt"
  fi
}

step_aws_provider() {
  local mirror_bin found
  mirror_bin="$(provider_mirror_dir)/terraform-provider-aws_v${AWS_PROVIDER_VERSION}_x5"
  AWS_PROVIDER_BIN="$mirror_bin"

  if ! from_source aws-provider; then
    # -x follows symlinks, so a link whose target has disappeared (image
    # changed, /opt cleaned) falls through to a fresh search.
    if is_native_executable "$mirror_bin"; then
      AWS_PROVIDER_ORIGIN="$(readlink -f "$mirror_bin")"
      STEP_STATUS="cached: $AWS_PROVIDER_ORIGIN"
      return
    fi
    log "looking for an existing terraform-provider-aws v$AWS_PROVIDER_VERSION binary"
    if found="$(find_provider_binary)"; then
      link_provider "$found"
      AWS_PROVIDER_ORIGIN="$(readlink -f "$found")"
      STEP_STATUS="found: $found (linked into mirror)"
      return
    fi
  fi
  if [[ $OPT_NO_BUILD -eq 1 ]]; then
    die "terraform-provider-aws v$AWS_PROVIDER_VERSION not found on this machine, and --no-build forbids building it"
  fi
  log "building terraform-provider-aws v$AWS_PROVIDER_VERSION from source (this is slow)"
  build_aws_provider
  AWS_PROVIDER_ORIGIN="$mirror_bin"
  STEP_STATUS="built from Go module proxy: $mirror_bin"
}

# ----------------------------------------------------------------------------
# Step: Terraform CLI configuration
# ----------------------------------------------------------------------------

step_cli_config() {
  local tmp
  CLI_CONFIG="$CACHE/terraformrc"
  tmp="$CLI_CONFIG.tmp.$$"
  # Only hashicorp/aws comes from the mirror, and `direct` is excluded for the
  # whole public registry: any other provider fails fast at init with a clear
  # "no available releases" instead of hanging on an unreachable network.
  cat >"$tmp" <<EOF
# Generated by scripts/toolchain.sh; regenerated on every run, do not edit.
provider_installation {
  filesystem_mirror {
    path    = "$CACHE/providers"
    include = ["registry.terraform.io/hashicorp/aws"]
  }
  direct {
    exclude = ["registry.terraform.io/*/*"]
  }
}
EOF
  if cmp -s "$tmp" "$CLI_CONFIG"; then
    rm -f "$tmp"
    STEP_STATUS="unchanged: $CLI_CONFIG"
  else
    mv -f "$tmp" "$CLI_CONFIG"
    STEP_STATUS="written: $CLI_CONFIG"
  fi
}

# ----------------------------------------------------------------------------
# Step: offline smoke test of terraform + provider
# ----------------------------------------------------------------------------

step_verify_terraform() {
  # The stamp names exactly what was verified; any change (other terraform,
  # provider relinked or rebuilt, config moved) invalidates it.
  local stamp="$CACHE/.verified-terraform" expected work
  expected="$(printf 'terraform=%s\nprovider=%s\nconfig=%s\n' \
    "$(readlink -f "$TF_BIN")" "$AWS_PROVIDER_ORIGIN" "$(sha256sum "$CLI_CONFIG" | cut -c1-16)")"
  if [[ $OPT_VERIFY -eq 0 && -f "$stamp" && "$(cat "$stamp")" == "$expected" ]]; then
    STEP_STATUS="skipped (already verified; --verify to force)"
    return
  fi

  work="$(make_tmp_dir verify)"
  cat >"$work/main.tf" <<EOF
terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "$AWS_PROVIDER_VERSION"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}

resource "aws_s3_bucket" "smoke" {
  bucket = "toolchain-smoke-test"
}
EOF
  # Isolated from the caller's terraform env: a plugin cache would copy the
  # provider, and a global TF_DATA_DIR would point init somewhere else.
  local -a tf_env=(env -u TF_PLUGIN_CACHE_DIR -u TF_DATA_DIR -u TF_WORKSPACE
                   CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 TF_CLI_CONFIG_FILE="$CLI_CONFIG")
  if ! "${tf_env[@]}" "$TF_BIN" -chdir="$work" init -backend=false -input=false -no-color \
         >"$CACHE/logs/verify-init.log" 2>&1; then
    cat "$CACHE/logs/verify-init.log" >&2
    die "offline 'terraform init' against the provider mirror failed"
  fi
  if ! "${tf_env[@]}" "$TF_BIN" -chdir="$work" validate -no-color \
         >"$CACHE/logs/verify-validate.log" 2>&1; then
    cat "$CACHE/logs/verify-validate.log" >&2
    die "'terraform validate' with provider $AWS_PROVIDER_VERSION failed"
  fi

  STEP_STATUS="offline init + validate OK"
  if [[ "$TF_OS/$TF_ARCH" == linux/amd64 ]]; then
    if grep -qF "\"$AWS_PROVIDER_OFFICIAL_H1_LINUX_AMD64\"" "$work/.terraform.lock.hcl"; then
      STEP_STATUS+=" (provider matches official release hash)"
    else
      # Not fatal: a source build can never match. But lock files produced by
      # the public registry will reject this provider, so say so loudly.
      warn "provider package hash differs from the official v$AWS_PROVIDER_VERSION release;" \
           "a .terraform.lock.hcl generated against registry.terraform.io will not accept it"
      STEP_STATUS+=" (provider hash is NOT the official release's)"
    fi
  fi
  printf '%s\n' "$expected" >"$stamp"
}

# ----------------------------------------------------------------------------
# Step: Python venv with moto + checkov
# ----------------------------------------------------------------------------

step_venv() {
  local python="${TOOLCHAIN_PYTHON:-python3}" py_version key marker
  require_cmd "$python" "set TOOLCHAIN_PYTHON to a Python 3.11+ interpreter"
  [[ -r "$REQUIREMENTS_FILE" ]] || die "missing $REQUIREMENTS_FILE"
  py_version="$("$python" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')"
  "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
    || die "$python is Python $py_version; the pins in $(basename "$REQUIREMENTS_FILE") need 3.11+"

  # Keyed by the requirements *content* (any pin change gets a fresh venv
  # instead of an in-place upgrade that could leave stale packages) and by the
  # interpreter version, because a venv is tied to the Python that made it.
  key="$( { cat "$REQUIREMENTS_FILE"; echo "python=$py_version"; } | sha256sum | cut -c1-16)"
  TOOLCHAIN_VENV="$CACHE/venv-$key"
  marker="$TOOLCHAIN_VENV/.toolchain-complete"

  if [[ -f "$marker" && -x "$TOOLCHAIN_VENV/bin/checkov" && -x "$TOOLCHAIN_VENV/bin/moto_server" \
        && $OPT_VERIFY -eq 0 ]]; then
    STEP_STATUS="cached: $TOOLCHAIN_VENV"
    return
  fi

  if [[ ! -f "$marker" ]]; then
    # No marker means a previous install died halfway (or never ran): never
    # trust a partial venv, start from scratch.
    rm -rf "$TOOLCHAIN_VENV"
    log "creating venv $TOOLCHAIN_VENV (Python $py_version)"
    "$python" -m venv "$TOOLCHAIN_VENV"
    log "  pip install -r $(basename "$REQUIREMENTS_FILE") (log: $CACHE/logs/venv-install.log)"
    if ! "$TOOLCHAIN_VENV/bin/python" -m pip install --no-input --disable-pip-version-check \
           -r "$REQUIREMENTS_FILE" >"$CACHE/logs/venv-install.log" 2>&1; then
      tail -n 25 "$CACHE/logs/venv-install.log" >&2
      die "pip install of the pinned tools failed; full log in $CACHE/logs/venv-install.log"
    fi
    STEP_STATUS="installed: $TOOLCHAIN_VENV"
  else
    STEP_STATUS="cached: $TOOLCHAIN_VENV"
  fi

  # Smoke tests: a resolvable install can still be a broken one (a missing
  # native lib, a yanked transitive pin); catch that here, not in CI later.
  "$TOOLCHAIN_VENV/bin/python" -m pip check --disable-pip-version-check >/dev/null \
    || die "pip check reports broken requirements in $TOOLCHAIN_VENV"
  local checkov_version
  checkov_version="$("$TOOLCHAIN_VENV/bin/checkov" --version 2>/dev/null)" \
    || die "checkov does not run from $TOOLCHAIN_VENV"
  "$TOOLCHAIN_VENV/bin/moto_server" --help >/dev/null 2>&1 \
    || die "moto_server does not run from $TOOLCHAIN_VENV"
  STEP_STATUS+=" (checkov $checkov_version, moto_server OK)"

  # Written last: its presence is the only thing that makes a venv trusted.
  printf 'requirements-sha=%s\npython=%s\n' "$key" "$py_version" >"$marker"
}

# ----------------------------------------------------------------------------
# Step: actionlint (GitHub Actions workflow linter)
# ----------------------------------------------------------------------------

# actionlint_version_of BIN: "1.7.12" (a `go install` build prints "v1.7.12").
actionlint_version_of() {
  "$1" -version 2>/dev/null | head -n 1 | sed 's/^v//' || true
}

step_actionlint() {
  local cached="$CACHE/actionlint-$ACTIONLINT_VERSION/actionlint" work
  if [[ -x "$cached" && "$(actionlint_version_of "$cached")" == "$ACTIONLINT_VERSION" ]]; then
    ACTIONLINT_BIN="$cached"
    STEP_STATUS="cached: $ACTIONLINT_BIN"
    return
  fi
  if [[ $OPT_NO_BUILD -eq 1 ]]; then
    die "actionlint $ACTIONLINT_VERSION is not in $CACHE, and --no-build forbids building it"
  fi
  require_cmd go "needed to build actionlint $ACTIONLINT_VERSION from source"
  work="$(make_tmp_dir actionlint)"
  log "building actionlint $ACTIONLINT_VERSION from the Go module proxy (log: $CACHE/logs/actionlint-$ACTIONLINT_VERSION-build.log)"
  # `go install module@version` needs no go.mod: actionlint's own go.sum pins its dependencies.
  if ! (cd "$work" && CGO_ENABLED=0 GOWORK=off GOFLAGS='' GOBIN="$work/bin" \
        go install -trimpath -ldflags "-s -w" \
        "github.com/rhysd/actionlint/cmd/actionlint@v$ACTIONLINT_VERSION") \
        >"$CACHE/logs/actionlint-$ACTIONLINT_VERSION-build.log" 2>&1; then
    tail -n 25 "$CACHE/logs/actionlint-$ACTIONLINT_VERSION-build.log" >&2
    die "building actionlint $ACTIONLINT_VERSION failed"
  fi
  local got
  got="$(actionlint_version_of "$work/bin/actionlint")"
  [[ "$got" == "$ACTIONLINT_VERSION" ]] || die "built actionlint reports version '$got', expected $ACTIONLINT_VERSION"
  mkdir -p "$CACHE/actionlint-$ACTIONLINT_VERSION"
  mv -f "$work/bin/actionlint" "$cached"
  ACTIONLINT_BIN="$cached"
  STEP_STATUS="built from Go module proxy: $ACTIONLINT_BIN"
}

# ----------------------------------------------------------------------------
# env file + summary
# ----------------------------------------------------------------------------

write_env_file() {
  local env_file tmp
  env_file="$(toolchain_env_file)"
  tmp="$env_file.tmp.$$"
  {
    echo "# Generated by scripts/toolchain.sh at $(date -u +%Y-%m-%dT%H:%M:%SZ); do not edit."
    echo "# Load it with load_toolchain (scripts/lib/common.sh) or: source $env_file"
    printf 'export TOOLCHAIN_CACHE=%q\n' "$CACHE"
    printf 'export TF_BIN=%q\n' "$TF_BIN"
    printf 'export TF_CLI_CONFIG_FILE=%q\n' "$CLI_CONFIG"
    printf 'export TOOLCHAIN_VENV=%q\n' "$TOOLCHAIN_VENV"
    printf 'export CHECKOV_BIN=%q\n' "$TOOLCHAIN_VENV/bin/checkov"
    printf 'export MOTO_SERVER_BIN=%q\n' "$TOOLCHAIN_VENV/bin/moto_server"
    printf 'export AWS_PROVIDER_BIN=%q\n' "$AWS_PROVIDER_BIN"
    printf 'export ACTIONLINT_BIN=%q\n' "$ACTIONLINT_BIN"
    printf 'export TOOLCHAIN_TERRAFORM_VERSION=%q\n' "$TERRAFORM_VERSION"
    printf 'export TOOLCHAIN_AWS_PROVIDER_VERSION=%q\n' "$AWS_PROVIDER_VERSION"
    printf 'export TOOLCHAIN_FINGERPRINT=%q\n' "$(toolchain_fingerprint)"
    echo "# cdktf runs \`terraform\` from PATH unless told otherwise."
    printf 'export TERRAFORM_BINARY_NAME=%q\n' "$TF_BIN"
    echo "# No update checks / telemetry calls: there is no network to reach."
    echo "export CHECKPOINT_DISABLE=1"
    echo "# cdktf would otherwise point TF_PLUGIN_CACHE_DIR at ~/.terraform.d/plugin-cache"
    echo "# and copy the ~700 MB provider there; the mirror makes that pointless."
    echo "export CDKTF_DISABLE_PLUGIN_CACHE_ENV=1"
  } >"$tmp"
  mv -f "$tmp" "$env_file"
}

print_summary() {
  local line total=$1
  log "summary (cache: $CACHE)"
  for line in "${SUMMARY[@]}"; do
    log "  $line"
  done
  log "  total        $(fmt_ms_as_s "$total")s"
  log "env: source $(toolchain_env_file)"
}

main() {
  parse_args "$@"
  trap 'on_err "$LINENO" "$BASH_COMMAND"' ERR
  trap cleanup EXIT
  local start
  start="$(now_ms)"

  detect_platform
  prepare_cache
  log "toolchain cache: $CACHE"

  if [[ "$OPT_ONLY" == python ]]; then
    # Keep what an earlier full run found, so validate/e2e still work after a test run.
    local env_file
    env_file="$(toolchain_env_file)"
    if [[ -r "$env_file" ]]; then
      TF_BIN="$(. "$env_file" && printf '%s' "${TF_BIN:-}")"
      CLI_CONFIG="$(. "$env_file" && printf '%s' "${TF_CLI_CONFIG_FILE:-}")"
      AWS_PROVIDER_BIN="$(. "$env_file" && printf '%s' "${AWS_PROVIDER_BIN:-}")"
      ACTIONLINT_BIN="$(. "$env_file" && printf '%s' "${ACTIONLINT_BIN:-}")"
    fi
  else
    run_step terraform step_terraform
    run_step aws-provider step_aws_provider
    run_step cli-config step_cli_config
    run_step tf-verify step_verify_terraform
    run_step actionlint step_actionlint
  fi
  run_step venv step_venv
  write_env_file

  print_summary "$(($(now_ms) - start))"
}

main "$@"
