#!/usr/bin/python3
"""Plots of an rcbench report: plot_report.py REPORT.json OUTDIR

Writes OUTDIR/<name>.png and .svg for
  throughput    total ops/s vs threads on log axes, one small panel per workload: one line
                per strategy and scaling placement (compact solid, scatter dashed), from the
                single-thread row up; the GIL baselines drawn distinctly; with many
                strategies the catalog's reference, headline and baseline strategies are
                drawn bold and the rest thin; whiskers p10-p90 over repetitions on the bold
                lines; the legend below the panels. A run with no row above 2 threads (a
                2-PU machine: pairs only) has no curve to draw: the plot says so and shows
                bars per placement instead;
  ratio_to_gil  ratio to the GIL model's baseline (total ns/op) as a heat-table, one panel
                per workload: a row per placement and thread count, a column per strategy,
                the value written in each cell, one shared log colour scale (the real
                interpreter's eval row is a column of its own);
  c2c_latency   core-to-core one-way latency heat map, when the run measured a matrix;
and OUTDIR/plots.json listing what was made and what was skipped, and why. Every plot
names its source run (file, CPU model, PUs, profile) under its title and has units in
its axis and colour-bar labels. Needs Debian's /usr/bin/python3 with matplotlib;
without it, it writes only the manifest (rcbench report then says "plots skipped: ...")
and exits 0.
"""
import json
import math
import os
import sys

# A sibling module, imported without leaving a __pycache__ in the source tree.
sys.dont_write_bytecode = True
from plot_backend import pyplot_or_none  # noqa: E402

# How the reference rows are drawn, by the role of their strategy: the GIL model, the
# GIL as a lock, and the real interpreter's eval row (what the GIL model models). Colour,
# width and marker only: the line style says the placement (compact, scatter).
ROLE_STYLE = {"gil": dict(color="black", linewidth=2.6, marker="s"),
              "lock": dict(color="dimgray", linewidth=2.2, marker="s"),
              "real": dict(color="firebrick", linewidth=2.4, marker="D")}
# The record field that names each role's row; a baseline's own row names itself.
ROLE_FIELD = {"gil": "baseline", "lock": "baseline_lock", "real": "baseline_real"}


def baseline_roles(records):
    """strategy -> role ("gil", "lock", "real") of the strategies whose rows are their
    own baseline: the report says so for every report, with or without a catalog."""
    roles = {}
    for r in records:
        for role, field in ROLE_FIELD.items():
            if r.get(field) == r["run_name"]:
                roles.setdefault(r["strategy"], role)
    return roles


def catalog_order(report):
    """strategy -> its catalog order (reports from before catalogs: empty)."""
    return {e["name"]: e["order"] for e in (report.get("catalog") or {}).get("strategies", [])}


def reference_style(strategy, roles):
    return ROLE_STYLE.get(roles.get(strategy))


def workload_label(rec):
    """As the report's tables label a workload: its params and, for the shared object of
    a pair on two NUMA nodes, where its page was ("shared (mem=remote)")."""
    parts = [f"{k}={v}" for k, v in sorted(rec["params"].items())]
    if rec.get("mem"):
        parts.append(f"mem={rec['mem']}")
    return f"{rec['workload']} ({', '.join(parts)})" if parts else rec["workload"]


def first_appearance(items):
    seen = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen


def strategy_order(records, roles, order):
    """The catalog's order; without one, first appearance with the reference rows last
    (GIL as a lock, GIL model, real interpreter), as the report's tables have them."""
    seen = first_appearance(r["strategy"] for r in records)
    if order:
        return sorted(seen, key=lambda s: order.get(s, float("inf")))
    rank = {None: 0, "lock": 1, "gil": 2, "real": 3}
    return sorted(seen, key=lambda s: rank[roles.get(s)])


def source_line(report):
    """Which run a plot shows: file, machine, PUs, profile and date, for every title."""
    run, machine = report.get("run") or {}, report.get("machine") or {}
    parts = [f"source: {os.path.basename(run.get('source') or 'unknown run')}"]
    if machine.get("cpu_model"):
        parts.append(str(machine["cpu_model"]))
    if machine.get("pus"):
        parts.append(f"{machine['pus']} PUs")
    if run.get("profile"):
        parts.append(f"profile {run['profile']}")
    if run.get("started_at") or run.get("date"):
        parts.append(str(run.get("started_at") or run.get("date")))
    return ", ".join(parts)


def set_title(fig, report, title):
    fig.suptitle(f"{title}\n{source_line(report)}", fontsize=11)


