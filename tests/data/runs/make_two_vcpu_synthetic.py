#!/usr/bin/python3
"""Writes two-vcpu-synthetic.json: a hand-designed run JSON that follows
docs/run-format.md field by field (Google Benchmark 1.7.1's layout, checked against
a real GB 1.7.1 file, raw-gb171-nan.json, plus the "rcbench" object).

The figures are invented but shaped like this 2-vCPU KVM guest (PITFALLS.md): plain
~0.5 ns/op, lock add ~2.1 ns/op, mutex ~6.8 ns/op on one thread; two threads on one
line ~10 ns/op per thread; coherence probes ~55 ns one-way with a rare ~240 ns mode.
Tests assert on the designed medians below, so keep them in step when editing.

It also writes two-vcpu-method2.json: the same machine and figures as a method-2 run
(issue 14, docs/run-format.md): rcbench.method_version 2, a null row
(calibration/overhead) for each placement, overlap / window_ns / cpu_ns_per_op_thread on
every timed repetition, lost_updates_per_increment and premature_last_per_op instead of
lost_updates_per_op, the biased foreign row, both ping-pong methods and two matrix cells.
Designed there (tests assert on them): OVERLAP_ROW's repetition 2 has overlap 0.98 (left
out), repetition 1 has 0.995 (kept); NO_FIGURE_ROW's repetitions all have overlap 0.5.

Run: /usr/bin/python3 tests/data/runs/make_two_vcpu_synthetic.py (rewrites both files).
"""
import json
import math
import os

OPS_PER_ITERATION = 1000          # ops per thread per Google Benchmark iteration
ITERATIONS_PER_THREAD = 20000

# Designed medians, ns per op per thread, by (placement, workload, strategy).
SINGLE = {"plain": 0.5, "atomic": 2.1, "biased": 0.9, "deferred_64": 0.7,
          "gil_lock": 6.8, "gil_cpython": 0.6}
PAIR = {
    "private": {"plain": 0.5, "atomic": 2.1, "biased": 0.9, "deferred_64": 0.7,
                "gil_lock": 60.0, "gil_cpython": 1.2},
    "shared": {"plain": 4.0, "atomic": 10.0, "biased": 25.0, "deferred_64": 1.5,
               "gil_lock": 70.0, "gil_cpython": 1.3},
    "mixed": {"plain": 1.2, "atomic": 3.5, "biased": 4.0, "deferred_64": 0.8,
              "gil_lock": 62.0, "gil_cpython": 1.25},
    "false_sharing": {"plain": 2.4, "atomic": 9.5, "gil_lock": 65.0, "gil_cpython": 1.25},
}
PARAMS = {"private": {}, "shared": {}, "mixed": {"shared_pct": "10"},
          "false_sharing": {"pad": "64"}}
# Serialized strategies: one thread works at a time, so the team's total ns/op equals
# the per-thread figure halved only for the parallel strategies.
SERIALIZED = {"gil_cpython"}

JITTER_SINGLE = [1.00, 1.01, 0.99]
JITTER_PAIR = [1.00, 0.97, 1.04, 1.10, 0.98]
PROBES_L3 = [(55.2, 56.0), (54.8, 55.5), (57.1, 56.3), (55.9, 58.0), (56.4, 55.1)]
# atomic/shared/l3: reps 0-2 in the ~55 ns mode, rep 3 in the ~240 ns (cross-CCD)
# mode, where contended throughput is *better*; rep 4 moved between modes.
MULTIMODAL = "refcount/atomic/shared/placement:l3/real_time/threads:2"
MULTIMODAL_PROBES = [(55.0, 56.1), (54.6, 55.8), (56.9, 55.4), (241.0, 238.5), (56.2, 244.0)]
MULTIMODAL_NS = [10.0, 9.8, 10.3, 7.0, 8.9]
MIGRATED = "refcount/plain/mixed/shared_pct:10/placement:l3/real_time/threads:2"

