#!/usr/bin/env bash
# report.tex compiles on its own: tex_compiles.sh REPORT_DIR. pdflatex runs on a copy in
# a temporary folder (it writes .aux/.log/.pdf beside its input). Exit 77 (skipped)
# without pdflatex: TeX is not a dependency (Debian: texlive-latex-recommended has
# booktabs and geometry).
set -euo pipefail
command -v pdflatex >/dev/null 2>&1 || { echo "no pdflatex: skipped"; exit 77; }
[[ -f "$1/report.tex" ]] || { echo "FAIL: no $1/report.tex"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$1/report.tex" "$work/"
if ! (cd "$work" && timeout 300 pdflatex -interaction=nonstopmode -halt-on-error report.tex > pdflatex.log 2>&1); then
  grep -A3 "^!" "$work/pdflatex.log" | head -20
  echo "FAIL: pdflatex could not compile $1/report.tex"
  exit 1
fi
[[ -s "$work/report.pdf" ]] || { echo "FAIL: no PDF written"; exit 1; }
grep "Output written" "$work/pdflatex.log"
