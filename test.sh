#!/usr/bin/env bash
# Runs the whole test suite: builds everything in Release and runs every test project, then prints one
# "N passed, N failed" line for the whole run.
#
# The PostgreSQL tests start a throwaway PostgreSQL server of their own (initdb, pg_ctl) unless
# SCRIPTMON_TEST_POSTGRES names one. This script makes sure the server binaries are there: on PATH, else
# Debian's /usr/lib/postgresql/*/bin, else it installs Debian's postgresql-15. It installs promtool (Debian's
# prometheus package) the same way when it is missing, Debian's cron daemon (package cron) and the SMTP server
# aiosmtpd (package python3-aiosmtpd), and Debian's chromium for the dashboard's browser tests.
set -uo pipefail
cd "$(dirname "$0")"

# Installs Debian packages (through sudo when not root); the suite cannot run without them.
apt_install() {
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    $sudo apt-get update || exit 1
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y "$@" || exit 1
}

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
    apt_install postgresql-15
    export PATH="/usr/lib/postgresql/15/bin:$PATH"
    find_postgres_bin || { echo "test.sh: postgresql-15 installed but initdb/pg_ctl still not found" >&2; exit 1; }
fi

# The server's metrics and the Healthchecks Prometheus endpoint are checked with Prometheus' own linter, promtool
# (Debian package `prometheus`).
if ! command -v promtool >/dev/null 2>&1; then
    echo "test.sh: promtool not found; installing prometheus" >&2
    apt_install --no-install-recommends prometheus
    command -v promtool >/dev/null 2>&1 || { echo "test.sh: prometheus installed but promtool still not found" >&2; exit 1; }
fi

# crontab import --wrap is tested under Debian's cron daemon itself (Debian package `cron`).
if [ ! -x /usr/sbin/cron ]; then
    echo "test.sh: /usr/sbin/cron not found; installing cron" >&2
    apt_install --no-install-recommends cron
fi

# Email channels are tested against a real SMTP server, Debian's aiosmtpd (package python3-aiosmtpd), run by
# Debian's own python3.
if ! /usr/bin/python3 -c 'import aiosmtpd' >/dev/null 2>&1; then
    echo "test.sh: aiosmtpd not found; installing python3-aiosmtpd" >&2
    apt_install --no-install-recommends python3-aiosmtpd
fi

# The dashboard is tested in a real headless browser: Playwright for .NET driving Debian's own Chromium.
if [ ! -x /usr/lib/chromium/chromium ]; then
    echo "test.sh: /usr/lib/chromium/chromium not found; installing chromium" >&2
    apt_install chromium
fi

# Otherwise dotnet test tries to reach a telemetry host.
export DOTNET_CLI_TELEMETRY_OPTOUT=1

log=$(mktemp)
trap 'rm -f "$log"' EXIT
# The exec tests check that signals reach the job as they would without scriptmon, so the suite itself must not run
# with them ignored: a shell without job control starts its background commands with SIGINT and SIGQUIT ignored,
# and every process under them would inherit that. A shell cannot undo it (POSIX), env --default-signal can.
env --default-signal=INT,QUIT,TERM,HUP dotnet test ScriptMonitor.slnx -c Release "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# dotnet test prints one "Passed!/Failed! - Failed: F, Passed: P, Skipped: S, Total: T" line per test project.
awk '/(Passed|Failed)! +- +Failed:/ {
        for (i = 1; i <= NF; i++) { gsub(",", "", $(i+1)); if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) }
     }
     END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
exit "$status"
