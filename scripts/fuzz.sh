#!/usr/bin/env bash
# Fuzzes the run-JSON loader and compare's input path (fuzz/fuzz_run_input.cpp) under
# ASan + UBSan for a fixed number of executions. Installs clang and libFuzzer if missing
# (install-deps.sh with RCBENCH_WITH_FUZZ=1), builds in build/fuzz, and exits non-zero
# on any crash (the input is kept in build/fuzz/artifacts/; rerun it with
# `build/fuzz/fuzz/fuzz_run_input FILE`).
# Usage: scripts/fuzz.sh   (RCBENCH_FUZZ_RUNS, RCBENCH_FUZZ_MAX_TIME_S, RCBENCH_JOBS override)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${RCBENCH_FUZZ_RUNS:-20000}"
max_time_s="${RCBENCH_FUZZ_MAX_TIME_S:-600}"  # a cap, so that a slow machine cannot stall CI
input_timeout_s=10                            # one input taking longer is a hang: a crash
jobs="${RCBENCH_JOBS:-$(nproc)}"
build=build/fuzz

RCBENCH_WITH_FUZZ=1 scripts/install-deps.sh
cmake -S . -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DRCBENCH_FUZZ=ON -DBUILD_TESTING=OFF >/dev/null
cmake --build "$build" --target fuzz_run_input -j "$jobs"

# libFuzzer adds the inputs it finds to the first folder: a scratch one, so that the
# seeds in fuzz/corpus (second folder, read only) stay as committed.
mkdir -p "$build/corpus" "$build/artifacts"
log="$build/fuzz.log"
start=$(date +%s)
set +e
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  "$build/fuzz/fuzz_run_input" -runs="$runs" -max_total_time="$max_time_s" -timeout="$input_timeout_s" \
  -dict=fuzz/run_json.dict -artifact_prefix="$build/artifacts/" -print_final_stats=1 \
  "$build/corpus" fuzz/corpus >"$log" 2>&1
status=$?
set -e
elapsed=$(($(date +%s) - start))

executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
if [[ $status -ne 0 ]]; then
  tail -n 60 "$log"
  echo "fuzz: CRASH after ${executions:-?} executions in ${elapsed} s (exit $status); input kept in $build/artifacts/, log in $log"
  exit 1
fi
echo "fuzz: ${executions:-?} executions in ${elapsed} s, 0 crashes (log: $log)"
if [[ -n "$executions" && "$executions" -lt "$runs" ]]; then
  echo "fuzz: note: the ${max_time_s} s cap ended the run before $runs executions"
fi
