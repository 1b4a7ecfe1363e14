#!/usr/bin/python3
"""Writes a run JSON shaped like a real run on a big machine, with placeholder values:
make_scale_fixture.py --rcbench BIN --topology XML --template RUN.json --out FIXTURE.json

What it is for: the report and its plots at hundreds of PUs, on a 2-PU machine. The rows
are the ones `rcbench run --list --profile P` plans on the topology XML (run with
HWLOC_XMLFILE, so names, PUs, placement classes and thread counts are rcbench's own),
the machine's topology is `rcbench topology --input XML --json`'s, and the catalog,
build, cpython and perf objects are copied from TEMPLATE, a real run of the same build
(any profile: only its rcbench object's descriptive parts are used, never its figures).

The figures are NOT measurements: they come from the small deterministic model below
(a per-strategy cost, a coherence latency per placement class, serialized GIL rows).
The document says so: rcbench.fixture, machine.cpu_model "FIXTURE ...", hostname
"fixture". Per-thread counters (t<i>_pu, t<i>_ns_per_op) and Google Benchmark's
aggregate entries are left out: the report does not need them (it recomputes from the
repetitions) and at 384 threads they would make the file hundreds of MB.

Never commit the output. Exit status: 0 written, 2 bad input (the reason on stderr).
"""
import argparse
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

FIXTURE_NOTE = "synthetic placeholder values, not measurements (scripts/make_scale_fixture.py)"

# One-way coherence latency by placement class, ns: the model's only notion of distance.
CLASS_LATENCY_NS = {"same_pu": 0.0, "smt": 7.0, "l2": 15.0, "l3": 20.0, "numa": 90.0,
                    "package": 110.0, "machine": 190.0}
# Single-thread ns/op by strategy family; a family not listed costs DEFAULT_COST_NS.
FAMILY_COST_NS = {"plain": 0.5, "atomic": 2.0, "atomic_seq_cst": 2.1, "atomic_cas": 2.6,
                  "biased": 0.9, "deferred": 0.8, "immortal": 0.4, "gil_lock": 7.0,
                  "gil_cpython": 0.6}
DEFAULT_COST_NS = 2.0
REAL_INTERPRETER_COST_NS = 25.0
# How much of the line's latency a contended op pays, by family (biased: the non-owner's
# atomic path; deferred: one flush per flush_threshold ops; immortal: never writes).
FAMILY_CONTENTION = {"plain": 0.4, "biased": 1.2, "immortal": 0.0}
# Share of ops on a contended line, by the workload's catalog contention.
CONTENTION_SHARE = {"none": 0.0, "one_object": 1.0, "one_line": 1.0, "transfer": 0.5,
                    "partly_shared": None, "owned_elsewhere": 0.0}
WINDOW_NS = 20e6   # min_time of the default profile, 0.02 s


class InputError(Exception):
    pass


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--rcbench", required=True, help="the rcbench binary (plans the rows)")
    p.add_argument("--topology", required=True, help="hwloc topology XML to plan against")
    p.add_argument("--template", required=True, action="append",
                   help="a real run JSON of the same build: catalog, build, cpython, perf are copied "
                        "(repeat it: the catalogs are merged, as a run's holds only its own strategies)")
    p.add_argument("--out", required=True, help="fixture run JSON to write")
    p.add_argument("--profile", default="default", choices=["quick", "default", "full"])
    p.add_argument("--repetitions", type=int, default=None,
                   help="repetitions per row (default: the profile's, as --list prints it)")
    p.add_argument("--force", action="store_true", help="replace an existing --out file")
    return p.parse_args()


def run_tool(args, env=None):
    try:
        done = subprocess.run(args, capture_output=True, text=True, env=env, check=False)
    except OSError as e:
        raise InputError(f"--rcbench: cannot run {args[0]}: {e.strerror}") from e
    if done.returncode != 0:
        raise InputError(f"{' '.join(args[:3])} failed (exit {done.returncode}): {done.stderr.strip()[:300]}")
    return done.stdout


LIST_LINE = re.compile(r"^(\S+)\s+PUs (\S+)\s+class (\S+)\s*$")
LIST_SUMMARY = re.compile(r"^(\d+) benchmarks x (\d+) repetitions")


