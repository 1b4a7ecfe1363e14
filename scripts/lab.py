#!/usr/bin/python3
"""The lab runner: one command that turns an idle machine into a published result set.

    scripts/lab.py [--profile full] [--budget 20m] [--results-dir results] [--strict | --accept-warnings]
                   [--skip-build] [--rcbench PATH]
    scripts/lab.py --resume results/.staging-<id>     finish an interrupted or failed set
    scripts/lab.py --clean  results/.staging-<id>     throw it away

Stages: check the machine (governor, turbo, SMT, load, perf_event_paranoid, virtual
machine, isolated CPUs); build the release binary (CMake preset `release`, target
rcbench; RCBENCH_JOBS sets the parallel jobs); export the topology; run the profile
(rcbench prints progress and the time left); write the report; publish. Everything is
written into `results/.staging-<id>/` first and renamed in one step to
`results/<machine-shape>/<UTC date>-<host>-<revision>/` (`-2`, `-3`, ... appended if
another set, from another process or host, took that name first): nothing is ever
overwritten, and a final folder never holds a half-written set. Then results/README.md
is regenerated (scripts/results_index.py, under a lock on results/.index.lock).

Exit status: 0 published; 2 usage or input error;
3 refused by --strict (a check warned); 4 a stage failed (or the run had benchmark
errors: the set is published with them recorded); 128+N stopped by signal N.
"""
from __future__ import annotations

import argparse
import datetime
import glob
import hashlib
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
from typing import Optional

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lab_env  # noqa: E402
import results_index  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_RCBENCH = os.path.join(REPO, "build", "release", "cli", "rcbench")
STAGING_PREFIX = ".staging-"
ENV_FORMAT = "rcbench-lab-environment"

EXIT_OK, EXIT_USAGE, EXIT_REFUSED, EXIT_RUNTIME = 0, 2, 3, 4

# The stages after the checks, in order. Each one but `build` leaves a file or folder
# in the staging folder, and its presence is the proof that it finished (each is
# written under a temporary name and renamed), so --resume redoes only what is missing.
STAGES = ["build", "topology", "run", "report", "publish"]
OUTPUT_OF = {"topology": "topology.xml", "run": "run.json", "report": "report"}
# Leftovers of a stage that was stopped halfway (ours, and rcbench's own scratch files
# and folders beside its targets); removed before the stage runs again. Not run.json's
# journal (run.json.journal): it is the checkpoint `rcbench run --resume` continues from.
PARTIALS_OF = {"topology": ["topology.xml.partial*"], "run": ["run.json.partial-*"],
               "report": ["report.partial", ".report.partial.*"]}


class LabError(Exception):
    def __init__(self, code: int, message: str):
        super().__init__(message)
        self.code = code


class Interrupted(Exception):
    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def utc_now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)


