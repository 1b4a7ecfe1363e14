#!/usr/bin/env bash
# check-html-render.sh must fail a page that renders but throws a script error in the
# browser: a copy of a good report page with a failing script appended.
# Usage: html_render_catches_errors.sh CHECK_SCRIPT GOOD_REPORT_DIR WORK_DIR
# Exit 77 (skipped) when the checker finds no Chromium.
set -uo pipefail
check=$1 good=$2 work=$3
rm -rf "$work" && cp -r "$good" "$work"
sed -i 's|</body>|<script>no_such_function();</script></body>|' "$work/report.html"
"$check" "$work/report.html" "$work/shot.png" >"$work/out.txt" 2>&1
status=$?
cat "$work/out.txt"
[[ $status -eq 77 ]] && exit 77
if [[ $status -ne 1 ]] || ! grep -q "console message: .*no_such_function" "$work/out.txt"; then
  echo "FAIL: a page with a script error passed the render check (exit $status)"
  exit 1
fi
echo "ok: the script error was caught"
