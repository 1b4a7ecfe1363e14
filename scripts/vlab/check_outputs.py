#!/usr/bin/python3
"""Checks, on the host, what scripts/vlab/guest-check.sh brought back from one guest.

    check_outputs.py --preset NAME --dir OUT --classes smt,l3,machine \
        --shape packages=2,numa_nodes=2,... --threads 4,8 --nodes "0-3 4-7"

Function only (a TCG guest's timings mean nothing): the classes hwloc reports are the ones
the preset implies; every planned row ran with no error; every thread ran on its planned PU;
each placement class present has its pair rows and its ping-pong row; compact and scatter
plans ran for the thread counts asked; the this_system tests passed. With several NUMA
nodes (--nodes: the preset's CPU ranges, one per node, in node order): each 2-thread shared
pair on two nodes has a mem:local and a mem:remote row for every strategy (and a pair on one
node neither), and every repetition of a mem:local row recorded thread 0's node as its
object's page (counter mem_node), every mem:remote row thread 1's. Prints a summary per
preset on success; on failure, every problem found, each naming the preset. Exit 0/1.
"""
import argparse
import collections
import json
import os
import re
import sys

# A pair's placement classes; "same_pu" is one PU, not a pair placement.
PAIR_CLASSES = ("smt", "l2", "l3", "numa", "package", "machine")


class Problems(list):
    def need(self, ok, message):
        if not ok:
            self.append(message)
        return ok


def cpu_list(text):
    """hwloc's list syntax as rcbench prints it: "0-3,8"."""
    pus = []
    for part in filter(None, text.split(",")):
        lo, _, hi = part.partition("-")
        pus.extend(range(int(lo), int(hi or lo) + 1))
    return pus


def load_json(path, problems):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        problems.append(f"cannot read {os.path.basename(path)}: {e}")
        return None


def steps(out_dir, problems):
    """Each guest step's exit status; a failed step is named with the end of its stderr."""
    status = {}
    try:
        with open(os.path.join(out_dir, "steps.txt"), encoding="utf-8") as f:
            for line in f:
                name, _, rc = line.strip().rpartition(" ")
                status[name] = int(rc)
    except OSError:
        problems.append("the guest wrote no steps.txt (did guest-check.sh run?)")
    for name, rc in status.items():
        if rc != 0:
            tail = ""
            for stream in ("err", "out"):
                try:
                    with open(os.path.join(out_dir, f"{name}.{stream}"), encoding="utf-8",
                              errors="replace") as f:
                        tail += "".join(f.readlines()[-8:])
                except OSError:
                    pass
            problems.append(f"guest step '{name}' exited {rc}:\n    " +
                            tail.strip().replace("\n", "\n    "))
    return status


def check_topology(topology, classes, shape, problems):
    machine = topology["machine"]
    seen = [c for c in machine["classes_present"] if c != "same_pu"]
    problems.need(sorted(seen) == sorted(classes),
                  f"classes: hwloc reports {','.join(seen) or 'none'}, the preset implies "
                  f"{','.join(classes)}")
    for key, want in shape.items():
        got = machine.get(key)
        problems.need(str(got).lower() == want.lower(),
                      f"topology: {key} is {got}, the preset implies {want}")
    problems.need(machine.get("this_system") is True, "topology: not read from this system")
    return seen


def check_run(run, listed, seen, threads, allowed_pus, problems):
    plan = run["rcbench"]["benchmarks"]
    planned = {b["name"]: b for b in plan}
    # Every row Google Benchmark lists is in the run's plan, and the other way round.
    problems.need(set(listed) == set(planned),
                  "the run's plan differs from `--benchmark_list_tests`: "
                  f"{len(set(listed) - set(planned))} listed rows not planned, "
                  f"{len(set(planned) - set(listed))} planned rows not listed")

    entries = collections.defaultdict(list)
    for e in run["benchmarks"]:
        if e.get("run_type", "iteration") == "iteration":
            entries[e.get("run_name", e["name"])].append(e)
    missing = [n for n in planned if n not in entries]
    problems.need(not missing, f"{len(missing)} planned rows did not run, e.g. {missing[:3]}")
    errors = [(n, e.get("error_message", "")) for n, es in entries.items() for e in es
              if e.get("error_occurred")]
    problems.need(not errors, f"{len(errors)} error rows, e.g. {errors[:3]}")

    off_pu = []
    for name, spec in planned.items():
        for e in entries.get(name, []):
            for i, pu in enumerate(spec["pus"]):
                got = e.get(f"t{i}_pu")
                if got is None or int(got) != pu:
                    off_pu.append(f"{name} thread {i}: planned PU {pu}, ran on {got}")
            if e.get("migrations", 0):
                off_pu.append(f"{name}: {e['migrations']} migrations")
    problems.need(not off_pu, f"{len(off_pu)} threads off their planned PU, e.g. {off_pu[:3]}")

    per_placement = collections.Counter(b["placement"] for b in plan)
    per_class = collections.Counter(b["placement_class"] for b in plan)
    pingpong = {b["placement"] for b in plan if b["name"].startswith("calibration/pingpong_two_line/")}
    for c in seen:
        problems.need(any(b["placement"] == c and b.get("kind") == "refcount" for b in plan),
                      f"class {c}: no refcount rows")
        problems.need(c in pingpong, f"class {c}: no calibration/pingpong_two_line row")
        # A row labelled with a class must really sit on PUs of that class.
        wrong = [b["name"] for b in plan if b["placement"] == c and b["placement_class"] != c]
        problems.need(not wrong, f"class {c}: rows whose PUs are another class: {wrong[:3]}")
    # With as many threads as PUs, scatter is compact's PU set and the planner keeps one
    # row (compact); below that both must be there.
    for n in threads:
        policies = ("compact", "scatter") if n < allowed_pus else ("compact",)
        for policy in policies:
            problems.need(any(b["placement"] == policy and b["threads"] == n for b in plan),
                          f"no {policy} rows for {n} threads")
    return per_placement, per_class


