#!/usr/bin/env bash
# Configures and builds one CMake preset (default: release). Used by run.sh,
# test.sh and CI so that all three build the same way. RCBENCH_ATOMICS=outline|llsc|lse
# picks aarch64's atomics mode (cmake/RcbenchAtomics.cmake; kept in the build's cache).
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-release}"
jobs="${RCBENCH_JOBS:-$(nproc)}"
cmake --preset "$preset" ${RCBENCH_ATOMICS:+"-DRCBENCH_ATOMICS=$RCBENCH_ATOMICS"} >/dev/null
cmake --build --preset "$preset" -j "$jobs"
