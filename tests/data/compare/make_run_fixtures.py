#!/usr/bin/python3
"""Generates the run JSON fixtures (docs/run-format.md) for tests/compare. Each file is
a small, synthetic gate-profile run with known properties: what a comparison of two of
them must conclude is stated here and asserted by the C++ tests. Run once with
/usr/bin/python3; the tests read only the JSON files."""
import json
import numpy as np

REPS = 12
SINGLE = "placement:single/real_time/threads:1"
PAIR = "placement:l3/real_time/threads:2"
# Typical single-thread costs on the development VM, ns per op per thread.
ROWS = {
    f"refcount/plain/private/{SINGLE}": 0.55,
    f"refcount/atomic/private/{SINGLE}": 2.1,
    f"refcount/biased/private/{SINGLE}": 0.9,
    f"refcount/gil_cpython/private/{SINGLE}": 0.7,
    f"refcount/atomic/shared/{PAIR}": 10.0,
    f"refcount/gil_cpython/shared/{PAIR}": 30.0,
}
LATENCY = {"l3": (52.0, 65.0), "ccd": (233.0, 258.0)}


def baseline_of(name, gil="gil_cpython"):
    parts = name.split("/")
    if parts[1].startswith("gil") or parts[1] == gil:
        return None
    parts[1] = gil
    return "/".join(parts)


def make_run(path, seed, scale=None, machine=1.0, noise=0.02, reps=REPS, drop=(), extra=(),
             modes=None, steal=0.001, injected=None, method=None, overlap=None,
             rep_scale=None, rows=None, gil="gil_cpython", catalog=None):
    """scale: {row: factor} slowdowns; machine: factor on every row (a slower host);
    modes: {row: [mode per rep]} (default l3); a non-GIL row whose pair runs across CCDs
    is 1.6x slower, as contended transfers are on this VM. method: rcbench.method_version
    (None: absent, i.e. method 1); overlap: {row: [overlap per rep]} (method 2's counter);
    rep_scale: {row: {rep: factor}} slows single repetitions. rows: the rows and their
    ns/op (default ROWS); gil: the GIL baseline's strategy; catalog: rcbench.catalog."""
    rows = rows or ROWS
    rng = np.random.default_rng(seed)
    scale = scale or {}
    modes = modes or {}
    entries, meta = [], []
    names = [n for n in rows if n not in drop] + list(extra)
    for name in names:
        base_ns = rows.get(name, 1.0) * scale.get(name, 1.0) * machine
        row_modes = modes.get(name, ["l3"] * reps)
        for i in range(reps):
            m = row_modes[i]
            lo, hi = LATENCY[m]
            ns = base_ns * float(rng.lognormal(0, noise))
            if m == "ccd" and name.endswith("threads:2") and "/gil" not in name and f"/{gil}/" not in name:
                ns *= 1.6  # the GIL holder batches its ops: transfer latency barely shows
            ns *= (rep_scale or {}).get(name, {}).get(i, 1.0)
            threads = 2 if name.endswith("threads:2") else 1
            entries.append({
                "name": name, "family_index": 0, "per_family_instance_index": 0,
                "run_name": name, "run_type": "iteration", "repetitions": reps,
                "repetition_index": i, "threads": threads, "iterations": 1000000,
                "real_time": ns * 1000, "cpu_time": ns * 1000 * threads, "time_unit": "ns",
                "ns_per_op_thread": round(ns, 5), "ns_per_op_total": round(ns / threads, 5),
                "ops_per_s_total": round(1e9 * threads / ns, 1), "migrations": 0,
                "probe_before_ns": round(float(rng.uniform(lo, hi)), 2),
                "probe_after_ns": round(float(rng.uniform(lo, hi)), 2)})
            if overlap and name in overlap:
                entries[-1]["overlap"] = overlap[name][i]
        parts = name.split("/")
        m = {"name": name, "kind": "refcount", "strategy": parts[1], "workload": parts[2],
             "params": {}, "placement": parts[3].split(":")[1], "threads": 2 if name.endswith("threads:2") else 1}
        if baseline_of(name, gil):
            m["baseline"] = baseline_of(name, gil)
        meta.append(m)
    total = 2 * 100 * 60  # 2 PUs, 100 ticks/s, 60 s
    run = {
        "context": {"date": "2024-06-07T12:00:00+00:00", "num_cpus": 2, "library_build_type": "debug"},
        "benchmarks": entries,
        "rcbench": {
            "format": "rcbench-run", "format_version": 1, "profile": "gate",
            "command_line": "rcbench run --profile gate (synthetic fixture)",
            "machine": {"topology": {"pus": 2}},
            "build": {"git_revision": f"fixture-{seed}"},
            "benchmarks": meta,
            "environment": {
                "start": {"time": "2024-06-07T12:00:00Z", "steal_ticks": 1000, "total_ticks": 500000,
                          "ticks_per_s": 100, "loadavg_1m": 0.9, "loadavg_5m": 0.8},
                "end": {"time": "2024-06-07T12:01:00Z", "steal_ticks": 1000 + int(steal * total),
                        "total_ticks": 500000 + total, "ticks_per_s": 100, "loadavg_1m": 1.1,
                        "loadavg_5m": 0.9}},
        },
    }
    if injected:
        run["rcbench"]["injected_slowdown"] = injected
    if catalog:
        run["rcbench"]["catalog"] = catalog
    if method is not None:
        run["rcbench"]["method_version"] = method
    write_compact(path, run)


