#!/usr/bin/env bash
# A virtual lab: boots a throw-away QEMU guest shaped like a lab machine (sockets, dies,
# SMT, NUMA nodes), runs a command inside with the freshly built rcbench, and brings back
# the guest's output folder and the command's exit status.
#
#   scripts/vlab.sh --preset 2s-smt-2n --out DIR [options] -- rcbench topology
#   scripts/vlab.sh --smp 4,sockets=2,cores=2,threads=1 --nodes "0-1 2-3" --out DIR -- CMD...
#
# Options:
#   --preset NAME     a shape from scripts/vlab/presets.sh (--list-presets shows them)
#   --smp S --nodes "A-B C-D ..."   an explicit shape instead (one CPU range per node)
#   --out DIR         where the guest's /out is unpacked (created; must not hold files)
#   --bin PATH        another executable for the guest's PATH, with its libraries (repeatable;
#                     build/release/cli/rcbench is always there; a binary that links libpython
#                     gets that interpreter's standard library too)
#   --data DIR        a host folder copied to the same absolute path inside (repeatable;
#                     test binaries carry their data folder's path from compile time)
#   --script FILE     a sh script to run inside instead of the command after --
#   --memory MIB      guest RAM in MiB, split evenly over the nodes (default 2048)
#   --timeout S       hard limit for the whole guest, boot included (default 600)
#   --build DIR       the build folder holding cli/rcbench (default build/release)
#   --append ARGS     more kernel arguments (e.g. loglevel=7 to see a boot on console.log)
#
# The command runs in the guest's /out with busybox sh; its stdout and stderr land in
# /out/guest.log (printed here when it fails). This script exits with the command's status;
# 124 when the guest ran past --timeout, 125 when the guest never reported (crash, bad
# kernel) or the lab itself could not be set up. A guest that has not reached its /init
# after RCBENCH_VLAB_BOOT_LIMIT seconds (default 120; boots take 3-5 s) is booted once more. Timings inside a TCG guest are meaningless:
# check function (rows, PUs, classes), measure elsewhere (PITFALLS.md, "QEMU guests").
#
# Packages: qemu-system-x86, busybox-static, cpio (scripts/install-deps.sh with
# RCBENCH_WITH_VLAB=1 installs them when missing). The kernel is Debian's cloud kernel,
# unpacked (not installed) into build/vlab-cache with the base initramfs.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=vlab/presets.sh
source "$repo/scripts/vlab/presets.sh"

die() { echo "vlab: $*" >&2; exit 125; }
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 125; }

preset="" smp="" nodes="" out="" script="" memory=2048 timeout_s=600 append=""
build="$repo/build/release"
bins=() datas=() cmd=()
while (($#)); do
  case "$1" in
    --preset) preset="$2"; shift 2 ;;
    --smp) smp="$2"; shift 2 ;;
    --nodes) nodes="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --bin) bins+=("$2"); shift 2 ;;
    --data) datas+=("$2"); shift 2 ;;
    --script) script="$2"; shift 2 ;;
    --memory) memory="$2"; shift 2 ;;
    --timeout) timeout_s="$2"; shift 2 ;;
    --build) build="$2"; shift 2 ;;
    --append) append="$2"; shift 2 ;;
    --list-presets)
      for p in "${!VLAB_SMP[@]}"; do echo "$p  -smp ${VLAB_SMP[$p]}  nodes: ${VLAB_NODES[$p]}"; done | sort
      exit 0 ;;
    -h|--help) usage ;;
    --) shift; cmd=("$@"); break ;;
    *) echo "vlab: unknown argument '$1'" >&2; usage ;;
  esac
done

if [[ -n "$preset" ]]; then
  [[ -n "${VLAB_SMP[$preset]:-}" ]] || die "no preset '$preset' (--list-presets)"
  smp="${VLAB_SMP[$preset]}" nodes="${VLAB_NODES[$preset]}"
