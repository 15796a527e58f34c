#!/usr/bin/env bash
# Runs the whole test suite: builds everything in Release and runs every test project.
#
# The PostgreSQL tests start a throwaway PostgreSQL server of their own (initdb, pg_ctl) unless
# SCRIPTMON_TEST_POSTGRES names one. This script makes sure the server binaries are there: on PATH, else
# Debian's /usr/lib/postgresql/*/bin, else it installs Debian's postgresql-15.
set -euo pipefail
cd "$(dirname "$0")"

find_postgres_bin() {
    if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        return 0
    fi
    local dir
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
        if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
            export PATH="$dir:$PATH"
            return 0
        fi
    done
    return 1
}

if [ -z "${SCRIPTMON_TEST_POSTGRES:-}" ] && ! find_postgres_bin; then
    echo "test.sh: PostgreSQL server binaries not found; installing postgresql-15" >&2
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    $sudo apt-get update
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y postgresql-15
    export PATH="/usr/lib/postgresql/15/bin:$PATH"
    find_postgres_bin || { echo "test.sh: postgresql-15 installed but initdb/pg_ctl still not found" >&2; exit 1; }
fi

dotnet test ScriptMonitor.slnx -c Release "$@"
