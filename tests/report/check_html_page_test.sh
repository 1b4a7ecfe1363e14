#!/usr/bin/env bash
# check_html_page.py without a browser: it passes a good page and fails each broken one
# for its own reason (console error, a plot missing, a fetched resource, a folded table's
# row count, colour without legend). Usage: check_html_page_test.sh CHECKER WORK_DIR
set -uo pipefail
checker=$1 work=$2
rm -rf "$work" && mkdir -p "$work/plots"
failures=0
echo '{"made": [{"name": "throughput", "title": "Throughput (ops/s, total) vs threads"}], "skipped": []}' \
  >"$work/plots/plots.json"
: >"$work/quiet.log"
echo '[1:1:1130/1.0:INFO:CONSOLE:1] "Uncaught ReferenceError: f is not defined", source: file:///x (1)' >"$work/error.log"

good='<!DOCTYPE html><html><head><style>p{}</style></head><body>
<table><tbody><tr><td class="ratio" style="background:#ffffff">1×</td></tr></tbody></table>
<div class="legend">cell colour</div>
<details><summary>Table (2 rows)</summary><table><tbody><tr><td>a</td></tr><tr><td>b</td></tr></tbody></table></details>
<figure><figcaption>Throughput (ops/s, total) vs threads</figcaption><svg><use xlink:href="#m0"></use></svg></figure>
</body></html>'

check() {  # check WANT DESCRIPTION DOM LOG [EXPECTED MESSAGE]
  local want=$1 what=$2 dom=$3 log=$4 message=${5:-}
  printf '%s\n' "$dom" >"$work/dom.html"
  "$checker" "$work/dom.html" "$work/$log" "$work/report.html" >"$work/out.txt" 2>"$work/err.txt"
  local got=$?
  if [[ $got -ne $want ]] || { [[ -n $message ]] && ! grep -q -- "$message" "$work/err.txt"; }; then
    echo "FAIL: $what: exit $got (want $want)"; cat "$work/out.txt" "$work/err.txt"; failures=$((failures + 1))
  else
    echo "ok: $what: $(head -1 "$work/err.txt")"
  fi
}

check 0 "a good page" "$good" quiet.log
check 1 "a console error" "$good" error.log "Uncaught ReferenceError"
check 1 "a plot not inline" "${good//<svg>/<img src=\"plots/throughput.png\"><span>}" quiet.log "not on the page"
check 1 "an external stylesheet" "${good/<style>/<link href=\"https://cdn.example/x.css\"><style>}" quiet.log "refers outside"
check 1 "a wrong folded row count" "${good/(2 rows)/(3 rows)}" quiet.log "has 2 rows"
check 1 "colour without a legend" "${good/class=\"legend\"/class=\"x\"}" quiet.log "no colour legend"
check 1 "no document" "" quiet.log "no document"
exit $((failures > 0))
