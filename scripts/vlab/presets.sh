# shellcheck shell=bash disable=SC2034  # sourced by vlab.sh, which reads both tables
# Guest shapes for scripts/vlab.sh, sourced. Each preset is QEMU's -smp value and the
# NUMA nodes' CPU ranges (one entry per node, in node order).
#
# QEMU numbers vCPUs socket-major: cpu = ((socket*dies + die)*cores + core)*threads + thread,
# so "a node per socket" is a contiguous range. With an Intel CPU model under TCG the guest
# reads this shape from CPUID 0xB/0x1F and gets one L3 per die (PITFALLS.md, "QEMU guests").
# The classes each shape should show are vlab-check.sh's table, not here: this file only
# says what QEMU is asked for.

declare -A VLAB_SMP=(
  # 2 sockets x 2 cores x 2 threads, a node per socket.
  [2s-smt-2n]="8,sockets=2,dies=1,cores=2,threads=2"
  # 1 socket, 2 dies (2 L3s) x 2 cores x 2 threads, one node.
  [1s-2die]="8,sockets=1,dies=2,cores=2,threads=2"
  # 2 sockets x 2 dies x 2 cores x 2 threads, a node per die.
  [2s-2die-smt-4n]="16,sockets=2,dies=2,cores=2,threads=2"
  # 2 sockets x 4 dies x 2 cores x 2 threads, 4 nodes of 2 dies: every class QEMU can express.
  [2s-4die-smt-4n]="32,sockets=2,dies=4,cores=2,threads=2"
)
declare -A VLAB_NODES=(
  [2s-smt-2n]="0-3 4-7"
  [1s-2die]="0-7"
  [2s-2die-smt-4n]="0-3 4-7 8-11 12-15"
  [2s-4die-smt-4n]="0-7 8-15 16-23 24-31"
)
