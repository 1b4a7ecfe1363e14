#!/usr/bin/python3
"""plot_matrix_check.py PLOT_MATRIX WORKDIR: scripts/plot_matrix.py draws a 384-PU matrix
(PNG and SVG per method, plots.json naming them). The matrix is a FIXTURE made here, in
the test's own folder: made-up latencies by class (never measured, never committed), on
the PU order and boundaries of a 2-package, 24-L3, SMT machine. Exits 77 (skipped) only
when matplotlib is absent."""
import json
import os
import shutil
import subprocess
import sys


def fixture(path):
    n, per_core, per_l3, per_numa, per_pkg = 384, 2, 16, 96, 192
    pus = [c + 192 * t for c in range(192) for t in range(per_core)]  # SMT siblings adjacent
    made_up_ns = {"smt": 8.0, "l3": 25.0, "numa": 90.0, "package": 110.0, "machine": 180.0}

    def cls(i, j):
        for size, name in ((per_core, "smt"), (per_l3, "l3"), (per_numa, "numa"), (per_pkg, "package")):
            if i // size == j // size:
                return name
        return "machine"

    grid = [[None if i == j else made_up_ns[cls(i, j)] + (i * 7 + j * 7) % 5 for j in range(n)] for i in range(n)]
    grid[0][5] = grid[5][0] = None  # a pair not measured: drawn blank
    doc = {"format": "rcbench-matrix", "format_version": 1,
           "FIXTURE": "made-up values for the plot test; not a measurement",
           "statistic": "fixture values (made up)", "pus": pus,
           "boundaries": {"core": list(range(2, n, 2)), "l3": list(range(16, n, 16)),
                          "numa": list(range(96, n, 96)), "package": [192]},
           "methods": {"two_line": {"one_way_ns": grid, "by_class": []},
                       "one_line_cas": {"one_way_ns": [[None if v is None else v / 2 for v in r] for r in grid],
                                        "by_class": []}}}
    with open(path, "w") as f:
        json.dump(doc, f)


def main():
    script, work = sys.argv[1], sys.argv[2]
    try:
        subprocess.run(["/usr/bin/python3", "-c", "import matplotlib"], check=True, capture_output=True)
    except subprocess.CalledProcessError:
        print("SKIP: /usr/bin/python3 has no matplotlib")
        return 77
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    src = os.path.join(work, "fixture-384pu-matrix.json")
    fixture(src)
    outdir = os.path.join(work, "plots")
    p = subprocess.run(["/usr/bin/python3", script, src, outdir], capture_output=True, text=True)
    print(p.stdout, p.stderr)
    if p.returncode != 0:
        print(f"FAIL: exit {p.returncode}")
        return 1
    with open(os.path.join(outdir, "plots.json")) as f:
        manifest = json.load(f)
    names = sorted(m["name"] for m in manifest["made"])
    if names != ["c2c_one_line_cas", "c2c_two_line"] or manifest["skipped"]:
        print(f"FAIL: manifest {manifest}")
        return 1
    for name in names:
        png, svg = os.path.join(outdir, name + ".png"), os.path.join(outdir, name + ".svg")
        with open(png, "rb") as f:
            if f.read(8) != b"\x89PNG\r\n\x1a\n":
                print(f"FAIL: {png} is not a PNG")
                return 1
        with open(svg) as f:
            text = f.read()
        if "<svg" not in text:
            print(f"FAIL: {svg} is not an SVG")
            return 1
        # The labels the contract asks for: the colour bar's and the source in the title.
        # Matplotlib writes SVG text as glyph paths, with the string in a comment.
        for label in ("one-way latency (ns)", "fixture-384pu-matrix.json"):
            if label not in text:
                print(f"FAIL: {svg} lacks {label!r}")
                return 1
    # A file that is not a matrix: exit 2, nothing drawn.
    bad = os.path.join(work, "not-a-matrix.json")
    with open(bad, "w") as f:
        json.dump({"format": "rcbench-run"}, f)
    p = subprocess.run(["/usr/bin/python3", script, bad, os.path.join(work, "bad")], capture_output=True, text=True)
    if p.returncode != 2 or "not an rcbench-matrix" not in p.stderr or os.path.exists(os.path.join(work, "bad")):
        print(f"FAIL: bad input: exit {p.returncode}: {p.stderr}")
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
