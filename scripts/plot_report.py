#!/usr/bin/python3
"""Plots of an rcbench report: plot_report.py REPORT.json OUTDIR

Writes OUTDIR/<name>.png and .svg for
  throughput    total ops/s vs threads, one panel per workload, one line per strategy
                (the GIL baselines drawn distinctly), whiskers p10-p90 over repetitions;
  ratio_to_gil  ratio to the GIL model's baseline (total ns/op), one panel per
                placement and thread count, bars per workload and strategy (the real
                interpreter's eval row, when the run has it, a reference line per workload);
  c2c_latency   core-to-core one-way latency heat map, when the run measured a matrix;
and OUTDIR/plots.json listing what was made and what was skipped, and why. Needs
Debian's /usr/bin/python3 with matplotlib; without it, it writes only the manifest
(rcbench report then says "plots skipped: ...") and exits 0.
"""
import json
import os
import sys

# How the reference rows are drawn, by the role of their strategy: the GIL model, the
# GIL as a lock, and the real interpreter's eval row (what the GIL model models).
ROLE_STYLE = {"gil": dict(color="black", linestyle="--", linewidth=2.6, marker="s"),
              "lock": dict(color="dimgray", linestyle=":", linewidth=2.2, marker="s"),
              "real": dict(color="firebrick", linestyle="-.", linewidth=2.4, marker="D")}
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


def save(fig, outdir, name, title, made):
    import matplotlib
    matplotlib.rcParams["svg.hashsalt"] = name   # distinct, stable ids when inlined together
    png, svg = os.path.join(outdir, name + ".png"), os.path.join(outdir, name + ".svg")
    fig.savefig(png, dpi=110, bbox_inches="tight", metadata={"Software": None})
    fig.savefig(svg, bbox_inches="tight", metadata={"Date": None})
    folder = os.path.basename(os.path.normpath(outdir))
    made.append({"name": name, "title": title, "png": f"{folder}/{name}.png", "svg": f"{folder}/{name}.svg"})


def plot_throughput(plt, report, outdir, made, skipped):
    records = [r for r in report["records"] if r["ops_per_s_total"]]
    if not records:
        skipped.append({"name": "throughput", "reason": "no record has ops_per_s_total"})
        return
    workloads = first_appearance(workload_label(r) for r in records)
    cols = min(2, len(workloads))
    rows = (len(workloads) + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(6.4 * cols, 4.2 * rows), squeeze=False)
    palette = plt.get_cmap("tab10")
    roles = baseline_roles(report["records"])
    strategies = strategy_order(records, roles, catalog_order(report))
    multi_placements = first_appearance(r["placement"] for r in records if r["threads"] > 1)
    dashes = ["-", "-.", (0, (5, 1)), (0, (1, 1))]
    for ax, w in zip(axes.flat, workloads):
        rows_w = [r for r in records if workload_label(r) == w]
        for si, strategy in enumerate(strategies):
            single = [r for r in rows_w if r["strategy"] == strategy and r["threads"] == 1]
            for pi, placement in enumerate(multi_placements or [None]):
                pts = single + [r for r in rows_w if r["strategy"] == strategy and r["threads"] > 1
                                and r["placement"] == placement]
                if not pts:
                    continue
                pts.sort(key=lambda r: r["threads"])
                x = [r["threads"] for r in pts]
                med = [r["ops_per_s_total"]["median"] for r in pts]
                lo = [m - r["ops_per_s_total"]["p10"] for m, r in zip(med, pts)]
                hi = [r["ops_per_s_total"]["p90"] - m for m, r in zip(med, pts)]
                reference = reference_style(strategy, roles)
                style = dict(reference or dict(color=palette(si % 10), marker="o", linewidth=1.6))
                if reference is None:
                    style["linestyle"] = dashes[pi % len(dashes)]
                label = strategy if len(multi_placements) <= 1 else f"{strategy} ({placement})"
                ax.errorbar(x, med, yerr=[lo, hi], capsize=3, label=label, **style)
        ax.set_title(f"workload: {w}")
        ax.set_xlabel("threads")
        ax.set_ylabel("ops/s, total over threads (median)")
        ax.set_yscale("log")
        ax.set_xticks(sorted({r["threads"] for r in rows_w}))
        ax.grid(True, which="both", alpha=0.3)
    for ax in list(axes.flat)[len(workloads):]:
        ax.axis("off")
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="upper center", ncol=min(6, len(labels)), frameon=False,
               bbox_to_anchor=(0.5, 1.0 + 0.02 / rows))
    references = "GIL baselines dashed/dotted black" + ("; real interpreter dash-dot red" if "real" in roles.values() else "")
    fig.suptitle(f"Throughput vs threads (whiskers: p10-p90 over repetitions; {references})",
                 y=1.04 + 0.03 / rows, fontsize=11)
    fig.tight_layout()
    save(fig, outdir, "throughput", "Throughput (ops/s, total) vs threads", made)
    plt.close(fig)


