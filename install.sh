#!/usr/bin/env bash
# Installs scriptmon, for one user or for every user of the host.
#
#   ./install.sh                        # publishes scriptmon (Native AOT) into ~/.local/bin
#   PREFIX=/usr/local sudo ./install.sh # the same into /usr/local/bin
#   sudo ./install.sh --system          # one store for every user of the host (see --help)
#   sudo ./install.sh --system --uninstall
#
# The SQLite store needs no set-up of its own: scriptmon creates its database on first use.
set -euo pipefail
cd "$(dirname "$0")"

usage() {
    cat <<'EOF'
usage: install.sh [--system] [options]

Without --system: publishes scriptmon and installs it into $PREFIX/bin (default ~/.local/bin).

--system (as root) sets up one store for every user of the host:
  - the group 'scriptmon' (--group NAME), and --member USER added to it (repeatable);
  - the set-group-id directory /var/lib/scriptmon, mode 2770, owner root, group scriptmon;
  - /etc/scriptmon/config.json naming /var/lib/scriptmon/scriptmon.db for every user (an existing file is
    kept unless --force is given; the old one is then kept as config.json.old);
  - /usr/local/bin/scriptmon (and scriptmon-server), for every user and cron;
  - where systemd runs (/run/systemd/system exists): the scriptmon-server unit and a drop-in that makes the server
    keep its runs in the same store; nothing is enabled or started.
  Running it again changes nothing that is already as it should be.

options:
  --from DIR      install the scriptmon (and scriptmon-server) found in DIR instead of publishing them
  --group NAME    the group that shares the store (--system; default scriptmon)
  --member USER   add USER to that group (--system; repeatable)
  --force         replace an existing /etc/scriptmon/config.json that names something else (--system)
  --root DIR      install into DIR as if it were / (a trial, a test): every path above is inside DIR, and the
                  configuration names the store inside DIR; the group is the host's
  --uninstall     remove what install.sh installed: the programs, and with --system the unit, its drop-in and the
                  configuration file if it still holds what install.sh wrote; the store and the group are kept
  --purge         with --system --uninstall: also remove the store's directory (all runs in it) and the group
  --help          this text
EOF
}

system=false uninstall=false purge=false force=false from="" root="" group=scriptmon
members=()
while [ $# -gt 0 ]; do
    case "$1" in
        --system) system=true ;;
        --uninstall) uninstall=true ;;
        --purge) purge=true ;;
        --force) force=true ;;
        --from) from="${2:?--from needs a directory}"; shift ;;
        --root) root="${2:?--root needs a directory}"; shift ;;
        --group) group="${2:?--group needs a name}"; shift ;;
        --member) members+=("${2:?--member needs a user}"); shift ;;
        --help|-h) usage; exit 0 ;;
        *) echo "install.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
    esac
    shift
done

fail() { echo "install.sh: $*" >&2; exit 1; }
say() { echo "$*"; }

if [ -n "$root" ]; then
    [ -d "$root" ] || fail "--root $root is not a directory"
    root="$(cd "$root" && pwd)"
