#!/usr/bin/env bash
# npm run bench: wall time and peak memory of `npm run synth` (all environments) and of the unit
# suite, over several runs. Targets live here, not in timed unit tests:
#   synth  < 5 s wall, < 500 MiB peak RSS   (deep provider imports; the package root alone costs ~8 s / ~700 MiB)
#   tests  < 40 s wall for the whole vitest suite (2 cores). It was 30 s at 1,242 tests; the
#          observability, account and tooling layers took the suite to 1,713 tests at a lower cost
#          per test (~18 ms instead of ~20 ms), so the budget grew with the suite, not with a slowdown.
set -euo pipefail
LOG_TAG=bench
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/common.sh"
cd "$CDKTF_REPO_ROOT"

runs="${BENCH_RUNS:-5}"
out="$(mktemp -d "${TMPDIR:-/tmp}/cdktf-bench.XXXXXX")"
trap 'rm -rf "$out"' EXIT

# measure NAME TARGET_S TARGET_MIB CMD...: median wall seconds and max peak RSS over $runs runs.
measure() {
  local name="$1" target_s="$2" target_mib="$3"
  shift 3
  local i
  for ((i = 1; i <= runs; i++)); do
    /usr/bin/time -f '%e %M' -o "$out/$name.$i" "$@" >/dev/null 2>&1 || die "$name run $i failed: $*"
  done
  cat "$out/$name".* | node -e '
    const [name, targetS, targetMiB] = process.argv.slice(1);
    const rows = require("fs").readFileSync(0, "utf8").trim().split("\n").map((l) => l.split(" ").map(Number));
    const walls = rows.map((r) => r[0]).sort((a, b) => a - b);
    const median = walls[Math.floor(walls.length / 2)];
    const peakMiB = Math.max(...rows.map((r) => r[1])) / 1024;
    const ok = median <= Number(targetS) && peakMiB <= Number(targetMiB);
    console.log(`${name.padEnd(8)} median ${median.toFixed(2)} s (target ${targetS} s)  peak ${peakMiB.toFixed(0)} MiB (target ${targetMiB} MiB)  ${ok ? "ok" : "OVER TARGET"}`);
    process.exitCode = ok ? 0 : 1;
  ' "$name" "$target_s" "$target_mib"
}

log "$runs runs each"
status=0
measure synth 5 500 node_modules/.bin/tsx main.ts || status=1
measure tests 40 4096 node_modules/.bin/vitest run || status=1
exit "$status"
