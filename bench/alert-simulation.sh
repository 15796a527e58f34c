#!/usr/bin/env bash
# Alert correctness (issue 15): a simulated year of 1,000 scripts (about 5,000,000 runs) through the real store (SQLite
# by default, PostgreSQL with --postgres), the real evaluation and the real alert loop (two channels), with the noise
# and the incidents the issue fixes; prints per incident kind the incidents detected and missed, the detection delay
# against the allowed delay (grace + one evaluation tick of 60 s), the incidents told exactly one Down per channel and
# one Recovery, and every false alarm and notification by cause. A progress bar is drawn on a terminal; nothing but
# the table when piped. The table's first line names the store and its version.
#
#   bench/alert-simulation.sh                          # the full year 2028, seed 15
#   bench/alert-simulation.sh --seed 7                 # any seed; one seed always gives the same simulation
#   bench/alert-simulation.sh --reduced                # the suite's run: 100 scripts, windows around DST changes
#   bench/alert-simulation.sh --json out.json          # the JSON report there (default artifacts/alert-simulation-SEED.json)
#   bench/alert-simulation.sh --days 30 --year 2027    # a shorter stretch, another year
#   bench/alert-simulation.sh --postgres --days 14     # on PostgreSQL: a throwaway server started here, a shorter run
#   SCRIPTMON_SIMULATION_POSTGRES="Host=db1;Username=scriptmon;Password=...;Database=postgres" \
#       bench/alert-simulation.sh --postgres --reduced # on that server instead of a throwaway one
#
# --postgres: every shard and segment of the simulation gets a fresh database (CREATE DATABASE through the connection,
# so its user needs CREATEDB), opened through the real PostgreSQL store and dropped at its end. Without
# SCRIPTMON_SIMULATION_POSTGRES a throwaway PostgreSQL is started (initdb and pg_ctl from Debian's
# /usr/lib/postgresql/VERSION/bin, the newest there; apt-get install postgresql-15; as root it runs as the postgres
# user) on a free port of 127.0.0.1 without fsync (as the SQLite store here runs with synchronous=OFF in memory: the
# simulation measures the evaluation, not the disk), and stopped and removed on exit. Each
# database keeps a clock of its own that the simulation moves, so that the store's server-side checks (a run ahead of
# the server's clock, the alert loop's lease) judge the simulated instant. 6 to 15 times slower than SQLite (--days 14:
# 333 s against 52 s; --reduced: 624 s against 43 s, on 2 cores): the full year is for SQLite, two weeks (--days 14)
# or --reduced for PostgreSQL.
#
# Exit status 0 when every incident was detected in time and nothing alarmed for nothing, 3 otherwise, 1 when the
# machine's time-zone data does not cover the simulated year or PostgreSQL cannot be had, 2 on a wrong argument. The
# SQLite store is kept in /dev/shm where there is one.
set -euo pipefail
cd "$(dirname "$0")/.."

postgres=0
args=()
for arg in "$@"; do
    if [ "$arg" = --postgres ]; then postgres=1; else args+=("$arg"); fi
done

dotnet build bench/ScriptMonitor.Simulation -c Release >&2
simulation=(dotnet bench/ScriptMonitor.Simulation/bin/Release/net10.0/scriptmon-simulation.dll)
if [ "$postgres" = 0 ]; then
    exec "${simulation[@]}" ${args[@]+"${args[@]}"}
fi

if [ -n "${SCRIPTMON_SIMULATION_POSTGRES:-}" ]; then
    exec "${simulation[@]}" --store postgresql --connection "$SCRIPTMON_SIMULATION_POSTGRES" ${args[@]+"${args[@]}"}
fi

pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV | head -1 || true)"
if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ] || [ ! -x "$pg_bin/pg_ctl" ]; then
    echo "alert-simulation: --postgres needs PostgreSQL's server binaries (initdb, pg_ctl under /usr/lib/postgresql/VERSION/bin; Debian: apt-get install postgresql-15), or SCRIPTMON_SIMULATION_POSTGRES set to the connection string of a server to use" >&2
    exit 1
fi

# As root the server must run as the postgres user, in a directory that user owns.
as_postgres=()
pg_root="$(mktemp -d /tmp/scriptmon-simulation-pg.XXXXXX)"
if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$pg_root"
    as_postgres=(runuser -u postgres --)
fi
pg_data="$pg_root/data"
started=0
cleanup() {
    if [ "$started" = 1 ]; then "${as_postgres[@]}" "$pg_bin/pg_ctl" stop -D "$pg_data" -m immediate -w >/dev/null 2>&1 || true; fi
    rm -rf "$pg_root"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

pg_port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
"${as_postgres[@]}" "$pg_bin/initdb" -D "$pg_data" -U scriptmon --auth=trust -E UTF8 --locale=C >/dev/null
started=1
"${as_postgres[@]}" "$pg_bin/pg_ctl" start -D "$pg_data" -w -l "$pg_root/log" \
    -o "-p $pg_port -k $pg_root -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=256MB -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >/dev/null \
    || { cat "$pg_root/log" >&2; exit 1; }
# Not exec: the trap stops the server when the simulation ends.
status=0
"${simulation[@]}" --store postgresql --connection "Host=127.0.0.1;Port=$pg_port;Database=postgres;Username=scriptmon" ${args[@]+"${args[@]}"} || status=$?
exit "$status"
