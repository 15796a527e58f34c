# Shared by the whole-process benchmark scripts in bench/: sourced, never run.

# hyperfine (Debian package `hyperfine`), installed when missing.
ensure_hyperfine() {
    if ! command -v hyperfine >/dev/null 2>&1; then
        echo "installing hyperfine..." >&2
        if [ "$(id -u)" -eq 0 ]; then apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null
        else sudo apt-get update -qq && sudo apt-get install -y -qq hyperfine >/dev/null; fi
    fi
}

# Sets SCRIPTMON to a Native AOT build of scriptmon, publishing one under artifacts/bench unless SCRIPTMON is set.
ensure_scriptmon() {
    if [ -z "${SCRIPTMON:-}" ]; then
        local linker=() found
        if ! command -v clang >/dev/null 2>&1; then
            found="$(compgen -c clang- | grep -E '^clang-[0-9]+$' | sort -t- -k2 -n | tail -1 || true)"
            [ -n "$found" ] && linker=("-p:CppCompilerAndLinker=$found")
        fi
        dotnet publish src/ScriptMonitor.Cli -c Release -r linux-x64 -o artifacts/bench/scriptmon "${linker[@]}" >&2
        SCRIPTMON="$PWD/artifacts/bench/scriptmon/scriptmon"
    fi
}
