#!/usr/bin/env bash
# The README's test command: installs what is missing, builds, runs every test.
# Usage: scripts/test.sh [preset]   (release | debug | asan | tsan)
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-release}"
scripts/install-deps.sh
scripts/build.sh "$preset"
ctest --preset "$preset" -j "${RCBENCH_TEST_JOBS:-2}"