def save(fig, outdir, name, title, made, **facts):
    """Writes NAME.png and NAME.svg and lists them in the manifest with facts about their
    layout (panel titles, rows, PUs), which the tests check against the report."""
    import matplotlib
    matplotlib.rcParams["svg.hashsalt"] = name   # distinct, stable ids when inlined together
    png, svg = os.path.join(outdir, name + ".png"), os.path.join(outdir, name + ".svg")
    # bbox_inches="tight" grows the canvas to what was drawn: outside legends and
    # colour-bar labels are never clipped.
    fig.savefig(png, dpi=110, bbox_inches="tight", metadata={"Software": None})
    fig.savefig(svg, bbox_inches="tight", metadata={"Date": None})
    folder = os.path.basename(os.path.normpath(outdir))
    made.append({"name": name, "title": title, "png": f"{folder}/{name}.png", "svg": f"{folder}/{name}.svg", **facts})


def grid(plt, panels, cols, panel_w, panel_h, extra_h=0.0, **kw):
    """A figure of small panels, cols wide; extra_h inches for what is above or below
    them (titles, a colour bar), so that constrained layout never squeezes the panels."""
    cols = max(1, min(cols, panels))
    rows = (panels + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(panel_w * cols, panel_h * rows + extra_h), squeeze=False,
                             layout="constrained", **kw)
    for ax in list(axes.flat)[panels:]:
        ax.axis("off")
    return fig, list(axes.flat)[:panels]


def scaling_placements(records):
    """Placements with rows above 2 threads (compact, scatter): the ones a curve over
    thread counts exists for. Pairs (2 threads, one per placement class) are points of
    their own, shown in ratio_to_gil and the tables."""
    return first_appearance(r["placement"] for r in records if r["threads"] > 2)


def highlighted(strategies, roles, report):
    """The strategies drawn bold when a panel has too many to tell apart: the catalog's
    reference op, its headline strategies and the baseline rows (GIL model, GIL as a lock,
    real interpreter). Every strategy when there are few."""
    if len(strategies) <= MAX_BOLD:
        return set(strategies)
    chosen = {s for s in strategies if roles.get(s)}
    for entry in (report.get("catalog") or {}).get("strategies", []):
        if entry.get("reference") or entry.get("headline"):
            chosen.add(entry["name"])
    return chosen or set(strategies[:MAX_BOLD])


MAX_BOLD = 7                   # more strategies than this in a panel: highlight a chosen set
PLACEMENT_DASH = ["-", (0, (5, 2)), (0, (1, 1)), "-."]


