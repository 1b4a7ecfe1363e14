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
    if rc.get("method_version") != 2 or rc.get("probe_method") != "two_line":
        fail(f"method_version {rc.get('method_version')!r}, probe_method {rc.get('probe_method')!r}")
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
            if meta["kind"] == "calibration" and meta["what"].startswith("pingpong_"):
                if not (e.get("pingpong_ns", 0) > 0):
                    fail(f"{name}: no positive pingpong_ns")
                for i, pu in enumerate(meta["pus"]):
                    if e.get(f"t{i}_pu") != pu:
                        fail(f"{name}: thread {i} ran on {e.get(f't{i}_pu')}, planned {pu}")
                continue
            for key in ("ops", "window_ns", "ns_per_op_thread", "ns_per_op_total",
                        "cpu_ns_per_op_thread", "ops_per_s_total", "fairness_spread", "overlap"):
                v = e.get(key)
                if not isinstance(v, (int, float)) or not math.isfinite(v) or v < 0:
                    fail(f"{name}: counter {key} = {v!r}")
            if e["ops"] <= 0:
                fail(f"{name}: no ops")
            for i, pu in enumerate(meta["pus"]):
                if e.get(f"t{i}_pu") != pu:
                    fail(f"{name}: thread {i} ran on {e.get(f't{i}_pu')}, planned {pu}")
            if not e["overlap"] <= 1:
                fail(f"{name}: overlap {e['overlap']} above 1")
            if meta["threads"] == 1 and e["overlap"] != 1:
                fail(f"{name}: one thread with overlap {e['overlap']}")
            # Lost updates are counted (increment-only pass) where plain's threads
            # share an object, and nowhere else; the old drift figure is gone.
            racy = meta.get("strategy") == "plain" and meta["threads"] >= 2 and \
                meta.get("workload") in ("shared", "mixed")
            for key in ("lost_updates_per_increment", "premature_last_per_op"):
                if racy != (key in e):
                    fail(f"{name}: {key} {'missing' if racy else 'present'}")
            if racy and not 0 <= e["lost_updates_per_increment"] <= 1:
                fail(f"{name}: lost_updates_per_increment {e['lost_updates_per_increment']}")
            if "lost_updates_per_op" in e:
                fail(f"{name}: the method-1 drift figure lost_updates_per_op is still written")
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
