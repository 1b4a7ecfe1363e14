#!/usr/bin/env bash
# The three aarch64 atomics modes measured side by side on one machine: what GCC's
# outline atomics (the default, and Debian's) cost against inline LSE and LL/SC.
# One binary per mode (cmake/RcbenchAtomics.cmake: the mode is a compile flag for every
# inlined counter, so it cannot vary inside one binary); the runs alternate mode by
# mode, round by round (outline llsc lse outline llsc lse ...), so a slow spell of the
# machine falls on every mode alike; then `rcbench compare --mode absolute` pools each
# mode's rounds and compares it with LSE, benchmark by benchmark.
#
#   scripts/atomics-modes.sh --out-dir DIR [--rounds N] [--filter REGEX] [--builds PREFIX]
#                            [-- extra rcbench run flags]
#
#   --out-dir DIR    new folder for the runs and the tables (refused if it exists)
#   --rounds N       rounds of the three runs (default 3)
#   --filter REGEX   rows to run (default: the atomic, biased and plain rows and their
#                    GIL baselines, as `rcbench run --filter`)
#   --builds PREFIX  the three builds are PREFIX<mode> (default build/atomics-); missing
#                    ones are configured and built here, natively (on aarch64 only).
#                    Cross builds made by scripts/ci-aarch64.sh (--builds build/aarch64-)
#                    run under qemu-user: that checks the script, its figures mean nothing.
#
# Writes DIR/<mode>-r<k>.json (run JSON), DIR/outline-vs-lse.md, DIR/llsc-vs-lse.md
# (compare's tables: the candidate's ns/op per thread against LSE's, per benchmark) and
# DIR/README.txt (what ran). On a CPU without LSE the LSE build refuses to start (exit 2):
# the script then compares outline with LL/SC and says so.
set -euo pipefail
cd "$(dirname "$0")/.."
usage() { sed -n '/^#   scripts/,/^# DIR\/README/p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
out_dir="" rounds=3 filter='^refcount/(atomic|biased|plain|gil_lock|gil_cpython)/' prefix=build/atomics-
extra=()
while (($#)); do
  case $1 in
    --out-dir) out_dir=${2:-}; shift 2 ;;
    --rounds) rounds=${2:-}; shift 2 ;;
    --filter) filter=${2:-}; shift 2 ;;
    --builds) prefix=${2:-}; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) usage ;;
    *) echo "atomics-modes: unknown argument '$1'" >&2; usage ;;
  esac
done
[[ -n $out_dir ]] || { echo "atomics-modes: --out-dir: required" >&2; exit 2; }
[[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "atomics-modes: --rounds: '$rounds' is not a positive whole number" >&2; exit 2; }
[[ ! -e $out_dir ]] || { echo "atomics-modes: --out-dir: '$out_dir' exists; name a new folder" >&2; exit 2; }

modes=(outline llsc lse)
declare -A rcbench
for mode in "${modes[@]}"; do
  build=$prefix$mode
  if [[ ! -d $build ]]; then
    [[ $(uname -m) == aarch64 ]] || { echo "atomics-modes: no $build, and this is not an aarch64 machine to build it on (cross builds: scripts/ci-aarch64.sh, then --builds build/aarch64-)" >&2; exit 2; }
    echo "atomics-modes: building $mode in $build"
    cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF -DRCBENCH_ATOMICS="$mode" > /dev/null
    cmake --build "$build" --target rcbench > /dev/null
  fi
  # A cross build's binary runs through its emulator wrapper (tests/CMakeLists.txt).
  if [[ -x $build/rcbench-under-emulator ]]; then rcbench[$mode]=$build/rcbench-under-emulator
  else rcbench[$mode]=$build/cli/rcbench; fi
done

# The LSE build on a CPU without LSE refuses to start (exit 2): leave LSE out then.
base=lse
if ! "${rcbench[lse]}" run --list > /dev/null 2>&1; then
  echo "atomics-modes: the LSE build cannot run on this CPU (no LSE): comparing outline with LL/SC only"
  modes=(outline llsc) base=llsc
fi

mkdir -p "$out_dir"
for ((round = 1; round <= rounds; round++)); do
  for mode in "${modes[@]}"; do
    echo "atomics-modes: round $round/$rounds, $mode"
    "${rcbench[$mode]}" run --filter "$filter" --out "$out_dir/$mode-r$round.json" "${extra[@]}" > "$out_dir/$mode-r$round.log" 2>&1 \
      || { echo "atomics-modes: the $mode run failed:" >&2; tail -20 "$out_dir/$mode-r$round.log" >&2; exit 1; }
  done
done

pooled() { local f=() r; for ((r = 1; r <= rounds; r++)); do f+=("$out_dir/$1-r$r.json"); done; (IFS=,; echo "${f[*]}"); }
{
  echo "rcbench atomics modes on $(uname -n) ($(uname -m)), $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "rounds: $rounds, filter: $filter, extra run flags: ${extra[*]:-none}"
  for mode in "${modes[@]}"; do echo "$mode: ${rcbench[$mode]}"; done
} > "$out_dir/README.txt"
for mode in "${modes[@]}"; do
  [[ $mode == "$base" ]] && continue
  # Exit 1 (slower) and 3 (inconclusive) are answers here, not failures.
  status=0
  "${rcbench[$base]}" compare --mode absolute "$(pooled "$base")" "$(pooled "$mode")" \
    --markdown "$out_dir/$mode-vs-$base.md" > "$out_dir/$mode-vs-$base.txt" 2>&1 || status=$?
  ((status <= 3 && status != 2)) || { echo "atomics-modes: compare failed ($status):" >&2; cat "$out_dir/$mode-vs-$base.txt" >&2; exit 1; }
  echo "atomics-modes: $mode against $base (exit $status): $out_dir/$mode-vs-$base.md"
  echo "$mode vs $base: rcbench compare exit $status (0 no slower row, 1 a row significantly slower, 3 inconclusive)" >> "$out_dir/README.txt"
done
