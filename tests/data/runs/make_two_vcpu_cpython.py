#!/usr/bin/python3
"""Writes two-vcpu-cpython.json: a method-2 run of the 2-vCPU machine (the shape of
two-vcpu-method2.json) with the real CPython interpreter's rows of issue 16, as the
harness writes them (/work/contract/cpython-rows.md, docs/run-format.md):

- strategies cpython311_eval (the real interpreter, GIL held, a trivial Python call
  every N ops) and cpython311_release (the GIL released every N ops) beside atomic,
  gil_cpython and gil_lock, for the workloads private and shared; false_sharing has
  no real rows (the harness runs none for it), so its rows carry no baseline_real;
- "baseline_real" in rcbench.benchmarks[] on every row whose conditions have the eval
  row, except the eval row itself (the release row names its eval sibling);
- the rcbench.cpython block (eval_every_ops 64).

Designed figures (tests assert on them; keep them in step when editing). Three
repetitions per row with jitter 1.00 / 1.01 / 0.99, so each median is the value below.
single x1 has a null row (0.2 ns/op): its ratios are corrected; l3 x2 has none: raw.
  single x1, private: gil_cpython 0.6, cpython311_eval 1.4 -> model/real (0.6-0.2)/(1.4-0.2) = 1/3
  l3 x2, private:     gil_cpython 1.2, cpython311_eval 2.4 total ns/op -> model/real 0.5
  l3 x2, shared:      gil_cpython 1.3, cpython311_eval 3.9 total ns/op -> model/real 1/3
  atomic, l3 x2, shared: 5 ns/op total -> 5/3.9 against the real row

Run: /usr/bin/python3 tests/data/runs/make_two_vcpu_cpython.py (rewrites the file).
"""
import json
import os

from make_two_vcpu_synthetic import aggregates, entry

PY = "cpython311"                 # the embedded Python 3.11, as the harness names it
EVAL, RELEASE = f"{PY}_eval", f"{PY}_release"
JITTER = [1.00, 1.01, 0.99]
PARAMS = {"private": {}, "shared": {}, "false_sharing": {"pad": "64"}}
NULL_ROW = {("single", 1): 0.2}   # ns/op per thread (and total: one thread)

# (placement, threads) -> workload -> strategy -> (ns/op per thread, ns/op total).
# Strategies that hold a GIL run one thread at a time: total = per thread.
ROWS = {
    ("single", 1): {
        "private": {"atomic": (2.1, 2.1), "gil_cpython": (0.6, 0.6), "gil_lock": (6.8, 6.8),
                    EVAL: (1.4, 1.4), RELEASE: (3.0, 3.0)},
    },
    ("l3", 2): {
        "private": {"atomic": (2.1, 1.05), "gil_cpython": (1.2, 1.2), "gil_lock": (60.0, 60.0),
                    EVAL: (2.4, 2.4), RELEASE: (9.0, 9.0)},
        "shared": {"atomic": (10.0, 5.0), "gil_cpython": (1.3, 1.3), "gil_lock": (70.0, 70.0),
                   EVAL: (3.9, 3.9), RELEASE: (12.0, 12.0)},
        "false_sharing": {"atomic": (9.5, 4.75), "gil_cpython": (1.25, 1.25), "gil_lock": (65.0, 65.0)},
    },
}
PUS = {("single", 1): [0], ("l3", 2): [0, 1]}
OPS = 2e7


def run_name(strategy, workload, placement, threads):
    parts = ["refcount", strategy, workload] + [f"{k}:{v}" for k, v in PARAMS[workload].items()]
    return "/".join(parts + [f"placement:{placement}", "real_time", f"threads:{threads}"])


def counters(ns_thread, ns_total, threads, pus, j):
    c = {"ops": OPS * threads, "ns_per_op_thread": ns_thread * j, "ns_per_op_total": ns_total * j,
         "ops_per_s_total": 1e9 / (ns_total * j), "overlap": 1.0, "window_ns": OPS * ns_thread * j,
         "cpu_ns_per_op_thread": ns_thread * j * 0.98, "fairness_spread": 0.0 if threads == 1 else 0.03,
         "migrations": 0.0, "ctx_switches": 2.0}
    for t, pu in enumerate(pus):
        c[f"t{t}_pu"] = float(pu)
        c[f"t{t}_ns_per_op"] = ns_thread * j
    return c


