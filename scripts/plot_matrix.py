#!/usr/bin/python3
"""Heat maps of an `rcbench matrix` file: plot_matrix.py MATRIX.json OUTDIR

Writes OUTDIR/c2c_<method>.png and .svg for each method in the file (two_line,
one_line_cas): the one-way latency (ns) of every measured PU pair, c2clat style, the
PUs in hwloc logical order (as the file lists them), lines where a new core (up to
64 PUs), L3, NUMA node and package begins, gray cells for pairs not measured; and OUTDIR/plots.json
listing what was made and what was skipped, and why. Cells carry their figure as text
only up to 16 PUs; at 384 PUs the map is the picture. Needs Debian's /usr/bin/python3
with matplotlib; without it, it writes only the manifest and exits 0 (as plot_report.py).
"""
import json
import os
import sys

# A sibling module, imported without leaving a __pycache__ in the source tree.
sys.dont_write_bytecode = True
from plot_backend import pyplot_or_none  # noqa: E402

# The class boundaries, nearest first: the wider the domain, the heavier its line.
BOUNDARY_STYLE = [("core", dict(color="silver", linewidth=0.4)),
                  ("l3", dict(color="lightgray", linewidth=1.0)),
                  ("numa", dict(color="orange", linewidth=1.4, linestyle="--")),
                  ("package", dict(color="red", linewidth=2.2))]
# Per-cell text and per-PU tick labels stop being readable beyond these.
MAX_PUS_WITH_TEXT = 16
MAX_PUS_WITH_EVERY_TICK = 64


def load(path):
    with open(path) as f:
        doc = json.load(f)
    if doc.get("format") != "rcbench-matrix" or doc.get("format_version") != 1:
        raise ValueError(f"{path}: not an rcbench-matrix v1 file (format {doc.get('format')!r}, "
                         f"version {doc.get('format_version')!r})")
    return doc


def save(fig, outdir, name, title, made):
    import matplotlib
    matplotlib.rcParams["svg.hashsalt"] = name   # stable ids, as plot_report.py
    png, svg = os.path.join(outdir, name + ".png"), os.path.join(outdir, name + ".svg")
    fig.savefig(png, dpi=110, bbox_inches="tight", metadata={"Software": None})
    fig.savefig(svg, bbox_inches="tight", metadata={"Date": None})
    folder = os.path.basename(os.path.normpath(outdir))
    made.append({"name": name, "title": title, "png": f"{folder}/{name}.png", "svg": f"{folder}/{name}.svg"})


def draw_boundaries(ax, boundaries, n):
    """A line before every position where a level's new domain begins, both axes; one
    legend entry per level drawn."""
    from matplotlib.lines import Line2D
    handles = []
    for level, style in BOUNDARY_STYLE:
        positions = boundaries.get(level) or []
        if not positions:
            continue
        # A line per core at 384 PUs would paint over the map: cores only up to 64 PUs.
        if level == "core" and n > MAX_PUS_WITH_EVERY_TICK:
            continue
        for p in positions:
            ax.axhline(p - 0.5, **style)
            ax.axvline(p - 0.5, **style)
        handles.append(Line2D([0], [0], label=f"{level} boundary", **style))
    return handles


def plot_method(plt, doc, method, source_name, outdir, made, skipped):
    import numpy as np
    entry = doc["methods"][method]
    values = np.array([[np.nan if v is None else v for v in row] for row in entry["one_way_ns"]], dtype=float)
    pus = doc["pus"]
    n = len(pus)
    if values.shape != (n, n):
        skipped.append({"name": f"c2c_{method}", "reason": f"matrix is {values.shape}, the PU list has {n}"})
        return
    if np.all(np.isnan(values)):
        skipped.append({"name": f"c2c_{method}", "reason": "no pair was measured"})
        return
    size = min(16, 3.5 + 0.45 * n)
    fig, ax = plt.subplots(figsize=(size + 2.0, size))
    cmap = plt.get_cmap("viridis").copy()
    cmap.set_bad("lightgray")   # pairs not measured (and the diagonal)
    image = ax.imshow(np.ma.masked_invalid(values), cmap=cmap, interpolation="nearest")
    if n <= MAX_PUS_WITH_EVERY_TICK:
        ax.set_xticks(range(n))
        ax.set_xticklabels(pus, rotation=90 if n > 16 else 0, fontsize=8 if n > 16 else 10)
        ax.set_yticks(range(n))
        ax.set_yticklabels(pus, fontsize=8 if n > 16 else 10)
    else:
        # Ticks at the package and NUMA boundaries: the PU (OS index) that opens each.
        b = doc.get("boundaries", {})
        ticks = sorted({0, *(b.get("numa") or []), *(b.get("package") or [])})
        if len(ticks) > 48:
            ticks = ticks[::max(1, len(ticks) // 48)]
        ax.set_xticks(ticks)
        ax.set_xticklabels([pus[t] for t in ticks], rotation=90, fontsize=7)
        ax.set_yticks(ticks)
        ax.set_yticklabels([pus[t] for t in ticks], fontsize=7)
    ax.set_xlabel("PU (OS index), hwloc logical order")
    ax.set_ylabel("PU (OS index), hwloc logical order")
    if n <= MAX_PUS_WITH_TEXT:
        for i in range(n):
            for j in range(n):
                if not np.isnan(values[i, j]):
                    ax.text(j, i, f"{values[i, j]:.0f}", ha="center", va="center", fontsize=9,
                            color="black" if image.norm(values[i, j]) > 0.5 else "white")
    handles = draw_boundaries(ax, doc.get("boundaries", {}), n)
    if handles:
        # Below the axis label (rotated PU numbers take more room than flat ones).
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.05 if n > MAX_PUS_WITH_EVERY_TICK else -0.1 if n > 16 else -0.13),
                  ncol=len(handles), fontsize=8, frameon=False)
    bar = fig.colorbar(image, ax=ax, fraction=0.046, pad=0.03)
    bar.set_label("one-way latency (ns)")
    measured = int(np.count_nonzero(~np.isnan(values)) // 2)
    ax.set_title(f"Core-to-core one-way latency, {method} ({n} PUs, {measured} pairs)\n"
                 f"source: {source_name}\nper pair: {doc.get('statistic', 'min over batches')}",
                 fontsize=9)
    save(fig, outdir, f"c2c_{method}", f"Core-to-core latency, {method} (ns, one way, per pair)", made)
    plt.close(fig)


def main():
    if len(sys.argv) != 3:
        print("usage: plot_matrix.py MATRIX.json OUTDIR", file=sys.stderr)
        return 2
    path, outdir = sys.argv[1], sys.argv[2]
    try:
        doc = load(path)
    except (OSError, ValueError) as e:
        print(f"plot_matrix.py: {e}", file=sys.stderr)
        return 2
    os.makedirs(outdir, exist_ok=True)
    made, skipped = [], []
    plt = pyplot_or_none(skipped)
    if plt is not None:
        for method in doc.get("methods", {}):
            plot_method(plt, doc, method, os.path.basename(path), outdir, made, skipped)
    with open(os.path.join(outdir, "plots.json"), "w") as f:
        json.dump({"source": os.path.basename(path), "made": made, "skipped": skipped}, f, indent=2)
    for s in skipped:
        print(f"{s['name']} skipped: {s['reason']}")
    for m in made:
        print(f"wrote {os.path.join(outdir, os.path.basename(m['png']))} and .svg")
    return 0


if __name__ == "__main__":
    sys.exit(main())