def node_of_pu(node_ranges):
    """PU -> NUMA node, from the preset's node ranges ("0-3 4-7": node 0 holds PUs 0-3),
    i.e. from what QEMU was asked for, not from hwloc inside the guest."""
    return {pu: node for node, text in enumerate(node_ranges.split()) for pu in cpu_list(text)}


def check_memory_rows(run, node_of, problems):
    """The mem:local / mem:remote rows: planned where (and only where) a shared pair spans
    two nodes, for every strategy, and each repetition's page on the node its name asks for.
    Returns {(placement, pus, mem): [rows, wanted node, Counter of recorded nodes]}."""
    plan = run["rcbench"]["benchmarks"]
    reps = collections.defaultdict(list)
    for e in run["benchmarks"]:
        if e.get("run_type", "iteration") == "iteration":
            reps[e.get("run_name", e["name"])].append(e)

    # The one-shared-object workload, by its role in the run's catalog (rcbench.catalog).
    one_object = {w["name"] for w in run["rcbench"].get("catalog", {}).get("workloads", [])
                  if w.get("contention") == "one_object"}
    problems.need(bool(one_object), "the run's catalog names no one-shared-object workload")
    pairs = collections.defaultdict(lambda: collections.defaultdict(set))  # (placement, pus) -> strategy -> mems
    seen = {}
    for b in plan:
        if b.get("kind") != "refcount" or b.get("workload") not in one_object or b["threads"] != 2:
            problems.need("mem" not in b and "/mem:" not in b["name"],
                          f"{b['name']}: a memory placement on a row that is not a 2-thread shared row")
            continue
        pus = tuple(b["pus"])
        mem = b.get("mem")
        problems.need((mem is None) == ("/mem:" not in b["name"]),
                      f"{b['name']}: its name and its metadata disagree on mem ({mem})")
        pairs[(b["placement"], pus)][b["strategy"]].add(mem)
        if mem is None:
            continue
        wanted = node_of.get(pus[0 if mem == "local" else 1])
        problems.need(b.get("mem_node_wanted") == wanted,
                      f"{b['name']}: asked for node {b.get('mem_node_wanted')}, the preset puts thread "
                      f"{0 if mem == 'local' else 1}'s PU {pus[0 if mem == 'local' else 1]} on node {wanted}")
        group = seen.setdefault((b["placement"], pus, mem), [0, wanted, collections.Counter()])
        group[0] += 1
        rows = reps.get(b["name"], [])
        problems.need(rows, f"{b['name']}: no repetition ran")
        for e in rows:
            got = e.get("mem_node")
            got = got if got is None else int(got)
            group[2][got] += 1
            problems.need(got == wanted,
                          f"{b['name']} repetition {e.get('repetition_index')}: the object's page was on node "
                          f"{got}, mem:{mem} asked for node {wanted}"
                          + (f" ({e.get('error_message')})" if e.get("error_occurred") else ""))

    for (placement, pus), by_strategy in pairs.items():
        nodes = {node_of.get(pus[0]), node_of.get(pus[1])}
        want = {"local", "remote"} if len(nodes) == 2 and None not in nodes else {None}
        for strategy, mems in by_strategy.items():
            problems.need(mems == want,
                          f"shared {placement} PUs {pus[0]},{pus[1]} (nodes {node_of.get(pus[0])},{node_of.get(pus[1])}) "
                          f"{strategy}: rows with mem {sorted(map(str, mems))}, expected {sorted(map(str, want))}")
    if len(set(node_of.values())) > 1:
        problems.need(seen, "several NUMA nodes, but no shared pair spans two of them: no mem rows to check")
    return seen


