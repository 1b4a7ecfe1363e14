#!/usr/bin/env bash
# aarch64 in CI, on an x86-64 Debian 12 machine: cross-compile against Debian's arm64
# packages in each atomics mode (cmake/RcbenchAtomics.cmake), run the tests under
# qemu-user, and a quick run whose record and report must name the ISA and the mode.
# qemu-user runs the binaries without binfmt_misc: ctest puts the emulator before each
# test executable, and the tests that start rcbench themselves use a wrapper
# (RCBENCH_UNDER_TEST, tests/CMakeLists.txt). Timings under an emulator mean nothing:
# this job checks that the code builds, is correct and compiles to the intended
# atomics, never a figure.
#
#   scripts/ci-aarch64.sh [MODE...]     (default: outline llsc lse; root or sudo for apt)
#
# Per mode: build/aarch64-<mode> (Release, warnings as errors), then ctest -j2 without
# the tests in tests/qemu-user-unsupported.txt (their reasons are printed), then
# `rcbench run --profile quick` and `rcbench report` under qemu-user, checked by
# scripts/check_aarch64_run.py. The LSE build is also started on an ARMv8.0 CPU
# (QEMU_CPU=cortex-a53) and must refuse with exit 2 (a ctest, cli.atomics_mode.*).
set -euo pipefail
cd "$(dirname "$0")/.."
modes=("$@")
((${#modes[@]})) || modes=(outline llsc lse)
say() { echo "ci-aarch64: $*"; }

RCBENCH_WITH_AARCH64=1 scripts/install-deps.sh

# The exclusions: "regex # reason" lines, joined into one ctest -E regex.
excluded=()
while IFS= read -r line; do
  [[ -z $line || $line == \#* ]] && continue
  excluded+=("${line%% \# *}")
  say "excluded under qemu-user: ${line%% \# *}  (${line#* \# })"
done < tests/qemu-user-unsupported.txt
exclude_regex=$(IFS='|'; echo "${excluded[*]}")

tmp=$(mktemp -d /tmp/rcbench-aarch64.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
summary=()
for mode in "${modes[@]}"; do
  build=build/aarch64-$mode
  t=$SECONDS
  say "=== $mode: cross build ($build) ==="
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DRCBENCH_WERROR=ON \
    -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/aarch64-linux-gnu.cmake -DRCBENCH_ATOMICS="$mode" > "$tmp/configure-$mode.log" \
    || { cat "$tmp/configure-$mode.log"; exit 1; }
  grep -- '-- atomics:' "$tmp/configure-$mode.log"
  cmake --build "$build" -j2 > "$tmp/build-$mode.log" 2>&1 || { tail -50 "$tmp/build-$mode.log"; exit 1; }
  built=$((SECONDS - t))

  say "=== $mode: ctest under qemu-user ==="
  t=$SECONDS
  ctest_status=0
  ctest --test-dir "$build" -j2 --timeout 900 -E "$exclude_regex" --output-on-failure > "$tmp/ctest-$mode.log" 2>&1 || ctest_status=$?
  grep -E '^[0-9]+% tests passed|tests failed out of' "$tmp/ctest-$mode.log" | tail -1
  if ((ctest_status != 0)); then
    sed -n '/The following tests FAILED/,$p' "$tmp/ctest-$mode.log"
    grep -B2 -A30 'Failure\|\*\*\*Failed\|expected exit' "$tmp/ctest-$mode.log" | head -150
    exit 1
  fi
  tested=$((SECONDS - t))
  counts=$(grep -E '^[0-9]+% tests passed' "$tmp/ctest-$mode.log" | tail -1)
  left_out=$(ctest --test-dir "$build" -N -R "$exclude_regex" | sed -n 's/^Total Tests: //p')

  say "=== $mode: quick run and report under qemu-user ==="
  t=$SECONDS
  "$build/rcbench-under-emulator" run --profile quick --repetitions 2 --out "$tmp/run-$mode.json" > "$tmp/run-$mode.log" 2>&1 \
    || { tail -30 "$tmp/run-$mode.log"; exit 1; }
  tail -1 "$tmp/run-$mode.log"
  "$build/rcbench-under-emulator" report "$tmp/run-$mode.json" --out-dir "$tmp/report-$mode" > /dev/null
  python3 scripts/check_aarch64_run.py "$tmp/run-$mode.json" "$tmp/report-$mode" "$mode"
  ran=$((SECONDS - t))
  summary+=("$mode: build ${built} s, ctest ${tested} s ($counts; $left_out excluded as qemu-only), quick run + report ${ran} s")
done
# The three modes side by side (scripts/atomics-modes.sh), once, on one row, to check
# the script end to end: alternation, compare's tables. The figures are qemu's.
if ((${#modes[@]} == 3)); then
  say "=== atomics-modes.sh on the three cross builds (one round, one row) ==="
  t=$SECONDS
  scripts/atomics-modes.sh --builds build/aarch64- --rounds 1 --out-dir "$tmp/modes" \
    --filter '^refcount/atomic/private/' -- --profile quick --repetitions 2 --no-baselines
  for f in README.txt outline-r1.json llsc-r1.json lse-r1.json outline-vs-lse.md llsc-vs-lse.md; do
    [[ -s $tmp/modes/$f ]] || { echo "ci-aarch64: FAIL: atomics-modes.sh wrote no $f" >&2; exit 1; }
  done
  summary+=("atomics-modes.sh: $((SECONDS - t)) s")
fi
say "=== summary ==="
for line in "${summary[@]}"; do say "$line"; done
