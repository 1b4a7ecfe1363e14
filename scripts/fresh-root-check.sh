#!/usr/bin/env bash
# The README's two commands on a pristine Debian 12, as a new user would type them.
#
# A CI machine has packages that a fresh install does not (libhwloc-plugins was one),
# so a missing install step can hide behind them. This builds a minimal Debian 12 root
# with debootstrap, copies this checkout in (tracked and untracked files, nothing
# ignored: what a clean clone holds), and runs inside it, as root, exactly:
#     scripts/test.sh          (the test command)
#     scripts/run.sh quick     (the main job, in its quick form)
# then checks that the main job left a run JSON and its report.
#
# Usage: scripts/fresh-root-check.sh [--keep]    (needs root; --keep leaves the root)
# Environment: RCBENCH_FRESH_ROOT_DIR (default: a new folder under /var/tmp),
#              RCBENCH_DEBIAN_MIRROR (default http://deb.debian.org/debian).
# Everything it makes is under that one folder; mounts are undone and the folder is
# removed on every exit path (error, Ctrl-C), unless --keep.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd)"

keep=0
[[ "${1:-}" == "--keep" ]] && keep=1
if [[ $(id -u) -ne 0 ]]; then
  echo "fresh-root-check: needs root (debootstrap, chroot and bind mounts)" >&2
  exit 2
fi

mirror="${RCBENCH_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
work="${RCBENCH_FRESH_ROOT_DIR:-$(mktemp -d /var/tmp/rcbench-fresh-root.XXXXXX)}"
mkdir -p "$work"
root="$work/root"
mounted=()

cleanup() {
  local status=$?
  # Unmount in reverse order; lazily, so a process still inside cannot block it.
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
    umount -R -l "${mounted[i]}" 2>/dev/null || true
  done
  if ((keep)); then
    echo "fresh-root-check: root kept at $root"
  elif [[ -d "$work" ]]; then
    # Only after every mount is gone: never recurse into the host's /proc, /sys, /dev.
    if ! grep -q " $root" /proc/mounts; then rm -rf --one-file-system "$work"; fi
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

step() { echo "=== fresh root: $* ($(date -u +%H:%M:%S)) ==="; }

if ! command -v debootstrap >/dev/null; then
  step "installing debootstrap on the host"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
fi

step "debootstrap --variant=minbase bookworm"
start=$SECONDS
debootstrap --variant=minbase bookworm "$root" "$mirror" >"$work/debootstrap.log" 2>&1 || {
  tail -20 "$work/debootstrap.log"
  exit 1
}
echo "debootstrap: $((SECONDS - start)) s"

# The guest needs name resolution for apt; nothing else of the host's is copied.
cp /etc/resolv.conf "$root/etc/resolv.conf"
for fs in proc sys dev; do
  mount --rbind "/$fs" "$root/$fs"
  mount --make-rslave "$root/$fs"
  mounted+=("$root/$fs")
done

step "copying the checkout (tracked + untracked, not ignored)"
mkdir -p "$root/src/rcbench"
git -C "$repo" ls-files -z --cached --others --exclude-standard |
  (cd "$repo" && tar --null -T - -cf -) | tar -xf - -C "$root/src/rcbench"
# The history too, when this is a clone's own folder (a worktree's .git is a file that
# points outside): the build records the revision it was made from.
if [[ -d "$repo/.git" ]]; then cp -a "$repo/.git" "$root/src/rcbench/.git"; fi
# ../shared beside the checkout, as CI has it, when it exists.
if [[ -d "$repo/../shared" ]]; then cp -a "$repo/../shared" "$root/src/shared"; fi

# A clean environment: what a user's login shell on that machine would have.
in_root() {
  chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    /bin/bash -c "cd /src/rcbench && $1"
}

step "scripts/test.sh (the README's test command)"
start=$SECONDS
in_root "scripts/test.sh" 2>&1 | tee "$work/test.log"
# The summary again, for CI's log to end with (RCBENCH_FRESH_ROOT_SUMMARY names a file).
if [[ -n "${RCBENCH_FRESH_ROOT_SUMMARY:-}" ]]; then
  sed -n '/tests passed, /,$p' "$work/test.log" >"$RCBENCH_FRESH_ROOT_SUMMARY"
fi
echo "fresh root: scripts/test.sh passed in $((SECONDS - start)) s"

step "scripts/run.sh quick (the README's main job, quick form)"
start=$SECONDS
in_root "scripts/run.sh quick"
runs=("$root"/src/rcbench/out/run-quick-*.json)
reports=("$root"/src/rcbench/out/report-quick-*/report.json)
if [[ ! -f "${runs[0]}" || ! -f "${reports[0]}" ]]; then
  echo "fresh root: scripts/run.sh quick wrote no run JSON or no report" >&2
  exit 1
fi
echo "fresh root: scripts/run.sh quick wrote ${runs[0]#"$root"/src/rcbench/} and its report in $((SECONDS - start)) s"
