#!/usr/bin/python3
"""A fleet of lab machines through Slurm: the lab profile on every node type, gathered into one index.

    scripts/fleet.py submit --type NAME=partition:P [--type NAME=constraint:F | NAME=nodes:LIST ...]
                            --results-dir DIR [--profile full] [--budget 20m] [--time 8:00:00]
                            [--rcbench [NAME=]PATH ... | --skip-build] [--fleet-dir DIR]
                            [--gather-partition P] [--dry-run]
    scripts/fleet.py status FLEET_DIR
    scripts/fleet.py gather FLEET_DIR [--results-dir DIR]

`submit` queues one exclusive job per node type (sbatch --exclusive --mem=0 --time=T
--signal=B:TERM@120): on the node, it builds rcbench into the job's own build folder
(the release preset; --rcbench or --skip-build use a given binary instead) and runs
scripts/lab.py --no-index into the job's own results folder under the fleet folder
(results-dir/.fleet-<stamp>-<pid>/ by default: it must be visible from every node).
rcbench pins its own threads to the allocation: there is no srun in between. SIGTERM 120 s before the time
limit makes lab.py stop cleanly and leave a staging folder that --resume finishes.
Then one gather job (--dependency=afterany on them all) runs `fleet.py gather`.

`gather` moves every published set into --results-dir (a name that exists gets the node
type appended: nothing is ever overwritten), rebuilds results/README.md once, and records
per node type the job id, node, partition, state (scontrol show job) and the set's path
or why there is none, in FLEET_DIR/fleet.json. `status` prints the job states.

Exit status: 0 done; 1 (gather) a node type produced no set; 2 usage or input error
(malformed --type, unknown partition/feature/node, no Slurm commands on PATH, no
writable results folder); 4 sbatch or scontrol failed.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from typing import Optional

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import results_index  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LAB = os.path.join(REPO, "scripts", "lab.py")
PYTHON = "/usr/bin/python3"
FLEET_FORMAT = "rcbench-fleet"
MANIFEST = "fleet.json"
FLEET_PREFIX = ".fleet-"
SELECTORS = ("partition", "constraint", "nodes")
# Slurm's own time formats (sbatch --time): minutes, M:S, H:M:S, D-H, D-H:M, D-H:M:S.
TIME_RE = re.compile(r"\d+|\d+:\d{1,2}|\d+:\d{1,2}:\d{1,2}|\d+-\d+(:\d{1,2}){0,2}")
NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")

EXIT_OK, EXIT_MISSING, EXIT_USAGE, EXIT_RUNTIME = 0, 1, 2, 4

write_atomically = results_index.write_atomically


class FleetError(Exception):
    def __init__(self, code: int, message: str):
        super().__init__(message)
        self.code = code


def usage(message: str) -> FleetError:
    return FleetError(EXIT_USAGE, message)


def utc_now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- input -----------------------------------------------------------------------------

def parse_type(text: str) -> dict:
    name, eq, spec = text.partition("=")
    kind, colon, value = spec.partition(":")
    if not eq or not colon or not NAME_RE.fullmatch(name) or kind not in SELECTORS or not value.strip():
        raise usage(f"--type {text!r}: expected NAME=partition:P, NAME=constraint:FEATURE or "
                    "NAME=nodes:LIST (NAME: letters, digits, '.', '_', '-')")
    return {"name": name, "kind": kind, "value": value}


def parse_rcbench(items: list[str], names: list[str]) -> dict:
    """--rcbench PATH (every type) or NAME=PATH (one type): {name: path}."""
    chosen: dict = {}
    for item in items:
        name, eq, path = item.partition("=")
        if eq and name in names:
            chosen[name] = path
        elif eq and NAME_RE.fullmatch(name) and os.sep not in name:
            raise usage(f"--rcbench {item!r}: no node type named {name!r} (types: {', '.join(names)})")
        else:
            chosen.update({n: item for n in names if n not in chosen})
    return {n: os.path.abspath(p) for n, p in chosen.items() if p}


def need_commands(*names: str) -> None:
    missing = [n for n in names if shutil.which(n) is None]
    if missing:
        raise usage(f"no {', '.join(missing)} on PATH: fleet needs Slurm's client commands "
                    "(Debian: slurm-client) on the submit host")


def slurm(argv: list[str]) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(argv, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise FleetError(EXIT_RUNTIME, f"{shlex.join(argv)}: {e}") from e


def check_selector(t: dict) -> None:
    """An unknown partition, feature or node is refused here, not after a queue wait."""
    if t["kind"] == "partition":
        out = slurm(["sinfo", "-h", "-p", t["value"], "-o", "%P"])
        if out.returncode != 0 or not out.stdout.strip():
            raise usage(f"--type {t['name']}: unknown partition {t['value']!r} (sinfo -h -p {t['value']} "
                        "lists nothing)")
    elif t["kind"] == "nodes":
        out = slurm(["sinfo", "-h", "-n", t["value"], "-o", "%N"])
        if out.returncode != 0 or not out.stdout.strip():
            raise usage(f"--type {t['name']}: unknown node(s) {t['value']!r} (sinfo -h -n lists nothing)")
    else:
        out = slurm(["sinfo", "-h", "-o", "%f"])
        features = {f for line in out.stdout.split() for f in line.split(",")}
        # Constraint syntax: features joined by & | , with [] () grouping and *COUNT.
        wanted = {re.sub(r"\*\d+$", "", f) for f in re.split(r"[&|,\[\]()]", t["value"])} - {""}
        if out.returncode != 0 or not wanted <= features:
            raise usage(f"--type {t['name']}: feature(s) {', '.join(sorted(wanted - features))} on no node "
                        f"(sinfo lists: {', '.join(sorted(features)) or 'none'})")


def writable_dir(path: str, flag: str) -> str:
    path = os.path.abspath(path)
    if not os.path.isdir(path):
        raise usage(f"{flag} {path}: no such folder (it must exist and be shared with the nodes)")
    if not os.access(path, os.W_OK | os.X_OK):
        raise usage(f"{flag} {path}: not writable")
    return path


# --- the manifest ----------------------------------------------------------------------

def load_manifest(fleet_dir: str) -> dict:
    path = os.path.join(fleet_dir, MANIFEST)
    try:
        with open(path, encoding="utf-8") as f:
            manifest = json.load(f)
    except (OSError, ValueError) as e:
        raise usage(f"{fleet_dir}: not a fleet folder ({path}: {e})") from e
    if manifest.get("format") != FLEET_FORMAT:
        raise usage(f"{path} is not a fleet manifest")
    return manifest


def save_manifest(fleet_dir: str, manifest: dict) -> None:
    write_atomically(os.path.join(fleet_dir, MANIFEST), json.dumps(manifest, indent=2) + "\n")


# --- submit ----------------------------------------------------------------------------

def job_script(t: dict, job_dir: str, args: argparse.Namespace, rcbench: Optional[str]) -> str:
    """The batch script of one node type. lab.py is exec'd so that it is the process
    Slurm's `B:TERM` reaches (it then removes partial files and writes STATUS)."""
    lab = [PYTHON, LAB, "--profile", args.profile, "--no-index",
           "--results-dir", os.path.join(job_dir, "results")]
    if args.budget:
        lab += ["--budget", args.budget]
    lines = ["#!/bin/bash", f"# rcbench fleet, node type {t['name']} ({t['kind']} {t['value']})",
             "set -u", f"cd {shlex.quote(REPO)}",
             'echo "fleet: job $SLURM_JOB_ID on $(hostname) (${SLURMD_NODENAME:-?}), '
             'partition $SLURM_JOB_PARTITION, allowed CPUs $(grep Cpus_allowed_list /proc/self/status | cut -f2)"']
    if rcbench:
        lab += ["--rcbench", rcbench]
    elif args.skip_build:
        lab += ["--skip-build"]
    else:
        # A binary built on the node, for the node, in the job's own build folder: two
        # node types building at once never share one tree (the release preset, target
        # rcbench only, as lab.py's build stage does).
        build = os.path.join(job_dir, "build")
        lines += [f"cmake --preset release -B {shlex.quote(build)} >/dev/null || exit 4",
                  f"cmake --build {shlex.quote(build)} --target rcbench -j \"${{SLURM_CPUS_ON_NODE:-1}}\" "
                  "|| exit 4"]
        lab += ["--rcbench", os.path.join(build, "cli", "rcbench")]
    lines.append(f"exec {shlex.join(lab)}")
    return "\n".join(lines) + "\n"