def check_gtest(path, what, problems):
    """A gtest JSON report: no failures, some test passed; returns 'N passed[, M skipped]'."""
    report = load_json(path, problems)
    if report is None:
        return "none"
    results = collections.Counter(
        "SKIPPED" if t.get("result") == "SKIPPED" else t.get("status", "?")
        for suite in report.get("testsuites", []) for t in suite.get("testsuite", []))
    problems.need(report.get("failures", 1) == 0 and report.get("errors", 0) == 0,
                  f"{what}: {report.get('failures')} failures")
    problems.need(results["RUN"] > 0, f"{what}: no test passed")
    skipped = f", {results['SKIPPED']} skipped" if results["SKIPPED"] else ""
    return f"{results['RUN']} passed{skipped}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--preset", required=True)
    ap.add_argument("--dir", required=True)
    ap.add_argument("--classes", required=True, help="comma list: the pair classes implied")
    ap.add_argument("--shape", default="", help="key=value,...: machine summary fields implied")
    ap.add_argument("--threads", default="4,8", help="compact/scatter thread counts to find")
    ap.add_argument("--nodes", default="", help="the preset's NUMA nodes' CPU ranges, in node order")
    a = ap.parse_args()
    classes = [c for c in a.classes.split(",") if c]
    unknown = [c for c in classes if c not in PAIR_CLASSES]
    if unknown:
        sys.exit(f"check_outputs: unknown classes {unknown} (known: {', '.join(PAIR_CLASSES)})")
    shape = dict(kv.split("=", 1) for kv in a.shape.split(",") if kv)
    threads = [int(n) for n in a.threads.split(",") if n]

    problems = Problems()
    steps(a.dir, problems)
    seen, per_placement, per_class, allowed_pus, memory = [], {}, {}, 0, {}
    node_of = node_of_pu(a.nodes)
    topology = load_json(os.path.join(a.dir, "topology.json"), problems)
    if topology is not None:
        seen = check_topology(topology, classes, shape, problems)
        allowed_pus = len(cpu_list(topology["machine"]["allowed_pus"]))
    run = load_json(os.path.join(a.dir, "q.json"), problems)
    try:
        with open(os.path.join(a.dir, "list.out"), encoding="utf-8") as f:
            listed = [line.strip() for line in f if line.strip()]
    except OSError:
        listed = None
        problems.append("no row list from the guest (list.out)")
    if run is not None and listed is not None:
        try:
            per_placement, per_class = check_run(run, listed, seen, threads, allowed_pus, problems)
            if node_of:
                memory = check_memory_rows(run, node_of, problems)
        except (KeyError, TypeError, ValueError) as e:
            problems.append(f"the run JSON lacks what the check reads: {e!r}")
    tests = check_gtest(os.path.join(a.dir, "this_system.json"), "this_system", problems)
    taskset = check_gtest(os.path.join(a.dir, "this_system_taskset.json"),
                          "this_system under taskset -c 0", problems)

    if problems:
        print(f"vlab-check: {a.preset}: FAILED", file=sys.stderr)
        for p in problems:
            print(f"vlab-check: {a.preset}: {p}", file=sys.stderr)
        return 1
    rows = sum(per_placement.values())
    order = ["single", "same_pu", *PAIR_CLASSES, "compact", "scatter"]

    def counts(counter):
        return ", ".join(f"{k} {counter[k]}" for k in sorted(
            counter, key=lambda k: (order.index(k) if k in order else len(order), k)))
    print(f"vlab-check: {a.preset}: classes {','.join(seen)}; {rows} rows ran, all on their "
          f"planned PUs; rows per placement: {counts(per_placement)}; rows per placement class "
          f"(nearest level all of a row's PUs share): {counts(per_class)}; this_system tests: {tests} "
          f"(under taskset -c 0: {taskset})")
    m = topology["machine"]
    print(f"vlab-check: {a.preset}: rcbench topology inside: {m.get('packages')} packages, "
          f"{m.get('numa_nodes')} NUMA nodes, {m.get('l3_caches')} L3, {m.get('cores')} cores, "
          f"{m.get('pus')} PUs, SMT {m.get('smt')}; classes present: {', '.join(m['classes_present'])}; "
          f"representative pairs: " + ", ".join(f"{p['class']} {p['a']}-{p['b']}"
                                                 for p in topology.get("representative_pairs", [])))
    if not memory:
        print(f"vlab-check: {a.preset}: mem rows: none (no shared pair spans two NUMA nodes)")
    for (placement, pus, mem), (n, wanted, recorded) in sorted(memory.items()):
        got = ", ".join(f"node {node} in {count}" for node, count in sorted(recorded.items(), key=str))
        print(f"vlab-check: {a.preset}: mem rows: shared {placement} PUs {pus[0]},{pus[1]} "
              f"(nodes {node_of[pus[0]]},{node_of[pus[1]]}) mem:{mem}: {n} rows asked for node {wanted}; "
              f"recorded {got} repetitions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
