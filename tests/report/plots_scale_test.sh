#!/usr/bin/env bash
# Plots that scale (issue 18): a run shaped like the full profile on a 384-PU topology
# (tests/data/topologies/AMD-19h-Zen4-2xEpyc-9654.xml: 2 x EPYC 9654, SMT), with
# placeholder values (scripts/make_scale_fixture.py), goes through `rcbench report`;
# its plots are checked against its report.json (tests/report/check_plots.py): curves
# per workload over 4..384 threads, a ratio heat-table of 20 placement x thread rows,
# the sampled core-to-core matrix, image sizes bounded.
# Usage: plots_scale_test.sh RCBENCH SOURCE_DIR REAL_RUN_JSON WORK_DIR
# REAL_RUN_JSON is a real quick run of this build (the report.real_quick_run test's): the
# fixture copies its catalog, build, cpython and perf objects. Exit 77 (skipped) when
# /usr/bin/python3 has no matplotlib: there are no plots to check.
set -uo pipefail
rcbench=$1 src=$2 real_run=$3 work=$4
python=/usr/bin/python3
if ! "$python" -c 'import matplotlib' 2>/dev/null; then
  echo "skipped: $python has no matplotlib"; exit 77
fi
rm -rf "$work" && mkdir -p "$work"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
start=$SECONDS

# The quick profile runs 9 of the 13 strategies; a one-thread pass over every strategy
# (about a second) brings the catalog entries of the other four.
"$rcbench" run --threads 1 --filter '^refcount/' --repetitions 1 --min-time 0.001 --no-probes \
  --out "$work/single-thread.json" > "$work/single-thread.log" 2>&1 || { cat "$work/single-thread.log"; exit 1; }

fixture=$work/fixture-384pu.json
gen=("$python" "$src/scripts/make_scale_fixture.py" --rcbench "$rcbench"
     --topology "$src/tests/data/topologies/AMD-19h-Zen4-2xEpyc-9654.xml"
     --template "$real_run" --template "$work/single-thread.json" --profile full --repetitions 3)
"${gen[@]}" --out "$fixture" || { echo "FAIL: the fixture generator failed"; exit 1; }
"$python" - "$fixture" <<'EOF' || fail "the fixture is not marked as one or not 384 PUs"
import json, sys
rc = json.load(open(sys.argv[1]))["rcbench"]
assert "not measurements" in rc["fixture"], rc.get("fixture")
assert rc["machine"]["cpu_model"].startswith("FIXTURE"), rc["machine"]["cpu_model"]
assert rc["machine"]["topology"]["pus"] == 384, rc["machine"]["topology"]["pus"]
assert max(b["threads"] for b in rc["benchmarks"]) == 384
print(f"ok: fixture of {len(rc['benchmarks'])} rows, 384 PUs, marked synthetic")
EOF

# The generator refuses to replace its output without --force (exit 2, file unchanged).
before=$(cksum < "$fixture")
"${gen[@]}" --out "$fixture" > "$work/again.txt" 2>&1
status=$?
[[ $status -eq 2 ]] || fail "an existing --out: exit $status, expected 2"
grep -q -- "--force" "$work/again.txt" || fail "the refusal does not mention --force: $(cat "$work/again.txt")"
[[ $(cksum < "$fixture") == "$before" ]] || fail "the refused run changed the fixture"

"$rcbench" report "$fixture" --out-dir "$work/report" > "$work/report.log" 2>&1 \
  || { cat "$work/report.log"; echo "FAIL: rcbench report refused the fixture"; exit 1; }
# The report says first, in report.json and at the top of the page, that nothing is measured.
"$python" - "$work/report" <<'EOF' || fail "the report does not say that the fixture is not a measurement"
import json, os, sys
report = json.load(open(os.path.join(sys.argv[1], "report.json")))
assert "not measurements" in report["run"]["fixture"], report["run"].get("fixture")
assert report["caveats"][0].startswith("NOT A MEASUREMENT: this run is a fixture"), report["caveats"][0]
page = open(os.path.join(sys.argv[1], "report.html"), encoding="utf-8").read()
assert page.index('<p class="fixture">Not a measurement') < page.index("<section"), "no banner before the sections"
EOF
"$python" "$src/tests/report/check_plots.py" "$work/report" --expect-layout curves --expect-matrix yes \
  --min-panels 9 --min-ratio-rows 20 || fail "the 384-PU plots"

echo "384-PU fixture: generated, reported and plots checked in $((SECONDS - start)) s"
exit $((failures > 0))
