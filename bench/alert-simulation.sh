#!/usr/bin/env bash
# Alert correctness (issue 15): a simulated year of 1,000 scripts (about 5,000,000 runs) through the real SQLite
# store, the real evaluation and the real alert loop (two channels), with the noise and the incidents the issue
# fixes; prints per incident kind the incidents detected and missed, the detection delay against the allowed delay
# (grace + one evaluation tick of 60 s), the incidents told exactly one Down per channel and one Recovery, and every
# false alarm and notification by cause. A progress bar is drawn on a terminal; nothing but the table when piped.
#
#   bench/alert-simulation.sh                          # the full year 2028, seed 15
#   bench/alert-simulation.sh --seed 7                 # any seed; one seed always gives the same simulation
#   bench/alert-simulation.sh --reduced                # the suite's run: 100 scripts, windows around DST changes
#   bench/alert-simulation.sh --json out.json          # the JSON report there (default artifacts/alert-simulation-SEED.json)
#   bench/alert-simulation.sh --days 30 --year 2027    # a shorter stretch, another year
#
# Exit status 0 when every incident was detected in time and nothing alarmed for nothing, 3 otherwise, 1 when the
# machine's time-zone data does not cover the simulated year. The store is kept in /dev/shm where there is one.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/ScriptMonitor.Simulation -c Release >&2
exec dotnet bench/ScriptMonitor.Simulation/bin/Release/net10.0/scriptmon-simulation.dll "$@"
