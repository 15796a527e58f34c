#!/usr/bin/env bash
# Measures what `scriptmon exec NAME -- true` costs over `true` alone: whole process, embedded SQLite store,
# median of many runs, with hyperfine (Debian package `hyperfine`).
#
#   bench/exec-overhead.sh                 # publishes scriptmon (Native AOT) first
#   SCRIPTMON=/path/to/scriptmon bench/exec-overhead.sh   # measures an existing binary
#   RUNS=500 bench/exec-overhead.sh
#
# The target is a difference of at most 20 ms.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS="${RUNS:-200}"
WARMUP="${WARMUP:-20}"

# shellcheck source=bench/common.sh
. bench/common.sh
ensure_hyperfine
ensure_scriptmon

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export SCRIPTMON_DATABASE="$work/scriptmon.db"
export SCRIPTMON_LOCK_DIR="$work/locks"
export SCRIPTMON_SPOOL_DIR="$work/spool"
export SCRIPTMON_CRON_CONTROL="$work/cron-control.ini"
export SCRIPTMON_CONFIG="$work/config.json"

true_bin="$(type -P true)"
"$SCRIPTMON" db migrate >/dev/null

hyperfine --shell=none --style basic --warmup "$WARMUP" --runs "$RUNS" \
    --export-json "$work/result.json" \
    "$true_bin" "$SCRIPTMON exec bench -- $true_bin" >&2

python3 - "$work/result.json" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
base, wrapped = (r["median"] * 1000 for r in results)
print(f"true alone:            median {base:7.2f} ms")
print(f"scriptmon exec -- true: median {wrapped:7.2f} ms")
print(f"overhead:              median {wrapped - base:7.2f} ms (target: at most 20 ms)")
PY
