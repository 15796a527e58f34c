#!/usr/bin/env bash
# Checks that install.sh installs scriptmon as one file: SQLite linked into the Native AOT binary, no libe_sqlite3.so
# beside it, and the binary alone, copied into an empty directory, records a run and reports on its store.
#
#   bench/one-file.sh                          # publishes through install.sh into a throwaway PREFIX
#   SCRIPTMON=/path/to/scriptmon bench/one-file.sh   # checks an existing binary
#
# Not part of the test suite: a Native AOT publish takes minutes. Prints "one file: ok" and exits 0, or says what
# is wrong and exits 1.
set -euo pipefail
cd "$(dirname "$0")/.."

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { echo "one file: $*" >&2; exit 1; }

if [ -z "${SCRIPTMON:-}" ]; then
    PREFIX="$work/prefix" ./install.sh >&2
    beside="$(ls -A "$work/prefix/bin" | grep -vx scriptmon || true)"
    [ -z "$beside" ] || fail "install.sh installed more than scriptmon: $beside"
    SCRIPTMON="$work/prefix/bin/scriptmon"
fi

if ldd "$SCRIPTMON" | grep -qi sqlite; then fail "$SCRIPTMON loads SQLite from a library: $(ldd "$SCRIPTMON" | grep -i sqlite)"; fi

mkdir "$work/empty"
cp "$SCRIPTMON" "$work/empty/scriptmon"
cd "$work/empty"
export SCRIPTMON_DATABASE="$work/store/scriptmon.db" SCRIPTMON_LOCK_DIR="$work/locks" SCRIPTMON_SPOOL_DIR="$work/spool"
export SCRIPTMON_CONFIG="$work/config.json" SCRIPTMON_SYSTEM_CONFIG="$work/system.json" SCRIPTMON_CRON_CONTROL="$work/cron-control.ini"
mkdir -p "$work/store"
[ "$(./scriptmon exec one-file -- echo recorded)" = "recorded" ] || fail "scriptmon exec did not run its command"
info="$(./scriptmon db info)" || fail "scriptmon db info failed: $info"
grep -qx "runs:           1" <<<"$info" || fail "the run was not recorded: $info"
[ "$(ls -A "$work/empty")" = "scriptmon" ] || fail "scriptmon left files beside itself: $(ls -A "$work/empty")"
echo "one file: ok ($(stat -c %s "$SCRIPTMON") bytes, $(ldd "$SCRIPTMON" | wc -l) shared libraries of the system)"
