#!/usr/bin/python3
"""Checks the GIL fields of a run JSON from `rcbench run` (docs/run-format.md, "Did every
thread work?"): each timed row's planned window (rcbench.benchmarks[].window_s: min time,
or threads x switch interval x 4 for a row of a GIL held across blocks when longer), each repetition's
window at least that long (thread 0 stops it only once the planned window has passed, so
this holds on any machine), and the per-repetition counters threads_worked,
ops_per_thread_min/max and, on gil_cpython rows of 2+ threads only, gil_switches and
gil_drop_requests, with the relations the protocol guarantees (never a timing).

Usage: check_gil_rows.py RUN.json
Exits non-zero with a message on the first violated property."""
import json
import re
import sys

GIL_TURNS_PER_THREAD = 4  # bench/harness/plan.hpp, kGilTurnsPerThread


def fail(msg):
    print(f"check_gil_rows: FAIL: {msg}")
    sys.exit(1)


def holds_gil_across_blocks(meta, rc):
    """gil_cpython, and the real interpreter's rows unless its libpython has no GIL."""
    if meta["kind"] != "refcount":
        return False
    if meta["strategy"] == "gil_cpython":
        return True
    real = re.fullmatch(r"cpython\d+_(eval|release)", meta["strategy"]) is not None
    return real and not rc["cpython"].get("gil_disabled", False)


def expected_window(meta, rc, min_time):
    if not holds_gil_across_blocks(meta, rc) or meta["threads"] < 2:
        return min_time
    return max(min_time, meta["threads"] * meta["switch_interval_us"] * 1e-6 * GIL_TURNS_PER_THREAD)


def main():
    with open(sys.argv[1]) as f:
        doc = json.load(f)
    rc = doc["rcbench"]
    min_time = rc["min_time_s"]
    planned = {b["name"]: b for b in rc["benchmarks"]}
    longer = 0
    for name, meta in planned.items():
        if meta["kind"] == "calibration" and meta["what"].startswith("pingpong_"):
            if "window_s" in meta:
                fail(f"{name}: a ping-pong row has no window, but window_s is {meta['window_s']}")
            continue
        want = expected_window(meta, rc, min_time)
        if abs(meta.get("window_s", -1) - want) > 1e-12:
            fail(f"{name}: window_s {meta.get('window_s')!r}, expected {want}")
        if want > min_time:
            longer += 1
    if longer == 0:
        fail("no row with a window longer than min time: the run does not test the rule")

    seen_gil = 0
    for e in doc["benchmarks"]:
        if e.get("run_type") != "iteration":
            continue
        name = e["run_name"]
        meta = planned[name]
        if meta["kind"] == "calibration" and meta["what"].startswith("pingpong_"):
            continue
        if e.get("error_occurred"):
            fail(f"{name}: error: {e.get('error_message')}")
        n = meta["threads"]
        worked, lo, hi, ops = e["threads_worked"], e["ops_per_thread_min"], e["ops_per_thread_max"], e["ops"]
        if not (1 <= worked <= n):
            fail(f"{name}: threads_worked {worked} outside 1..{n}")
        if not (0 <= lo <= hi):
            fail(f"{name}: ops_per_thread_min {lo} > ops_per_thread_max {hi}")
        # The total is the sum over threads, each between the fewest and the most.
        if not (lo * n <= ops <= hi * n):
            fail(f"{name}: ops {ops} not within threads x [min {lo}, max {hi}]")
        if (lo == 0) != (worked < n):
            fail(f"{name}: ops_per_thread_min {lo} but threads_worked {worked} of {n}")
        if e["window_ns"] < meta["window_s"] * 1e9:
            fail(f"{name}: window_ns {e['window_ns']} shorter than the planned {meta['window_s']} s")
        is_gil = meta["kind"] == "refcount" and meta["strategy"] == "gil_cpython" and n >= 2
        for key in ("gil_switches", "gil_drop_requests"):
            if is_gil != (key in e):
                fail(f"{name}: {key} {'missing' if is_gil else 'present'}")
        if is_gil:
            seen_gil += 1
            # Every thread that worked took the GIL from someone (the first from nobody).
            if e["gil_switches"] < worked:
                fail(f"{name}: gil_switches {e['gil_switches']} < threads_worked {worked}")
            if e["gil_drop_requests"] < 0:
                fail(f"{name}: gil_drop_requests {e['gil_drop_requests']}")
    if seen_gil == 0:
        fail("no gil_cpython repetition of 2+ threads in the run")
    print(f"check_gil_rows: OK: {len(planned)} rows, {longer} with a longer GIL window, "
          f"{seen_gil} gil_cpython repetitions with their counters")


if __name__ == "__main__":
    main()
