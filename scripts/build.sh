#!/usr/bin/env bash
# Configures and builds one CMake preset (default: release). Used by run.sh,
# test.sh and CI so that all three build the same way.
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-release}"
jobs="${RCBENCH_JOBS:-$(nproc)}"
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j "$jobs"
