#!/usr/bin/env bash
# Runs the whole test suite: builds everything in Release and runs every test project.
set -euo pipefail
cd "$(dirname "$0")"
dotnet test ScriptMonitor.slnx -c Release "$@"