fi
[[ -n "$smp" && -n "$nodes" ]] || die "give --preset, or --smp and --nodes"
[[ -n "$out" ]] || die "give --out DIR"
[[ -n "$script" || ${#cmd[@]} -gt 0 ]] || die "give a command after -- or --script FILE"
[[ -z "$script" || -f "$script" ]] || die "no script '$script'"
[[ "$memory" =~ ^[0-9]+$ && "$timeout_s" =~ ^[0-9]+$ ]] || die "--memory and --timeout take whole numbers"
rcbench="$build/cli/rcbench"
[[ -x "$rcbench" ]] || die "no $rcbench: build first (cmake --build --preset release)"
if [[ -d "$out" && -n "$(ls -A "$out")" ]]; then die "--out $out is not empty"; fi

# The lab's own tools; installed through the project's one package list when missing.
busybox=/bin/busybox
need_install=0
command -v qemu-system-x86_64 >/dev/null || need_install=1
command -v cpio >/dev/null || need_install=1
# The guest has no libraries of its own for busybox: it must be the static build.
if [[ ! -x $busybox ]] || ldd $busybox >/dev/null 2>&1; then need_install=1; fi
if ((need_install)); then RCBENCH_WITH_VLAB=1 "$repo/scripts/install-deps.sh" >&2; fi

work="$(mktemp -d "${TMPDIR:-/var/tmp}/rcbench-vlab-XXXXXX")"
qemu_pid=""
cleanup() {
  if [[ -n "$qemu_pid" ]] && kill -0 "$qemu_pid" 2>/dev/null; then kill "$qemu_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

cache="$build/../vlab-cache"
mkdir -p "$cache"
cache="$(cd "$cache" && pwd)"

# --- kernel: the versioned package linux-image-cloud-amd64 depends on, unpacked ----------
# The cloud flavour boots fast and has serial, devtmpfs and NUMA built in; nothing is
# installed on the host. Offline, the newest kernel already in the cache is used.
kernel_package() {
  apt-cache depends linux-image-cloud-amd64 2>/dev/null |
    awk '/Depends: linux-image-[0-9]/ { print $2; exit }'
}
pkg="$(kernel_package || true)"
if [[ -z "$pkg" ]]; then
  apt-get update -qq >&2 || true
  pkg="$(kernel_package || true)"
fi
if [[ -n "$pkg" ]]; then
  kernel="$cache/vmlinuz-$pkg"
  if [[ ! -f "$kernel" ]]; then
    echo "vlab: fetching $pkg (once; cached in $cache)" >&2
    mkdir "$work/kernel"
    # apt's _apt user must be able to write where it downloads.
    chmod 755 "$work"
    if id _apt >/dev/null 2>&1; then chown _apt "$work/kernel"; fi
    if ! (cd "$work/kernel" && apt-get download -qq "$pkg" >&2); then
      apt-get update -qq >&2 || true
      (cd "$work/kernel" && apt-get download -qq "$pkg" >&2) || die "apt-get download $pkg failed"
    fi
    dpkg-deb --fsys-tarfile "$work"/kernel/*.deb | tar -x -C "$work/kernel" ./boot
    found=("$work"/kernel/boot/vmlinuz-*)
    [[ -f "${found[0]}" ]] || die "$pkg holds no /boot/vmlinuz-*"
    cp "${found[0]}" "$kernel.tmp.$$" && mv "$kernel.tmp.$$" "$kernel"
    rm -rf "$work/kernel"
    # A newer Debian kernel replaces the cached one: keep only what this run uses.
    find "$cache" -maxdepth 1 -name 'vmlinuz-*' ! -name "$(basename "$kernel")" -delete
  fi
else
  kernel="$(ls -t "$cache"/vmlinuz-* 2>/dev/null | head -n1 || true)"
  [[ -n "$kernel" ]] || die "cannot find linux-image-cloud-amd64 in apt and no kernel is cached"
fi

# --- base initramfs: busybox and /init, cached by their content ---------------------------
init="$repo/scripts/vlab/init"
base_key="$( (sha256sum "$busybox" "$init" | cut -d' ' -f1) | sha256sum | cut -c1-16)"
base="$cache/base-$base_key.cpio"
if [[ ! -f "$base" ]]; then
  root="$work/base"
  mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,out,vlab/bin}
  cp "$busybox" "$root/bin/busybox"
  for applet in $("$busybox" --list); do
    [[ -e "$root/bin/$applet" ]] || ln -s busybox "$root/bin/$applet"
  done
  cp "$init" "$root/init"
  (cd "$root" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc --quiet) > "$base.tmp.$$"
  mv "$base.tmp.$$" "$base"
  rm -rf "$root"
  find "$cache" -maxdepth 1 -name 'base-*.cpio' ! -name "$(basename "$base")" -delete
fi

# --- this run's layer: binaries, their libraries and the loader, data, the command ---------
# Linux unpacks concatenated newc archives in order, so the base stays cached as is.
root="$work/run"
mkdir -p "$root/vlab/bin"
add_file() {   # host path -> same path inside, following links so the guest gets the bytes
  mkdir -p "$root$(dirname "$1")"
  cp -L "$1" "$root$1"
}
for bin in "$rcbench" "${bins[@]}"; do
  [[ -x "$bin" ]] || die "--bin $bin is not an executable"
  cp -L "$bin" "$root/vlab/bin/$(basename "$bin")"
  # ldd lists "name => /path (addr)" and the loader as "/path (addr)".
  while read -r lib; do
    [[ -e "$root$lib" ]] || add_file "$lib"
  done < <(ldd "$bin" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }')
done
# A binary that embeds CPython (rcbench's real-interpreter rows link libpython) needs its
# standard library too: Py_Initialize imports encodings, site, ... from files, and without
# them the process dies at its first real-interpreter row. It is looked for under the
# library's own prefix (Debian's libpython3.X: /usr/lib/python3.X), copied without what
# an embedded interpreter never imports at start-up and a benchmark never needs (bytecode
# caches, the test suite, Tk, the static library in config-*, site/dist-packages).
add_python_stdlib() {   # $1: the libpython ldd listed
  local lib version prefix stdlib
  lib="$(readlink -f "$1")"
  version="$(basename "$lib" | sed -n 's/^libpython\([0-9]*\.[0-9]*\).*/\1/p')"
  prefix="${lib%%/lib/*}"
  stdlib="$prefix/lib/python$version"
  [[ -n "$version" && -f "$stdlib/os.py" ]] || die "$1 embeds CPython, but its standard library is not in $stdlib"
  [[ -e "$root$stdlib/os.py" ]] && return 0
  mkdir -p "$root$stdlib"
  tar -C "$stdlib" --exclude=__pycache__ --exclude=./test --exclude=./idlelib --exclude=./tkinter \
      --exclude=./turtledemo --exclude=./ensurepip --exclude=./lib2to3 --exclude='./config-*' \
      --exclude=./site-packages --exclude=./dist-packages -cf - . | tar -C "$root$stdlib" -xf -
}
while read -r lib; do
  add_python_stdlib "$lib"
done < <(for bin in "$rcbench" "${bins[@]}"; do ldd "$bin"; done |
           awk '$1 ~ /^libpython[0-9]/ && $3 ~ /^\// { print $3 }' | sort -u)
for dir in "${datas[@]}"; do
  [[ -d "$dir" ]] || die "--data $dir is not a folder"
  dir="$(cd "$dir" && pwd)"
  mkdir -p "$root$dir"
  cp -rL "$dir/." "$root$dir/"
done
if [[ -n "$script" ]]; then
  cp "$script" "$root/vlab/cmd"
else
  printf '%q ' "${cmd[@]}" > "$root/vlab/cmd"
  echo >> "$root/vlab/cmd"
fi
(cd "$root" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc --quiet) > "$work/run.cpio"
cat "$base" "$work/run.cpio" > "$work/initrd"
rm -rf "$root" "$work/run.cpio"

# --- the guest ------------------------------------------------------------------------------
read -r -a node_ranges <<< "$nodes"
n_nodes=${#node_ranges[@]}
((memory % n_nodes == 0)) || die "--memory $memory MiB does not split evenly over $n_nodes nodes"
numa_args=()
for i in "${!node_ranges[@]}"; do
  numa_args+=(-object "memory-backend-ram,id=m$i,size=$((memory / n_nodes))M"
              -numa "node,nodeid=$i,memdev=m$i,cpus=${node_ranges[$i]}")
done

# TCG, not KVM: /dev/kvm here is software nested virtualisation and an unmodified kernel
# crawls or dies under it. An Intel model makes the guest read the shape from CPUID.
console="$work/console.log" channel="$work/channel.b64"
# One guest, the whole of what is left of --timeout. Returns QEMU's status (124: the hard
# limit), or 3 when the guest's /init did not announce itself within boot_limit seconds:
# under TCG with many vCPUs on 2 host cores a boot very rarely stalls before userspace
# (1 in 61 boots measured on the development VM, 32-vCPU preset), and a boot normally takes 3-10 s.
boot_guest() {
  local limit=$(($1 > 1 ? $1 : 1)) booted=0 t0=$SECONDS   # timeout 0 would mean none
  rm -f "$console" "$channel"
  timeout -k 10 "$limit" qemu-system-x86_64 \
    -accel tcg,thread=multi -cpu Skylake-Client-noTSX-IBRS \
    -smp "$smp" -m "${memory}M" "${numa_args[@]}" \
    -kernel "$kernel" -initrd "$work/initrd" \
    -append "console=ttyS0 rdinit=/init panic=-1 loglevel=4 $append" \
    -nodefaults -no-reboot -display none -monitor none -net none \
    -serial "file:$console" \
    -chardev "file,id=vlabout,path=$channel" -serial chardev:vlabout 2> "$work/qemu.err" &
  qemu_pid=$!
  while kill -0 "$qemu_pid" 2>/dev/null; do
    if ((!booted)) && grep -aq '^vlab: .* running /vlab/cmd' "$console" 2>/dev/null; then
      booted=1
      boot_log+=("attempt $attempt: reached /init after $((SECONDS - t0)) s")
    fi
    if ((!booted && SECONDS - t0 > boot_limit)); then
      boot_log+=("attempt $attempt: stalled: no /init after $((SECONDS - t0)) s")
      kill "$qemu_pid" 2>/dev/null
      wait "$qemu_pid" 2>/dev/null
      qemu_pid=""
      return 3
    fi
    sleep 1
  done
  if ((!booted)); then   # QEMU ended between two looks: did its guest get as far as /init?
    if grep -aq '^vlab: .* running /vlab/cmd' "$console" 2>/dev/null; then
      boot_log+=("attempt $attempt: reached /init within $((SECONDS - t0)) s")
    else
      boot_log+=("attempt $attempt: QEMU ended after $((SECONDS - t0)) s before /init")
    fi
  fi
  wait "$qemu_pid"
  local status=$?
  qemu_pid=""
  return "$status"
}
boot_limit=${RCBENCH_VLAB_BOOT_LIMIT:-120}
# One line per boot (reached /init after N s, or stalled), written to --out as boots.txt:
# how often boots stall is a fact the CI log reports (scripts/vlab-check.sh).
boot_log=()
write_boot_log() {
  mkdir -p "$out"
  printf '%s\n' "${boot_log[@]}" > "$out/boots.txt"
}
echo "vlab: booting -smp $smp, nodes: $nodes, ${memory} MiB, limit ${timeout_s} s" >&2
start=$SECONDS
for attempt in 1 2; do
  qemu_status=0
  boot_guest $((timeout_s - (SECONDS - start))) || qemu_status=$?
  ((qemu_status == 3)) || break
  echo "vlab: attempt $attempt: the guest did not reach /init in ${boot_limit} s; its console ends:" >&2
  tail -n 5 "$console" >&2 || true
  # Kept whole beside the outputs: the next attempt starts a new console log.
  mkdir -p "$out" && cp "$console" "$out/console-stalled-attempt-$attempt.log" 2>/dev/null || true
  if ((attempt == 1 && timeout_s - (SECONDS - start) > 30)); then
    echo "vlab: booting again (the command had not started)" >&2
  else
    echo "vlab: the guest never reached /init; giving up" >&2
    write_boot_log
    exit 124
  fi
done
echo "vlab: guest ran $((SECONDS - start)) s" >&2

# QEMU's stderr without the warnings every TCG boot prints (features TCG lacks).
qemu_errors() { grep -v "TCG doesn't support requested feature" "$work/qemu.err" | head -n 20 >&2 || true; }

write_boot_log
cp "$console" "$out/console.log" 2>/dev/null || true
if ((qemu_status == 124)); then
  tail -n 20 "$out/console.log" >&2 || true
  qemu_errors
  echo "vlab: guest ran past ${timeout_s} s and was stopped" >&2
  exit 124
fi
tr -d '\r' < "$channel" > "$work/channel.txt" 2>/dev/null || true
end_line="$(grep -a '^VLAB-END [0-9]*$' "$work/channel.txt" | tail -n1 || true)"
if [[ -z "$end_line" ]] || ! grep -aq '^VLAB-BEGIN$' "$work/channel.txt"; then
  tail -n 20 "$out/console.log" >&2 || true
  qemu_errors
  die "the guest never reported (qemu exited $qemu_status; console in $out/console.log)"
fi
status="${end_line#VLAB-END }"
sed -n '/^VLAB-BEGIN$/,/^VLAB-END /{/^VLAB-/d;p}' "$work/channel.txt" | base64 -d |
  tar -x -C "$out" || die "the guest's output did not unpack"
if [[ "$status" != 0 ]]; then
  echo "vlab: the command exited $status inside; its output:" >&2
  tail -n 40 "$out/guest.log" >&2 || true
else
  cat "$out/guest.log" 2>/dev/null || true
fi
exit "$status"