def planned_rows(rcbench, topology, profile):
    """(name, pus, class) of each row `rcbench run --list` plans on the topology, and the
    profile's repetitions."""
    env = dict(os.environ, HWLOC_XMLFILE=os.path.abspath(topology))
    env.pop("HWLOC_SYNTHETIC", None)
    text = run_tool([rcbench, "run", "--list", "--profile", profile], env)
    rows, reps = [], None
    for line in text.splitlines():
        m = LIST_LINE.match(line)
        if m:
            rows.append((m.group(1), expand_pus(m.group(2)), m.group(3)))
        elif (s := LIST_SUMMARY.match(line)):
            reps = int(s.group(2))
            if int(s.group(1)) != len(rows):
                raise InputError(f"--list printed {len(rows)} rows but says {s.group(1)}")
    if not rows or reps is None:
        raise InputError(f"--list on {topology} printed no plan")
    return rows, reps


def expand_pus(text):
    """--list's PUs in thread order, runs of consecutive PUs as a-b: "0-2,8" -> [0, 1, 2, 8]."""
    pus = []
    for item in text.split(","):
        lo, _, hi = item.partition("-")
        pus.extend(range(int(lo), int(hi or lo) + 1))
    return pus


def parse_name(name):
    """The fields of a benchmark name (docs/run-format.md, "Benchmark names")."""
    parts = name.split("/")
    if parts[-2] != "real_time" or not parts[-1].startswith("threads:"):
        raise InputError(f"unexpected benchmark name {name!r}")
    row = {"name": name, "kind": parts[0], "threads": int(parts[-1].split(":")[1]), "params": {}}
    rest = parts[1:-2]
    if row["kind"] == "refcount":
        row["strategy"], row["workload"], rest = rest[0], rest[1], rest[2:]
    else:
        row["what"], rest = rest[0], rest[1:]
    for seg in rest:
        key, _, value = seg.partition(":")
        if key == "placement":
            row["placement"] = value
        elif key == "mem":
            row["mem"] = value
        else:
            row["params"][key] = int(value) if value.isdigit() else value
    return row


def numa_node_of_pu(topology):
    """PU OS index -> NUMA node OS index, from the XML's NUMANode cpusets."""
    def bits(mask):
        words = mask.split(",")[::-1]   # hwloc: most significant 32-bit word first, empty = 0
        out = set()
        for i, w in enumerate(words):
            value = int(w, 16) if w else 0
            out |= {32 * i + b for b in range(32) if value >> b & 1}
        return out
    nodes = {}
    for obj in ET.parse(topology).iter("object"):
        if obj.get("type") == "NUMANode":
            for pu in bits(obj.get("cpuset", "0x0")):
                nodes[pu] = int(obj.get("os_index"))
    return nodes


def row_metadata(row, pus, placement_class, roles, real_interpreters, names, nodes):
    """rcbench.benchmarks[] entry as the harness writes it for a default-profile row."""
    meta = {"name": row["name"], "kind": row["kind"], "pinned": True, "placement": row["placement"],
            "placement_class": placement_class, "pus": pus, "role": "selected", "threads": row["threads"]}
    if row["kind"] == "calibration":
        meta["what"] = row["what"]
        meta["ops_per_iteration"] = 1 if row["what"].startswith("pingpong") else 16
        if row["params"]:
            meta["params"] = row["params"]
        return meta
    meta.update(strategy=row["strategy"], workload=row["workload"], params=row["params"],
                ops_per_iteration=20 if row["workload"] == "mixed" else 16)
    # The baselines share workload, params, placement, mem and threads; the foreign row is
    # read against the private one (a GIL makes every thread an owner).
    workload = "private" if row["workload"] == "foreign" else row["workload"]
    tail = row["name"].split("/")[3:]   # params, placement, mem, real_time, threads
    for field, role in (("baseline", "gil"), ("baseline_lock", "lock"), ("baseline_real", "real")):
        strategy = roles.get(role)
        if strategy is None or strategy == row["strategy"]:
            continue
        if role in ("gil", "lock") and roles_of(row["strategy"], roles) in ("gil", "lock"):
            continue   # the GIL rows name only the real interpreter's row
        candidate = "/".join(["refcount", strategy, workload] + tail)
        if candidate in names:
            meta[field] = candidate
    if row["strategy"] in real_interpreters or roles_of(row["strategy"], roles) == "gil":
        meta["switch_interval_us"] = 5000
    if "mem" in row:
        wanted = nodes[pus[0]] if row["mem"] == "local" else nodes[pus[1]]
        meta.update(mem=row["mem"], mem_node_wanted=wanted,
                    mem_method="first-touch" if row["mem"] == "local" else "bind")
    return meta


