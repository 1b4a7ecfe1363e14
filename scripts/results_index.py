#!/usr/bin/python3
"""Regenerates results/README.md: one row per published result set with its headline
figures, computed from the set's run.json (never typed in by hand).

Usage: scripts/results_index.py [--results-dir results] [--check]

A result set is `<results-dir>/<machine-shape>/<UTC date>-<revision>/` holding a run.json
(scripts/lab.py makes them). Folders starting with '.' (staging folders of runs in
progress or interrupted) and `baselines/` (CI gate baselines) are not result sets.

Every figure is a median over the repetitions of one benchmark row (rows with
`"run_type": "iteration"`); a ratio is a ratio of two such medians. A figure whose rows
are absent prints "n/a".
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import math
import os
import tempfile
import re
import statistics
import sys
from typing import Optional

README = "README.md"
NOT_RESULT_SETS = {"baselines"}
RUN_FOLDER = re.compile(r"^(\d{8}T\d{6}Z)-(.+)$")
CLASS_ORDER = ["same_pu", "smt", "l2", "l3", "numa", "package", "machine", "compact", "scatter"]
NA = "n/a"
# A repetition whose threads overlapped for less than this share of its window was not
# contended for its whole window; rcbench's report leaves it out (runjson::kMinOverlap,
# docs/run-format.md), and so does this index.
MIN_OVERLAP = 0.99


@dataclasses.dataclass
class ResultSet:
    machine: str          # the machine-shape folder name
    run: str              # the run folder name: <date>-<revision>
    path: str             # absolute path of the set
    run_json: Optional[dict]
    environment: Optional[dict]
    problem: Optional[str] = None  # why run.json cannot be read: the set is skipped


class Unreadable(Exception):
    """A JSON file that cannot be read as an object; the message says why."""


def _read_json_object(path: str) -> dict:
    # json.load recurses once per nesting level: a deep file raises RecursionError.
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except OSError as e:
        raise Unreadable(f"cannot read {os.path.basename(path)}: {e.strerror}") from e
    except (ValueError, RecursionError) as e:
        raise Unreadable(f"{os.path.basename(path)} is not valid JSON: {e}") from e
    if not isinstance(doc, dict):
        raise Unreadable(f"{os.path.basename(path)} is not a JSON object")
    return doc


def _load_json(path: str) -> Optional[dict]:
    """An optional file (environment.json): None when absent or unreadable."""
    try:
        return _read_json_object(path)
    except Unreadable:
        return None


def find_result_sets(results_dir: str) -> list[ResultSet]:
    """Every <machine>/<run>/ with a run.json, sorted by machine, then run (date first)."""
    sets = []
    if not os.path.isdir(results_dir):
        return sets
    for machine in sorted(os.listdir(results_dir)):
        mpath = os.path.join(results_dir, machine)
        if machine.startswith(".") or machine in NOT_RESULT_SETS or not os.path.isdir(mpath):
            continue
        for run in sorted(os.listdir(mpath)):
            rpath = os.path.join(mpath, run)
            if run.startswith(".") or not os.path.isfile(os.path.join(rpath, "run.json")):
                continue
            try:
                run_json, problem = _read_json_object(os.path.join(rpath, "run.json")), None
            except Unreadable as e:
                run_json, problem = None, str(e)
            sets.append(ResultSet(machine, run, os.path.abspath(rpath), run_json,
                                  _load_json(os.path.join(rpath, "environment.json")), problem))
    return sets


# --- figures ---------------------------------------------------------------------------

class RunRows:
    """A run JSON's benchmark metadata, with medians of its per-repetition counters."""

    def __init__(self, run_json: Optional[dict]):
        run_json = run_json or {}
        rc = run_json.get("rcbench") or {}
        self.meta = [m for m in rc.get("benchmarks") or [] if isinstance(m, dict)]
        self.by_name = {m.get("name"): m for m in self.meta}
        self._reps: dict[str, list[dict]] = {}
        for e in run_json.get("benchmarks") or []:
            if isinstance(e, dict) and e.get("run_type", "iteration") == "iteration":
                self._reps.setdefault(e.get("run_name", e.get("name")), []).append(e)

    def median(self, name: Optional[str], counter: str) -> Optional[float]:
        # A repetition that errored carries no trustworthy counters.
        values = [e.get(counter) for e in self._reps.get(name, [])
                  if not e.get("error_occurred") and not _flagged(e)]
        values = [float(v) for v in values
                  if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)]
        return statistics.median(values) if values else None

    def select(self, strategy: str, workload: str, threads: Optional[int] = None) -> list[dict]:
        return [m for m in self.meta
                if m.get("kind", "refcount") == "refcount" and m.get("strategy") == strategy
                and m.get("workload") == workload and not m.get("params")
                and (threads is None or m.get("threads") == threads)]