def sbatch_argv(t: dict, job_dir: str, time_limit: str, script: str) -> list[str]:
    select = {"partition": "--partition=", "constraint": "--constraint=", "nodes": "--nodelist="}[t["kind"]]
    return ["sbatch", "--parsable", "--exclusive", "--mem=0", f"--time={time_limit}",
            "--signal=B:TERM@120", "--nodes=1", f"--job-name=rcbench-fleet-{t['name']}",
            select + t["value"], f"--output={os.path.join(job_dir, 'slurm-%j.out')}",
            f"--chdir={REPO}", script]


def gather_argv(fleet_dir: str, results_dir: str, ids: list[str], partition: Optional[str]) -> list[str]:
    argv = ["sbatch", "--parsable", f"--dependency=afterany:{':'.join(ids)}", "--job-name=rcbench-fleet-gather",
            "--time=10", f"--output={os.path.join(fleet_dir, 'gather-%j.out')}", f"--chdir={REPO}"]
    if partition:
        argv.append(f"--partition={partition}")
    return argv + [f"--wrap={shlex.join([PYTHON, os.path.abspath(__file__), 'gather', fleet_dir, '--results-dir', results_dir])}"]


def submit_job(argv: list[str]) -> str:
    out = slurm(argv)
    job_id = out.stdout.strip().split(";")[0]
    if out.returncode != 0 or not job_id.isdigit():
        raise FleetError(EXIT_RUNTIME, f"{shlex.join(argv)} failed: {out.stderr.strip() or out.stdout.strip()}")
    return job_id


