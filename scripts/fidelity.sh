#!/usr/bin/env bash
# The fidelity check (docs/fidelity.md): builds the release preset's rcbench_fidelity
# and runs it, rcbench's rows against independent loops, alternated in one process.
# Usage: scripts/fidelity.sh [--rounds N] [--out FILE.md] [other rcbench_fidelity flags]
# Markdown goes to stdout, or to FILE.md, which must not exist yet: it is written
# whole (a temporary file in the same folder, then linked into place) or not at all.
set -euo pipefail
out=""
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --out) [ $# -ge 2 ] || { echo "fidelity.sh: --out needs a file" >&2; exit 2; }; out="$2"; shift 2 ;;
    --out=*) out="${1#--out=}"; shift ;;
    *) args+=("$1"); shift ;;
  esac
done
if [ -n "$out" ]; then
  out="$(realpath -m -- "$out")"
  if [ -e "$out" ] || [ -L "$out" ]; then
    echo "fidelity.sh: $out exists; not overwriting it" >&2
    exit 2
  fi
  [ -d "$(dirname "$out")" ] || { echo "fidelity.sh: no folder $(dirname "$out")" >&2; exit 2; }
fi

cd "$(dirname "$0")/.."
cmake --preset release >/dev/null
cmake --build --preset release --target rcbench_fidelity -j "${RCBENCH_JOBS:-2}" >&2
bin=build/release/bench/fidelity/rcbench_fidelity

if [ -z "$out" ]; then
  exec "$bin" "${args[@]}"
fi
tmp="$(mktemp "$(dirname "$out")/.$(basename "$out").XXXXXX")"
trap 'rm -f "$tmp"' EXIT
"$bin" "${args[@]}" >"$tmp"
chmod "$(printf %04o $(( 0666 & ~0$(umask) )))" "$tmp"  # mktemp made it 0600
# A hard link fails if the name exists: a file that appeared meanwhile is not replaced.
if ! ln "$tmp" "$out" 2>/dev/null; then
  echo "fidelity.sh: could not create $out (it appeared meanwhile, or the folder refuses links)" >&2
  exit 1
fi
echo "fidelity.sh: wrote $out" >&2
