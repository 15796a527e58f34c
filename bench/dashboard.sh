#!/usr/bin/env bash
# The dashboard's figures (docs/dashboard.md, "Performance"), in one run: a SQLite store of 10,000 hourly scripts
# (5 % failing, 24 runs each) and dense-000 with a run a minute for a week (10,080 runs in its page's 7-day range);
# scriptmon-server on it, first with the alert loop (the overview reads its kept states), then with
# Alerts:Enabled=false (the overview evaluates every script); the server time of 100 overview requests, each after
# the server's one-second answer expired; then the page in headless Chromium (performance marks).
#
#   bench/dashboard.sh
#   SERVER=/path/to/scriptmon-server bench/dashboard.sh     # a Native AOT build instead of the Release build
#   REQUESTS=20 LOADS=3 BROWSER=0 bench/dashboard.sh         # fewer requests and page loads; no browser
#
# Targets: overview p95 < 150 ms; first 50 rows drawn and the filter answered < 1 s; chart of 10,000 runs < 500 ms.
set -euo pipefail
cd "$(dirname "$0")/.."

REQUESTS="${REQUESTS:-100}"
LOADS="${LOADS:-5}"
BROWSER="${BROWSER:-1}"
DATA_DIR="${DATA_DIR:-/tmp}"

say() { echo "$*" >&2; }
mkdir -p "$DATA_DIR"
work="$(mktemp -d "$DATA_DIR/dashboard-bench.XXXXXX")"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

say "building..."
projects=(src/ScriptMonitor.Server bench/ScriptMonitor.LoadGenerator)
[ "$BROWSER" = 1 ] && projects+=(bench/ScriptMonitor.DashboardBench)
for project in "${projects[@]}"; do
    dotnet build -c Release "$project" >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
done
loadgen=(dotnet bench/ScriptMonitor.LoadGenerator/bin/Release/net10.0/scriptmon-loadgen.dll)
if [ -n "${SERVER:-}" ]; then server=("$SERVER"); else server=(dotnet src/ScriptMonitor.Server/bin/Release/net10.0/scriptmon-server.dll); fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

say "seeding 10,000 scripts..."
db="$work/scriptmon.db"
key="$("${loadgen[@]}" dashboard-seed "$db" | tail -1)"

# Starts the server with the given settings; sets url and server_pid.
start_server() {
    local port
    port="$(free_port)"
    SCRIPTMON_SERVER_CONFIG="" "${server[@]}" --urls "http://127.0.0.1:$port" "--Server:Database=$db" "$@" >"$work/server-$port.log" 2>&1 &
    server_pid=$!
    pids+=("$server_pid")
    url="http://127.0.0.1:$port/"
    for _ in $(seq 600); do
        if curl -s -o /dev/null "$url" 2>/dev/null; then return 0; fi
        sleep 0.1
    done
    say "the server did not start"; cat "$work/server-$port.log" >&2; exit 1
}

stop_server() { kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; }

# Waits until the overview is read from the loop's kept states (the first pass evaluates every script).
wait_for_loop() {
    for _ in $(seq 1200); do
        if curl -s -H "Authorization: Bearer $key" "${url}api/v1/overview?limit=1" | grep -q '"source":"evaluation-loop"'; then return 0; fi
        sleep 0.1
    done
    say "the overview never came from the evaluation loop"; exit 1
}

time_path() { "${loadgen[@]}" dashboard-time "$url" "$key" "$1" "${2:-$REQUESTS}" "${3:-1100}"; }

say "server with the alert loop..."
start_server
wait_for_loop
time_path "/api/v1/overview?limit=50"
time_path "/api/v1/overview?limit=50&q=script-01"
time_path "/api/v1/overview" 20
time_path "/api/v1/scripts/dense-000/runtimes" 20
if [ "$BROWSER" = 1 ]; then
    dotnet bench/ScriptMonitor.DashboardBench/bin/Release/net10.0/scriptmon-dashbench.dll "$url" "$key" dense-000 "$LOADS"
fi
stop_server

say "server without the alert loop (Alerts:Enabled=false)..."
start_server --Alerts:Enabled=false
time_path "/api/v1/overview?limit=50"
stop_server