fi
if $purge && ! { $system && $uninstall; }; then fail "--purge goes with --system --uninstall"; fi
if ! $system; then
    [ ${#members[@]} -eq 0 ] || fail "--member goes with --system"
    $force && fail "--force goes with --system"
fi

RID="${RID:-linux-x64}"
if $system; then
    [ "$(id -u)" -eq 0 ] || fail "--system sets up a group and files under /etc and /var: run it as root (sudo ./install.sh --system)"
    for member in "${members[@]}"; do
        id "$member" >/dev/null 2>&1 || fail "--member $member: there is no such user; nothing was installed"
    done
    PREFIX="/usr/local"
else
    PREFIX="${PREFIX:-$HOME/.local}"
fi
bin="$root$PREFIX/bin"
store_dir="/var/lib/scriptmon"
config="$root/etc/scriptmon/config.json"
unit_dir="$root/etc/systemd/system"
unit="$unit_dir/scriptmon-server.service"
dropin_dir="$unit_dir/scriptmon-server.service.d"
dropin="$dropin_dir/shared-store.conf"
config_text="{ \"database\": \"$root$store_dir/scriptmon.db\" }"

# ---------------------------------------------------------------- removal
if $uninstall; then
    for program in scriptmon scriptmon-server libe_sqlite3.so; do
        if [ -e "$bin/$program" ]; then rm -f "$bin/$program"; say "removed $bin/$program"; fi
    done
    if $system; then
        if [ -e "$unit" ] || [ -e "$dropin" ]; then
            if [ -z "$root" ] && [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
                systemctl disable --now scriptmon-server.service >/dev/null 2>&1 || true
            fi
            rm -f "$unit" "$dropin"
            rmdir "$dropin_dir" 2>/dev/null || true
            say "removed the scriptmon-server unit ($unit) and its drop-in"
            if [ -z "$root" ] && [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then systemctl daemon-reload; fi
        fi
        if [ -e "$config" ]; then
            if [ "$(cat "$config")" = "$config_text" ]; then
                rm -f "$config"; rmdir "$(dirname "$config")" 2>/dev/null || true
                say "removed $config"
            else
                say "kept $config: it is not the one install.sh wrote (remove it yourself if it is no longer wanted)"
            fi
        fi
        if $purge; then
            if [ -d "$root$store_dir" ]; then rm -rf "$root$store_dir"; say "removed $root$store_dir and the runs in it"; fi
            if getent group "$group" >/dev/null; then groupdel "$group"; say "removed the group $group"; fi
        else
            [ -d "$root$store_dir" ] && say "kept the store $root$store_dir and the group $group (--purge removes them)"
        fi
    fi
    exit 0
fi

# ---------------------------------------------------------------- programs
if [ -n "$from" ]; then
    [ -x "$from/scriptmon" ] || fail "--from $from holds no executable scriptmon"
    out="$from"
    server_out="$from"
else
    out="artifacts/scriptmon/$RID"
    # Native AOT links with clang; Debian ships it as clang-<version> only, so name whichever is there.
    linker=()
    if ! command -v clang >/dev/null 2>&1; then
        found="$(compgen -c clang- | grep -E '^clang-[0-9]+$' | sort -t- -k2 -n | tail -1 || true)"
        if [ -n "$found" ]; then
            linker=("-p:CppCompilerAndLinker=$found")
        fi
    fi
    # One file: SQLite linked into the binary from a static libsqlite3 (Debian's libsqlite3-dev).
    sqlite_static="${SQLITE_STATIC_LIBRARY:-/usr/lib/$(uname -m)-linux-gnu/libsqlite3.a}"
    if [ ! -e "$sqlite_static" ] && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "installing libsqlite3-dev, to link SQLite into scriptmon"
        apt-get install -y -qq libsqlite3-dev >/dev/null 2>&1 \
            || { apt-get update -qq && apt-get install -y -qq libsqlite3-dev >/dev/null; } || true
    fi
    sqlite=()
    if [ -e "$sqlite_static" ]; then
        sqlite=("-p:SqliteStaticLibrary=$sqlite_static")
    else
        echo "note: $sqlite_static is missing (apt-get install libsqlite3-dev): scriptmon is built without SQLite linked in and needs libe_sqlite3.so beside it, which is installed with it" >&2
    fi
    rm -f "$out/libe_sqlite3.so"
    dotnet publish src/ScriptMonitor.Cli -c Release -r "$RID" -o "$out" "${linker[@]}" "${sqlite[@]}"
    if $system; then
        # The server keeps its SQLite library beside it (libe_sqlite3.so): it is installed with it.
        server_out="artifacts/scriptmon-server/$RID"
        if ! dotnet publish src/ScriptMonitor.Server -c Release -r "$RID" -o "$server_out" "${linker[@]}"; then
            # The shared store needs no server: install the rest, and say what is missing.
            echo "install.sh: scriptmon-server could not be published (the error is above): everything else is installed, without the server and its unit" >&2
            server_out=""
        fi
    fi
fi

# install(1) when the file differs, so that a second run says it changed nothing.
put() { # MODE SOURCE DESTINATION
    if [ -f "$3" ] && cmp -s "$2" "$3" && [ "$(stat -c %a "$3")" = "${1#0}" ]; then
        say "unchanged $3"
    else
        install -D -m "$1" "$2" "$3"
        say "installed $3"
    fi
}

mkdir -p "$bin"
put 0755 "$out/scriptmon" "$bin/scriptmon"
server_out="${server_out:-}"
if $system && [ -n "$server_out" ] && [ -e "$server_out/scriptmon-server" ]; then
    put 0755 "$server_out/scriptmon-server" "$bin/scriptmon-server"
fi
# A program whose SQLite engine is a library beside it (not linked in) needs the library there too.
libraries=("$out"/*.so)
[ -z "$server_out" ] || [ "$server_out" = "$out" ] || libraries+=("$server_out"/*.so)
for library in "${libraries[@]}"; do
    [ -e "$library" ] && put 0644 "$library" "$bin/$(basename "$library")"
done

if ! $system; then
    case ":$PATH:" in
        *":$PREFIX/bin:"*) ;;
        *) echo "note: $PREFIX/bin is not on PATH; add it, e.g. export PATH=\"$PREFIX/bin:\$PATH\"" ;;
    esac
    exit 0
fi

# ---------------------------------------------------------------- the shared store
if getent group "$group" >/dev/null; then
    say "unchanged group $group"
else
    groupadd --system "$group"
    say "created the group $group"
fi
for member in "${members[@]}"; do
    if id -nG "$member" | tr ' ' '\n' | grep -qx "$group"; then
        say "unchanged $member is in $group"
    else
        usermod -aG "$group" "$member"
        say "added $member to $group (their sessions and cron jobs started from now on have it)"
    fi
done

# 2770: the group may write, others may not look in; set-group-id so every file made in it belongs to the group.
shared="$root$store_dir"
if [ -d "$shared" ] && [ "$(stat -c '%a %U %G' "$shared")" = "2770 root $group" ]; then
    say "unchanged $shared (2770 root:$group)"
else
    install -d -m 2770 -o root -g "$group" "$shared"
    chmod 2770 "$shared"
    say "made $shared (2770 root:$group)"
fi
# A store made before the directory was shared: give the group what it needs to record into it.
for file in "$shared"/scriptmon.db "$shared"/scriptmon.db-wal "$shared"/scriptmon.db-shm; do
    if [ -f "$file" ] && [ "$(stat -c '%G' "$file")" != "$group" -o "$(( 0$(stat -c %a "$file") & 060 ))" -ne 48 ]; then
        chgrp "$group" "$file" && chmod g+rw "$file"
        say "gave $group read and write on $file"
    fi
done

mkdir -p "$(dirname "$config")"
if [ -e "$config" ] && [ "$(cat "$config")" = "$config_text" ]; then
    say "unchanged $config"
elif [ -e "$config" ] && ! $force; then
    say "kept $config, which says: $(tr '\n' ' ' < "$config")"
    say "  every user records into the store it names, not into $shared; --force replaces it with $config_text"
else
    if [ -e "$config" ]; then
        cp -p "$config" "$config.old"
        say "replaced $config (the old one is kept as $config.old)"
    else
        say "wrote $config"
    fi
    printf '%s\n' "$config_text" > "$config.tmp"
    chmod 0644 "$config.tmp"
    mv "$config.tmp" "$config"
fi
say "  $config_text"

# ---------------------------------------------------------------- the server's unit
if [ -d "$root/run/systemd/system" ] && [ ! -x "$bin/scriptmon-server" ]; then
    say "no $bin/scriptmon-server: no unit installed for it"
elif [ -d "$root/run/systemd/system" ]; then
    put 0644 deploy/scriptmon-server.service "$unit"
    dropin_text="# Written by install.sh --system: the server keeps its runs in the store every user of the host records into.
[Service]
# The shared directory is not a state directory systemd owns (it would hand it to the service's dynamic user).
StateDirectory=
SupplementaryGroups=$group
ReadWritePaths=$store_dir
Environment=SCRIPTMON_DATABASE=$store_dir/scriptmon.db
# The store makes its database group-writable itself; SQLite gives the -wal and -shm files the database's mode.
UMask=0007"
    if [ -f "$dropin" ] && [ "$(cat "$dropin")" = "$dropin_text" ]; then
        say "unchanged $dropin"
    else
        mkdir -p "$dropin_dir"
        printf '%s\n' "$dropin_text" > "$dropin"
        chmod 0644 "$dropin"
        say "installed $dropin"
    fi
    if [ -z "$root" ] && command -v systemctl >/dev/null 2>&1; then systemctl daemon-reload; fi
    say "the server is installed but not enabled; to start it now and at every boot:"
    say "  systemctl enable --now scriptmon-server"
else
    say "systemd is not running here ($root/run/systemd/system does not exist): no unit installed; run $bin/scriptmon-server as a service of your own to have a server"
fi
