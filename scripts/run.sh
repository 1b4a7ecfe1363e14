#!/usr/bin/env bash
# The README's main command: installs what is missing, builds a release binary,
# runs the default suite on this machine and writes a run JSON plus its report.
# Usage: scripts/run.sh [profile] [extra rcbench run flags...]
set -euo pipefail
cd "$(dirname "$0")/.."
profile="${1:-default}"
shift || true
scripts/install-deps.sh
scripts/build.sh release
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p out
run="out/run-${profile}-${stamp}.json"
build/release/cli/rcbench run --profile "$profile" --out "$run" "$@"
build/release/cli/rcbench report "$run" --out-dir "out/report-${profile}-${stamp}"
echo "run: $run"
echo "report: out/report-${profile}-${stamp}/ (tables.md, report.html, report.json, plots/)"