def _flagged(entry: dict) -> bool:
    overlap = entry.get("overlap")
    return isinstance(overlap, (int, float)) and not isinstance(overlap, bool) and overlap < MIN_OVERLAP


def _ratio(a: Optional[float], b: Optional[float]) -> Optional[float]:
    return a / b if a is not None and b not in (None, 0.0) else None


def _class_key(placement: str):
    cls = placement.split(" ")[0]   # "machine mem=remote" sorts with "machine"
    return (CLASS_ORDER.index(cls) if cls in CLASS_ORDER else len(CLASS_ORDER), placement)


def _placement(meta: dict) -> str:
    """A row's placement, with where its shared object's page was for a pair on two NUMA
    nodes ("machine mem=remote"): those rows come in two variants that must not overwrite
    each other."""
    placement = meta.get("placement", "?")
    return f"{placement} mem={meta['mem']}" if meta.get("mem") else placement


@dataclasses.dataclass
class Headline:
    atomic_1t: Optional[float]                 # ns/op per thread, private, 1 thread
    plain_1t: Optional[float]
    shared_atomic_2t: dict[str, float]         # placement -> ns/op per thread
    biased_2t: dict[str, tuple[Optional[float], Optional[float]]]  # placement -> (t0, t1) ns/op
    gil_ratio_max: dict[str, tuple[int, float]]  # placement -> (threads, atomic/gil total ns/op)

    @property
    def atomic_over_plain(self) -> Optional[float]:
        return _ratio(self.atomic_1t, self.plain_1t)


def headline(run_json: Optional[dict]) -> Headline:
    rows = RunRows(run_json)

    def single(strategy: str) -> Optional[float]:
        found = [rows.median(m["name"], "ns_per_op_thread") for m in rows.select(strategy, "private", 1)]
        found = [v for v in found if v is not None]
        return found[0] if found else None

    shared_atomic = {}
    for m in rows.select("atomic", "shared", 2):
        v = rows.median(m.get("name"), "ns_per_op_thread")
        if v is not None:
            shared_atomic[_placement(m)] = v

    biased = {}
    for m in rows.select("biased", "shared", 2):
        t0, t1 = rows.median(m.get("name"), "t0_ns_per_op"), rows.median(m.get("name"), "t1_ns_per_op")
        if t0 is not None or t1 is not None:
            biased[_placement(m)] = (t0, t1)

    gil_ratio = {}
    shared = rows.select("atomic", "shared")
    max_threads = max((m.get("threads", 0) for m in shared), default=0)
    if max_threads >= 2:
        for m in shared:
            if m.get("threads") != max_threads:
                continue
            base = m.get("baseline") or _same_row_name(m, "gil_cpython")
            r = _ratio(rows.median(m.get("name"), "ns_per_op_total"), rows.median(base, "ns_per_op_total"))
            if r is not None:
                gil_ratio[_placement(m)] = (max_threads, r)

    return Headline(single("atomic"), single("plain"), shared_atomic, biased, gil_ratio)


def _same_row_name(meta: dict, strategy: str) -> Optional[str]:
    """The run name of the same row with another strategy (names are
    refcount/<strategy>/...): used where a run JSON carries no "baseline" field."""
    name = meta.get("name") or ""
    parts = name.split("/")
    if len(parts) < 3 or parts[0] != "refcount":
        return None
    return "/".join([parts[0], strategy] + parts[2:])


