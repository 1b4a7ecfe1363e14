#!/usr/bin/env bash
# `rcbench report` through the binary: exit statuses (0 ok, 2 bad input or existing
# output) and an output directory that is never half-written.
# Usage: cli_report_test.sh RCBENCH RUNS_DIR WORK_DIR (WORK_DIR/ok is kept for the
# HTML render test).
set -uo pipefail
rcbench=$1 runs=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
failures=0

expect() {  # expect STATUS DESCRIPTION -- command...
  local want=$1 what=$2
  shift 3
  "$@" >"$work/out.txt" 2>"$work/err.txt"
  local got=$?
  if [[ $got -ne $want ]]; then
    echo "FAIL: $what: exit $got, expected $want"; cat "$work/err.txt"; failures=$((failures + 1))
  else
    echo "ok: $what (exit $got) $(head -c 300 "$work/err.txt" | head -1)"
  fi
}
absent() {
  if [[ -e "$1" ]]; then echo "FAIL: $1 exists after a failed run"; failures=$((failures + 1)); fi
}

expect 0 "report of the synthetic run" -- "$rcbench" report "$runs/two-vcpu-synthetic.json" --out-dir "$work/ok"
for f in report.json tables.md tables.csv report.html report.tex; do
  [[ -s "$work/ok/$f" ]] || { echo "FAIL: $f missing"; failures=$((failures + 1)); }
done
grep -q "^wrote $work/ok/" "$work/out.txt" || { echo "FAIL: no 'wrote' line"; failures=$((failures + 1)); }

expect 2 "existing output without --force" -- "$rcbench" report "$runs/two-vcpu-synthetic.json" --out-dir "$work/ok"
grep -q -- "--force" "$work/err.txt" || { echo "FAIL: message does not mention --force"; failures=$((failures + 1)); }
expect 0 "a Markdown-only report" -- "$rcbench" report "$runs/two-vcpu-synthetic.json" --out-dir "$work/forced" --formats md
expect 0 "replaced with --force" -- "$rcbench" report "$runs/two-vcpu-synthetic.json" --out-dir "$work/forced" --formats csv --force
[[ -f "$work/forced/tables.csv" && ! -e "$work/forced/tables.md" ]] || {
  echo "FAIL: --force did not replace the report whole"; failures=$((failures + 1)); }

expect 2 "malformed JSON" -- "$rcbench" report "$runs/malformed.json" --out-dir "$work/bad1"
grep -q "not valid JSON" "$work/err.txt" || { echo "FAIL: malformed message"; failures=$((failures + 1)); }
absent "$work/bad1"
expect 2 "missing GIL baselines" -- "$rcbench" report "$runs/missing-baseline.json" --out-dir "$work/bad2"
grep -q "no GIL baseline" "$work/err.txt" || { echo "FAIL: baseline message"; failures=$((failures + 1)); }
absent "$work/bad2"
expect 2 "unknown format version" -- "$rcbench" report "$runs/unknown-version.json" --out-dir "$work/bad3"
absent "$work/bad3"
expect 2 "missing file" -- "$rcbench" report "$runs/no-such-run.json" --out-dir "$work/bad4"
absent "$work/bad4"
expect 2 "unknown format name" -- "$rcbench" report "$runs/two-vcpu-synthetic.json" --formats json,pdf --out-dir "$work/bad5"
absent "$work/bad5"

leftovers=$(find "$work" -maxdepth 1 -name '.*-*' | wc -l)
[[ $leftovers -eq 0 ]] || { echo "FAIL: $leftovers staging directories left in $work"; failures=$((failures + 1)); }
exit $((failures > 0))
