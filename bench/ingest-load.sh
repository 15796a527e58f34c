#!/usr/bin/env bash
# Ingest under load, loopback, in one run: scriptmon-server on SQLite (on this disk) and on PostgreSQL (a throwaway
# server started here with initdb/pg_ctl), a bare Kestrel POST endpoint (the floor of any JSON-over-HTTP service
# here) and Prometheus Pushgateway (Debian package prometheus-pushgateway: one push per run, one group per script).
# Production settings: every request presents an ingest key the server checks, every 2xx is a durable commit.
# Then the server's RSS after ingesting RSS_RUNS runs over 10,000 scripts into a fresh SQLite store, and this disk's
# fsync latency. Never run by CI.
#
#   bench/ingest-load.sh                           # 20 s per target, 64 connections
#   SECONDS_PER_TARGET=10 CONNECTIONS=32 bench/ingest-load.sh
#   WARMUP_SECONDS=0 bench/ingest-load.sh          # measure from a cold start (default: 5 s of load first, not counted)
#   TARGETS="sqlite bare" bench/ingest-load.sh     # some targets only (sqlite postgresql bare pushgateway rss healthchecks)
#   TARGETS="sqlite healthchecks" bench/ingest-load.sh   # the Healthchecks ping path beside native ingest, same run
#   SERVER=/path/to/scriptmon-server bench/ingest-load.sh   # a Native AOT build instead of the Release build
#   DATA_DIR=/var/tmp bench/ingest-load.sh         # where the SQLite file and the fsync probe go (a real disk)
#   SERVER_ARGS="--Server:Ingest:MaxBatch=128" bench/ingest-load.sh   # settings given to every server started
#   LOADGEN=wrk bench/ingest-load.sh               # wrk (Debian package wrk) with bench/ingest-wrk.lua instead of
#                                                  # scriptmon-loadgen for the HTTP targets: the same runs, less of
#                                                  # the machine's CPU taken by the client (Pushgateway keeps the .NET client)
#
# Targets: at least 20,000 runs/s with p99 at most 25 ms on SQLite, at least half of bare Kestrel; RSS under 200 MB.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_TARGET="${SECONDS_PER_TARGET:-20}"
WARMUP_SECONDS="${WARMUP_SECONDS:-5}"
CONNECTIONS="${CONNECTIONS:-64}"
TARGETS="${TARGETS:-sqlite postgresql bare pushgateway rss}"
RSS_RUNS="${RSS_RUNS:-1000000}"
LOADGEN="${LOADGEN:-dotnet}"
if [ "$LOADGEN" = wrk ] && ! command -v wrk >/dev/null; then
    echo "installing wrk..." >&2
    if [ "$(id -u)" -eq 0 ]; then apt-get install -y -qq wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
    else sudo apt-get install -y -qq wrk >/dev/null; fi
fi
DATA_DIR="${DATA_DIR:-$PWD/artifacts/bench}"

say() { if [ -t 2 ]; then echo "$*" >&2; fi; }

mkdir -p "$DATA_DIR"
work="$(mktemp -d "$DATA_DIR/ingest-load.XXXXXX")"
pids=()
pg_ctl_bin=""
pg_data=""
pg_root=""
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
    if [ -n "$pg_data" ]; then runuser -u postgres -- "$pg_ctl_bin" stop -D "$pg_data" -m immediate -w >/dev/null 2>&1 || true; fi
    rm -rf "$work" ${pg_root:+"$pg_root"}
}
trap cleanup EXIT

say "building..."
for project in src/ScriptMonitor.Server bench/ScriptMonitor.LoadGenerator; do
    dotnet build -c Release "$project" >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