def iso(t: datetime.datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


write_atomically = results_index.write_atomically


def shown(path: str) -> str:
    """A path as the user should type it from where they are."""
    rel = os.path.relpath(path)
    return rel if not rel.startswith("..") else os.path.abspath(path)


def git_state() -> Optional[dict]:
    try:
        rev = subprocess.run(["git", "-C", REPO, "rev-parse", "--short=12", "HEAD"],
                             capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", REPO, "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, check=True).stdout.strip() != ""
        return {"revision": rev, "dirty": dirty}
    except (OSError, subprocess.CalledProcessError):
        return None


# --- the staging folder ----------------------------------------------------------------

class Staging:
    """A result set in the making: environment.json (what was checked and run) and a
    human-readable STATUS (what finished, how to resume or clean up)."""

    def __init__(self, path: str):
        self.path = os.path.abspath(path)
        self.results_dir = os.path.dirname(self.path)
        self.env_path = os.path.join(self.path, "environment.json")

    def file(self, name: str) -> str:
        return os.path.join(self.path, name)

    @staticmethod
    def create(results_dir: str, stamp: str) -> "Staging":
        os.makedirs(results_dir, exist_ok=True)
        path = os.path.join(results_dir, f"{STAGING_PREFIX}{stamp}-{os.getpid()}")
        os.mkdir(path)   # fails if it exists: never reuse someone else's staging folder
        return Staging(path)

    @staticmethod
    def open_existing(path: str) -> "Staging":
        s = Staging(path)
        if not os.path.basename(s.path).startswith(STAGING_PREFIX) or not os.path.isdir(s.path):
            raise LabError(EXIT_USAGE, f"{path} is not a staging folder (results/{STAGING_PREFIX}*)")
        env = s.load_env()
        if env.get("format") != ENV_FORMAT:
            raise LabError(EXIT_USAGE, f"{s.env_path} is not a lab environment record")
        return s

    def load_env(self) -> dict:
        try:
            with open(self.env_path, encoding="utf-8") as f:
                return json.load(f)
        except (OSError, ValueError) as e:
            raise LabError(EXIT_USAGE, f"cannot read {self.env_path}: {e}") from e

    def save_env(self, env: dict) -> None:
        write_atomically(self.env_path, json.dumps(env, indent=2) + "\n")

    def finished(self, env: dict) -> list[str]:
        done = []
        for stage in STAGES[:-1]:
            out = OUTPUT_OF.get(stage)
            if out is None and env.get("stages", {}).get(stage) in ("done", "skipped"):
                done.append(stage)
            elif out is not None and os.path.exists(self.file(out)):
                done.append(stage)
        return done

    def write_status(self, env: dict, state: str, script: str) -> None:
        done = self.finished(env)
        missing = [s for s in STAGES if s not in done]
        text = (f"state: {state}\n"
                f"updated: {iso(utc_now())}\n"
                f"pid: {os.getpid()}\n"
                f"finished: {', '.join(['checks'] + done)}\n"
                f"missing: {', '.join(missing)}\n"
                f"resume: {script} --resume {shown(self.path)}   (re-runs only what is missing)\n"
                f"clean up: {script} --clean {shown(self.path)}\n")
        write_atomically(self.file("STATUS"), text)

    def read_status(self) -> dict:
        try:
            with open(self.file("STATUS"), encoding="utf-8") as f:
                return dict(line.rstrip("\n").split(": ", 1) for line in f if ": " in line)
        except OSError:
            return {}

    def remove_partials(self, stage: str) -> None:
        for pattern in PARTIALS_OF.get(stage, []):
            for p in glob.glob(self.file(pattern)):
                shutil.rmtree(p) if os.path.isdir(p) else os.remove(p)


def final_folder(results_dir: str, run_json: dict, stamp: str, host: str, fallback_revision: str) -> str:
    """results/<machine shape>/<stamp>-<host>-<revision>: the host keeps two machines of
    one shape (or one machine's two slurmd) that start in the same second apart."""
    rc = run_json.get("rcbench") or {}
    shape = lab_env.machine_id_of_run(run_json)
    revision = (rc.get("build") or {}).get("git_revision")
    if not isinstance(revision, str) or not revision or revision == "unknown":
        revision = fallback_revision
    return os.path.join(results_dir, shape,
                        f"{stamp}-{lab_env.sanitize(host)}-{lab_env.sanitize(revision)}")


# How many names publish() tries (`final`, `final-2`, ... `final-N`) before giving up.
PUBLISH_ATTEMPTS = 100


def publish(staging_path: str, final: str) -> str:
    """Renames the staging folder to `final`, or to `final-2`, `final-3`, ... if that name
    is taken, and returns the name it got. Race-free between any number of publishers
    into one results/ (several lab.py on one host, or hosts sharing the folder): a name
    is first reserved with mkdir(2), which exactly one caller wins, and the staging
    folder is then renamed onto that empty folder of ours (rename(2) replaces an empty
    folder, never a non-empty one nor a file). Nothing is ever overwritten."""
    os.makedirs(os.path.dirname(final), exist_ok=True)
    for n in range(1, PUBLISH_ATTEMPTS + 1):
        name = final if n == 1 else f"{final}-{n}"
        try:
            os.mkdir(name)
        except FileExistsError:
            continue
        try:
            os.rename(staging_path, name)
        except BaseException as e:   # also a signal between the two steps
            if os.path.isdir(staging_path):   # not renamed: give our empty reservation back
                try:
                    os.rmdir(name)
                except OSError:
                    pass
            if isinstance(e, OSError):
                raise LabError(EXIT_RUNTIME, f"cannot rename {shown(staging_path)} to {shown(name)}: "
                               f"{e.strerror}") from e
            raise
        return name
    raise LabError(EXIT_USAGE, f"{shown(final)} and the next {PUBLISH_ATTEMPTS - 1} suffixed names "
                   f"exist: nothing was overwritten (the finished set stays in {shown(staging_path)}; "
                   "move some away and --resume, or --clean)")


# --- the runner ------------------------------------------------------------------------

class Lab:
    def __init__(self, staging: Staging, env: dict, script: str):
        self.staging = staging
        self.env = env
        self.script = script
        self.child: Optional[subprocess.Popen] = None
        self.stage = "checks"

    @property
    def rcbench(self) -> str:
        return self.env["options"]["rcbench"]

    def log(self, message: str) -> None:
        print(f"lab: {message}", flush=True)

    def command(self, argv: list[str], log_name: Optional[str] = None) -> int:
        """Runs one command, its output passed through (and kept in log_name), recording
        the exact command line in environment.json."""
        record = {"stage": self.stage, "argv": argv, "cwd": REPO, "started_at": iso(utc_now())}
        self.env.setdefault("commands", []).append(record)
        self.staging.save_env(self.env)
        self.log("$ " + shlex.join(argv))
        began = time.monotonic()
        log = open(self.staging.file(log_name), "ab") if log_name else None
        try:
            # Its own session, so a Ctrl-C reaches only us and we stop the child in order.
            self.child = subprocess.Popen(argv, cwd=REPO, stdout=subprocess.PIPE,
                                          stderr=subprocess.STDOUT, start_new_session=True)
            for line in iter(self.child.stdout.readline, b""):
                sys.stdout.buffer.write(line)
                sys.stdout.flush()
                if log:
                    log.write(line)
            code = self.child.wait()
        except FileNotFoundError as e:
            raise LabError(EXIT_RUNTIME, f"cannot run {argv[0]}: {e}") from e
        finally:
            if log:
                log.close()
        self.child = None
        record.update(exit_code=code, seconds=round(time.monotonic() - began, 1))
        self.staging.save_env(self.env)
        return code

    def stop_child(self) -> None:
        if self.child is None or self.child.poll() is not None:
            return
        for sig, wait_s in ((signal.SIGINT, 10), (signal.SIGKILL, 5)):
            try:
                os.killpg(self.child.pid, sig)
            except ProcessLookupError:
                return
            try:
                self.child.wait(timeout=wait_s)
                return
            except subprocess.TimeoutExpired:
                continue

    def set_stage(self, stage: str, state: str) -> None:
        self.env.setdefault("stages", {})[stage] = state
        self.staging.save_env(self.env)

    def run_stage(self, stage: str) -> None:
        self.stage = stage
        self.staging.write_status(self.env, f"running stage '{stage}'", self.script)
        self.staging.remove_partials(stage)
        n = STAGES.index(stage) + 1
        self.log(f"[{n}/{len(STAGES)}] {stage}")
        getattr(self, f"stage_{stage}")()

    def stage_build(self) -> None:
        if self.env["options"]["build"]:
            # The release preset, as scripts/build.sh uses, but only the binary the lab
            # runs: the tests are CI's job, and building them would double the wait.
            jobs = os.environ.get("RCBENCH_JOBS", str(os.cpu_count() or 1))
            for argv in (["cmake", "--preset", "release"],
                         ["cmake", "--build", "--preset", "release", "--target", "rcbench", "-j", jobs]):
                if self.command(argv) != 0:
                    raise LabError(EXIT_RUNTIME, "the release build failed (see above)")
            self.set_stage("build", "done")
        else:
            self.log(f"not building: using {self.rcbench}")
            self.set_stage("build", "skipped")
        self.env["rcbench_version"] = self.rcbench_version()
        self.env["rcbench_sha256"] = self.rcbench_sha256()
        self.staging.save_env(self.env)

    def stage_topology(self) -> None:
        partial = self.staging.file("topology.xml.partial")
        if os.path.exists(partial):  # left by an interrupted stage: rcbench never overwrites
            os.remove(partial)
        if self.command([self.rcbench, "topology", "--export-xml", partial]) != 0:
            raise LabError(EXIT_RUNTIME, "rcbench topology --export-xml failed (see above)")
        os.rename(partial, self.staging.file("topology.xml"))

    def stage_run(self) -> None:
        out = self.staging.file("run.json")
        journal = out + ".journal"
        if os.path.exists(journal):
            # An earlier attempt was stopped mid-run: rcbench runs only the benchmarks
            # its journal lacks (and refuses if the binary, plan or machine changed).
            self.log(f"continuing the interrupted run from {shown(journal)}")
            argv = [self.rcbench, "run", "--resume", journal]
        else:
            argv = [self.rcbench, "run", "--profile", self.env["options"]["profile"], "--out", out]
            if self.env["options"].get("budget"):
                # rcbench trims the plan to fit and records what it dropped (rcbench.budget).
                argv += ["--budget", self.env["options"]["budget"]]
        code = self.command(argv, log_name="run.log")
        if not os.path.isfile(out):
            if os.path.exists(journal):
                raise LabError(EXIT_RUNTIME, f"rcbench run failed (exit {code}) and wrote no run JSON; "
                               f"its journal {shown(journal)} is kept: --resume continues it, or delete "
                               "it to run the stage from the start")
            raise LabError(EXIT_RUNTIME, f"rcbench run failed (exit {code}) and wrote no run JSON")
        if code != 0:
            # rcbench exits 4 when some benchmark errored but still writes the run, with
            # error_message on those rows: publish it, and say so.
            self.env["run_exit_code"] = code
            self.staging.save_env(self.env)
            self.log(f"rcbench run exited {code}: some benchmarks errored (recorded in run.json)")

    def stage_report(self) -> None:
        partial = self.staging.file("report.partial")
        if self.command([self.rcbench, "report", self.staging.file("run.json"),
                         "--out-dir", partial]) != 0:
            raise LabError(EXIT_RUNTIME, "rcbench report failed (see above)")
        os.rename(partial, self.staging.file("report"))

    def stage_publish(self) -> None:
        try:
            with open(self.staging.file("run.json"), encoding="utf-8") as f:
                run_json = json.load(f)
        except (OSError, ValueError) as e:
            raise LabError(EXIT_RUNTIME, f"run.json does not read back: {e}") from e
        git = self.env.get("git") or {}
        fallback = (git.get("revision", "unknown") + ("-dirty" if git.get("dirty") else "")) if git else "unknown"
        # Sets started before the host was recorded take this host's name.
        host = self.env.get("host") or lab_env.host_name(os.environ)
        final = final_folder(self.staging.results_dir, run_json, self.env["stamp"], host, fallback)
        self.env["finished_at"] = iso(utc_now())
        self.env["stages"]["publish"] = "done"
        self.staging.save_env(self.env)
        lines = ["# The commands that made this result set, in order (cwd first). They wrote into",
                 f"# the staging folder {self.staging.path},",
                 "# which was renamed to this folder once everything had finished.",
                 f"cd {shlex.quote(self.env['cwd'])} && {shlex.join(self.env['lab_command'])}"]
        lines += [r["resume_command"] for r in self.env.get("resumes", [])]
        lines += [f"# {c['stage']} (exit {c.get('exit_code', 'none: interrupted')}): "
                  f"cd {shlex.quote(c['cwd'])} && {shlex.join(c['argv'])}" for c in self.env["commands"]]
        write_atomically(self.staging.file("command.txt"), "\n".join(l for l in lines if l) + "\n")
        self.staging.write_status(self.env, "publishing", self.script)
        final = publish(self.staging.path, final)
        os.remove(os.path.join(final, "STATUS"))
        self.log(f"published {shown(final)}")
        if self.env["options"].get("no_index"):
            self.log("index: not rebuilt (--no-index)")
        else:
            self.log(f"index: {shown(results_index.write_index(self.staging.results_dir))}")

    def rcbench_version(self) -> str:
        try:
            out = subprocess.run([self.rcbench, "--version"], capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired) as e:
            raise LabError(EXIT_RUNTIME, f"cannot run {self.rcbench} --version: {e}") from e
        if out.returncode != 0:
            raise LabError(EXIT_RUNTIME, f"{self.rcbench} --version failed: {out.stderr.strip()}")
        return out.stdout.strip()

    def rcbench_sha256(self) -> str:
        try:
            with open(self.rcbench, "rb") as f:
                return hashlib.file_digest(f, "sha256").hexdigest()
        except OSError as e:
            raise LabError(EXIT_RUNTIME, f"cannot read {self.rcbench}: {e}") from e

    def run_missing(self) -> None:
        done = self.staging.finished(self.env)
        for stage in STAGES:
            if stage not in done:
                self.run_stage(stage)


# --- command line ----------------------------------------------------------------------

def check_machine(env_root: str, policy: str) -> tuple[list[dict], list[str]]:
    checks = lab_env.run_checks(env_root)
    print("lab: machine checks (what would make the numbers unstable):")
    print(lab_env.format_checks(checks), flush=True)
    warned = lab_env.warnings_of(checks)
    if warned and policy == "strict":
        lines = "\n".join(f"  {c.name}: {c.detail}\n      why: {c.why}" for c in warned)
        raise LabError(EXIT_REFUSED, f"--strict: refusing to run, {len(warned)} check(s) warned:\n{lines}")
    if warned:
        print(f"lab: proceeding with {len(warned)} warning(s), recorded in the result set "
              f"({'--accept-warnings' if policy == 'accept-warnings' else 'default; --strict refuses'})")
    return [c.to_json() for c in checks], [c.name for c in warned]


def parse_args(argv: list[str]) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="lab.py", description=__doc__.split("\n\n")[0],
                                 epilog=__doc__.split("\n\n", 2)[2],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--profile", default="full", help="rcbench run profile (default: full)")
    ap.add_argument("--budget", metavar="DURATION",
                    help="time budget of the run stage (20m, 1h30m): rcbench run --budget trims the plan "
                         "to fit and records what it dropped")
    ap.add_argument("--no-index", action="store_true",
                    help="publish the set but leave results/README.md alone (fleet jobs: "
                         "the gather step rebuilds the index once)")
    ap.add_argument("--results-dir", default=os.path.join(REPO, "results"),
                    help="where result sets go (default: the repository's results/)")
    policy = ap.add_mutually_exclusive_group()
    policy.add_argument("--strict", action="store_true", help="refuse to run if any check warns (exit 3)")
    policy.add_argument("--accept-warnings", action="store_true",
                        help="run despite warnings, recording them (also the default)")
    ap.add_argument("--skip-build", action="store_true", help="use the existing release binary")
    ap.add_argument("--rcbench", metavar="PATH",
                    help="the rcbench binary to use (implies --skip-build; default: "
                         "build/release/cli/rcbench)")
    ap.add_argument("--env-root", default="/", metavar="PATH",
                    help="read sysfs/procfs under PATH instead of / (for tests)")
    action = ap.add_mutually_exclusive_group()
    action.add_argument("--resume", metavar="STAGING_DIR", help="finish what an interrupted run left")
    action.add_argument("--clean", metavar="STAGING_DIR", help="delete an unfinished staging folder")
    args = ap.parse_args(argv)
    # The shape rcbench's duration parser takes (bench/harness/limits.cpp), checked here so
    # that a typo stops before the build, not at the run stage; rcbench checks the rest.
    if args.budget is not None and not re.fullmatch(r"[0-9.]+|([0-9.]+h)?([0-9.]+m)?([0-9.]+s)?", args.budget or "-"):
        ap.error(f"--budget {args.budget!r}: expected a duration such as 90s, 20m, 1h or 1h30m")
    return args


def policy_of(args: argparse.Namespace) -> Optional[str]:
    if args.strict:
        return "strict"
    if args.accept_warnings:
        return "accept-warnings"
    return None


def start(args: argparse.Namespace, script: str, argv: list[str]) -> tuple[Staging, dict]:
    policy = policy_of(args) or "default"
    checks, warned = check_machine(args.env_root, policy)
    rcbench = os.path.abspath(args.rcbench) if args.rcbench else DEFAULT_RCBENCH
    build = not (args.skip_build or args.rcbench)
    if not build and not os.access(rcbench, os.X_OK):
        raise LabError(EXIT_USAGE, f"{rcbench} is not an executable (build it with "
                       "scripts/build.sh release, or drop --skip-build)")
    started = utc_now()
    stamp = started.strftime("%Y%m%dT%H%M%SZ")
    staging = Staging.create(args.results_dir, stamp)
    env = {
        "format": ENV_FORMAT, "format_version": 1,
        "lab_command": [script] + argv, "cwd": os.getcwd(),
        "started_at": iso(started), "stamp": stamp,
        "options": {"profile": args.profile, "budget": args.budget, "rcbench": rcbench, "env_root": args.env_root,
                    "build": build, "no_index": args.no_index, "warnings_policy": policy},
        "checks": checks, "warnings": warned,
        "uname": dict(zip(["sysname", "nodename", "release", "version", "machine"], os.uname())),
        # The name the set's folder carries, the batch job (null outside Slurm) and the
        # CPUs this process (and so rcbench) was allowed: docs/lab.md.
        "host": lab_env.host_name(os.environ),
        "slurm": lab_env.slurm_allocation(os.environ),
        "allowed_cpus": lab_env.allowed_cpus(),
        "python": sys.version.split()[0],
        "git": git_state(),
        "stages": {}, "commands": [], "resumes": [],
    }
    staging.save_env(env)
    return staging, env


def resume(args: argparse.Namespace, script: str, argv: list[str]) -> tuple[Staging, dict]:
    staging = Staging.open_existing(args.resume)
    status = staging.read_status()
    if status.get("state", "").startswith("running") and _alive(status.get("pid")):
        raise LabError(EXIT_USAGE, f"{shown(staging.path)} is being worked on by process {status['pid']}")
    env = staging.load_env()
    if args.no_index:
        env["options"]["no_index"] = True
    policy = policy_of(args) or env["options"]["warnings_policy"]
    checks, warned = check_machine(env["options"]["env_root"], policy)
    env.setdefault("resumes", []).append({"at": iso(utc_now()), "checks": checks, "warnings": warned,
                                          "slurm": lab_env.slurm_allocation(os.environ),
                                          "allowed_cpus": lab_env.allowed_cpus(),
                                          "resume_command": f"cd {shlex.quote(os.getcwd())} && "
                                                            f"{shlex.join([script] + argv)}"})
    # The binary must be the one that started the set: a run measured by one build and
    # reported by another is not one result set. (The version string alone would not
    # tell two builds of one dirty tree apart: compare the bytes too.)
    lab = Lab(staging, env, script)
    if "rcbench_sha256" in env:
        if lab.rcbench_sha256() != env["rcbench_sha256"]:
            raise LabError(EXIT_USAGE, f"{lab.rcbench} changed since this set was started "
                           f"(then: {env['rcbench_version']}, now: {lab.rcbench_version()}): "
                           "start a new set (and --clean this one)")
    staging.save_env(env)
    return staging, env


def _alive(pid: Optional[str]) -> bool:
    try:
        os.kill(int(pid), 0)
        return int(pid) != os.getpid()
    except (TypeError, ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True


def clean(path: str) -> int:
    staging = Staging.open_existing(path)
    status = staging.read_status()
    if status.get("state", "").startswith("running") and _alive(status.get("pid")):
        raise LabError(EXIT_USAGE, f"{shown(staging.path)} is being worked on by process {status['pid']}")
    shutil.rmtree(staging.path)
    print(f"lab: removed {shown(staging.path)}")
    return EXIT_OK


def main(argv: Optional[list[str]] = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    script = shown(os.path.abspath(__file__))
    args = parse_args(argv)
    lab: Optional[Lab] = None

    def on_signal(signum, _frame):
        # Once: the cleanup below must not itself be cut short by a second Ctrl-C.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        raise Interrupted(signum)

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        if args.clean:
            return clean(args.clean)
        staging, env = resume(args, script, argv) if args.resume else start(args, script, argv)
        lab = Lab(staging, env, script)
        lab.run_missing()
        return EXIT_RUNTIME if env.get("run_exit_code") else EXIT_OK
    except Interrupted as e:
        if lab is None:
            print(f"lab: stopped by {e}", file=sys.stderr)
            return 128 + e.signum
        lab.stop_child()
        lab.staging.remove_partials(lab.stage)
        return _left_behind(lab, f"interrupted by {e} during stage '{lab.stage}'", 128 + e.signum)
    except LabError as e:
        print(f"lab: error: {e}", file=sys.stderr)
        if lab is not None and os.path.isdir(lab.staging.path):
            return _left_behind(lab, f"failed during stage '{lab.stage}': {e}", e.code)
        return e.code


def _left_behind(lab: Lab, state: str, code: int) -> int:
    if not os.path.isdir(lab.staging.path):   # stopped after the rename: it is published
        print(f"lab: {state.splitlines()[0]} after publishing; regenerate the index with "
              "scripts/results_index.py", file=sys.stderr)
        return code
    lab.staging.write_status(lab.env, state.splitlines()[0], lab.script)
    with open(lab.staging.file("STATUS"), encoding="utf-8") as f:
        status = f.read()
    print(f"lab: {state.splitlines()[0]}\nlab: nothing was published; "
          f"{shown(lab.staging.path)}/STATUS:\n{status}", file=sys.stderr, end="")
    return code


if __name__ == "__main__":
    sys.exit(main())
