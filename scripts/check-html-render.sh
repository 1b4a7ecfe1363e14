#!/usr/bin/env bash
# Renders a report page in headless Chromium and checks the screenshot shows
# something, then loads it again for its DOM and console log and checks those
# (check_html_page.py: no console errors, nothing fetched, every plot of
# plots/plots.json inline as SVG, folded tables' row counts): check-html-render.sh
# REPORT.html OUT.png
#
# Exit 0: rendered, non-blank, page checks pass. 1: blank or missing screenshot, or a
# page check failed. 2: usage.
# 77: Chromium not installed (ctest's "skipped"; RCBENCH_WITH_BROWSER=1
# scripts/install-deps.sh installs it).
set -euo pipefail

if [[ $# -ne 2 ]]; then
  echo "usage: $0 REPORT.html OUT.png" >&2
  exit 2
fi
html=$(realpath "$1")
out=$2
[[ -f "$html" ]] || { echo "check-html-render: $html: no such file" >&2; exit 2; }

browser=""
for b in chromium chromium-browser google-chrome; do
  if command -v "$b" >/dev/null 2>&1; then browser=$b; break; fi
done
if [[ -z "$browser" ]]; then
  echo "check-html-render: no Chromium found (install with RCBENCH_WITH_BROWSER=1 scripts/install-deps.sh)" >&2
  exit 77
fi

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
rm -f "$out"
# Everything that could reach the network is off: the page must be self-contained.
browser_flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
  --disable-background-networking --disable-component-update --disable-sync
  --user-data-dir="$profile" --hide-scrollbars --window-size=1400,3000)
timeout 120 "$browser" "${browser_flags[@]}" --screenshot="$out" "file://$html" >"$profile/log.txt" 2>&1 || {
  echo "check-html-render: $browser failed:" >&2
  tail -5 "$profile/log.txt" >&2
  exit 1
}

if [[ ! -s "$out" ]]; then
  echo "check-html-render: no screenshot written to $out" >&2
  exit 1
fi

# Blank means one colour everywhere: measure the pixel spread (matplotlib reads PNG).
/usr/bin/python3 - "$out" <<'EOF'
import sys
import matplotlib.image as mpimg
img = mpimg.imread(sys.argv[1])
rgb = img[..., :3]
spread = float(rgb.std())
dark = float((rgb.mean(axis=2) < 0.5).mean())   # share of dark (text, lines) pixels
print(f"check-html-render: {sys.argv[1]}: {img.shape[1]}x{img.shape[0]} px, "
      f"pixel std {spread:.3f}, dark pixels {100 * dark:.1f}%")
if spread < 0.02 or dark < 0.001:
    print("check-html-render: the screenshot is blank", file=sys.stderr)
    sys.exit(1)
EOF

# The page as the browser built it, and what it logged while doing so.
timeout 120 "$browser" "${browser_flags[@]}" --enable-logging=stderr --v=0 --dump-dom "file://$html" \
  >"$profile/dom.html" 2>"$profile/dom-log.txt" || {
  echo "check-html-render: $browser --dump-dom failed:" >&2
  tail -5 "$profile/dom-log.txt" >&2
  exit 1
}
/usr/bin/python3 "$(dirname "$0")/check_html_page.py" "$profile/dom.html" "$profile/dom-log.txt" "$html"