def plot_throughput(plt, report, outdir, made, skipped):
    records = [r for r in report["records"] if r["ops_per_s_total"]]
    if not records:
        skipped.append({"name": "throughput", "reason": "no record has ops_per_s_total"})
        return
    roles = baseline_roles(report["records"])
    strategies = strategy_order(records, roles, catalog_order(report))
    from matplotlib.ticker import NullLocator
    placements = scaling_placements(records)
    if not placements:
        plot_throughput_bars(plt, report, records, strategies, roles, outdir, made)
        return
    # A panel per workload that has a curve; workloads with pairs only (mem=local/remote)
    # or one thread only (foreign) are in the tables and ratio_to_gil.
    workloads = first_appearance(workload_label(r) for r in records if r["placement"] in placements)
    bold = highlighted(strategies, roles, report)
    # Bold strategies take tab10's strong colours (black, grey and red left to the
    # baselines), thin ones tab20's pale shades: a thin line never passes for a bold one.
    strong = [plt.get_cmap("tab10")(i) for i in (0, 1, 2, 4, 5, 6, 8, 9)]
    pale = [plt.get_cmap("tab20")(i) for i in (1, 3, 5, 9, 11, 13, 17, 19)]
    colour = {}
    for s in strategies:
        pool = strong if s in bold else pale
        colour[s] = pool[sum(1 for o in colour if (o in bold) == (s in bold)) % len(pool)]
    fig, axes = grid(plt, len(workloads), 3, 5.2, 3.9)
    handles = {}
    for ax, w in zip(axes, workloads):
        rows_w = [r for r in records if workload_label(r) == w]
        for si, strategy in enumerate(strategies):
            single = [r for r in rows_w if r["strategy"] == strategy and r["threads"] == 1]
            for pi, placement in enumerate(placements):
                pts = single + [r for r in rows_w if r["strategy"] == strategy and r["placement"] == placement
                                and r["threads"] > 1]
                if len(pts) < 2:
                    continue
                pts.sort(key=lambda r: r["threads"])
                x = [r["threads"] for r in pts]
                med = [r["ops_per_s_total"]["median"] for r in pts]
                style = dict(reference_style(strategy, roles) or dict(color=colour[strategy], marker="o"))
                style["linestyle"] = PLACEMENT_DASH[pi % len(PLACEMENT_DASH)]
                if strategy in bold:
                    style.setdefault("linewidth", 1.8)
                    style["markersize"] = 4
                    lo = [m - r["ops_per_s_total"]["p10"] for m, r in zip(med, pts)]
                    hi = [r["ops_per_s_total"]["p90"] - m for m, r in zip(med, pts)]
                    line = ax.errorbar(x, med, yerr=[lo, hi], capsize=2, elinewidth=0.8, **style)
                else:
                    style.update(linewidth=0.8, markersize=2, alpha=0.45)
                    line = ax.plot(x, med, **style)[0]
                handles.setdefault(f"{strategy} ({placement})", line)
        ax.set_title(w, fontsize=10)
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        ticks = sorted({r["threads"] for r in rows_w if r["threads"] == 1 or r["placement"] in placements})
        ax.set_xticks(ticks)
        ax.set_xticklabels([str(t) for t in ticks], fontsize=8)
        ax.xaxis.set_minor_locator(NullLocator())
        ax.set_xlabel("threads (log scale)", fontsize=9)
        ax.set_ylabel("ops/s, total over threads", fontsize=9)
        ax.grid(True, which="major", alpha=0.3)
    ncol = max(1, min(len(placements), 2)) * 3
    fig.legend(list(handles.values()), list(handles.keys()), loc="upper center", bbox_to_anchor=(0.5, 0.0),
               ncol=ncol, fontsize=8, frameon=False)
    references = "GIL model black squares, GIL as a lock grey squares" + (
        ", real interpreter red diamonds" if "real" in roles.values() else "")
    dashes = " / ".join(f"{p} {n}" for p, n in zip(placements, ["solid", "dashed", "dotted", "dash-dot"]))
    thin = "" if len(bold) == len(strategies) else (
        "\nbold: the catalog's reference, headline and baseline strategies (whiskers p10-p90 over repetitions); "
        "thin: the other strategies")
    set_title(fig, report, f"Throughput vs threads, median ops/s total over threads, per workload "
                           f"({dashes}; {references}){thin}\n2-thread pairs (one per placement class) are "
                           "not curves: see ratio_to_gil and the tables")
    save(fig, outdir, "throughput", "Throughput (ops/s, total) vs threads", made, layout="curves",
         panels=workloads, placements=placements, bold=sorted(bold))
    plt.close(fig)


def plot_throughput_bars(plt, report, records, strategies, roles, outdir, made):
    """No curve to draw (no row above 2 threads): bars per placement, and the figure says
    why, rather than single dots that look like a scaling plot."""
    workloads = first_appearance(workload_label(r) for r in records)
    groups = sorted(first_appearance((r["threads"], r["placement"]) for r in records))
    bars = len(strategies) * max(1, len(groups))
    fig, axes = grid(plt, len(workloads), 3, 5.0, min(8.0, 0.5 + 0.2 * bars), extra_h=1.0)
    palette = plt.get_cmap("tab10")
    handles = {}
    for ax, w in zip(axes, workloads):
        rows_w = [r for r in records if workload_label(r) == w]
        names = [s for s in strategies if any(r["strategy"] == s for r in rows_w)]
        height = 0.8 / max(1, len(groups))
        for gi, (threads, placement) in enumerate(groups):
            ys, xs = [], []
            for si, s in enumerate(names):
                hit = [r for r in rows_w if r["strategy"] == s and r["placement"] == placement and r["threads"] == threads]
                if hit:
                    ys.append(si + (gi - (len(groups) - 1) / 2) * height)
                    xs.append(hit[0]["ops_per_s_total"]["median"])
            if ys:
                bars = ax.barh(ys, xs, height=height, color=palette(gi % 10))
                handles.setdefault(f"{placement}, {threads} thread{'s' if threads != 1 else ''}", bars)
        ax.set_yticks(range(len(names)))
        ax.set_yticklabels([f"{s} ({roles[s]})" if roles.get(s) else s for s in names], fontsize=8)
        ax.set_ylim(max(len(names), 4) - 0.5, -0.5)   # top down; a bar keeps its height in a short panel
        ax.set_xscale("log")
        ax.set_xlabel("ops/s, total over threads (median)", fontsize=9)
        ax.set_title(w, fontsize=10)
        ax.grid(True, axis="x", which="both", alpha=0.3)
    fig.legend(list(handles.values()), list(handles.keys()), loc="upper center", bbox_to_anchor=(0.5, 0.0),
               ncol=min(4, len(handles)), fontsize=9, frameon=False)
    counts = sorted({t for t, _ in groups})
    set_title(fig, report, f"Throughput, median ops/s total over threads: this run has thread counts "
                           f"{', '.join(map(str, counts))} only (no row above 2 threads), so no scaling curve; "
                           "bars per placement")
    save(fig, outdir, "throughput", "Throughput (ops/s, total) per placement (no scaling curve in this run)", made,
         layout="bars", panels=workloads, placements=[f"{p}/{t}" for t, p in groups])
    plt.close(fig)


