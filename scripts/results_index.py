#!/usr/bin/python3
"""Regenerates results/README.md: one row per published result set with its headline
figures, read from the set's report (report/report.json, never typed in by hand).

Usage: scripts/results_index.py [--results-dir results] [--check]

A result set is `<results-dir>/<machine-shape>/<UTC date>-<host>-<revision>[-N]/` holding
a run.json (scripts/lab.py makes them; sets published before the host was in the name
are `<UTC date>-<revision>/`, and are indexed alike). Folders and files starting with '.'
(staging folders of runs in progress or interrupted, the lock file .index.lock) and
`baselines/` (CI gate baselines) are not result sets.

Writers of the index (lab.py after each set, a fleet's gather step, this script) take
an exclusive flock on <results-dir>/.index.lock around reading every set and renaming
the new README.md into place: of writers that race, the last one sees every set.

Every figure is one figure of one record of the set's report/report.json (a median, or
one of the report's ratios), chosen by the roles of the report's catalog; the date, VM,
revision and method columns come from run.json and the warnings from environment.json.
A figure the report does not have prints "n/a".
"""
from __future__ import annotations

import argparse
import contextlib
import dataclasses
import fcntl
import json
import math
import os
import tempfile
import re
import sys
from typing import Optional

README = "README.md"
NOT_RESULT_SETS = {"baselines"}
RUN_FOLDER = re.compile(r"^(\d{8}T\d{6}Z)-(.+)$")
# A name with the host (lab.py since issue 19): date, host, revision (a git short hash,
# "-dirty" if the tree had changes, or "unknown"), then "-N" if the name was taken. The
# older <date>-<revision> names do not match it (a revision is one hex run).
RUN_FOLDER_WITH_HOST = re.compile(r"^(\d{8}T\d{6}Z)-(.+)-([0-9a-f]{7,40}(?:-dirty)?|unknown)(?:-(\d+))?$")
INDEX_LOCK = ".index.lock"
CLASS_ORDER = ["same_pu", "smt", "l2", "l3", "numa", "package", "machine", "compact", "scatter"]
NA = "n/a"
# What a JSON file of an unexpected shape raises in the code that reads it (a list where
# an object belongs, a string where a number does, nesting deep enough to recurse).
SHAPE_ERRORS = (AttributeError, TypeError, ValueError, KeyError, IndexError, RecursionError)


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
#
# Every figure is read from the set's report (report/report.json, written by `rcbench
# report`): the index does no statistics of its own, so it cannot disagree with the
# report. Which records a column shows is decided by the roles the report's catalog
# gives its strategies and workloads, never by their names.

class NoFigures(Exception):
    """The set's report cannot give the headline figures; the message says why."""


def _number(v) -> Optional[float]:
    if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v):
        return float(v)
    return None


def _median(figure) -> Optional[float]:
    """A report figure's median ({"median": ..., "n": ...}); None for a null figure."""
    return _number(figure.get("median")) if isinstance(figure, dict) else None


def _rank(entry: dict, position: int) -> tuple:
    """Catalog order: the entry's "order", then its place in the list."""
    order = entry.get("order")
    return (order if isinstance(order, int) and not isinstance(order, bool) else math.inf, position)


