#!/usr/bin/python3
"""Writes fuzz/corpus/: seeds for fuzz_run_input, cut from real run JSONs in the tree.

A seed keeps every part of its source's structure (context, the rcbench object with
its machine, build, perf, environment and calibration, per-repetition entries with
their counters and probes, aggregates) but only a few rows and repetitions: libFuzzer
mutates small inputs far faster, and a field seen once is as good a start as a field
seen a thousand times. Small sources are copied as they are (the raw Google Benchmark
file keeps its bare NaN tokens). Run from anywhere; the output is deterministic.
"""
import json
import os
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
OUT = os.path.join(HERE, "corpus")

ROWS = 2          # benchmark rows kept (plus the GIL baselines they name)
REPETITIONS = 3   # repetitions kept per row
AGGREGATES = 1    # Google Benchmark aggregates kept per row (the loader skips them)
LIST_ITEMS = 2    # entries kept of other long lists (perf events, evidence, ...)

TRIMMED = {  # seed name: source
    "lab-vm-full.json": "results/1pkg-1numa-1l3-2c-2pu-AMD-EPYC/20261121T215037Z-aaf4d6bb6433/run.json",
    "gate-baseline.json": "results/baselines/1pkg-1numa-1l3-2c-2pu-AMD-EPYC/gate-1.json",
    "two-vcpu-synthetic.json": "tests/data/runs/two-vcpu-synthetic.json",
    "compare-three-reps.json": "tests/data/compare/three_reps.json",
    "compare-injected-slowdown.json": "tests/data/compare/atomic_slower_30pct.json",
}
COPIED = {
    "raw-gb171-nan.json": "tests/data/runs/raw-gb171-nan.json",
    "unknown-version.json": "tests/data/runs/unknown-version.json",
    "report-json.json": "tests/data/compare/report_v1.json",
    "not-json.json": "tests/data/compare/malformed_not_json.json",
}


def kept_rows(run):
    meta = {m.get("name"): m for m in run.get("rcbench", {}).get("benchmarks", [])}
    names = []
    for e in run["benchmarks"]:
        name = e.get("run_name")
        if name not in names:
            names.append(name)
        if len(names) == ROWS:
            break
    for name in list(names):
        for key in ("baseline", "baseline_lock"):
            base = meta.get(name, {}).get(key)
            if base and base not in names:
                names.append(base)
    return names


def trim_lists(value, top=True):
    """Shortens long lists below the top level (the matrix stays square: it is short)."""
    if isinstance(value, dict):
        return {k: trim_lists(v, False) for k, v in value.items()}
    if isinstance(value, list) and not top:
        return [trim_lists(v, False) for v in value[:LIST_ITEMS]]
    return value


def trim(run):
    names = kept_rows(run)
    seen = {}
    entries = []
    for e in run["benchmarks"]:
        name = e.get("run_name")
        if name not in names:
            continue
        kind = e.get("run_type", "iteration")
        seen[(name, kind)] = seen.get((name, kind), 0) + 1
        if seen[(name, kind)] <= (REPETITIONS if kind == "iteration" else AGGREGATES):
            entries.append(e)
    out = dict(run)
    out["benchmarks"] = entries
    rc = dict(run.get("rcbench", {}))
    if rc:
        rc["benchmarks"] = [m for m in rc.get("benchmarks", []) if m.get("name") in names]
        out["rcbench"] = {k: (v if k == "benchmarks" else trim_lists(v, False)) for k, v in rc.items()}
    out["context"] = trim_lists(run.get("context", {}), False)
    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    for seed, source in TRIMMED.items():
        with open(os.path.join(REPO, source), encoding="utf-8") as f:
            run = json.load(f)
        with open(os.path.join(OUT, seed), "w", encoding="utf-8") as f:
            json.dump(trim(run), f, separators=(",", ":"), allow_nan=False)
            f.write("\n")
    for seed, source in COPIED.items():
        shutil.copyfile(os.path.join(REPO, source), os.path.join(OUT, seed))


if __name__ == "__main__":
    main()
