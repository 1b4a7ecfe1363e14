#!/usr/bin/env bash
# The CI regression gate: build, run the gate profile, compare, print the table, exit
# with the verdict. docs/gate.md explains the statistics, the thresholds and the exits.
#
# Usage: scripts/ci-gate.sh [--against REV | --baseline FILES] [--runs K] [--reps N]
#                           [--out DIR] [--refresh-baseline] [-- <rcbench compare flags>]
#   (default)           compare K fresh runs of this tree with the stored baseline of
#                       this machine class: results/baselines/<machine>/gate-*.json
#   --against REV       build REV too (exported with `git archive`, the work tree is not
#                       touched) and alternate runs of REV (A) and of this tree (B), K each,
#                       so that a drift of the machine during the job hits both alike
#   --baseline FILES    compare with these run JSON files (comma-separated) instead
#   --runs K            runs per side (default 3); each run interleaves its repetitions
#   --reps N            repetitions per run (default 15: a few land in other coherence
#                       modes and min_reps is 9 within one mode)
#   --out DIR           keep the runs, the table (Markdown) and the JSON verdict here
#   --refresh-baseline  write K runs of this tree as the new baseline of this machine class
# Environment: RCBENCH (use this binary instead of building this tree), RCBENCH_BASE
#   (with --against: use this binary for REV instead of building it), RCBENCH_MACHINE
#   (baseline folder name; default the machine-shape name lab.py files result sets under,
#   from a fresh run's machine facts, e.g. 1pkg-1numa-1l3-2c-2pu-AMD-EPYC).
# Exit status: rcbench compare's: 0 pass, 1 regression, 2 usage or input error,
#   3 inconclusive; 4 when a build or a run fails.
set -euo pipefail
cd "$(dirname "$0")/.."

AGAINST=""
BASELINE=""
RUNS=3
REPS=15
OUT=""
REFRESH=0
COMPARE_ARGS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --against) AGAINST=$2; shift ;;
    --baseline) BASELINE=$2; shift ;;
    --runs) RUNS=$2; shift ;;
    --reps) REPS=$2; shift ;;
    --out) OUT=$2; shift ;;
    --refresh-baseline) REFRESH=1 ;;
    --) shift; COMPARE_ARGS=("$@"); break ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "ci-gate: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[[ -n $AGAINST && -n $BASELINE ]] && { echo "ci-gate: give --against or --baseline, not both" >&2; exit 2; }

# The machine-shape name lab.py files result sets under (scripts/lab_env.py), from the
# machine facts a fresh run recorded: one name per machine in results/ and here.
machine_id() {  # RUN.json
  if [[ -n ${RCBENCH_MACHINE:-} ]]; then echo "$RCBENCH_MACHINE"; return; fi
  python3 scripts/lab_env.py machine-id "$1" || { echo "ci-gate: no machine id from $1" >&2; exit 4; }
}

WORK=${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/rcbench-gate.XXXXXX")}
mkdir -p "$WORK"
[[ -n $OUT ]] || trap 'rm -rf "$WORK"' EXIT

build_this_tree() {
  if [[ -n ${RCBENCH:-} ]]; then echo "$RCBENCH"; return; fi
  scripts/build.sh release >&2 || { echo "ci-gate: build failed" >&2; exit 4; }
  echo "build/release/cli/rcbench"
}

build_revision() {  # REV -> path of its rcbench binary
  local rev=$1 src="$WORK/rev-src" bld="$WORK/rev-build"
  if [[ -n ${RCBENCH_BASE:-} ]]; then echo "$RCBENCH_BASE"; return; fi
  mkdir -p "$src"
  git archive --format=tar "$rev" | tar -x -C "$src" || { echo "ci-gate: cannot export $rev" >&2; exit 2; }
  { cmake -S "$src" -B "$bld" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null &&
    cmake --build "$bld" -j "$(nproc)" --target rcbench; } >&2 ||
    { echo "ci-gate: build of $rev failed" >&2; exit 4; }
  echo "$bld/cli/rcbench"
}

gate_run() {  # BINARY OUT
  "$1" run --profile gate --repetitions "$REPS" --out "$2" --force > "$2.log" 2>&1 ||
    { echo "ci-gate: $1 run failed:" >&2; cat "$2.log" >&2; exit 4; }
}

B_BIN=$(build_this_tree)
[[ -x $B_BIN ]] || { echo "ci-gate: no rcbench binary at $B_BIN" >&2; exit 4; }
cand_list="" base_list=""
if [[ -n $AGAINST ]]; then
  A_BIN=$(build_revision "$AGAINST")
  for ((k = 1; k <= RUNS; ++k)); do  # alternate A and B
    gate_run "$A_BIN" "$WORK/base-$k.json"
    gate_run "$B_BIN" "$WORK/cand-$k.json"
    base_list+="${base_list:+,}$WORK/base-$k.json"
    cand_list+="${cand_list:+,}$WORK/cand-$k.json"
  done
else
  for ((k = 1; k <= RUNS; ++k)); do
    gate_run "$B_BIN" "$WORK/cand-$k.json"
    cand_list+="${cand_list:+,}$WORK/cand-$k.json"
  done
  if [[ $REFRESH == 1 ]]; then
    # A disturbed baseline would make every later comparison inconclusive: refuse it.
    if ! "$B_BIN" compare "$cand_list" "$cand_list" > "$WORK/refresh-check.txt" 2>&1; then
      echo "ci-gate: not refreshing: the new runs are not clean (rcbench compare of them with themselves):" >&2
      sed -n '/^environment:/,$p' "$WORK/refresh-check.txt" >&2
      exit 3
    fi
    dir="results/baselines/$(machine_id "$WORK/cand-1.json")"
    mkdir -p "$dir"
    rm -f "$dir"/gate-*.json
    for ((k = 1; k <= RUNS; ++k)); do cp "$WORK/cand-$k.json" "$dir/gate-$k.json"; done
    echo "ci-gate: wrote $RUNS baseline runs to $dir (commit them with a note of why they changed)"
    exit 0
  fi
  if [[ -n $BASELINE ]]; then
    base_list=$BASELINE
  else
    dir="results/baselines/$(machine_id "$WORK/cand-1.json")"
    shopt -s nullglob
    files=("$dir"/gate-*.json)
    [[ ${#files[@]} -gt 0 ]] || {
      echo "ci-gate: no baseline for this machine class in $dir; make one with scripts/ci-gate.sh --refresh-baseline, or use --against REV" >&2
      exit 2; }
    base_list=$(IFS=,; echo "${files[*]}")
  fi
fi

set +e
"$B_BIN" compare "$base_list" "$cand_list" --json "$WORK/verdict.json" --markdown "$WORK/verdict.md" \
  "${COMPARE_ARGS[@]}"
status=$?
set -e
[[ -n $OUT ]] && echo "ci-gate: runs, verdict.json and verdict.md kept in $OUT"
exit $status
