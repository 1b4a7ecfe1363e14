#!/usr/bin/env bash
# Installs, from Debian's archive, every package rcbench needs to build, test and
# render reports. Safe to run again: it only installs what is missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git binutils
  libbenchmark-dev libbenchmark-tools
  libgtest-dev libgmock-dev
  # libhwloc-plugins: hwloc's libxml2 XML reader, which reads exports the built-in
  # minimal reader refuses (hand-edited files, other writers). rcbench's own XML errors
  # read the same with either reader (tests run both).
  libhwloc-dev hwloc libhwloc-plugins
  libpapi-dev papi-tools
  nlohmann-json3-dev libcli11-dev libfmt-dev libboost-math-dev
  # The real interpreter's rows (bench/cpython) embed Debian's CPython 3.11.
  libpython3.11-dev
  python3 python3-matplotlib python3-numpy python3-scipy python3-jsonschema
)
# The HTML render check needs a real browser; it is large, so only when asked.
if [[ "${RCBENCH_WITH_BROWSER:-0}" == 1 ]]; then
  packages+=(chromium)
fi
# report.tex compiles in the tests (report.real_quick_run_tex_compiles) where pdflatex is
# installed; TeX is large, so only when asked (booktabs and geometry are in -recommended).
if [[ "${RCBENCH_WITH_TEX:-0}" == 1 ]]; then
  packages+=(texlive-latex-recommended)
fi
# The fuzz target (scripts/fuzz.sh) needs clang and its libFuzzer/sanitizer runtimes;
# the default build is g++ only, so only when asked.
fuzz_packages=(clang libclang-rt-14-dev)
if [[ "${RCBENCH_WITH_FUZZ:-0}" == 1 ]]; then
  packages+=("${fuzz_packages[@]}")
fi
# The virtual lab (scripts/vlab.sh, scripts/vlab-check.sh): QEMU guests shaped like lab
# machines, booted from an initramfs of static busybox; numactl for cross-checks inside.
# Large, and only CI's topology step needs it, so only when asked.
vlab_packages=(qemu-system-x86 busybox-static cpio numactl)
if [[ "${RCBENCH_WITH_VLAB:-0}" == 1 ]]; then
  packages+=("${vlab_packages[@]}")
fi
# The Slurm test (scripts/ci-slurm.sh): a real slurmctld and two slurmd on loopback,
# authenticated by munge. Only that test needs them, so only when asked.
slurm_packages=(slurm-wlm munge)
if [[ "${RCBENCH_WITH_SLURM:-0}" == 1 ]]; then
  packages+=("${slurm_packages[@]}")
fi

# The aarch64 cross build (scripts/ci-aarch64.sh): GCC for aarch64, qemu-user to run what
# it builds, and the arm64 builds of every -dev package, installed beside the amd64 ones
# (Debian multiarch; apt may bring a few amd64 libraries to the same version). Only the
# cross job needs them, so only when asked; the header-only ones serve both.
aarch64_packages=(crossbuild-essential-arm64 qemu-user-static
  libbenchmark-dev:arm64 libgtest-dev:arm64 libgmock-dev:arm64 libhwloc-dev:arm64
  libpapi-dev:arm64 libfmt-dev:arm64 libboost-math-dev:arm64 libpython3.11-dev:arm64)
if [[ "${RCBENCH_WITH_AARCH64:-0}" == 1 ]]; then
  packages+=("${aarch64_packages[@]}")
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
echo "install-deps: installing ${missing[*]}"
if [[ "${RCBENCH_WITH_AARCH64:-0}" == 1 ]] && ! dpkg --print-foreign-architectures | grep -qx arm64; then
  $sudo dpkg --add-architecture arm64
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