def roles_of(strategy, roles):
    return next((role for role, s in roles.items() if s == strategy), None)


def jitter(name, rep):
    """A deterministic spread over repetitions, about +-3 %, different per row."""
    seed = sum(ord(c) * (i + 1) for i, c in enumerate(name)) % 997
    return 1.0 + 0.03 * math.sin(seed + 1.7 * rep)


def model_ns(row, placement_class, strategies, workloads):
    """(ns/op per thread, ns/op total) of a refcount row in the placeholder model."""
    entry = strategies[row["strategy"]]
    threads = row["threads"]
    latency = CLASS_LATENCY_NS.get(placement_class, 100.0)
    if entry.get("real_interpreter"):
        base = REAL_INTERPRETER_COST_NS
    else:
        base = FAMILY_COST_NS.get(entry.get("family"), DEFAULT_COST_NS)
    if entry.get("baseline") in ("gil", "lock") or entry.get("real_interpreter"):
        # Serialized: one thread works at a time; a handover costs a line transfer, more
        # often for the lock (every op) than for the GIL model (every switch interval).
        handover = latency * (1.0 if entry.get("baseline") == "lock" else 0.01)
        total = base + (handover if threads > 1 else 0.0)
        return total * threads, total
    contention = CONTENTION_SHARE.get(workloads[row["workload"]]["contention"], 0.5)
    if contention is None:   # partly shared: shared_pct of the ops
        contention = float(row["params"].get("shared_pct", 10)) / 100.0
    if row["workload"] == "false_sharing" and int(row["params"].get("pad", 8)) >= 64:
        contention = 0.0      # padded to a line of its own: no sharing left
    family = entry.get("family")
    weight = FAMILY_CONTENTION.get(family, 1.0)
    if family == "deferred":
        weight = 1.0 / float(entry.get("params", {}).get("flush_threshold", 64))
    thread = base + contention * weight * latency * math.log2(max(threads, 1)) if threads > 1 else base
    if row["workload"] == "foreign":
        thread = base * 3.5
    return thread, thread / threads


def entries_of(row, meta, family_index, reps, strategies, workloads):
    """The per-repetition entries of one row (Google Benchmark's fields + counters)."""
    out = []
    threads = row["threads"]
    for rep in range(reps):
        j = jitter(row["name"], rep)
        e = {"name": row["name"], "family_index": family_index, "per_family_instance_index": 0,
             "run_name": row["name"], "run_type": "iteration", "repetitions": reps,
             "repetition_index": rep, "threads": threads}
        if row["kind"] == "calibration" and row["what"].startswith("pingpong"):
            one_way = CLASS_LATENCY_NS.get(meta["placement_class"], 100.0) * j
            if row["what"] == "pingpong_one_line_cas":
                one_way *= 1.5
            if "pair" in row["params"]:   # a matrix cell: vary by the pair, stably
                one_way *= 1.0 + 0.002 * (sum(meta["pus"]) % 50)
            e.update(iterations=1000, real_time=2 * one_way * 100, cpu_time=2 * one_way * 100,
                     time_unit="ns", pingpong_ns=one_way)
            out.append(e)
            continue
        if row["kind"] == "calibration":   # the null row: the harness's own cost
            ns_thread, ns_total = 0.3, 0.3 / threads
        else:
            ns_thread, ns_total = model_ns(row, meta["placement_class"], strategies, workloads)
        ns_thread, ns_total = ns_thread * j, ns_total * j
        ops = round(WINDOW_NS / ns_total)
        counters = {"ops": float(ops), "ns_per_op_thread": ns_thread, "ns_per_op_total": ns_total,
                    "ops_per_s_total": 1e9 / ns_total, "cpu_ns_per_op_thread": ns_thread * 0.995,
                    "window_ns": WINDOW_NS, "overlap": 1.0, "fairness_spread": 0.02 * (threads > 1),
                    "migrations": 0.0, "ctx_switches": float(threads), "ops_per_iteration": float(meta["ops_per_iteration"])}
        if row["kind"] == "refcount":
            probe = CLASS_LATENCY_NS.get(meta["placement_class"], 100.0) or CLASS_LATENCY_NS["l3"]
            counters.update(probe_before_ns=probe * j, probe_after_ns=probe * (2 - j))
            if row["strategy"] == "plain" and threads > 1 and row["workload"] in ("shared", "mixed"):
                counters.update(lost_updates_per_increment=0.01, premature_last_per_op=0.001)
            if "mem" in meta:
                counters.update(mem_node_wanted=float(meta["mem_node_wanted"]), mem_node=float(meta["mem_node_wanted"]))
        e.update(iterations=ops, real_time=ns_total, cpu_time=ns_thread, time_unit="ns")
        e.update(dict(sorted(counters.items())))
        out.append(e)
    return out


