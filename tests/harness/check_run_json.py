#!/usr/bin/python3
"""Checks a run JSON from `rcbench run` (docs/run-format.md) the way a consumer
would read it: strict JSON (no NaN), every planned benchmark present with every
repetition, the counters each row must carry, pinned PUs as planned, counts
conserved, baselines present, and Google Benchmark's compare.py able to load it.

Usage: check_run_json.py RUN.json [--compare-py /usr/share/benchmark/compare.py]
Exits non-zero with a message on the first violated property."""
import json
import math
import subprocess
import sys


def reject_constant(name):
    raise ValueError(f"non-JSON constant {name} in the run file")


def fail(msg):
    print(f"check_run_json: FAIL: {msg}")
    sys.exit(1)


def main():
    path = sys.argv[1]
    with open(path) as f:
        doc = json.load(f, parse_constant=reject_constant)
    rc = doc.get("rcbench") or fail("no 'rcbench' object")
    if rc.get("format") != "rcbench-run" or rc.get("format_version") != 1:
        fail("wrong format/format_version")
    reps = rc["repetitions"]
    planned = {b["name"]: b for b in rc["benchmarks"]}
    if not planned:
        fail("empty plan")
    rows = {}
    for b in doc["benchmarks"]:
        if b.get("run_type") != "iteration":
            continue
        if b.get("error_occurred"):
            fail(f"{b['run_name']}: error: {b.get('error_message')}")
        rows.setdefault(b["run_name"], []).append(b)
    missing = sorted(set(planned) - set(rows))
    if missing:
        fail(f"{len(missing)} planned benchmarks missing, e.g. {missing[:3]}")
    extra = sorted(set(rows) - set(planned))
    if extra:
        fail(f"benchmarks not in the plan: {extra[:3]}")
    for name, entries in rows.items():
        meta = planned[name]
        if len(entries) != reps:
            fail(f"{name}: {len(entries)} repetitions, expected {reps}")
        for e in entries:
            if meta["kind"] == "calibration" and meta["what"] == "pingpong":
                if not (e.get("pingpong_ns", 0) > 0):
                    fail(f"{name}: no positive pingpong_ns")
                for i, pu in enumerate(meta["pus"]):
                    if e.get(f"t{i}_pu") != pu:
                        fail(f"{name}: thread {i} ran on {e.get(f't{i}_pu')}, planned {pu}")
                continue
            for key in ("ops", "ns_per_op_thread", "ns_per_op_total", "ops_per_s_total",
                        "fairness_spread"):
                v = e.get(key)
                if not isinstance(v, (int, float)) or not math.isfinite(v) or v < 0:
                    fail(f"{name}: counter {key} = {v!r}")
            if e["ops"] <= 0:
                fail(f"{name}: no ops")
            for i, pu in enumerate(meta["pus"]):
                if e.get(f"t{i}_pu") != pu:
                    fail(f"{name}: thread {i} ran on {e.get(f't{i}_pu')}, planned {pu}")
            if meta.get("strategy") == "plain" and "lost_updates_per_op" not in e:
                fail(f"{name}: plain without lost_updates_per_op")
            if "migrations" not in e:
                fail(f"{name}: no migrations counter")
        if meta["kind"] == "refcount" and "baseline" in meta:
            for key in ("baseline", "baseline_lock"):
                if meta[key] not in planned:
                    fail(f"{name}: {key} {meta[key]} is not in the run")
    compare_py = "/usr/share/benchmark/compare.py"
    if "--compare-py" in sys.argv:
        compare_py = sys.argv[sys.argv.index("--compare-py") + 1]
    # compare.py's own loader (it imports scipy for its U test).
    r = subprocess.run(["/usr/bin/python3", compare_py, "benchmarks", path, path],
                       capture_output=True, text=True)
    if r.returncode != 0:
        fail(f"compare.py could not load the file:\n{r.stderr[-2000:]}")
    print(f"check_run_json: OK: {len(rows)} benchmarks x {reps} repetitions, "
          f"all pinned as planned, counts conserved, baselines present, compare.py loads it")


if __name__ == "__main__":
    main()