def cmd_submit(args: argparse.Namespace) -> int:
    types = [parse_type(t) for t in args.type]
    names = [t["name"] for t in types]
    if len(set(names)) != len(names):
        raise usage(f"--type: a node type name given twice ({', '.join(names)})")
    if args.time and not TIME_RE.fullmatch(args.time):
        raise usage(f"--time {args.time!r}: expected a Slurm time limit such as 240, 4:00:00 or 1-00:00:00")
    if args.budget and not re.fullmatch(r"[0-9.]+|([0-9.]+h)?([0-9.]+m)?([0-9.]+s)?", args.budget):
        raise usage(f"--budget {args.budget!r}: expected a duration such as 90s, 20m, 1h or 1h30m")
    if args.skip_build and args.rcbench:
        raise usage("--skip-build and --rcbench: give one (--rcbench already skips the build)")
    rcbench = parse_rcbench(args.rcbench or [], names)
    results_dir = writable_dir(args.results_dir, "--results-dir")
    if not args.dry_run:
        need_commands("sbatch", "sinfo", "scontrol")
        for t in types:
            check_selector(t)
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    fleet_dir = os.path.abspath(args.fleet_dir or os.path.join(results_dir, f"{FLEET_PREFIX}{stamp}-{os.getpid()}"))
    manifest = {"format": FLEET_FORMAT, "format_version": 1, "submitted_at": utc_now(),
                "fleet_command": [os.path.abspath(__file__)] + sys.argv[1:], "results_dir": results_dir,
                "profile": args.profile, "budget": args.budget, "time_limit": args.time, "types": []}
    if args.dry_run:
        for t in types:
            job_dir = os.path.join(fleet_dir, t["name"])
            print(f"# {t['name']}: {job_dir}/job.sh\n{job_script(t, job_dir, args, rcbench.get(t['name']))}")
            print(shlex.join(sbatch_argv(t, job_dir, args.time, os.path.join(job_dir, "job.sh"))))
        print(shlex.join(gather_argv(fleet_dir, results_dir, ["<ids>"], args.gather_partition)))
        return EXIT_OK
    try:
        os.makedirs(fleet_dir)
    except OSError as e:
        raise usage(f"--fleet-dir {fleet_dir}: {e.strerror}") from e
    ids = []
    for t in types:
        job_dir = os.path.join(fleet_dir, t["name"])
        os.mkdir(job_dir)
        script = os.path.join(job_dir, "job.sh")
        write_atomically(script, job_script(t, job_dir, args, rcbench.get(t["name"])))
        argv = sbatch_argv(t, job_dir, args.time, script)
        job_id = submit_job(argv)
        ids.append(job_id)
        manifest["types"].append({"name": t["name"], "selector": {t["kind"]: t["value"]}, "job_id": job_id,
                                  "job_dir": job_dir, "sbatch": argv})
        save_manifest(fleet_dir, manifest)   # after each job: a failure below leaves the ids
        print(f"fleet: {t['name']}: job {job_id} ({t['kind']} {t['value']})")
    argv = gather_argv(fleet_dir, results_dir, ids, args.gather_partition)
    manifest["gather"] = {"job_id": submit_job(argv), "sbatch": argv}
    save_manifest(fleet_dir, manifest)
    print(f"fleet: gather: job {manifest['gather']['job_id']} (after all of {', '.join(ids)})")
    print(f"fleet: {os.path.join(fleet_dir, MANIFEST)}\n"
          f"fleet: follow with {os.path.abspath(__file__)} status {fleet_dir}")
    return EXIT_OK