def load_templates(paths):
    """The first template's rcbench object, its catalog merged with the others' (a run's
    catalog holds only the strategies and workloads it ran; entries are the build's own)."""
    merged, catalog = None, {"strategies": {}, "workloads": {}}
    for path in paths:
        with open(path) as f:
            try:
                template = json.load(f)
            except json.JSONDecodeError as e:
                raise InputError(f"--template {path}: not valid JSON ({e})") from e
        rc = template.get("rcbench") if isinstance(template, dict) else None
        if not isinstance(rc, dict) or not isinstance(rc.get("catalog"), dict):
            raise InputError(f"--template {path}: no rcbench.catalog (a run of this build is needed)")
        merged = merged or rc
        for part in ("strategies", "workloads"):
            for entry in rc["catalog"].get(part, []):
                catalog[part].setdefault(entry["name"], entry)
    merged = dict(merged)
    merged["catalog"] = {part: sorted(entries.values(), key=lambda e: (e.get("order", 0), e["name"]))
                         for part, entries in catalog.items()}
    return merged


def build(args):
    rc = load_templates(args.template)
    strategies = {s["name"]: s for s in rc["catalog"]["strategies"]}
    workloads = {w["name"]: w for w in rc["catalog"]["workloads"]}
    roles = {s["baseline"]: s["name"] for s in rc["catalog"]["strategies"] if s.get("baseline")}
    real_interpreters = {s["name"] for s in rc["catalog"]["strategies"] if s.get("real_interpreter")}

    plan, profile_reps = planned_rows(args.rcbench, args.topology, args.profile)
    reps = args.repetitions or profile_reps
    machine_topology = json.loads(run_tool([args.rcbench, "topology", "--input", args.topology, "--json"]))["machine"]
    nodes = numa_node_of_pu(args.topology)
    names = {name for name, _, _ in plan}

    missing = sorted({parse_name(n)["strategy"] for n in names if n.startswith("refcount/")} - set(strategies))
    missing += sorted({parse_name(n)["workload"] for n in names if n.startswith("refcount/")} - set(workloads))
    if missing:
        raise InputError(f"--template: the templates' catalogs lack {', '.join(missing)}; add a run "
                         "that has them (e.g. rcbench run --threads 1 --filter '^refcount/' for every strategy)")

    benchmarks, metas, matrix = [], [], {}
    for family_index, (name, pus, placement_class) in enumerate(plan):
        row = parse_name(name)
        meta = row_metadata(row, pus, placement_class, roles, real_interpreters, names, nodes)
        entries = entries_of(row, meta, family_index, reps, strategies, workloads)
        if "pair" in row["params"]:
            matrix[tuple(pus)] = min(e["pingpong_ns"] for e in entries)
        benchmarks += entries
        metas.append(meta)

    started = "2026-01-01T00:00:00Z"
    rcbench = {
        "format": "rcbench-run", "format_version": 1, "method_version": rc.get("method_version", 2),
        "fixture": FIXTURE_NOTE,
        "profile": args.profile,
        "command_line": (f"scripts/make_scale_fixture.py --topology {os.path.basename(args.topology)} "
                         f"--profile {args.profile} (rows from rcbench run --list; values synthetic)"),
        "repetitions": reps, "min_time_s": WINDOW_NS / 1e9, "interleaved": False, "no_baselines": False,
        "real_time_per": "op", "probe_method": rc.get("probe_method", "two_line"),
        "started_at": started, "finished_at": started, "wall_time_s": 0.0,
        "machine": {
            "cpu_model": f"FIXTURE {machine_topology.get('cpu_model', 'unknown CPU')} (synthetic values)",
            "vendor": machine_topology.get("cpu_vendor"), "kernel": "FIXTURE", "hostname": "fixture",
            "virtual": {"is_virtual": False, "evidence": []}, "governor": None, "turbo": None,
            "perf_event_paranoid": None, "topology": machine_topology},
        "build": rc.get("build", {"git_revision": "unknown"}),
        "cpython": rc.get("cpython", {"available": False, "reason": "not in the template"}),
        "perf": rc.get("perf", {}),
        "catalog": rc["catalog"],
        "benchmarks": metas,
        "environment": {side: {"time": started, "steal_ticks": 0, "total_ticks": 0, "ticks_per_s": 100,
                               "loadavg_1m": 0.0, "loadavg_5m": 0.0} for side in ("start", "end")},
    }
    if matrix:
        pus = sorted({p for pair in matrix for p in pair})
        index = {p: i for i, p in enumerate(pus)}
        cells = [[None] * len(pus) for _ in pus]
        for (a, b), ns in matrix.items():
            cells[index[a]][index[b]] = cells[index[b]][index[a]] = ns
        rcbench["calibration"] = {"pingpong_matrix": {
            "pus": pus, "one_way_ns": cells,
            "statistic": "min over repetitions of min over batches of round trip / 2"}}
    context = {"date": "2026-01-01T00:00:00+00:00", "host_name": "fixture", "executable": "rcbench",
               "num_cpus": machine_topology.get("pus", 1), "mhz_per_cpu": 0, "cpu_scaling_enabled": False,
               "caches": [], "load_avg": [0.0, 0.0, 0.0], "library_build_type": "release"}
    return {"context": context, "benchmarks": benchmarks, "rcbench": rcbench}


