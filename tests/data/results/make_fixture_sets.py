#!/usr/bin/python3
"""Writes tree/: a small results folder for the index tests (tests/lab/test_index.py).

Three result sets on two machine shapes, plus what the index must skip (baselines/, a
staging folder, a run folder without run.json). The run JSONs follow docs/run-format.md
but carry only the rows the headline figures read. Every row has three repetitions,
[m, 0.9 m, 1.2 m], so its median is the designed m.

The index reads its figures from each set's report/report.json (docs/schemas/
report.schema.json), so sets A and C have one, as `rcbench report` would write it from
their run.json: one record per row, a catalog, and of each record only the fields the
index reads and those that tie it to its run rows. One record of A (atomic, shared, l3)
takes its figures from the dominant latency mode's repetitions only, so that the
report's median (33.0) is not the run's median over all repetitions (30.0): the index
must show the report's. test_index.py asserts on these figures.

Run: /usr/bin/python3 tests/data/results/make_fixture_sets.py (rewrites tree/).
"""
import json
import os
import shutil
import statistics

HERE = os.path.dirname(os.path.abspath(__file__))
TREE = os.path.join(HERE, "tree")
JITTER = [1.0, 0.9, 1.2]

LAB = "2pkg-2numa-2l3-16c-32pu-Intel-Xeon-Gold-6130"
VM = "1pkg-1numa-1l3-2c-2pu-AMD-EPYC"


def name(strategy, workload, placement, threads):
    return f"refcount/{strategy}/{workload}/placement:{placement}/real_time/threads:{threads}"


def rows_to_json(rows, machine, revision, errored=(), method=None):
    """rows: (strategy, workload, placement, class, threads, {counter: median})."""
    benchmarks, metas = [], []
    for family, (strategy, workload, placement, klass, threads, medians) in enumerate(rows):
        n = name(strategy, workload, placement, threads)
        for rep, j in enumerate(JITTER):
            e = {"name": n, "family_index": family, "per_family_instance_index": 0,
                 "run_name": n, "run_type": "iteration", "repetitions": len(JITTER),
                 "repetition_index": rep, "threads": threads, "iterations": 1000,
                 "real_time": 1.0, "cpu_time": 1.0, "time_unit": "ns"}
            e.update({k: (None if v is None else v * j) for k, v in medians.items()})
            if n in errored and rep == 0:
                e.update(error_occurred=True, error_message="pinning failed")
                e.update({k: 1000.0 for k in medians})   # must not count
            benchmarks.append(e)
        # Google Benchmark's own aggregate: the index must ignore it.
        benchmarks.append({"name": n + "_median", "run_name": n, "run_type": "aggregate",
                           "aggregate_name": "median", "threads": threads,
                           **{k: 999.0 for k in medians}})
        meta = {"name": n, "kind": "refcount", "strategy": strategy, "workload": workload,
                "params": {}, "placement": placement, "placement_class": klass,
                "pus": list(range(threads)), "threads": threads, "ops_per_iteration": 1000}
        if not strategy.startswith("gil_"):
            meta["baseline"] = name("gil_cpython", workload, placement, threads)
        metas.append(meta)
    doc = {"context": {"date": "2024-01-02T03:04:05+00:00", "num_cpus": machine["topology"]["pus"]},
           "benchmarks": benchmarks,
           "rcbench": {"format": "rcbench-run", "format_version": 1, "profile": "full",
                       "machine": machine, "build": {"git_revision": revision},
                       "benchmarks": metas}}
    if method is not None:   # absent: a run from before issue 14, method 1
        doc["rcbench"]["method_version"] = method
    return doc


# What `rcbench report` adds to report.json: which strategies and workloads the run has,
# and their roles (the index selects its headline records by these roles, not by name).
CATALOG = {
    "source": "run",
    "strategies": [
        {"name": "plain", "family": "plain", "params": {}, "display": "plain", "order": 0,
         "baseline": None, "reference": True, "headline": None, "real_interpreter": False,
         "summary": "non-atomic increment: the uncontended reference op"},
        {"name": "atomic", "family": "atomic", "params": {}, "display": "atomic", "order": 1,
         "baseline": None, "reference": False, "headline": "rmw", "real_interpreter": False,
         "summary": "one atomic read-modify-write per op"},
        {"name": "biased", "family": "biased", "params": {}, "display": "biased", "order": 2,
         "baseline": None, "reference": False, "headline": "owner_biased", "real_interpreter": False,
         "summary": "owner thread non-atomic, others atomic on a shared field"},
        {"name": "gil_cpython", "family": "gil", "params": {}, "display": "gil_cpython", "order": 3,
         "baseline": "gil", "reference": False, "headline": None, "real_interpreter": False,
         "summary": "plain behind a model of CPython's GIL"},
    ],
    "workloads": [
        {"name": "private", "display": "private", "order": 0, "contention": "none",
         "summary": "each thread its own object"},
        {"name": "shared", "display": "shared", "order": 1, "contention": "one_object",
         "summary": "every thread on one object"},
    ],
}


