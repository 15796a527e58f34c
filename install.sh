#!/usr/bin/env bash
# Publishes scriptmon as a native (ahead-of-time compiled) binary and installs it on PATH.
#
#   ./install.sh                      # into ~/.local/bin
#   PREFIX=/usr/local sudo ./install.sh   # into /usr/local/bin, for every user and cron
#
# The SQLite store needs no set-up: scriptmon creates its database on first use.
set -euo pipefail
cd "$(dirname "$0")"

PREFIX="${PREFIX:-$HOME/.local}"
RID="${RID:-linux-x64}"
OUT="artifacts/scriptmon/$RID"

# Native AOT links with clang; Debian ships it as clang-<version> only, so name whichever is there.
linker=()
if ! command -v clang >/dev/null 2>&1; then
    found="$(compgen -c clang- | grep -E '^clang-[0-9]+$' | sort -t- -k2 -n | tail -1 || true)"
    if [ -n "$found" ]; then
        linker=("-p:CppCompilerAndLinker=$found")
    fi
fi

dotnet publish src/ScriptMonitor.Cli -c Release -r "$RID" -o "$OUT" "${linker[@]}"

mkdir -p "$PREFIX/bin"
install -m 0755 "$OUT/scriptmon" "$PREFIX/bin/scriptmon"
# The SQLite engine is a native library loaded beside the binary.
for library in "$OUT"/*.so; do
    [ -e "$library" ] && install -m 0644 "$library" "$PREFIX/bin/"
done

echo "installed $PREFIX/bin/scriptmon"
case ":$PATH:" in
    *":$PREFIX/bin:"*) ;;
    *) echo "note: $PREFIX/bin is not on PATH; add it, e.g. export PATH=\"$PREFIX/bin:\$PATH\"" ;;
esac
