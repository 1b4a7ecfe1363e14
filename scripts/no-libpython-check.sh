#!/usr/bin/env bash
# A build without libpython (-DRCBENCH_WITH_CPYTHON=OFF, as on a machine where
# pkg-config finds no python-3.11-embed) must still build and run: the real
# interpreter's rows are absent from every plan and the run says why
# ("cpython": {"available": false, "reason": ...}) instead of failing.
# Builds the rcbench binary only, in build/no-libpython; writes nothing else.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=build/no-libpython
cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF -DRCBENCH_WITH_CPYTHON=OFF >/dev/null
cmake --build "$dir" -j "${RCBENCH_JOBS:-$(nproc)}" --target rcbench >/dev/null
bin="$dir/cli/rcbench"
work="$(mktemp -d /tmp/rcbench-no-libpython.XXXXXX)"
trap 'rm -rf "$work"' EXIT

fail() { echo "no-libpython-check: $*" >&2; exit 1; }
for profile in quick default gate; do
  if "$bin" run --profile "$profile" --list | grep -q 'cpython3'; then
    fail "the $profile plan of a build without libpython has real-interpreter rows"
  fi
done
"$bin" run --profile quick --filter '^refcount/plain/private/' --out "$work/run.json" >/dev/null 2>&1 ||
  fail "a quick run of a build without libpython failed"
python3 - "$work/run.json" <<'PY' || fail "the run does not say why it has no real-interpreter rows"
import json, sys
cpython = json.load(open(sys.argv[1]))["rcbench"]["cpython"]
assert cpython["available"] is False, cpython
assert "RCBENCH_WITH_CPYTHON=OFF" in cpython["reason"], cpython
PY
echo "no-libpython-check: OK (no real-interpreter rows; the run records why)"