# --- rendering -------------------------------------------------------------------------

def fmt_value(v: Optional[float]) -> str:
    if v is None:
        return NA
    if abs(v) >= 100:
        return f"{v:.0f}"
    if abs(v) >= 10:
        return f"{v:.1f}"
    return f"{v:.2f}"


def fmt_ratio(r: Optional[float]) -> str:
    return NA if r is None else f"{r:.2f}×"


def fmt_by_class(values: dict, render) -> str:
    if not values:
        return NA
    return "<br>".join(f"{p}: {render(values[p])}" for p in sorted(values, key=_class_key))


def _date(run: str) -> str:
    m = RUN_FOLDER.match(run)
    if not m:
        return NA
    d = m.group(1)
    return f"{d[0:4]}-{d[4:6]}-{d[6:8]} {d[9:11]}:{d[11:13]}Z"


def _revision(s: ResultSet) -> str:
    rev = ((s.run_json or {}).get("rcbench") or {}).get("build", {}).get("git_revision")
    if isinstance(rev, str) and rev and rev != "unknown":
        return rev
    m = RUN_FOLDER.match(s.run)
    return m.group(2) if m else NA


def _virtual(s: ResultSet) -> str:
    v = (((s.run_json or {}).get("rcbench") or {}).get("machine") or {}).get("virtual") or {}
    if isinstance(v.get("is_virtual"), bool):
        return "yes" if v["is_virtual"] else "no"
    return NA


METHOD_1 = "method 1 (before the timed-loop fix, issue 14): not comparable with method 2"


def _method(s: ResultSet) -> str:
    """rcbench.method_version: absent or 1 is method 1 (docs/run-format.md)."""
    v = ((s.run_json or {}).get("rcbench") or {}).get("method_version", 1)
    if isinstance(v, bool) or not isinstance(v, int) or v < 1:
        return NA
    return METHOD_1 if v == 1 else f"method {v}"


def _warnings(s: ResultSet) -> str:
    if s.environment is None or not isinstance(s.environment.get("warnings"), list):
        return NA
    return ", ".join(s.environment["warnings"]) or "none"


COLUMNS = [
    "Machine (link: tables)", "Date (UTC)", "Revision", "VM", "Warnings accepted",
    "atomic, 1 thread (ns/op per thread)", "plain, 1 thread (ns/op per thread)",
    "atomic ÷ plain, 1 thread",
    "shared object, atomic, 2 threads, by placement (ns/op per thread)",
    "biased, shared, 2 threads, by placement: owner t0 / non-owner t1 (ns/op, each thread alone)",
    "atomic ÷ gil_cpython, shared, max threads, by placement (ratio of total ns/op; > 1: slower than the GIL)",
    "Method (rcbench.method_version; sets of different methods are not comparable)",
]


def row_cells(s: ResultSet, results_dir: str) -> list[str]:
    h = headline(s.run_json)
    tables = os.path.join(s.path, "report", "tables.md")
    target = tables if os.path.isfile(tables) else s.path
    link = os.path.relpath(target, os.path.abspath(results_dir)).replace(os.sep, "/")
    return [
        f"[{s.machine}]({link})", _date(s.run), f"`{_revision(s)}`", _virtual(s), _warnings(s),
        fmt_value(h.atomic_1t), fmt_value(h.plain_1t), fmt_ratio(h.atomic_over_plain),
        fmt_by_class(h.shared_atomic_2t, fmt_value),
        fmt_by_class(h.biased_2t, lambda t: f"{fmt_value(t[0])} / {fmt_value(t[1])}"),
        fmt_by_class(h.gil_ratio_max, lambda t: f"{fmt_ratio(t[1])} ({t[0]} threads)"),
        _method(s),
    ]


