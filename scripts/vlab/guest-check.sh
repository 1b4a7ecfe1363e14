#!/bin/sh
# Runs inside a vlab guest (busybox sh, in /out) for scripts/vlab-check.sh: everything the
# host then checks. Each step's exit status goes to steps.txt and the script goes on, so
# that one failure still brings back the others' outputs; the host names the failed step.
# RUN_FLAGS (set by the host in front of this file) selects the rows.
step() {
  name="$1"; shift
  "$@" > "$name.out" 2> "$name.err"
  echo "$name $?" >> steps.txt
}

step topology rcbench topology --json
# The text a user reads, printed whole in CI's log.
step topology_text rcbench topology
cp topology.out topology.json
step export rcbench topology --export-xml guest-topology.xml
# The plan, as Google Benchmark lists it: the rows the run must have run.
# shellcheck disable=SC2086
step list rcbench run $RUN_FLAGS --benchmark_list_tests=true
# shellcheck disable=SC2086
step run rcbench run $RUN_FLAGS --out q.json
step this_system test_topology_this_system --gtest_output=json:this_system.json
# ctest's second this_system test: under taskset the allowed set must shrink to PU 0.
step this_system_taskset env RCBENCH_EXPECT_ALLOWED=0 taskset -c 0 test_topology_this_system \
  --gtest_filter='ThisSystem.*:Pinning.*' --gtest_output=json:this_system_taskset.json
exit 0