def figure(values, unit, scope):
    """A report figure: a summary over the repetitions the report counts."""
    n, mean = len(values), statistics.fmean(values)
    q = statistics.quantiles(values, n=10, method="inclusive") if n > 1 else [values[0]] * 9
    sd = statistics.stdev(values) if n > 1 else 0.0
    return {"unit": unit, "scope": scope, "n": n, "median": statistics.median(values),
            "min": min(values), "max": max(values), "mean": mean, "p10": q[0], "p90": q[-1],
            "stddev": sd, "cv": sd / mean if n > 1 else 0.0}


def run_to_report(doc, dominant=None):
    """report.json for a run made by rows_to_json. dominant: {run_name: [rep indexes]},
    records whose figures come from the dominant latency mode's repetitions only."""
    dominant = dominant or {}
    reps, failed = {}, {}
    for e in doc["benchmarks"]:
        if e["run_type"] != "iteration":
            continue
        if e.get("error_occurred"):   # an errored repetition is no repetition of the report's
            failed[e["run_name"]] = failed.get(e["run_name"], 0) + 1
        else:
            reps.setdefault(e["run_name"], []).append(e)

    def values(name, counter):
        used = [e for e in reps[name] if e["repetition_index"] in dominant.get(name, [e["repetition_index"]])]
        v = [e[counter] for e in used if e.get(counter) is not None]
        return v or None

    def median(name, counter):
        v = values(name, counter) if name in reps else None
        return statistics.median(v) if v else None

    plain_single = next(m["name"] for m in doc["rcbench"]["benchmarks"]
                        if m["strategy"] == "plain" and m["workload"] == "private" and m["threads"] == 1)
    records = []
    for m in doc["rcbench"]["benchmarks"]:
        n = m["name"]
        baseline = n if m["strategy"] == "gil_cpython" else m.get("baseline")
        baseline = baseline if baseline in reps else None   # these runs have GIL rows only at 8 and 32 threads
        used = sorted(e["repetition_index"] for e in reps[n]
                      if e["repetition_index"] in dominant.get(n, [e["repetition_index"]]))
        if n in dominant:
            figures_from = f"dominant mode 0 (about 60 ns, {len(used)} of {len(reps[n])} reps)"
        else:
            figures_from = f"all {len(reps[n])} reps"
        fig = {c: (figure(values(n, c), "ns/op", scope) if values(n, c) else None)
               for c, scope in [("ns_per_op_thread", "per thread"), ("ns_per_op_total", "total")]}
        per_thread = [{"thread": t, "pu": m["pus"][t],
                       "ns_per_op": figure(values(n, f"t{t}_ns_per_op"), "ns/op", "this thread alone")}
                      for t in range(m["threads"]) if values(n, f"t{t}_ns_per_op")]
        total, base_total = median(n, "ns_per_op_total"), median(baseline, "ns_per_op_total")
        thread, plain = median(n, "ns_per_op_thread"), median(plain_single, "ns_per_op_thread")
        to_gil = total / base_total if total and base_total else None
        to_plain = thread / plain if thread and plain else None
        flags = (["multimodal"] if n in dominant else []) + (["failed_repetitions"] if n in failed else [])
        if len(used) < 3:
            flags.append("few_repetitions")
        records.append({
            "run_name": n, "strategy": m["strategy"], "workload": m["workload"], "params": m["params"],
            "placement": m["placement"], "placement_class": m["placement_class"], "pus": m["pus"],
            "threads": m["threads"], "baseline": baseline,
            "repetitions": {"total": len(reps[n]), "failed": failed.get(n, 0), "used": used, "left_out": []},
            "figures_from": figures_from, **fig, "per_thread": per_thread,
            "ratio_to_gil": to_gil, "ratio_to_plain_single": to_plain,
            "ratio_basis": {"ratio_to_gil": "raw" if to_gil else None,
                            "ratio_to_gil_lock": None,
                            "ratio_to_plain_single": "raw" if to_plain else None},
            "flags": flags})
    return {"schema_version": 2, "method_version": doc["rcbench"].get("method_version", 1),
            "catalog": CATALOG, "records": records}


def lab_machine():
    return {"cpu_model": "Intel(R) Xeon(R) Gold 6130 CPU @ 2.10GHz", "vendor": "GenuineIntel",
            "virtual": {"is_virtual": False, "evidence": []},
            "topology": {"packages": 2, "numa_nodes": 2, "l3_caches": 2, "cores": 16, "pus": 32,
                         "smt": True, "classes_present": ["smt", "l3", "machine"]}}


def write(path, doc):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        if isinstance(doc, str):
            f.write(doc)
        else:
            json.dump(doc, f, indent=1, allow_nan=False)
            f.write("\n")