# Method 2 only.
OVERLAP_ROW = "refcount/atomic/private/placement:l3/real_time/threads:2"
OVERLAP_ROW_OVERLAPS = [1.0, 0.995, 0.98, 1.0, 0.999]
NO_FIGURE_ROW = "refcount/deferred_64/private/placement:l3/real_time/threads:2"
FOREIGN = "refcount/biased/foreign/placement:single/real_time/threads:1"
FOREIGN_NS = 3.2                  # the non-owner path: an atomic RMW on the shared count
CPU_SHARE = 0.98                  # thread CPU time / wall time of a window
LOST_PER_INCREMENT = {"shared": 0.25, "mixed": 0.02}
PREMATURE_LAST = {"shared": 0.01, "mixed": 0.001}
OVERHEAD = {("single", 1): [0.28, 0.29, 0.28], ("l3", 2): [0.30, 0.31, 0.30, 0.32, 0.30]}
PINGPONG_ONE_LINE_CAS = [70.1, 69.8, 71.0]


def run_name(strategy, workload, placement, threads):
    parts = ["refcount", strategy, workload]
    parts += [f"{k}:{v}" for k, v in PARAMS[workload].items()]
    parts += [f"placement:{placement}", "real_time", f"threads:{threads}"]
    return "/".join(parts)


def entry(name, family, rep, reps, threads, ns_thread, counters):
    iterations = ITERATIONS_PER_THREAD * threads
    e = {
        "name": name, "family_index": family, "per_family_instance_index": 0,
        "run_name": name, "run_type": "iteration", "repetitions": reps,
        "repetition_index": rep, "threads": threads, "iterations": iterations,
        "real_time": ns_thread * OPS_PER_ITERATION,
        "cpu_time": ns_thread * OPS_PER_ITERATION * threads, "time_unit": "ns",
    }
    e.update(dict(sorted(counters.items())))   # GB writes counters in key order
    return e


def aggregates(name, family, reps_entries):
    out = []
    counter_keys = [k for k in reps_entries[0] if k not in {
        "name", "family_index", "per_family_instance_index", "run_name", "run_type",
        "repetitions", "repetition_index", "threads", "iterations", "real_time",
        "cpu_time", "time_unit"}]
    n = len(reps_entries)

    def stat(values, agg):
        values = [v for v in values if v is not None]
        if len(values) < n:
            return None
        mean = sum(values) / n
        if agg == "mean":
            return mean
        if agg == "median":
            s = sorted(values)
            return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2
        sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))
        if agg == "stddev":
            return sd
        return sd / mean if mean != 0 else None   # GB prints NaN: null here

    for agg in ["mean", "median", "stddev", "cv"]:
        a = {"name": f"{name}_{agg}", "family_index": family, "per_family_instance_index": 0,
             "run_name": name, "run_type": "aggregate", "repetitions": n,
             "threads": reps_entries[0]["threads"], "aggregate_name": agg,
             "aggregate_unit": "percentage" if agg == "cv" else "time",
             "iterations": n}
        for k in ["real_time", "cpu_time"]:
            a[k] = stat([e[k] for e in reps_entries], agg)
        a["time_unit"] = "ns"
        for k in counter_keys:
            a[k] = stat([e.get(k) for e in reps_entries], agg)
        out.append(a)
    return out


def method2_counters(name, workload, strategy, threads, r, c):
    """Adds what a method-2 repetition carries and drops the method-1 drift counter."""
    ns = c["ns_per_op_thread"]
    c["overlap"] = 1.0 if threads == 1 else (
        OVERLAP_ROW_OVERLAPS[r] if name == OVERLAP_ROW else 0.5 if name == NO_FIGURE_ROW else 1.0)
    c["window_ns"] = c["ops"] / threads * ns
    c["cpu_ns_per_op_thread"] = ns * CPU_SHARE
    c.pop("lost_updates_per_op", None)
    if strategy == "plain" and threads == 2 and workload in LOST_PER_INCREMENT:
        c["lost_updates_per_increment"] = LOST_PER_INCREMENT[workload]
        c["premature_last_per_op"] = PREMATURE_LAST[workload]


