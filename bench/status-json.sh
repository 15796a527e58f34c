#!/usr/bin/env bash
# Measures `scriptmon status --json` end to end (whole process, embedded SQLite) on a store of 10,000 scripts and
# 1,000,000 runs, with hyperfine (Debian package `hyperfine`); optionally beside an older build, in the same run.
#
#   bench/status-json.sh                                  # publishes scriptmon (Native AOT) first
#   SCRIPTMON=/path/to/scriptmon bench/status-json.sh     # measures an existing binary
#   BEFORE=/path/to/older/scriptmon bench/status-json.sh  # and an older one beside it (ratio printed)
#   RUNS=20 SCRIPTS=10000 RUN_COUNT=1000000 bench/status-json.sh
#   DATA=/path/to/store.db bench/status-json.sh           # measure on that store (copied; an older build beside a
#                                                         # newer needs a store of the older's schema: the newer
#                                                         # migrates its own copy)
#
# The target is under 1 s.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS="${RUNS:-10}"
SCRIPTS="${SCRIPTS:-10000}"
RUN_COUNT="${RUN_COUNT:-1000000}"

# shellcheck source=bench/common.sh
. bench/common.sh
ensure_hyperfine
ensure_scriptmon

# The same data the BenchmarkDotNet benchmarks use, made once and kept under /tmp/scriptmon-bench.
source_db="${DATA:-$(dotnet run -c Release --project bench/ScriptMonitor.Benchmarks -- make-data "$SCRIPTS" "$RUN_COUNT" | tail -1)}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export SCRIPTMON_CONFIG="$work/config.json"
commands=()
names=()
for pair in "after:$SCRIPTMON" ${BEFORE:+"before:$BEFORE"}; do
    name="${pair%%:*}"
    binary="${pair#*:}"
    # Each build gets its own copy: a newer binary may migrate the file, and the older must not meet that.
    cp "$source_db" "$work/$name.db"
    # status only reads; a store made by another version is brought to this one's schema first, as a user would.
    if [ "$name" = after ]; then
        "$SCRIPTMON" db migrate --database "$work/$name.db" >/dev/null
    fi
    "$binary" status --json --database "$work/$name.db" >"$work/$name.json"
    commands+=("$binary status --json --database $work/$name.db")
    names+=("$name")
done

hyperfine --shell=none --style basic --warmup 1 --runs "$RUNS" --export-json "$work/result.json" \
    "${commands[@]}" >/dev/null

python3 - "$work/result.json" "${names[@]}" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
medians = {name: r["median"] for name, r in zip(sys.argv[2:], results)}
for name, median in medians.items():
    print(f"status --json ({name}): median {median * 1000:8.1f} ms over {len(results[0]['times'])} runs")
if "before" in medians:
    print(f"speed-up: {medians['before'] / medians['after']:.1f}x (target: at least 3x, and under 1 s)")
PY