HEADER = """\
# Published results

<!-- GENERATED by scripts/results_index.py from the result sets below: do not edit by hand;
     run `scripts/results_index.py` (scripts/lab.py does at the end of every run). -->

Each row is one result set, `results/<machine-shape>/<UTC date>-<revision>/`, made by
`scripts/lab.py` on that machine: the raw run (`run.json`), the report (`report/`: tables
in Markdown, CSV and HTML, plots), the topology (`topology.xml`), and the environment
checks, warnings and command lines used (`environment.json`, `command.txt`).

Lab workflow: on an idle machine run `scripts/lab.py` (it checks the machine, builds a
release binary, runs the `full` profile with progress and an estimate of the time left,
writes the set into a staging folder and renames it into place, then regenerates this
page). `--strict` refuses to run while any check warns; otherwise the warnings are
recorded in the set. An interrupted run leaves `results/.staging-*` and prints how to
`--resume` or `--clean` it. Nothing is ever overwritten. See docs/lab.md.

Figures are medians over all the repetitions of one benchmark row in `run.json` (errored
repetitions and those with overlap < 0.99 left out); figures are raw, not corrected by
the null row; ratios are ratios of medians, measured in the same run. The
report's tables may use only the repetitions of the dominant coherence-latency mode, so
their figures can differ a little from these. "n/a": the set has no such row (for
example a one-PU machine has no 2-thread rows). Placement classes name the nearest
cache or domain the threads share (`l3`, `numa`, `machine` = other package, ...).
Sets of method 1 (before the timed-loop fix of issue 14) and method 2 measured
differently: compare figures only within one method (last column). Sorted by machine,
then date.
"""


# What a run.json of an unexpected shape raises in the figure code (a list where an
# object belongs, a string where a number does, nesting deep enough to recurse).
SHAPE_ERRORS = (AttributeError, TypeError, ValueError, KeyError, IndexError, RecursionError)


def _rows(results_dir: str) -> list[list[str]]:
    """The table's rows. A set whose run.json cannot be read or has an unexpected shape
    is left out with one line on stderr: one bad file must not cost the whole index."""
    rows = []
    for s in find_result_sets(results_dir):
        name = f"{s.machine}/{s.run}"
        if s.problem is not None:
            print(f"results_index: skipped {name}: {s.problem}", file=sys.stderr)
            continue
        try:
            rows.append(row_cells(s, results_dir))
        except SHAPE_ERRORS as e:
            why = " ".join(str(e).split())  # one line, whatever the exception says
            print(f"results_index: skipped {name}: run.json has an unexpected shape "
                  f"({type(e).__name__}: {why})", file=sys.stderr)
    return rows


def render(results_dir: str) -> str:
    rows = _rows(results_dir)
    lines = [HEADER]
    if not rows:
        lines.append("No result sets yet.\n")
        return "\n".join(lines)
    lines.append("| " + " | ".join(COLUMNS) + " |")
    lines.append("|" + "---|" * len(COLUMNS))
    for cells in rows:
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines) + "\n"


def write_atomically(path: str, text: str) -> None:
    """Whole or not at all, and never through a planted link (results/ may be a shared
    folder): the scratch file has a random name and is created exclusively (mkstemp:
    O_CREAT|O_EXCL), and os.replace swaps the directory entry itself."""
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path) or ".", prefix=f".{os.path.basename(path)}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.lexists(tmp):
            os.unlink(tmp)
        raise


def write_index(results_dir: str) -> str:
    """Writes <results_dir>/README.md atomically (temporary file renamed into place)."""
    path = os.path.join(results_dir, README)
    text = render(results_dir)
    write_atomically(path, text)
    return path


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--results-dir", default="results", help="folder of result sets (default: results)")
    ap.add_argument("--check", action="store_true",
                    help="write nothing; exit 1 if README.md is not what would be generated")
    args = ap.parse_args(argv)
    if not os.path.isdir(args.results_dir):
        print(f"results_index: no folder '{args.results_dir}'", file=sys.stderr)
        return 2
    if args.check:
        try:
            with open(os.path.join(args.results_dir, README), encoding="utf-8") as f:
                current = f.read()
        except OSError:
            current = None
        if current != render(args.results_dir):
            print(f"results_index: {args.results_dir}/{README} is stale: run scripts/results_index.py",
                  file=sys.stderr)
            return 1
        return 0
    path = write_index(args.results_dir)
    print(f"results_index: {len(find_result_sets(args.results_dir))} result set(s) -> {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