done
loadgen=(dotnet bench/ScriptMonitor.LoadGenerator/bin/Release/net10.0/scriptmon-loadgen.dll)
if [ -n "${SERVER:-}" ]; then server=("$SERVER"); else server=(dotnet src/ScriptMonitor.Server/bin/Release/net10.0/scriptmon-server.dll); fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Waits until something answers on the port (any HTTP status), at most 30 s.
wait_http() {
    for _ in $(seq 300); do
        if curl -s -o /dev/null "http://127.0.0.1:$1/" 2>/dev/null; then return 0; fi
        sleep 0.1
    done
    echo "nothing listens on port $1" >&2; return 1
}

# Starts scriptmon-server on the store $1, sets server_pid and server_port.
start_server() {
    server_port="$(free_port)"
    # shellcheck disable=SC2086 # SERVER_ARGS is a list of settings, split on spaces on purpose
    SCRIPTMON_SERVER_CONFIG="" "${server[@]}" --urls "http://127.0.0.1:$server_port" "--Server:Database=$1" ${SERVER_ARGS:-} >"$work/server-$server_port.log" 2>&1 &
    server_pid=$!
    pids+=("$server_pid")
    wait_http "$server_port"
}

stop_pid() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

# CPU time (user + system) a process has used, in microseconds: on a shared machine, what a run costs the server
# even when other work slows the wall clock down.
cpu_us() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%d", ($14 + $15) * 1000000 / hz }' "/proc/$1/stat"; }

results=()
# Sends load for $1 seconds with the chosen client and prints its figures from "runs=" on. wrk sends the same runs
# (bench/ingest-wrk.lua) at a fraction of the .NET client's CPU per request; Pushgateway always gets the .NET client.
send_load() { # seconds kind port key
    if [ "$LOADGEN" = wrk ] && [ "$2" != pushgateway ] && [ "$2" != healthchecks ]; then
        KEY="$4" wrk -t2 "-c$CONNECTIONS" "-d${1}s" -s bench/ingest-wrk.lua "http://127.0.0.1:$3" | grep '^runs='
    else
        "${loadgen[@]}" load "$2" "http://127.0.0.1:$3/" "$4" "$CONNECTIONS" "$1" | cut -f2-
    fi
}

run_load() { # name kind port key server-pid
    say "$1: ${SECONDS_PER_TARGET}s, $CONNECTIONS connections..."
    local before line runs
    # Steady state: the JIT compiles the hot paths during the first seconds (a quarter of the server's CPU in a 10 s
    # run), which a long-running server pays once. The same warm-up for every target.
    if [ "$WARMUP_SECONDS" -gt 0 ]; then
        send_load "$WARMUP_SECONDS" "$2" "$3" "$4" >/dev/null
    fi
    before="$(cpu_us "$5")"
    line="$1	$(send_load "$SECONDS_PER_TARGET" "$2" "$3" "$4")"
    runs="$(echo "$line" | sed -E 's/.*runs=([0-9]+).*/\1/')"
    results+=("$line	server_cpu_us_per_run=$(( ($(cpu_us "$5") - before) / (runs > 0 ? runs : 1) ))")
}