def group_order(records, placements):
    """Rows of the ratio heat-table: one thread first, then the pairs (by placement
    class, in the run's order), then each scaling placement by thread count."""
    groups = first_appearance((r["placement"], r["threads"]) for r in records)
    def key(g):
        placement, threads = g
        if placement in placements:
            return (2, placements.index(placement), threads)
        return (0 if threads == 1 else 1, groups.index(g), threads)
    return sorted(groups, key=key)


def plot_ratio(plt, report, outdir, made, skipped):
    import numpy as np
    from matplotlib.colors import TwoSlopeNorm
    roles = baseline_roles(report["records"])
    records = [r for r in report["records"] if r["ratio_to_gil"] is not None and roles.get(r["strategy"]) != "gil"]
    gil = next((s for s, role in roles.items() if role == "gil"), "the GIL model")
    if not records:
        skipped.append({"name": "ratio_to_gil", "reason": "no record has a ratio to its GIL baseline"})
        return
    strategies = strategy_order(records, roles, catalog_order(report))
    groups = group_order(records, scaling_placements(report["records"]))
    workloads = first_appearance(workload_label(r) for r in records)
    value = {(workload_label(r), r["placement"], r["threads"], r["strategy"]): r["ratio_to_gil"] for r in records}
    logs = [math.log10(v) for v in value.values() if v > 0]
    span = max(0.3, min(3.0, max(abs(x) for x in logs))) if logs else 1.0
    norm = TwoSlopeNorm(vcenter=0.0, vmin=-span, vmax=span)
    cmap = plt.get_cmap("RdBu_r").copy()
    cmap.set_bad("0.92")
    cols = 3 if len(workloads) > 4 else len(workloads)
    # 1.6 in of a panel's height for its rotated strategy labels and title.
    fig, axes = grid(plt, len(workloads), cols, 1.6 + 0.42 * len(strategies), 1.8 + 0.26 * len(groups), extra_h=1.6)
    labels = [f"{s} ({roles[s]})" if roles.get(s) in ("lock", "real") else s for s in strategies]
    image = None
    for ax, w in zip(axes, workloads):
        cells = np.full((len(groups), len(strategies)), np.nan)
        for gi, (placement, threads) in enumerate(groups):
            for si, s in enumerate(strategies):
                v = value.get((w, placement, threads, s))
                if v is not None and v > 0:
                    cells[gi, si] = math.log10(v)
        image = ax.imshow(np.ma.masked_invalid(cells), cmap=cmap, norm=norm, aspect="auto", interpolation="nearest")
        for gi in range(len(groups)):
            for si in range(len(strategies)):
                if not np.isnan(cells[gi, si]):
                    v = 10 ** cells[gi, si]
                    text = f"{v:.0f}" if v >= 10 else f"{v:.2f}" if v >= 0.1 else f"{v:.1g}"
                    ax.text(si, gi, text, ha="center", va="center", fontsize=6,
                            color="white" if abs(cells[gi, si]) > 0.6 * span else "black")
        ax.set_xticks(range(len(strategies)))
        ax.set_xticklabels(labels, rotation=60, ha="right", rotation_mode="anchor", fontsize=7)
        ax.set_yticks(range(len(groups)))
        ax.set_yticklabels([f"{p}, {t} thr" for p, t in groups], fontsize=7)
        ax.set_title(w, fontsize=9)
        ax.tick_params(length=0)
    bases = {(r.get("ratio_basis") or {}).get("ratio_to_gil") for r in records} - {None}
    basis = "corrected" if bases == {"corrected"} else "raw" if bases <= {"raw"} else "corrected where both rows have it, else raw"
    # Below the panels: the long label runs along the figure's width, never clipped.
    bar = fig.colorbar(image, ax=axes, shrink=0.6, location="bottom", aspect=40, pad=0.02)
    ticks = [t for t in (0.001, 0.01, 0.03, 0.1, 0.3, 1, 3, 10, 30, 100, 1000) if abs(math.log10(t)) <= span + 1e-9]
    bar.set_ticks([math.log10(t) for t in ticks])
    bar.set_ticklabels([f"{t:g}×" for t in ticks])
    bar.set_label(f"ratio: total ns/op ÷ {gil}'s total ns/op, same workload, placement and threads ({basis}); "
                  "log colour scale; < 1× (blue) = more throughput than behind the GIL", fontsize=9)
    set_title(fig, report, f"Ratio to the GIL baseline ({gil} = 1×), total ns/op per workload: "
                           "rows placement and thread count, columns strategy (grey: not in this run)")
    save(fig, outdir, "ratio_to_gil", "Ratio to the GIL baseline (total ns/op) per workload, placement and threads", made,
         layout="heat-table", panels=workloads, rows=[f"{p}/{t}" for p, t in groups], columns=strategies)
    plt.close(fig)