@dataclasses.dataclass(frozen=True)
class Roles:
    """The catalog's answer to "which strategy, which workloads" for each headline column.
    A role held by several strategies (the contract says one) goes to the first in
    catalog order; a role nobody holds selects nothing, and its cells read n/a."""
    rmw: Optional[str]              # strategy with headline "rmw" (the atomic columns)
    owner_biased: Optional[str]     # strategy with headline "owner_biased" (the biased column)
    reference: Optional[str]        # the uncontended reference op (the plain column)
    workload_rank: dict             # workload name -> catalog rank
    uncontended: frozenset          # workloads with contention "none"
    one_object: frozenset           # workloads with contention "one_object"

    @classmethod
    def of(cls, catalog) -> "Roles":
        if not isinstance(catalog, dict):
            raise NoFigures("report/report.json has no catalog (written by an rcbench report from "
                            "before the catalog)")
        strategies, workloads = catalog.get("strategies"), catalog.get("workloads")
        if not isinstance(strategies, list) or not isinstance(workloads, list):
            raise NoFigures("report/report.json's catalog has no strategies or workloads list")
        strategies = sorted((_rank(s, i), s) for i, s in enumerate(strategies)
                            if isinstance(s, dict) and isinstance(s.get("name"), str))
        workloads = [(_rank(w, i), w) for i, w in enumerate(workloads)
                     if isinstance(w, dict) and isinstance(w.get("name"), str)]

        def holder(key: str, value) -> Optional[str]:
            return next((s["name"] for _, s in strategies if s.get(key) == value), None)

        def contention(kind: str) -> frozenset:
            return frozenset(w["name"] for _, w in workloads if w.get("contention") == kind)

        return cls(rmw=holder("headline", "rmw"), owner_biased=holder("headline", "owner_biased"),
                   reference=holder("reference", True),
                   workload_rank={w["name"]: r for r, w in workloads},
                   uncontended=contention("none"), one_object=contention("one_object"))


def _placement(record: dict) -> str:
    """A record's placement, with where its shared object's page was for a pair on two
    NUMA nodes ("machine mem=remote"): those records come in two variants that must not
    overwrite each other."""
    placement = record.get("placement", "?")
    return f"{placement} mem={record['mem']}" if record.get("mem") else placement


@dataclasses.dataclass
class Headline:
    """The headline figures of one report, each a figure of one of its records."""
    rmw_1t: Optional[float] = None        # ns_per_op_thread median: rmw, uncontended, 1 thread
    reference_1t: Optional[float] = None  # the same for the reference op
    # that rmw record's ratio_to_plain_single: the report's ratio to its single-thread
    # reference record, corrected or raw as its ratio_basis says
    rmw_over_reference: Optional[float] = None
    rmw_one_object_2t: dict = dataclasses.field(default_factory=dict)   # placement -> ns/op per thread
    owner_biased_2t: dict = dataclasses.field(default_factory=dict)     # placement -> (t0, t1) ns/op
    rmw_ratio_to_gil_max: dict = dataclasses.field(default_factory=dict)  # placement -> (threads, ratio_to_gil)


def _thread_median(record: dict, thread: int) -> Optional[float]:
    """per_thread[] lists only the threads that have a figure: found by "thread", not position."""
    for t in record.get("per_thread") or []:
        if isinstance(t, dict) and t.get("thread") == thread:
            return _median(t.get("ns_per_op"))
    return None


def headline(report: dict) -> Headline:
    """The headline figures of a report (the parsed report.json). Raises NoFigures when it
    has no catalog or no records list."""
    roles = Roles.of(report.get("catalog"))
    records = report.get("records")
    if not isinstance(records, list):
        raise NoFigures("report/report.json has no records list")

    def select(strategy: Optional[str], workloads: frozenset, threads: Optional[int] = None) -> list[dict]:
        """Records without params, in catalog order of their workloads (the first of a
        placement wins when several workloads share a contention)."""
        found = [r for r in records if isinstance(r, dict) and strategy is not None
                 and r.get("strategy") == strategy and r.get("workload") in workloads
                 and not r.get("params") and (threads is None or r.get("threads") == threads)]
        return sorted(found, key=lambda r: roles.workload_rank.get(r.get("workload"), math.inf))

    def by_placement(found: list[dict], value) -> dict:
        out = {}
        for r in found:
            v = value(r)
            if v is not None:
                out.setdefault(_placement(r), v)
        return out

    h = Headline()
    rmw_1t = select(roles.rmw, roles.uncontended, 1)
    reference_1t = select(roles.reference, roles.uncontended, 1)
    if rmw_1t:
        h.rmw_1t = _median(rmw_1t[0].get("ns_per_op_thread"))
        h.rmw_over_reference = _number(rmw_1t[0].get("ratio_to_plain_single"))
    if reference_1t:
        h.reference_1t = _median(reference_1t[0].get("ns_per_op_thread"))

    h.rmw_one_object_2t = by_placement(select(roles.rmw, roles.one_object, 2),
                                       lambda r: _median(r.get("ns_per_op_thread")))

    def t0_t1(r: dict):
        t0, t1 = _thread_median(r, 0), _thread_median(r, 1)
        return None if t0 is None and t1 is None else (t0, t1)
    h.owner_biased_2t = by_placement(select(roles.owner_biased, roles.one_object, 2), t0_t1)

    # The report's ratio_to_gil, not one recomputed here: the report's basis (corrected
    # or raw, its ratio_basis) and its choice of baseline record come with it.
    one_object = select(roles.rmw, roles.one_object)
    max_threads = max((r.get("threads") for r in one_object if isinstance(r.get("threads"), int)), default=0)

    def with_threads(r: dict):
        ratio = _number(r.get("ratio_to_gil"))
        return None if ratio is None else (max_threads, ratio)
    if max_threads >= 2:
        h.rmw_ratio_to_gil_max = by_placement([r for r in one_object if r.get("threads") == max_threads],
                                              with_threads)
    return h