def draw_real_references(ax, rows, workloads):
    """The real interpreter's eval row of each workload: a reference line across the
    workload's bars at its ratio to the GIL model, drawn like the GIL's line at 1x."""
    labelled = False
    for wi, w in enumerate(workloads):
        for r in rows:
            if workload_label(r) == w:
                style = dict(color=ROLE_STYLE["real"]["color"], linestyle=ROLE_STYLE["real"]["linestyle"], linewidth=2)
                label = None if labelled else f"{r['strategy']} (real interpreter)"
                ax.hlines(r["ratio_to_gil"], wi - 0.45, wi + 0.45, label=label, **style)
                labelled = True


def plot_ratio(plt, report, outdir, made, skipped):
    roles = baseline_roles(report["records"])
    with_ratio = [r for r in report["records"] if r["ratio_to_gil"] is not None and roles.get(r["strategy"]) != "gil"]
    real = {s for s, role in roles.items() if role == "real"}
    gil = next((s for s, role in roles.items() if role == "gil"), "the GIL model")
    records = [r for r in with_ratio if r["strategy"] not in real]
    if not records:
        skipped.append({"name": "ratio_to_gil", "reason": "no record has a ratio to its GIL baseline"})
        return
    groups = first_appearance((r["placement"], r["threads"]) for r in records)
    groups.sort(key=lambda g: g[1])
    fig, axes = plt.subplots(len(groups), 1, figsize=(11, 3.6 * len(groups)), squeeze=False)
    palette = plt.get_cmap("tab10")
    strategies = strategy_order(records, roles, catalog_order(report))
    for ax, (placement, threads) in zip(axes.flat, groups):
        rows_g = [r for r in records if r["placement"] == placement and r["threads"] == threads]
        workloads = first_appearance(workload_label(r) for r in rows_g)
        draw_real_references(ax, [r for r in with_ratio if r["strategy"] in real and r["placement"] == placement
                                  and r["threads"] == threads], workloads)
        width = 0.8 / max(1, len(strategies))
        for si, strategy in enumerate(strategies):
            xs, ys = [], []
            for wi, w in enumerate(workloads):
                hit = [r for r in rows_g if r["strategy"] == strategy and workload_label(r) == w]
                if hit:
                    xs.append(wi + (si - (len(strategies) - 1) / 2) * width)
                    ys.append(hit[0]["ratio_to_gil"])
            if xs:
                color = ROLE_STYLE["lock"]["color"] if roles.get(strategy) == "lock" else palette(si % 10)
                ax.bar(xs, ys, width=width, label=strategy, color=color)
        ax.axhline(1.0, color="black", linestyle="--", linewidth=1.5)
        ax.set_yscale("log")
        ax.set_xticks(range(len(workloads)))
        ax.set_xticklabels(workloads)
        bases = {(r.get("ratio_basis") or {}).get("ratio_to_gil") for r in rows_g} - {None}
        basis = "corrected" if bases == {"corrected"} else "raw" if bases <= {"raw"} else "corrected where both rows have it, else raw"
        ax.set_ylabel(f"× {gil} (total ns/op, {basis})")
        ax.set_title(f"placement {placement}, {threads} thread{'s' if threads != 1 else ''}: "
                     "below the dashed line = more throughput than behind the GIL")
        ax.grid(True, axis="y", which="both", alpha=0.3)
        ax.legend(ncol=min(6, len(strategies) + len(real)), fontsize=8, loc="upper left")
    fig.tight_layout()
    save(fig, outdir, "ratio_to_gil", "Ratio to the GIL baseline per placement", made)
    plt.close(fig)


def plot_matrix(plt, report, outdir, made, skipped):
    matrix = report.get("calibration", {}).get("matrix")
    if not matrix or not matrix.get("one_way_ns"):
        skipped.append({"name": "c2c_latency",
                        "reason": "no core-to-core matrix in this run (rcbench.calibration.pingpong_matrix)"})
        return
    import numpy as np
    values = np.array([[np.nan if v is None else v for v in row] for row in matrix["one_way_ns"]], dtype=float)
    pus = matrix.get("pus", list(range(len(values))))
    size = min(14, 2.5 + 0.45 * len(pus))
    fig, ax = plt.subplots(figsize=(size + 1.5, size))
    image = ax.imshow(values, cmap="viridis", interpolation="nearest")
    ax.set_xticks(range(len(pus)))
    ax.set_xticklabels(pus)
    ax.set_yticks(range(len(pus)))
    ax.set_yticklabels(pus)
    ax.set_xlabel("PU")
    ax.set_ylabel("PU")
    if len(pus) <= 16:
        for i in range(len(pus)):
            for j in range(len(pus)):
                if not np.isnan(values[i, j]):
                    ax.text(j, i, f"{values[i, j]:.0f}", ha="center", va="center", fontsize=9,
                            color="black" if image.norm(values[i, j]) > 0.5 else "white")
    fig.colorbar(image, ax=ax, label="one-way latency, ns (" + matrix.get("statistic", "min over samples") + ")")
    ax.set_title("Core-to-core one-way latency")
    fig.tight_layout()
    save(fig, outdir, "c2c_latency", "Core-to-core latency (ns, one way)", made)
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
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as e:
        skipped.append({"name": "plots", "reason": f"matplotlib not available ({e}); "
                                                   "install python3-matplotlib or run with /usr/bin/python3"})
        plt = None
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