MAX_MATRIX_TICKS = 32          # more PUs than this: label every k-th only


def plot_matrix(plt, report, outdir, made, skipped):
    matrix = report.get("calibration", {}).get("matrix")
    if not matrix or not matrix.get("one_way_ns"):
        skipped.append({"name": "c2c_latency",
                        "reason": "no core-to-core matrix in this run (rcbench.calibration.pingpong_matrix)"})
        return
    import numpy as np
    values = np.array([[np.nan if v is None else v for v in row] for row in matrix["one_way_ns"]], dtype=float)
    pus = matrix.get("pus", list(range(len(values))))
    size = min(12, 3.5 + 0.4 * len(pus))
    fig, ax = plt.subplots(figsize=(size + 2.0, size), layout="constrained")
    cmap = plt.get_cmap("viridis").copy()
    cmap.set_bad("0.92")
    image = ax.imshow(np.ma.masked_invalid(values), cmap=cmap, interpolation="nearest")
    step = max(1, math.ceil(len(pus) / MAX_MATRIX_TICKS))
    ticks = list(range(0, len(pus), step))
    ax.set_xticks(ticks)
    ax.set_xticklabels([pus[i] for i in ticks], rotation=90 if len(ticks) > 16 else 0, fontsize=8)
    ax.set_yticks(ticks)
    ax.set_yticklabels([pus[i] for i in ticks], fontsize=8)
    shown = "" if step == 1 else f", every {step}th labelled"
    ax.set_xlabel(f"PU (OS index{shown})")
    ax.set_ylabel(f"PU (OS index{shown})")
    if len(pus) <= 16:
        for i in range(len(pus)):
            for j in range(len(pus)):
                if not np.isnan(values[i, j]):
                    ax.text(j, i, f"{values[i, j]:.0f}", ha="center", va="center", fontsize=9,
                            color="black" if image.norm(values[i, j]) > 0.5 else "white")
    fig.colorbar(image, ax=ax, shrink=0.8,
                 label="one-way latency, ns (" + matrix.get("statistic", "min over samples") + ")")
    sampled = int(np.count_nonzero(~np.isnan(values))) // 2
    total = len(pus) * (len(pus) - 1) // 2
    note = "" if sampled >= total else f"; {sampled} of {total} pairs sampled, grey: not sampled"
    set_title(fig, report, f"Core-to-core one-way latency, ns ({len(pus)} PUs{note})")
    save(fig, outdir, "c2c_latency", "Core-to-core latency (ns, one way)", made, layout="matrix", pus=len(pus),
         sampled_pairs=sampled)
    plt.close(fig)


def main():
    if len(sys.argv) != 3:
        print("usage: plot_report.py REPORT.json OUTDIR", file=sys.stderr)
        return 2
    report_path, outdir = sys.argv[1], sys.argv[2]
    with open(report_path) as f:
        report = json.load(f)
    # Schema 2 (issue 14) added corrected figures and left-out repetitions; the fields
    # plotted here (ops_per_s_total, ratio_to_gil, calibration.matrix) kept their shape.
    if report.get("schema_version") not in (1, 2):
        print(f"plot_report.py: unknown report schema_version {report.get('schema_version')!r}", file=sys.stderr)
        return 2
    os.makedirs(outdir, exist_ok=True)
    made, skipped = [], []
    plt = pyplot_or_none(skipped)
    if plt is not None:
        plot_throughput(plt, report, outdir, made, skipped)
        plot_ratio(plt, report, outdir, made, skipped)
        plot_matrix(plt, report, outdir, made, skipped)
    with open(os.path.join(outdir, "plots.json"), "w") as f:
        json.dump({"made": made, "skipped": skipped}, f, indent=2)
    for s in skipped:
        print(f"{s['name']} skipped: {s['reason']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
