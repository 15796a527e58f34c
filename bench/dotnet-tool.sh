#!/usr/bin/env bash
# Checks the CLI as a .NET tool: packs it (dotnet pack), installs it from that local package into a throwaway tool
# path (dotnet tool install --add-source), and runs `scriptmon exec` and `db info` with it.
#
#   bench/dotnet-tool.sh
#
# Not part of the test suite: packing takes over a minute. Prints "dotnet tool: ok" and exits 0, or says what is
# wrong and exits 1.
set -euo pipefail
cd "$(dirname "$0")/.."

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { echo "dotnet tool: $*" >&2; exit 1; }

dotnet pack src/ScriptMonitor.Cli -c Release -o "$work/packages" >&2
dotnet tool install --tool-path "$work/tools" scriptmon --add-source "$work/packages" >&2

mkdir "$work/empty"
cd "$work/empty"
export SCRIPTMON_DATABASE="$work/scriptmon.db" SCRIPTMON_LOCK_DIR="$work/locks" SCRIPTMON_SPOOL_DIR="$work/spool"
export SCRIPTMON_CONFIG="$work/config.json" SCRIPTMON_SYSTEM_CONFIG="$work/system.json" SCRIPTMON_CRON_CONTROL="$work/cron-control.ini"
[ "$("$work/tools/scriptmon" exec dotnet-tool -- echo recorded)" = "recorded" ] || fail "scriptmon exec did not run its command"
info="$("$work/tools/scriptmon" db info)" || fail "scriptmon db info failed: $info"
grep -qx "runs:           1" <<<"$info" || fail "the run was not recorded: $info"
echo "dotnet tool: ok"