def refcount_rows(method=1):
    rows = []   # (name, meta, entries)
    for placement, threads, pus in [("single", 1, [0]), ("l3", 2, [0, 1])]:
        for workload in PAIR:
            table = SINGLE if threads == 1 else PAIR[workload]
            for strategy in table:
                if strategy not in PAIR[workload]:
                    continue
                name = run_name(strategy, workload, placement, threads)
                base = table[strategy]
                jitter = JITTER_SINGLE if threads == 1 else JITTER_PAIR
                reps = []
                for r, j in enumerate(jitter):
                    ns = MULTIMODAL_NS[r] if name == MULTIMODAL else base * j
                    parallel = threads if strategy not in SERIALIZED else 1
                    ns_total = ns / parallel
                    ops = float(OPS_PER_ITERATION * ITERATIONS_PER_THREAD * threads)
                    probes = MULTIMODAL_PROBES[r] if name == MULTIMODAL else PROBES_L3[r]
                    c = {
                        "ops": ops, "ns_per_op_thread": ns, "ns_per_op_total": ns_total,
                        "ops_per_s_total": 1e9 / ns_total,
                        "fairness_spread": 0.0 if threads == 1 else
                        (0.30 if strategy == "gil_lock" else 0.04 * j),
                        "migrations": 1.0 if (name == MIGRATED and r == 2) else 0.0,
                        "ctx_switches": float(2 + r if strategy != "gil_lock" else 1800 + 10 * r),
                        "probe_before_ns": probes[0], "probe_after_ns": probes[1],
                    }
                    for t in range(threads):
                        c[f"t{t}_pu"] = float(pus[t])
                        c[f"t{t}_ns_per_op"] = ns
                    if strategy == "biased" and workload == "shared" and threads == 2:
                        c["t0_ns_per_op"], c["t1_ns_per_op"] = 0.12 * ns, 1.88 * ns
                    if strategy == "gil_cpython" and workload == "shared" and threads == 2 and r == 1:
                        c["t1_ns_per_op"] = None   # thread 1 never got the GIL: GB wrote NaN
                    if strategy == "plain":
                        lost = {"private": 0.0, "shared": 0.4, "mixed": 0.04,
                                "false_sharing": 0.0}[workload] if threads == 2 else 0.0
                        c["lost_updates_per_op"] = lost * j
                    if method == 2:
                        method2_counters(name, workload, strategy, threads, r, c)
                    reps.append(c)
                meta = {
                    "name": name, "kind": "refcount", "strategy": strategy,
                    "workload": workload, "params": PARAMS[workload], "placement": placement,
                    "placement_class": "same_pu" if threads == 1 else "l3", "pus": pus,
                    "threads": threads, "ops_per_iteration": OPS_PER_ITERATION,
                }
                if not strategy.startswith("gil_"):
                    meta["baseline"] = run_name("gil_cpython", workload, placement, threads)
                    meta["baseline_lock"] = run_name("gil_lock", workload, placement, threads)
                rows.append((name, meta, threads, reps))
    if method == 2:
        reps = []
        for r, j in enumerate(JITTER_SINGLE):
            ns = FOREIGN_NS * j
            c = {"ops": float(OPS_PER_ITERATION * ITERATIONS_PER_THREAD), "ns_per_op_thread": ns,
                 "ns_per_op_total": ns, "ops_per_s_total": 1e9 / ns, "fairness_spread": 0.0,
                 "migrations": 0.0, "ctx_switches": float(2 + r), "t0_pu": 0.0, "t0_ns_per_op": ns}
            method2_counters(FOREIGN, "foreign", "biased", 1, r, c)
            reps.append(c)
        # The owner is another (parked) thread; the GIL row it is read against is the
        # private one: a GIL makes every thread an owner.
        meta = {"name": FOREIGN, "kind": "refcount", "strategy": "biased", "workload": "foreign",
                "params": {}, "placement": "single", "placement_class": "same_pu", "pus": [0],
                "threads": 1, "ops_per_iteration": OPS_PER_ITERATION,
                "baseline": run_name("gil_cpython", "private", "single", 1),
                "baseline_lock": run_name("gil_lock", "private", "single", 1)}
        rows.insert(3, (FOREIGN, meta, 1, reps))   # after the private single-thread rows' first few
    return rows