for target in $TARGETS; do
    case "$target" in
    sqlite)
        db="$work/sqlite.db"
        key="$("${loadgen[@]}" key "$db")"
        start_server "$db"
        run_load sqlite scriptmon "$server_port" "$key" "$server_pid"
        stop_pid "$server_pid"
        rm -f "$db"*
        ;;
    healthchecks)
        # The Healthchecks ping path (/hc/ping/UUID, text body) against the same SQLite store and server as "sqlite".
        db="$work/healthchecks.db"
        "${loadgen[@]}" pingids "$db" "$work/ping-ids"
        start_server "$db"
        run_load healthchecks healthchecks "$server_port" "$work/ping-ids" "$server_pid"
        stop_pid "$server_pid"
        rm -f "$db"*
        ;;
    postgresql)
        pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV | head -1)"
        [ -x "$pg_bin/initdb" ] || { echo "PostgreSQL server binaries not found (Debian: apt-get install postgresql-15)" >&2; exit 1; }
        pg_ctl_bin="$pg_bin/pg_ctl"
        pg_port="$(free_port)"
        # Its own directory, which the postgres user can reach (the work directory is this user's alone).
        pg_root="$(mktemp -d /tmp/scriptmon-bench-pg.XXXXXX)"; chown postgres: "$pg_root"
        pg_data="$pg_root/data"
        # Durable, as in production: fsync and synchronous_commit stay on.
        runuser -u postgres -- "$pg_bin/initdb" -D "$pg_data" -U scriptmon --auth=trust -E UTF8 --locale=C >/dev/null
        runuser -u postgres -- "$pg_ctl_bin" start -D "$pg_data" -w -l "$pg_root/log" \
            -o "-p $pg_port -k $pg_root -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=256MB" >/dev/null
        connection="Host=127.0.0.1;Port=$pg_port;Database=postgres;Username=scriptmon"
        key="$("${loadgen[@]}" key "$connection")"
        start_server "$connection"
        run_load postgresql scriptmon "$server_port" "$key" "$server_pid"
        stop_pid "$server_pid"
        runuser -u postgres -- "$pg_ctl_bin" stop -D "$pg_data" -m fast -w >/dev/null
        pg_data=""
        ;;
    bare)
        port="$(free_port)"
        "${loadgen[@]}" bare "$port" >/dev/null 2>&1 &
        bare_pid=$!; pids+=("$bare_pid")
        wait_http "$port"
        run_load bare bare "$port" none "$bare_pid"
        stop_pid "$bare_pid"
        ;;
    pushgateway)
        command -v prometheus-pushgateway >/dev/null || { echo "prometheus-pushgateway is not installed (Debian: apt-get install prometheus-pushgateway)" >&2; exit 1; }
        port="$(free_port)"
        prometheus-pushgateway --web.listen-address="127.0.0.1:$port" >"$work/pushgateway.log" 2>&1 &
        push_pid=$!; pids+=("$push_pid")
        wait_http "$port"
        run_load pushgateway pushgateway "$port" none "$push_pid"
        stop_pid "$push_pid"
        ;;
    rss)
        db="$work/rss.db"
        key="$("${loadgen[@]}" key "$db")"
        start_server "$db"
        say "rss: ingesting $RSS_RUNS runs over 10,000 scripts..."
        line="$("${loadgen[@]}" load scriptmon "http://127.0.0.1:$server_port/" "$key" "$CONNECTIONS" 3600 "$RSS_RUNS")"
        rss_kb="$(awk '/^VmRSS/ {print $2}' "/proc/$server_pid/status")"
        hwm_kb="$(awk '/^VmHWM/ {print $2}' "/proc/$server_pid/status")"
        results+=("rss	$(echo "$line" | cut -f2,5)	rss_mb=$((rss_kb / 1024))	peak_rss_mb=$((hwm_kb / 1024))")
        stop_pid "$server_pid"
        rm -f "$db"*
        ;;
    *) echo "unknown target: $target" >&2; exit 2 ;;
    esac
done

results+=("$("${loadgen[@]}" fsync "$work" 2000)")
printf '%s\n' "${results[@]}"

# The ratio to bare Kestrel, where both ran.
printf '%s\n' "${results[@]}" | awk -F'\t' '
    { for (i = 2; i <= NF; i++) { split($i, kv, "="); v[$1, kv[1]] = kv[2] } }
    END { if (v["sqlite", "runs_per_s"] && v["bare", "runs_per_s"])
              printf "sqlite/bare: %.0f%% (target: at least 50%%; sqlite target: 20000 runs/s, p99 <= 25 ms)\n", 100 * v["sqlite", "runs_per_s"] / v["bare", "runs_per_s"]
          if (v["sqlite", "runs_per_s"] && v["healthchecks", "runs_per_s"])
              printf "healthchecks/sqlite: %.0f%% (the Healthchecks ping path against native ingest)\n", 100 * v["healthchecks", "runs_per_s"] / v["sqlite", "runs_per_s"] }'