def write_compact(path, run):
    """One benchmark entry per line: small files that still diff line by line."""
    with open(path, "w") as f:
        f.write('{"context": ' + json.dumps(run["context"]) + ',\n"benchmarks": [\n')
        f.write(",\n".join(json.dumps(e) for e in run["benchmarks"]))
        f.write('\n],\n"rcbench": ' + json.dumps(run["rcbench"]) + "}\n")


ATOMIC = f"refcount/atomic/private/{SINGLE}"
PAIR_ROW = f"refcount/atomic/shared/{PAIR}"
PAIR_GIL = f"refcount/gil_cpython/shared/{PAIR}"

make_run("base.json", seed=1)
# Same conditions, fresh noise: must pass.
make_run("rerun.json", seed=2)
# atomic 30% slower: must fail in both modes.
make_run("atomic_slower_30pct.json", seed=3, scale={ATOMIC: 1.3}, injected={"strategy": "atomic", "percent": 30})
# atomic 3% slower: significant perhaps, below the 10% threshold: must pass.
make_run("atomic_slower_3pct.json", seed=4, scale={ATOMIC: 1.03})
# The whole machine 30% slower: normalized passes, absolute fails.
make_run("machine_slower_30pct.json", seed=5, machine=1.3)
# biased missing, a new row added.
make_run("missing_biased.json", seed=6, drop=(f"refcount/biased/private/{SINGLE}",),
         extra=(f"refcount/deferred_64/private/{SINGLE}",))
# Too few repetitions for the U test.
make_run("three_reps.json", seed=7, reps=3)
# The pair ran across CCDs (1.6x slower contended transfers) for every repetition:
# a change of mode, not of code. The GIL baseline barely moves, so even the normalized
# ratio jumps. Modes: inconclusive; --no-modes: a false regression.
make_run("pair_other_mode.json", seed=8, modes={PAIR_ROW: ["ccd"] * REPS, PAIR_GIL: ["ccd"] * REPS})
# Half the reps in each mode, and atomic/shared really 30% slower: caught within the
# same mode. 24 reps so that each mode has 12.
mixed = ["l3", "ccd"] * REPS
make_run("base_24.json", seed=9, reps=2 * REPS)
make_run("pair_mixed_modes_slower.json", seed=10, reps=2 * REPS, scale={PAIR_ROW: 1.3},
         modes={PAIR_ROW: mixed, PAIR_GIL: mixed})
# A run with 20% steal: inconclusive even though atomic is 30% slower.
make_run("stolen_slower.json", seed=11, scale={ATOMIC: 1.3}, steal=0.2)

# Issue 14. base.json's figures as a method-2 run: refused against base.json (exit 2).
make_run("method2.json", seed=1, method=2)
# Method 2, atomic/shared (2 threads) 2x slower in 3 of 12 repetitions, exactly those whose overlap
# is below 0.99: compare leaves them out (9 left) and the row stays "same" against method2.json.
make_run("method2_low_overlap.json", seed=2, method=2,
         overlap={PAIR_ROW: [0.5 if i in (2, 5, 8) else 1.0 for i in range(REPS)]},
         rep_scale={PAIR_ROW: {2: 2.0, 5: 2.0, 8: 2.0}})

# Issue 15. A run whose catalog holds strategies no rcbench build has: "hazard_ptr", a
# new count, and "zz_gil", a GIL model under another name, which the catalog makes the
# GIL baseline. report and compare read the names and roles from the catalog: both must
# handle them (hazard_ptr/private 30% slower in the second file: a regression).
NEW = {f"refcount/hazard_ptr/private/{SINGLE}": 1.5, f"refcount/zz_gil/private/{SINGLE}": 0.7,
       f"refcount/hazard_ptr/shared/{PAIR}": 12.0, f"refcount/zz_gil/shared/{PAIR}": 30.0}
NEW_CATALOG = {
    "strategies": [
        {"name": "hazard_ptr", "family": "hazard_ptr", "params": {}, "display": "hazard pointers",
         "order": 5, "baseline": None, "reference": False, "headline": None, "real_interpreter": False,
         "summary": "a strategy this code has never heard of"},
        {"name": "zz_gil", "family": "zz_gil", "params": {}, "display": "a GIL model under another name",
         "order": 900, "baseline": "gil", "reference": False, "headline": None, "real_interpreter": False,
         "summary": "the GIL baseline, known by its role only"}],
    "workloads": [
        {"name": "private", "display": "private objects", "order": 10, "contention": "none", "summary": ""},
        {"name": "shared", "display": "one shared object", "order": 20, "contention": "one_object", "summary": ""}]}
make_run("unknown_strategy_base.json", seed=12, rows=NEW, gil="zz_gil", catalog=NEW_CATALOG)
make_run("unknown_strategy_slower.json", seed=13, rows=NEW, gil="zz_gil", catalog=NEW_CATALOG,
         scale={f"refcount/hazard_ptr/private/{SINGLE}": 1.3})

# Malformed inputs.
with open("malformed_not_json.json", "w") as f:
    f.write('{"benchmarks": [ {"name": "x", \n')
with open("malformed_no_benchmarks.json", "w") as f:
    f.write('{"context": {}, "rows": []}\n')
with open("report_v1.json", "w") as f:
    json.dump({"schema_version": 1, "kind": "rcbench-report", "tables": []}, f)
    f.write("\n")
print("done")