def meta_of(strategy, workload, placement, threads, strategies):
    meta = {"name": run_name(strategy, workload, placement, threads), "kind": "refcount",
            "strategy": strategy, "workload": workload, "params": PARAMS[workload],
            "placement": placement, "placement_class": "same_pu" if threads == 1 else "l3",
            "pus": PUS[(placement, threads)], "threads": threads, "ops_per_iteration": 1000}
    if not strategy.startswith("gil_"):
        meta["baseline"] = run_name("gil_cpython", workload, placement, threads)
        meta["baseline_lock"] = run_name("gil_lock", workload, placement, threads)
    if EVAL in strategies and strategy != EVAL:
        meta["baseline_real"] = run_name(EVAL, workload, placement, threads)
    return meta


def rows():
    out = []   # (name, meta, threads, [counters per repetition])
    for (placement, threads), workloads in ROWS.items():
        pus = PUS[(placement, threads)]
        for workload, strategies in workloads.items():
            for strategy, (ns_thread, ns_total) in strategies.items():
                meta = meta_of(strategy, workload, placement, threads, strategies)
                reps = [counters(ns_thread, ns_total, threads, pus, j) for j in JITTER]
                out.append((meta["name"], meta, threads, reps))
    for (placement, threads), ns in NULL_ROW.items():
        name = f"calibration/overhead/placement:{placement}/real_time/threads:{threads}"
        meta = {"name": name, "kind": "calibration", "strategy": "overhead", "what": "overhead",
                "placement": placement, "placement_class": "same_pu", "pus": PUS[(placement, threads)],
                "threads": threads, "ops_per_iteration": 1000}
        out.append((name, meta, threads, [counters(ns, ns, threads, PUS[(placement, threads)], j) for j in JITTER]))
    return out


def main():
    benchmarks, metas = [], []
    for family, (name, meta, threads, reps) in enumerate(rows()):
        entries = [entry(name, family, r, len(reps), threads, c["ns_per_op_thread"], c) for r, c in enumerate(reps)]
        benchmarks += entries + aggregates(name, family, entries)
        metas.append(meta)
    doc = {
        "context": {"date": "2025-06-02T10:00:00+00:00", "host_name": "ci-2vcpu", "num_cpus": 2,
                    "mhz_per_cpu": 2596, "library_build_type": "debug"},
        "benchmarks": benchmarks,
        "rcbench": {
            "format": "rcbench-run", "format_version": 1, "method_version": 2, "probe_method": "two_line",
            "profile": "quick", "command_line": "rcbench run --profile quick --out two-vcpu-cpython.json",
            "started_at": "2025-06-02T10:00:00Z", "finished_at": "2025-06-02T10:03:00Z",
            "machine": {
                "cpu_model": "AMD EPYC 9R14 96-Core Processor", "vendor": "AuthenticAMD",
                "kernel": "6.1.0-31-cloud-amd64", "hostname": "ci-2vcpu",
                "virtual": {"is_virtual": True, "evidence": ["cpuid hypervisor bit set"]},
                "governor": None, "turbo": None, "perf_event_paranoid": 2,
                "topology": {"packages": 1, "numa_nodes": 1, "l3_caches": 1, "l2_caches": 2, "cores": 2,
                             "pus": 2, "smt": False, "allowed_pus": "0-1", "classes_present": ["l3"]},
            },
            "build": {"compiler": "GNU 12.2.0", "flags": "-O3 -DNDEBUG", "build_type": "Release",
                      "git_revision": "c0ffee161616"},
            "cpython": {"available": True, "version": "3.11.2 (main, Mar 13 2023, 12:18:29) [GCC 12.2.0]",
                        "version_hex": 51118832, "gil_disabled": False,
                        "library": "/usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0",
                        "pkg_config": "python-3.11-embed", "eval_every_ops": 64, "switch_interval_s": 0.005},
            "perf": {"source": {"fallback": "getrusage + /proc/thread-self/sched"}, "events": []},
            "benchmarks": metas,
        },
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "two-vcpu-cpython.json")
    with open(path, "w") as f:
        json.dump(doc, f, indent=2, allow_nan=False)
        f.write("\n")


if __name__ == "__main__":
    main()