# --- job states ------------------------------------------------------------------------

def job_info(job_id: str) -> dict:
    """JobState, NodeList, Partition, ExitCode, Reason of one job (scontrol show job -o;
    Slurm forgets a finished job after MinJobAge, 300 s by default)."""
    out = slurm(["scontrol", "show", "job", "-o", job_id])
    if out.returncode != 0:
        return {"state": "UNKNOWN", "why": f"slurmctld no longer knows job {job_id} ({out.stderr.strip()})"}
    fields = dict(kv.split("=", 1) for kv in out.stdout.split() if "=" in kv)
    return {"state": fields.get("JobState", "UNKNOWN"), "node": fields.get("NodeList", ""),
            "partition": fields.get("Partition", ""), "exit_code": fields.get("ExitCode", ""),
            "reason": fields.get("Reason", "")}


def cmd_status(args: argparse.Namespace) -> int:
    fleet_dir = os.path.abspath(args.fleet_dir)
    manifest = load_manifest(fleet_dir)
    need_commands("scontrol")
    rows = [(t["name"], t["job_id"]) for t in manifest["types"]]
    if "gather" in manifest:
        rows.append(("(gather)", manifest["gather"]["job_id"]))
    for name, job_id in rows:
        i = job_info(job_id)
        where = f" on {i['node']}" if i.get("node") and i["node"] != "(null)" else ""
        print(f"{name}: job {job_id} {i['state']}{where}" + (f" ({i['why']})" if "why" in i else ""))
    for entry in manifest.get("gathered", {}).get("entries", []):
        print(f"gathered {entry['type']}: {entry.get('set') or 'missing: ' + entry.get('missing', '?')}")
    return EXIT_OK


# --- gather ----------------------------------------------------------------------------

def published_sets(job_results: str) -> list[str]:
    """<shape>/<run> folders lab.py published in one job's results folder."""
    found = []
    if os.path.isdir(job_results):
        for shape in sorted(os.listdir(job_results)):
            spath = os.path.join(job_results, shape)
            if shape.startswith(".") or not os.path.isdir(spath):
                continue
            found += [os.path.join(spath, run) for run in sorted(os.listdir(spath))
                      if not run.startswith(".") and os.path.isfile(os.path.join(spath, run, "run.json"))]
    return found


def why_missing(job_dir: str, info: dict) -> str:
    """The lab's own account when it left one (its staging STATUS, with the resume
    command), else the last line of the job's output, else the job state."""
    parts = [f"job {info['state']}" + (f" (exit {info['exit_code']})" if info.get("exit_code") else "")]
    if info.get("why"):
        parts.append(info["why"])
    results = os.path.join(job_dir, "results")
    stagings = sorted(d for d in os.listdir(results) if d.startswith(".staging-")) if os.path.isdir(results) else []
    for d in stagings:
        try:
            with open(os.path.join(results, d, "STATUS"), encoding="utf-8") as f:
                status = dict(line.rstrip("\n").split(": ", 1) for line in f if ": " in line)
        except OSError:
            status = {}
        parts.append(f"lab: {status.get('state', 'no STATUS')}; staging folder kept: {os.path.join(results, d)}"
                     + (f"; resume: {status['resume']}" if "resume" in status else ""))
    if not stagings:
        outs = sorted(f for f in os.listdir(job_dir) if f.startswith("slurm-") and f.endswith(".out"))
        for name in outs[-1:]:
            with open(os.path.join(job_dir, name), encoding="utf-8", errors="replace") as f:
                tail = [line.strip() for line in f if line.strip()]
            if tail:
                parts.append(f"last output: {tail[-1]}")
    return "; ".join(parts)


def place(results_dir: str, set_path: str, type_name: str) -> str:
    """Moves one set to results_dir/<shape>/<run>, or <run>-<type>[-N] if that exists.
    rename(2) cannot replace a non-empty folder: nothing published is ever overwritten."""
    shape, run = set_path.split(os.sep)[-2:]
    os.makedirs(os.path.join(results_dir, shape), exist_ok=True)
    candidates = [run, f"{run}-{type_name}"] + [f"{run}-{type_name}-{n}" for n in range(2, 100)]
    for name in candidates:
        final = os.path.join(results_dir, shape, name)
        if os.path.lexists(final):
            continue
        try:
            os.rename(set_path, final)
            return final
        except OSError:
            continue   # taken between the check and the rename: try the next name
    raise FleetError(EXIT_RUNTIME, f"no free name for {set_path} under {results_dir}/{shape}")


