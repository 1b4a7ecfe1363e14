#!/usr/bin/python3
"""check_plots.py REPORT_DIR [--expect-layout curves|bars] [--expect-matrix yes|no]
[--min-panels N] [--min-ratio-rows N]

Checks the plots of a report directory against its report.json, with expectations
computed here from the records (not by the plot script's own functions):
  - plots/plots.json lists throughput and ratio_to_gil as made, c2c_latency made exactly
    when the report has a core-to-core matrix (else skipped with a reason);
  - each made plot's PNG and SVG exist, the PNG is a PNG whose width and height are
    within [MIN_PX, MAX_PX], the SVG parses as XML with an <svg> root and a sane size;
  - throughput: "curves" when some record has more than 2 threads, one panel per workload
    with such rows and a line style per such placement; "bars" otherwise;
  - ratio_to_gil: one panel per workload with a ratio, one row per placement and thread
    count with a ratio;
  - c2c_latency: as many PUs and sampled pairs as the report's matrix.
Exit 0 when all hold; 1 and the reasons otherwise."""
import argparse
import json
import os
import struct
import sys
import xml.etree.ElementTree as ET

MIN_PX, MAX_PX = 300, 4000          # a plot smaller than this is empty, larger unreadable
MAX_SVG_BYTES = 20 * 1024 * 1024


def workload_label(rec):
    parts = [f"{k}={v}" for k, v in sorted(rec["params"].items())]
    if rec.get("mem"):
        parts.append(f"mem={rec['mem']}")
    return f"{rec['workload']} ({', '.join(parts)})" if parts else rec["workload"]


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", head[16:24])


def main():
    p = argparse.ArgumentParser()
    p.add_argument("report_dir")
    p.add_argument("--expect-layout", choices=["curves", "bars"])
    p.add_argument("--expect-matrix", choices=["yes", "no"])
    p.add_argument("--min-panels", type=int, default=1, help="throughput panels at least")
    p.add_argument("--min-ratio-rows", type=int, default=1, help="ratio heat-table rows at least")
    args = p.parse_args()
    errors = []
    with open(os.path.join(args.report_dir, "report.json")) as f:
        report = json.load(f)
    with open(os.path.join(args.report_dir, "plots", "plots.json")) as f:
        manifest = json.load(f)
    made = {m["name"]: m for m in manifest["made"]}
    skipped = {s["name"]: s["reason"] for s in manifest["skipped"]}

    for name, m in made.items():
        for kind in ("png", "svg"):
            path = os.path.join(args.report_dir, m[kind])
            if not os.path.isfile(path):
                errors.append(f"{name}: {m[kind]} listed but missing")
                continue
            if kind == "png":
                size = png_size(path)
                if size is None:
                    errors.append(f"{name}: {m[kind]} is not a PNG")
                elif not all(MIN_PX <= d <= MAX_PX for d in size):
                    errors.append(f"{name}: PNG is {size[0]}x{size[1]} px, outside [{MIN_PX}, {MAX_PX}]")
                else:
                    print(f"ok: {name}.png {size[0]}x{size[1]} px")
            else:
                n = os.path.getsize(path)
                if not 1024 < n < MAX_SVG_BYTES:
                    errors.append(f"{name}: SVG is {n} bytes")
                try:
                    root = ET.parse(path).getroot()
                    if not root.tag.endswith("svg"):
                        errors.append(f"{name}: SVG root is {root.tag}")
                except ET.ParseError as e:
                    errors.append(f"{name}: SVG does not parse ({e})")

    records = report["records"]
    with_throughput = [r for r in records if r["ops_per_s_total"]]
    if "throughput" not in made:
        errors.append(f"throughput not made ({skipped.get('throughput', 'no reason')})")
    else:
        t = made["throughput"]
        scaling = [r for r in with_throughput if r["threads"] > 2]
        layout = "curves" if scaling else "bars"
        if t.get("layout") != layout:
            errors.append(f"throughput: layout {t.get('layout')}, expected {layout}")
        if args.expect_layout and layout != args.expect_layout:
            errors.append(f"throughput: the report gives {layout}, the test expects {args.expect_layout}")
        panels = {workload_label(r) for r in (scaling or with_throughput)}
        if sorted(t.get("panels", [])) != sorted(panels):
            errors.append(f"throughput: panels {t.get('panels')}, expected {sorted(panels)}")
        if len(panels) < args.min_panels:
            errors.append(f"throughput: {len(panels)} panels, expected at least {args.min_panels}")
        if scaling and sorted(t.get("placements", [])) != sorted({r["placement"] for r in scaling}):
            errors.append(f"throughput: placements {t.get('placements')}, expected "
                          f"{sorted({r['placement'] for r in scaling})}")
        print(f"seen: throughput {t.get('layout')}, {len(t.get('panels', []))} panels")

    gil = {r["strategy"] for r in records if r.get("baseline") is None and
           any(o.get("baseline") == r["run_name"] for o in records)}
    with_ratio = [r for r in records if r["ratio_to_gil"] is not None and r["strategy"] not in gil]
    if with_ratio:
        if "ratio_to_gil" not in made:
            errors.append(f"ratio_to_gil not made ({skipped.get('ratio_to_gil', 'no reason')})")
        else:
            m = made["ratio_to_gil"]
            panels = {workload_label(r) for r in with_ratio}
            rows = {f"{r['placement']}/{r['threads']}" for r in with_ratio}
            if m.get("layout") != "heat-table" or sorted(m.get("panels", [])) != sorted(panels):
                errors.append(f"ratio_to_gil: {m.get('layout')} panels {m.get('panels')}, expected heat-table {sorted(panels)}")
            if sorted(m.get("rows", [])) != sorted(rows):
                errors.append(f"ratio_to_gil: rows {m.get('rows')}, expected {sorted(rows)}")
            if len(rows) < args.min_ratio_rows:
                errors.append(f"ratio_to_gil: {len(rows)} rows, expected at least {args.min_ratio_rows}")
            if set(m.get("columns", [])) & gil:
                errors.append(f"ratio_to_gil: the GIL model's own column ({gil}) is drawn (1x by definition)")
            print(f"seen: ratio_to_gil {len(m.get('panels', []))} panels x {len(m.get('rows', []))} rows "
                  f"x {len(m.get('columns', []))} columns")

    matrix = (report.get("calibration") or {}).get("matrix") or {}
    has_matrix = bool(matrix.get("one_way_ns"))
    if args.expect_matrix and has_matrix != (args.expect_matrix == "yes"):
        errors.append(f"the report {'has' if has_matrix else 'has no'} matrix, the test expects {args.expect_matrix}")
    if has_matrix:
        m = made.get("c2c_latency")
        cells = matrix["one_way_ns"]
        sampled = sum(1 for i, row in enumerate(cells) for j, v in enumerate(row) if j > i and v is not None)
        if m is None:
            errors.append(f"c2c_latency not made ({skipped.get('c2c_latency', 'no reason')})")
        elif m.get("pus") != len(matrix["pus"]) or m.get("sampled_pairs") != sampled:
            errors.append(f"c2c_latency: {m.get('pus')} PUs, {m.get('sampled_pairs')} pairs; "
                          f"expected {len(matrix['pus'])}, {sampled}")
        else:
            print(f"ok: c2c_latency {m['pus']} PUs, {sampled} pairs sampled")
    elif "c2c_latency" in made or not skipped.get("c2c_latency"):
        errors.append("c2c_latency: no matrix in the report, yet not skipped with a reason")

    for e in errors:
        print(f"FAIL: {e}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
