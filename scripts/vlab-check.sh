#!/usr/bin/env bash
# CI's virtual-lab step: for each preset, boots a guest (scripts/vlab.sh) that runs
# `rcbench topology --json`, a quick run and the this_system topology tests, then checks
# on this machine, from what came back, that rcbench's classes, plans and pinning work on a
# real kernel with SMT, several L3s, NUMA nodes and sockets (scripts/vlab/check_outputs.py).
#
#   scripts/vlab-check.sh [--keep DIR] [PRESET...]     (default: every preset in the table)
#
# --keep DIR keeps each guest's outputs in DIR/<preset> (e.g. for its topology XML).
# Builds the release preset first (build/release). Exits 1 naming the preset and what was wrong.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
build="$repo/build/release"

# What each preset implies, derived by hand from its -smp and node ranges
# (scripts/vlab/presets.sh), not read from the guest:
#   2s-smt-2n       sockets=2 cores=2 threads=2, node per socket: SMT pairs; two cores of a
#                   socket share its L3; across sockets (= across nodes) only the machine.
#   1s-2die         1 socket, dies=2 (an L3 each), one node: SMT; l3 inside a die; across
#                   dies the nearest shared level is the node (numa).
#   2s-4die-smt-4n  2 sockets x 4 dies, nodes of 2 dies: SMT; l3 in a die; numa across the
#                   dies of a node; package across nodes of a socket; machine across sockets.
#   2s-2die-smt-4n  (not in the default list) node per die: like the above without numa.
# QEMU 7.2 cannot make cores share an L2, so no preset has l2 (the XML tests cover it).
declare -A classes=(
  [2s-smt-2n]="smt,l3,machine"
  [1s-2die]="smt,l3,numa"
  [2s-2die-smt-4n]="smt,l3,package,machine"
  [2s-4die-smt-4n]="smt,l3,numa,package,machine"
)
# The machine's counts follow from what QEMU is asked for (presets.sh), so they are
# derived here rather than written a second time: packages = sockets, one L3 per die.
# shellcheck source=scripts/vlab/presets.sh
source "$repo/scripts/vlab/presets.sh"
shape_of() {
  local smp="${VLAB_SMP[$1]}" nodes=(${VLAB_NODES[$1]}) pus sockets dies cores threads
  pus="${smp%%,*}"
  sockets="$(sed -n 's/.*sockets=\([0-9]*\).*/\1/p' <<<"$smp")"
  dies="$(sed -n 's/.*dies=\([0-9]*\).*/\1/p' <<<"$smp")"
  cores="$(sed -n 's/.*cores=\([0-9]*\).*/\1/p' <<<"$smp")"
  threads="$(sed -n 's/.*threads=\([0-9]*\).*/\1/p' <<<"$smp")"
  local smt=false
  ((threads > 1)) && smt=true
  echo "packages=$sockets,numa_nodes=${#nodes[@]},l3_caches=$((sockets * dies)),cores=$((sockets * dies * cores)),pus=$pus,smt=$smt"
}
default_presets=(2s-smt-2n 1s-2die 2s-4die-smt-4n)

# The quick profile plans 1 and 2 threads; these add the compact and scatter plans the
# check asks for: 4 and 8 everywhere, and on the 16- and 32-vCPU shapes up to every PU
# (the whole 32-vCPU check stays under a minute and a half here).
declare -A plan_threads=(
  [2s-smt-2n]="4,8"
  [1s-2die]="4,8"
  [2s-2die-smt-4n]="4,8,16"
  [2s-4die-smt-4n]="4,8,16,32"
)
# --no-counters: a TCG guest has no PMU worth reading.
run_flags() { echo "--profile quick --threads 1,2,${plan_threads[$1]} --no-counters"; }

keep=""
presets=()
while (($#)); do
  case "$1" in
    --keep) keep="$2"; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "vlab-check: unknown option '$1'" >&2; exit 2 ;;
    *) presets+=("$1"); shift ;;
  esac
done
((${#presets[@]})) || presets=("${default_presets[@]}")
for p in "${presets[@]}"; do
  [[ -n "${classes[$p]:-}" ]] || { echo "vlab-check: no expectations for preset '$p'" >&2; exit 2; }
done
# The guests run what the tree builds now: a stale binary would fail (or pass) for a
# reason the source no longer has. An up-to-date build is a no-op.
"$repo/scripts/build.sh" release >/dev/null
for bin in cli/rcbench tests/topology/test_topology_this_system; do
  [[ -x "$build/$bin" ]] || { echo "vlab-check: no $build/$bin after the release build" >&2; exit 2; }
done

work="$(mktemp -d "${TMPDIR:-/var/tmp}/rcbench-vlab-check-XXXXXX")"
trap 'rm -rf "$work"' EXIT

failed=()
boots=0 stalls=0
total_start=$SECONDS
for p in "${presets[@]}"; do
  echo "=== vlab-check: $p (expects ${classes[$p]}; rcbench run $(run_flags "$p")) ==="
  start=$SECONDS
  out="$work/$p"
  status=0
  # The guest's script: the host's choice of rows in front of the fixed steps.
  { echo "RUN_FLAGS='$(run_flags "$p")'"; cat "$repo/scripts/vlab/guest-check.sh"; } > "$work/$p.sh"
  "$repo/scripts/vlab.sh" --preset "$p" --out "$out" --script "$work/$p.sh" \
    --bin "$build/tests/topology/test_topology_this_system" \
    --data "$repo/tests/data/topologies" || status=$?
  if ((status != 0)); then
    echo "vlab-check: $p: FAILED: the guest did not finish (vlab.sh exited $status)" >&2
    failed+=("$p")
  elif ! /usr/bin/python3 "$repo/scripts/vlab/check_outputs.py" --preset "$p" --dir "$out" \
         --classes "${classes[$p]}" --shape "$(shape_of "$p")" --threads "${plan_threads[$p]}" \
         --nodes "${VLAB_NODES[$p]}"; then
    failed+=("$p")
  fi
  if [[ -f "$out/topology_text.out" ]]; then
    echo "--- vlab-check: $p: rcbench topology, inside the guest:"
    sed 's/^/    /' "$out/topology_text.out"
  fi
  # Each boot, and whether it stalled before /init (vlab.sh boots a stalled guest once more).
  if [[ -f "$out/boots.txt" ]]; then
    boots=$((boots + $(grep -c . "$out/boots.txt")))
    stalls=$((stalls + $(grep -c stalled "$out/boots.txt" || true)))
    echo "--- vlab-check: $p: boots: $(paste -sd ';' "$out/boots.txt" | sed 's/;/; /g')"
  fi
  echo "--- vlab-check: $p: $((SECONDS - start)) s"
  if [[ -n "$keep" && -d "$out" ]]; then mkdir -p "$keep" && rm -rf "${keep:?}/$p" && cp -r "$out" "$keep/$p"; fi
done
echo "--- vlab-check: all presets: $((SECONDS - total_start)) s; $boots boots, $stalls stalled before /init"
if ((${#failed[@]})); then
  echo "vlab-check: FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "vlab-check: all ${#presets[@]} presets passed"