def cmd_gather(args: argparse.Namespace) -> int:
    fleet_dir = os.path.abspath(args.fleet_dir)
    manifest = load_manifest(fleet_dir)
    results_dir = writable_dir(args.results_dir or manifest["results_dir"], "--results-dir")
    need_commands("scontrol")
    previous = {e["type"]: e for e in manifest.get("gathered", {}).get("entries", [])}
    entries, missing = [], 0
    for t in manifest["types"]:
        info = job_info(t["job_id"])
        entry = {"type": t["name"], "job_id": t["job_id"], "node": info.get("node", ""),
                 "partition": info.get("partition", ""), "state": info["state"],
                 "exit_code": info.get("exit_code", "")}
        sets = published_sets(os.path.join(t["job_dir"], "results"))
        placed = [place(results_dir, s, t["name"]) for s in sets]
        if placed:
            entry["set"] = placed[0] if len(placed) == 1 else placed
        elif previous.get(t["name"], {}).get("set"):   # gathered by an earlier run of gather
            entry["set"] = previous[t["name"]]["set"]
        else:
            entry["missing"] = why_missing(t["job_dir"], info)
            missing += 1
        entries.append(entry)
        print(f"fleet: {t['name']}: job {t['job_id']} {info['state']} on {entry['node'] or '?'}: "
              + (f"set {entry['set']}" if "set" in entry else f"no set ({entry['missing']})"), flush=True)
    index = results_index.write_index(results_dir)
    manifest["gathered"] = {"at": utc_now(), "results_dir": results_dir, "index": index,
                            "sets": len(entries) - missing, "missing": missing, "entries": entries}
    save_manifest(fleet_dir, manifest)
    print(f"fleet: gathered {len(entries) - missing} of {len(entries)} node types; index {index}; "
          f"manifest {os.path.join(fleet_dir, MANIFEST)}")
    return EXIT_MISSING if missing else EXIT_OK


# --- command line ----------------------------------------------------------------------

def parse_args(argv: list[str]) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="fleet.py", description=__doc__.split("\n\n")[0],
                                 epilog=__doc__.split("\n\n", 2)[2],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    s = sub.add_parser("submit", help="one exclusive job per node type, then a gather job")
    s.add_argument("--type", action="append", required=True, metavar="NAME=KIND:VALUE",
                   help="a node type: NAME=partition:P, NAME=constraint:FEATURE or NAME=nodes:LIST (repeat)")
    s.add_argument("--results-dir", required=True,
                   help="the shared results folder the sets are gathered into (must exist and be writable)")
    s.add_argument("--profile", default="full", help="rcbench run profile (default: full)")
    s.add_argument("--budget", metavar="DURATION", help="lab.py --budget for each run (20m, 1h30m)")
    s.add_argument("--time", default="8:00:00",
                   help="Slurm time limit per node type (default 8:00:00; SIGTERM comes 120 s before)")
    s.add_argument("--rcbench", action="append", metavar="[NAME=]PATH",
                   help="use this binary (a path on the nodes) instead of building on the node; "
                        "NAME=PATH for one node type only (repeat)")
    s.add_argument("--skip-build", action="store_true",
                   help="use the repository's build/release/cli/rcbench on every node")
    s.add_argument("--fleet-dir", help="where jobs write (default: RESULTS_DIR/.fleet-<stamp>-<pid>)")
    s.add_argument("--gather-partition", metavar="P", help="partition of the gather job (default: Slurm's)")
    s.add_argument("--dry-run", action="store_true", help="print the job scripts and sbatch commands only")
    st = sub.add_parser("status", help="job states per node type")
    st.add_argument("fleet_dir", metavar="FLEET_DIR")
    g = sub.add_parser("gather", help="move finished sets into the results folder, rebuild the index once")
    g.add_argument("fleet_dir", metavar="FLEET_DIR")
    g.add_argument("--results-dir", help="default: the one given to submit")
    return ap.parse_args(argv)


def main(argv: Optional[list[str]] = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        return {"submit": cmd_submit, "status": cmd_status, "gather": cmd_gather}[args.command](args)
    except FleetError as e:
        print(f"fleet: error: {e}", file=sys.stderr)
        return e.code


if __name__ == "__main__":
    sys.exit(main())