def calibration_rows(method=1):
    rows = []
    overhead = OVERHEAD if method == 2 else {("single", 1): OVERHEAD[("single", 1)]}
    for (placement, threads), values in overhead.items():
        over = f"calibration/overhead/placement:{placement}/real_time/threads:{threads}"
        pus = list(range(threads))
        reps = []
        for v in values:
            c = {"ops": 2e7, "ns_per_op_thread": v, "ns_per_op_total": v / threads, "ops_per_s_total": 1e9 * threads / v}
            if method == 2:
                c.update(overlap=1.0, window_ns=2e7 / threads * v, cpu_ns_per_op_thread=v * CPU_SHARE)
            reps.append(c)
        rows.append((over, {"name": over, "kind": "calibration", "strategy": "overhead", "what": "overhead",
                            "placement": placement, "placement_class": "same_pu" if threads == 1 else "l3",
                            "pus": pus, "threads": threads, "ops_per_iteration": OPS_PER_ITERATION}, threads, reps))
    pingpong = [("pingpong", [55.3, 54.9, 241.7])] if method == 1 else [
        ("pingpong_two_line", [55.3, 54.9, 241.7]), ("pingpong_one_line_cas", PINGPONG_ONE_LINE_CAS)]
    cells = [] if method == 1 else [("pingpong_two_line", "0-1", [55.1, 55.4, 56.0]),
                                    ("pingpong_two_line", "1-0", [54.8, 55.0, 55.9])]
    for what, values in pingpong:
        pp = f"calibration/{what}/placement:l3/real_time/threads:2"
        rows.append((pp, {"name": pp, "kind": "calibration", "strategy": what, "what": what,
                          "placement": "l3", "placement_class": "l3", "pus": [0, 1],
                          "threads": 2, "ops_per_iteration": 1}, 2,
                     [{"pingpong_ns": v, "t0_pu": 0.0, "t1_pu": 1.0} for v in values]))
    for what, pair, values in cells:
        a, b = (int(x) for x in pair.split("-"))
        pp = f"calibration/{what}/pair:{pair}/placement:l3/real_time/threads:2"
        rows.append((pp, {"name": pp, "kind": "calibration", "strategy": what, "what": what,
                          "params": {"pair": pair}, "placement": "l3", "placement_class": "l3",
                          "pus": [a, b], "threads": 2, "ops_per_iteration": 1}, 2,
                     [{"pingpong_ns": v, "t0_pu": float(a), "t1_pu": float(b)} for v in values]))
    if method == 1:   # method 1's metadata had no "what"
        for _, meta, _, _ in rows:
            meta.pop("what")
    return rows