def write_atomically(path, doc, force):
    if os.path.lexists(path) and not (force and os.path.isfile(path) and not os.path.islink(path)):
        raise InputError(f"--out {path}: exists (use --force to replace a regular file)")
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".fixture-", suffix=".json", dir=folder)
    umask = os.umask(0)
    os.umask(umask)
    try:
        os.fchmod(fd, 0o666 & ~umask)   # as open() would make it, not mkstemp's 0600
        with os.fdopen(fd, "w") as f:
            json.dump(doc, f, separators=(",", ":"), allow_nan=False)
            f.write("\n")
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def main():
    args = parse_args()
    try:
        if args.repetitions is not None and not 1 <= args.repetitions <= 1000:
            raise InputError(f"--repetitions: {args.repetitions} is not in 1..1000")
        for flag, path in [("--topology", args.topology)] + [("--template", t) for t in args.template]:
            if not os.path.isfile(path):
                raise InputError(f"{flag} {path}: no such file")
        if not os.path.isdir(os.path.dirname(os.path.abspath(args.out))):
            raise InputError(f"--out {args.out}: its folder does not exist")
        if os.path.lexists(args.out) and not args.force:   # before the work, not after
            raise InputError(f"--out {args.out}: exists (use --force to replace a regular file)")
        doc = build(args)
        write_atomically(args.out, doc, args.force)
    except (InputError, OSError) as e:
        print(f"make_scale_fixture.py: {e}", file=sys.stderr)
        return 2
    rows = len(doc["rcbench"]["benchmarks"])
    print(f"wrote {args.out}: {rows} rows x {doc['rcbench']['repetitions']} repetitions "
          f"({doc['rcbench']['machine']['topology'].get('pus')} PUs, profile {args.profile}; {FIXTURE_NOTE})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