def report_headline(s: ResultSet, results_dir: str) -> Headline:
    """The set's headline from its report/report.json; NoFigures says why there is none,
    with the command that writes the report."""
    set_dir = os.path.join(results_dir, s.machine, s.run)
    report_dir = os.path.join(set_dir, "report")
    again = (f"`rcbench report {os.path.join(set_dir, 'run.json')} --out-dir {report_dir}"
             f"{' --force' if os.path.isdir(report_dir) else ''}`")
    path = os.path.join(s.path, "report", "report.json")
    if not os.path.isfile(path):
        raise NoFigures(f"no report/report.json (run {again})")
    try:
        report = _read_json_object(path)
    except Unreadable as e:
        raise NoFigures(f"{e} (run {again})") from e
    try:
        return headline(report)
    except NoFigures as e:
        raise NoFigures(f"{e} (run {again})") from e
    except SHAPE_ERRORS as e:
        why = " ".join(str(e).split())  # one line, whatever the exception says
        raise NoFigures(f"report/report.json has an unexpected shape ({type(e).__name__}: {why})") from e


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


def _class_key(placement: str):
    cls = placement.split(" ")[0]   # "machine mem=remote" sorts with "machine"
    return (CLASS_ORDER.index(cls) if cls in CLASS_ORDER else len(CLASS_ORDER), placement)


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
    m = RUN_FOLDER_WITH_HOST.match(s.run)
    if m:
        return m.group(3)
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


def row_cells(s: ResultSet, results_dir: str, h: Headline) -> list[str]:
    """The row of a set whose figures are h (Headline(): every figure n/a)."""
    tables = os.path.join(s.path, "report", "tables.md")
    target = tables if os.path.isfile(tables) else s.path
    link = os.path.relpath(target, os.path.abspath(results_dir)).replace(os.sep, "/")
    return [
        f"[{s.machine}]({link})", _date(s.run), f"`{_revision(s)}`", _virtual(s), _warnings(s),
        fmt_value(h.rmw_1t), fmt_value(h.reference_1t), fmt_ratio(h.rmw_over_reference),
        fmt_by_class(h.rmw_one_object_2t, fmt_value),
        fmt_by_class(h.owner_biased_2t, lambda t: f"{fmt_value(t[0])} / {fmt_value(t[1])}"),
        fmt_by_class(h.rmw_ratio_to_gil_max, lambda t: f"{fmt_ratio(t[1])} ({t[0]} threads)"),
        _method(s),
    ]