def main(method=1, file_name="two-vcpu-synthetic.json"):
    benchmarks, metas = [], []
    for family, (name, meta, threads, reps) in enumerate(refcount_rows(method) + calibration_rows(method)):
        entries = []
        for r, c in enumerate(reps):
            ns = c.get("ns_per_op_thread", c.get("pingpong_ns"))
            entries.append(entry(name, family, r, len(reps), threads, ns, c))
        benchmarks += entries + aggregates(name, family, entries)
        metas.append(meta)

    doc = {
        "context": {
            "date": "2025-03-14T09:26:53+00:00", "host_name": "ci-2vcpu",
            "executable": "/work/main/build/release/cli/rcbench", "num_cpus": 2,
            "mhz_per_cpu": 2596, "cpu_scaling_enabled": False,
            "caches": [
                {"type": "Data", "level": 1, "size": 32768, "num_sharing": 1},
                {"type": "Instruction", "level": 1, "size": 32768, "num_sharing": 1},
                {"type": "Unified", "level": 2, "size": 1048576, "num_sharing": 1},
                {"type": "Unified", "level": 3, "size": 33554432, "num_sharing": 2}],
            "load_avg": [0.21, 0.35, 0.3], "library_build_type": "debug",
        },
        "benchmarks": benchmarks,
        "rcbench": {
            "format": "rcbench-run", "format_version": 1, "profile": "quick",
            "command_line": "rcbench run --profile quick --out two-vcpu-synthetic.json",
            "started_at": "2025-03-14T09:26:53Z", "finished_at": "2025-03-14T09:31:10Z",
            "machine": {
                "cpu_model": "AMD EPYC 9R14 96-Core Processor", "vendor": "AuthenticAMD",
                "kernel": "6.1.0-31-cloud-amd64", "hostname": "ci-2vcpu",
                "virtual": {"is_virtual": True,
                            "evidence": ["cpuid hypervisor bit set", "DMI sys_vendor: Amazon EC2"]},
                "governor": None, "turbo": None, "perf_event_paranoid": 2,
                "topology": {"packages": 1, "numa_nodes": 1, "l3_caches": 1, "l2_caches": 2,
                             "cores": 2, "pus": 2, "smt": False, "allowed_pus": "0-1",
                             "classes_present": ["l3"]},
            },
            "build": {"compiler": "GNU 12.2.0", "flags": "-O3 -DNDEBUG", "build_type": "Release",
                      "git_revision": "1479b99c0ffe"},
            "perf": {
                "source": {"papi": "7.0.0.0", "fallback": "getrusage + /proc/thread-self/sched"},
                "events": [
                    {"name": "RETIRED_LOCK_INSTRUCTIONS", "available": False, "source": "papi",
                     "reason": "PAPI_ENOEVNT: the virtual machine exposes no hardware PMU"},
                    {"name": "ANY_DATA_CACHE_FILLS_FROM_SYSTEM:LOCAL_CCX", "available": False,
                     "source": "papi",
                     "reason": "PAPI_ENOEVNT: the virtual machine exposes no hardware PMU"},
                    {"name": "perf::CONTEXT-SWITCHES", "available": False, "source": "papi",
                     "reason": "perf_event_paranoid=2: PAPI_DOM_ALL refused, reads 0 in user domain"},
                    {"name": "ctx_switches", "available": True, "source": "getrusage(RUSAGE_THREAD)",
                     "reason": ""},
                    {"name": "migrations", "available": True, "source": "/proc/thread-self/sched",
                     "reason": ""},
                ],
            },
            "calibration": {
                "pingpong_matrix": {"pus": [0, 1], "one_way_ns": [[None, 55.1], [54.8, None]],
                                    "statistic": "min over samples"},
            },
            "benchmarks": metas,
            "environment": {"steal_ticks_start": 18211, "steal_ticks_end": 18240,
                            "loadavg_1m_start": 0.21, "loadavg_1m_end": 1.93},
        },
    }
    if method == 2:
        rc = doc["rcbench"]
        doc["rcbench"] = {"format": rc["format"], "format_version": rc["format_version"], "method_version": 2,
                          "probe_method": "two_line", **{k: v for k, v in rc.items() if not k.startswith("format")}}
        doc["rcbench"]["command_line"] = "rcbench run --profile quick --out two-vcpu-method2.json"
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), file_name)
    with open(path, "w") as f:
        json.dump(doc, f, indent=2, allow_nan=False)
        f.write("\n")


if __name__ == "__main__":
    main()
    main(method=2, file_name="two-vcpu-method2.json")
