#!/usr/bin/python3
"""check_html_page.py DOM.html BROWSER_LOG REPORT.html: what headless Chromium made of a
report page (check-html-render.sh runs it on `chromium --dump-dom` and its
--enable-logging=stderr log).

Fails (exit 1, the reasons on stderr) when:
  - the browser logged a console message (the page has no script: any message is an
    error, such as an uncaught exception or a resource that failed to load);
  - the page refers to anything outside itself (img/script/link/iframe/object sources,
    CSS url(...) other than #fragments and data:);
  - a plot listed in plots/plots.json beside the page is not a <figure> with an inline
    <svg> under its title, or a figure says "(SVG missing)";
  - a folded table's <summary> gives a row count other than its table's;
  - a coloured ratio cell has no legend.
Exit 2: usage or unreadable input."""
import json
import os
import re
import sys
from html.parser import HTMLParser


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack = []            # open element names
        self.external = []         # (tag, attribute, value) pointing outside the page
        self.figures = []          # {"caption": str, "svg": bool}
        self.folds = []            # {"summary": str, "rows": int}
        self.ratio_cells = 0
        self.legends = 0
        self._caption = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for attr in ("src", "href", "data", "xlink:href"):
            value = (a.get(attr) or "").strip()
            if value and not value.startswith(("#", "data:")):
                self.external.append((tag, attr, value))
        style = a.get("style") or ""
        for url in re.findall(r"url\(\s*['\"]?([^'\")]*)", style):
            if not url.startswith(("#", "data:")):
                self.external.append((tag, "style", url))
        if tag == "figure":
            self.figures.append({"caption": "", "svg": False})
        if tag == "figcaption":
            self._caption = ""
        if tag == "svg" and "figure" in self.stack and self.figures:
            self.figures[-1]["svg"] = True
        if tag == "details":
            self.folds.append({"summary": "", "rows": 0})
        if tag == "summary":
            self._caption = ""
        if tag == "tr" and "details" in self.stack and "tbody" in self.stack and self.folds:
            self.folds[-1]["rows"] += 1
        if tag == "td" and "ratio" in (a.get("class") or "").split():
            self.ratio_cells += 1
        if tag == "div" and "legend" in (a.get("class") or "").split():
            self.legends += 1
        self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag == "figcaption" and self.figures and self._caption is not None:
            self.figures[-1]["caption"] = self._caption.strip()
            self._caption = None
        if tag == "summary" and self.folds and self._caption is not None:
            self.folds[-1]["summary"] = self._caption.strip()
            self._caption = None
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass

    def handle_data(self, data):
        if self._caption is not None:
            self._caption += data


def main():
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    dom_path, log_path, page_path = sys.argv[1:]
    try:
        with open(dom_path, encoding="utf-8") as f:
            dom = f.read()
        with open(log_path, encoding="utf-8", errors="replace") as f:
            log = f.read()
    except OSError as e:
        print(f"check_html_page: {e}", file=sys.stderr)
        return 2
    problems = []
    if "</html>" not in dom:
        problems.append("the browser returned no document (--dump-dom is empty or cut)")

    console = [line for line in log.splitlines() if re.search(r":CONSOLE[:(]", line)]
    problems += [f"console message: {line.split('] ', 1)[-1]}" for line in console]

    page = Page()
    page.feed(dom)
    problems += [f"<{t} {a}=\"{v}\"> refers outside the page" for t, a, v in page.external]

    manifest = os.path.join(os.path.dirname(os.path.abspath(page_path)), "plots", "plots.json")
    expected = []
    if os.path.exists(manifest):
        with open(manifest) as f:
            expected = [p["title"] for p in json.load(f).get("made", [])]
    drawn = [f["caption"] for f in page.figures if f["svg"]]
    for title in expected:
        if title not in drawn:
            problems.append(f"plot '{title}' (plots.json) is not on the page as an inline SVG figure")
    if "(SVG missing)" in dom:
        problems.append("a figure says (SVG missing)")

    for fold in page.folds:
        m = re.search(r"\((\d+) rows?\)$", fold["summary"])
        if not m or int(m.group(1)) != fold["rows"]:
            problems.append(f"folded table '{fold['summary']}' has {fold['rows']} rows")
    if page.ratio_cells and not page.legends:
        problems.append(f"{page.ratio_cells} coloured ratio cells and no colour legend")

    print(f"check_html_page: {len(drawn)} SVG figure(s) of {len(expected)} in plots.json, "
          f"{len(page.folds)} folded table(s), {page.ratio_cells} coloured cell(s), "
          f"{len(console)} console message(s)")
    for p in problems:
        print(f"check_html_page: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