HEADER = """\
# Published results

<!-- GENERATED by scripts/results_index.py from the result sets below: do not edit by hand;
     run `scripts/results_index.py` (scripts/lab.py does at the end of every run). -->

Each row is one result set, `results/<machine-shape>/<UTC date>-<host>-<revision>/`
(older sets: `<UTC date>-<revision>/`), made by `scripts/lab.py` on that machine: the
raw run (`run.json`), the report (`report/`: tables in Markdown, CSV and HTML, plots),
the topology (`topology.xml`), and the environment checks, warnings, Slurm job, allowed
CPUs and command lines used (`environment.json`, `command.txt`).

Lab workflow: on an idle machine run `scripts/lab.py` (it checks the machine, builds a
release binary, runs the `full` profile with progress and an estimate of the time left,
writes the set into a staging folder and renames it into place, then regenerates this
page). `--strict` refuses to run while any check warns; otherwise the warnings are
recorded in the set. An interrupted run leaves `results/.staging-*` and prints how to
`--resume` or `--clean` it. Nothing is ever overwritten. See docs/lab.md.

The figures are those of each set's report (`report/report.json`, written by `rcbench
report`), read from its records: the index computes none of its own. An ns/op figure is
a record's median over the repetitions the report counts: not the errored ones, not
those it left out (overlap < 0.99, or on a one-thread row the thread on its CPU for less
than 0.97 of its window), and, when the coherence-latency probes saw several modes, only
the dominant mode's (the record's `figures_from` says which). ns/op figures are raw, not
corrected by the null row; the ratios are the report's (`ratio_to_plain_single`,
`ratio_to_gil`): ratios of medians measured in the same run, of null-corrected figures
when both records have one above zero, else raw (the record's `ratio_basis`), so a ratio
may differ a little from the quotient of the raw figures shown. Which records a column
shows is decided by the roles in the report's catalog (the read-modify-write strategy,
the uncontended reference op, the owner-biased strategy; workloads without contention or
on one shared object); the column headers name today's holders of those roles. "n/a":
the report has no such record (for example a one-PU machine has no 2-thread rows), or
the set has no readable report with a catalog (the index says why on stderr). Placement
classes name the nearest cache or domain the threads share (`l3`, `numa`, `machine` =
other package, ...).
Sets of method 1 (before the timed-loop fix of issue 14) and method 2 measured
differently: compare figures only within one method (last column). Sorted by machine,
then date.
"""


def _rows(results_dir: str) -> list[list[str]]:
    """The table's rows. A set whose run.json cannot be read or has an unexpected shape
    is left out with one line on stderr: one bad file must not cost the whole index.
    A set whose report cannot give its figures (none, unreadable, no catalog) keeps its
    row, every figure n/a, with one line on stderr saying why and how to write the
    report: the set is published and its other columns are true, and a row that
    vanished would hide that the set exists and that its report needs writing."""
    rows = []
    for s in find_result_sets(results_dir):
        name = f"{s.machine}/{s.run}"
        if s.problem is not None:
            print(f"results_index: skipped {name}: {s.problem}", file=sys.stderr)
            continue
        try:
            h, no_figures = report_headline(s, results_dir), None
        except NoFigures as e:
            h, no_figures = Headline(), e
        try:
            rows.append(row_cells(s, results_dir, h))
        except SHAPE_ERRORS as e:
            why = " ".join(str(e).split())  # one line, whatever the exception says
            print(f"results_index: skipped {name}: run.json has an unexpected shape "
                  f"({type(e).__name__}: {why})", file=sys.stderr)
            continue
        if no_figures is not None:
            print(f"results_index: {name}: figures n/a: {no_figures}", file=sys.stderr)
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


@contextlib.contextmanager
def index_lock(results_dir: str):
    """Holds an exclusive flock on <results_dir>/.index.lock (created if absent, never
    removed: removing a lock file lets two writers hold locks on two different files).
    O_NOFOLLOW: a link planted under that name is refused, not followed. Blocks until
    the writer before has renamed its README.md into place."""
    fd = os.open(os.path.join(results_dir, INDEX_LOCK),
                 os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)   # releases the lock


def write_index(results_dir: str) -> str:
    """Writes <results_dir>/README.md atomically (temporary file renamed into place),
    reading the sets under the index lock so that the last of racing writers sees all."""
    path = os.path.join(results_dir, README)
    with index_lock(results_dir):
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