def main():
    shutil.rmtree(TREE, ignore_errors=True)
    # A: every headline figure present, several placements.
    a_rows = [
        ("plain", "private", "single", "same_pu", 1, {"ns_per_op_thread": 0.4, "ns_per_op_total": 0.4}),
        ("atomic", "private", "single", "same_pu", 1, {"ns_per_op_thread": 6.0, "ns_per_op_total": 6.0}),
        ("atomic", "shared", "smt", "smt", 2, {"ns_per_op_thread": 12.0, "ns_per_op_total": 6.0}),
        ("atomic", "shared", "l3", "l3", 2, {"ns_per_op_thread": 30.0, "ns_per_op_total": 15.0}),
        ("atomic", "shared", "machine", "machine", 2, {"ns_per_op_thread": 150.0, "ns_per_op_total": 75.0}),
        ("biased", "shared", "l3", "l3", 2, {"t0_ns_per_op": 2.0, "t1_ns_per_op": 55.0}),
        ("biased", "shared", "machine", "machine", 2, {"t0_ns_per_op": 2.5, "t1_ns_per_op": 210.0}),
        ("atomic", "shared", "compact", "machine", 32, {"ns_per_op_thread": 320.0, "ns_per_op_total": 10.0}),
        ("gil_cpython", "shared", "compact", "machine", 32, {"ns_per_op_thread": 64.0, "ns_per_op_total": 2.0}),
        ("atomic", "shared", "scatter", "machine", 32, {"ns_per_op_thread": 480.0, "ns_per_op_total": 15.0}),
        ("gil_cpython", "shared", "scatter", "machine", 32, {"ns_per_op_thread": 80.0, "ns_per_op_total": 2.5}),
        # fewer threads than the maximum: not the "all cores" figure
        ("atomic", "shared", "compact", "machine", 8, {"ns_per_op_thread": 90.0, "ns_per_op_total": 11.0}),
        ("gil_cpython", "shared", "compact", "machine", 8, {"ns_per_op_thread": 9.0, "ns_per_op_total": 1.0}),
    ]
    a = os.path.join(TREE, LAB, "20240102T030405Z-abc1234")
    doc = rows_to_json(a_rows, lab_machine(), "abc1234")
    write(os.path.join(a, "run.json"), doc)
    # reps 0 and 2 (30 and 36) in the dominant mode: the report's median is 33.0
    write(os.path.join(a, "report", "report.json"),
          run_to_report(doc, dominant={name("atomic", "shared", "l3", 2): [0, 2]}))
    write(os.path.join(a, "environment.json"),
          {"format": "rcbench-lab-environment", "format_version": 1, "warnings": ["turbo", "smt"]})
    write(os.path.join(a, "report", "tables.md"), "# tables (fixture)\n")

    # B: same machine, later; no biased and no GIL rows; no environment.json, no report
    # (so its figures are n/a);
    # a method-2 run (issue 14), where A and C carry no method_version (method 1).
    b_rows = [r for r in a_rows if r[0] in ("plain", "atomic") and r[4] <= 2]
    b = os.path.join(TREE, LAB, "20240203T000000Z-def5678")
    write(os.path.join(b, "run.json"), rows_to_json(b_rows, lab_machine(), "def5678", method=2))

    # C: a VM with single-thread rows only; one errored repetition and one null value.
    vm = {"cpu_model": "AMD EPYC", "virtual": {"is_virtual": True, "evidence": ["hypervisor flag"]},
          "topology": {"packages": 1, "numa_nodes": 1, "l3_caches": 1, "cores": 2, "pus": 2}}
    c_rows = [
        ("plain", "private", "single", "same_pu", 1, {"ns_per_op_thread": 0.5}),
        ("atomic", "private", "single", "same_pu", 1, {"ns_per_op_thread": 2.0}),
        ("atomic", "shared", "l3", "l3", 2, {"ns_per_op_thread": None}),
    ]
    c = os.path.join(TREE, VM, "20250314T092653Z-1479b99c0ffe-dirty")
    doc = rows_to_json(c_rows, vm, "unknown",
                       errored={name("atomic", "private", "single", 1)})
    write(os.path.join(c, "run.json"), doc)
    write(os.path.join(c, "report", "report.json"), run_to_report(doc))
    write(os.path.join(c, "environment.json"),
          {"format": "rcbench-lab-environment", "format_version": 1, "warnings": []})
    write(os.path.join(c, "report", "tables.md"), "# tables (fixture)\n")

    # Not result sets.
    write(os.path.join(TREE, "baselines", "gate-2vcpu", "run.json"), rows_to_json(c_rows, vm, "x"))
    write(os.path.join(TREE, ".staging-20250101T000000Z-1", "run.json"), rows_to_json(c_rows, vm, "x"))
    write(os.path.join(TREE, VM, "20250101T000000Z-nothing", "environment.json"), {})


if __name__ == "__main__":
    main()
