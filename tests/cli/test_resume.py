"""`rcbench run` journals every finished benchmark and `--resume` finishes a killed run
(issue 18): a real run is killed with SIGKILL once its journal holds two or more
benchmarks, then resumed. Counts, names and file states only, never timings.

Usage: python3 -m unittest test_resume   (RCBENCH=path/to/rcbench)
"""
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

RCBENCH = os.environ.get("RCBENCH", "rcbench")
CHECK_RUN_JSON = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "harness", "check_run_json.py")
REPETITIONS = 2
# 27 rows (atomic at every placement and workload, their GIL baselines, the plain
# reference, the calibration rows): a few seconds, long enough to be killed mid-way.
PLAN = ["--profile", "quick", "--filter", "^refcount/atomic/", "--min-time", "0.02",
        "--repetitions", str(REPETITIONS)]


def rcbench(args, cwd, timeout=300):
    return subprocess.run([RCBENCH, *args], cwd=cwd, capture_output=True, text=True, timeout=timeout)


def journal_lines(path):
    """The complete lines of a journal, parsed (a line a kill cut short is left out)."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    return [json.loads(line) for line in text.split("\n")[:-1]]


def benchmarks_in(lines):
    return [line for line in lines if "benchmark" in line]


class KilledAndResumed(unittest.TestCase):
    """One killed run, shared by the tests (it is the slow part)."""

    @classmethod
    def setUpClass(cls):
        cls._tmp = tempfile.TemporaryDirectory(prefix="rcbench-resume-")
        cls.dir = cls._tmp.name
        cls.out = os.path.join(cls.dir, "run.json")
        cls.journal = cls.out + ".journal"
        p = subprocess.Popen([RCBENCH, "run", *PLAN, "--out", "run.json"], cwd=cls.dir,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 240
        done = 0
        while time.monotonic() < deadline and p.poll() is None:
            if os.path.exists(cls.journal):
                done = len(benchmarks_in(journal_lines(cls.journal)))
                if done >= 2:
                    break
            time.sleep(0.01)
        if p.poll() is None:
            os.kill(p.pid, signal.SIGKILL)
        p.wait(timeout=60)
        cls.killed_rc = p.returncode
        cls.journaled_before = journal_lines(cls.journal) if os.path.exists(cls.journal) else []

    @classmethod
    def tearDownClass(cls):
        cls._tmp.cleanup()

    def setUp(self):
        self.assertEqual(self.killed_rc, -signal.SIGKILL, "the run ended before it could be killed")

    def test_1_killed_run_left_its_journal_and_no_result(self):
        self.assertEqual(sorted(os.listdir(self.dir)), ["run.json.journal"])
        header = self.journaled_before[0]
        self.assertEqual(header["format"], "rcbench-journal")
        for part in ("binary", "plan", "machine", "flags", "command_line", "output"):
            self.assertIn(part, header)
        self.assertEqual(header["output"], os.path.realpath(self.out))
        self.assertGreaterEqual(len(benchmarks_in(self.journaled_before)), 2)

    def refused(self, args, needle, cwd=None):
        before = sorted(os.listdir(self.dir))
        with open(self.journal, "rb") as f:
            journal = f.read()
        r = rcbench(args, cwd or self.dir)
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        self.assertIn(needle, r.stderr)
        self.assertEqual(sorted(os.listdir(self.dir)), before, "a refusal wrote or removed a file")
        with open(self.journal, "rb") as f:
            self.assertEqual(f.read(), journal, "a refusal changed the journal")
        return r

    def test_2_a_run_onto_the_journal_is_refused_and_says_how_to_resume(self):
        r = self.refused(["run", *PLAN, "--out", "run.json"], "run.json.journal exists")
        self.assertIn("rcbench run --resume", r.stderr)
        # --force replaces an output, never a journal.
        self.refused(["run", *PLAN, "--out", "run.json", "--force"], "run.json.journal exists")

    def test_3_resume_takes_no_plan_flags(self):
        self.refused(["run", "--resume", "run.json.journal", "--repetitions", "3"], "give no other flag")
        self.refused(["run", "--resume", "run.json.journal", "--filter", "x"], "give no other flag")
        self.refused(["run", "--resume", "run.json.journal", "--benchmark_min_time=1"], "give no other flag")

    def edited_copy(self, edit):
        """The journal with its header edited, as the journal of another output (so the
        refusal is about the edit, not the name)."""
        other = tempfile.mkdtemp(prefix="rcbench-resume-edited-", dir=self.dir)
        self.addCleanup(shutil.rmtree, other)
        out = os.path.join(other, "run.json")
        with open(self.journal, encoding="utf-8") as f:
            lines = f.read().split("\n")
        header = json.loads(lines[0])
        header["output"] = header["flags"]["out"] = out
        edit(header)
        lines[0] = json.dumps(header)
        with open(out + ".journal", "w", encoding="utf-8") as f:
            f.write("\n".join(lines))
        return other, out + ".journal"

    def refused_edited(self, edit, needle):
        other, journal = self.edited_copy(edit)
        r = rcbench(["run", "--resume", journal], self.dir)
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        self.assertIn(needle, r.stderr)
        self.assertEqual(os.listdir(other), ["run.json.journal"], "a refusal wrote a file")

    def test_4_a_changed_machine_binary_or_plan_is_refused_by_name(self):
        def host(h):
            h["machine"]["hostname"] = "another-host"
        self.refused_edited(host, "machine.hostname: 'another-host' in the journal")

        def revision(h):
            h["binary"]["git_revision"] = "0000000"
        self.refused_edited(revision, "binary.git_revision: '0000000' in the journal")

        def repetitions(h):  # the recorded flags now plan 3 repetitions: not the plan journaled
            h["flags"]["repetitions"] = "3"
        self.refused_edited(repetitions, f"plan.repetitions: {REPETITIONS} in the journal, 3 now")

        def fingerprint(h):
            h["plan"]["fingerprint"] = "0" * 16
        self.refused_edited(fingerprint, "plan.fingerprint")

    @unittest.skipUnless(len(os.sched_getaffinity(0)) >= 2, "needs two allowed CPUs")
    def test_4b_fewer_allowed_cpus_is_another_machine(self):
        # Not an edit: the same journal, resumed with one CPU allowed (taskset).
        one = min(os.sched_getaffinity(0))
        with open(self.journal, "rb") as f:
            journal = f.read()
        r = subprocess.run([RCBENCH, "run", "--resume", self.journal], cwd=self.dir, capture_output=True,
                           text=True, timeout=300, preexec_fn=lambda: os.sched_setaffinity(0, {one}))
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        self.assertIn("machine.allowed_pus", r.stderr)
        self.assertEqual(sorted(os.listdir(self.dir)), ["run.json.journal"])
        with open(self.journal, "rb") as f:
            self.assertEqual(f.read(), journal)

    def test_5_a_moved_journal_is_refused(self):
        moved = os.path.join(tempfile.mkdtemp(dir=self.dir), "moved.journal")
        self.addCleanup(shutil.rmtree, os.path.dirname(moved))
        shutil.copy(self.journal, moved)
        r = rcbench(["run", "--resume", moved], self.dir)
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        self.assertIn("belongs to the output", r.stderr)

    def test_5b_an_existing_output_is_never_overwritten(self):
        other, journal = self.edited_copy(lambda h: None)
        with open(os.path.join(other, "run.json"), "w") as f:
            f.write("mine\n")
        r = rcbench(["run", "--resume", journal], self.dir)
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        self.assertIn("exists, and results are never overwritten", r.stderr)
        with open(os.path.join(other, "run.json")) as f:
            self.assertEqual(f.read(), "mine\n")
        self.assertEqual(sorted(os.listdir(other)), ["run.json", "run.json.journal"])

    def test_6_resume_finishes_the_run(self):
        # From another folder: the journal names its output by absolute path.
        r = rcbench(["run", "--resume", self.journal], tempfile.gettempdir())
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("resuming: session 2", r.stdout)
        self.assertEqual(sorted(os.listdir(self.dir)), ["run.json"], "journal or temporary files left")
        with open(self.out, encoding="utf-8") as f:
            run = json.load(f)

        planned = [b["name"] for b in run["rcbench"]["benchmarks"]]
        self.assertGreaterEqual(len(planned), 10)
        iterations = {}
        for e in run["benchmarks"]:
            if e["run_type"] == "iteration":
                iterations.setdefault(e["run_name"], []).append(e["repetition_index"])
        self.assertEqual(sorted(iterations), sorted(planned), "a planned benchmark is missing or extra")
        for name, reps in iterations.items():
            self.assertEqual(sorted(reps), list(range(REPETITIONS)), f"{name}: repetitions {reps}")
        # family_index as an uninterrupted run gives it: the row's place in the plan.
        for e in run["benchmarks"]:
            self.assertEqual(e["family_index"], planned.index(e["run_name"]), e["name"])

        # What was journaled before the kill was not run again: its entries are the journal's.
        before = benchmarks_in(self.journaled_before)
        for line in before:
            mine = [e for e in run["benchmarks"] if e["run_name"] == line["benchmark"]]
            self.assertEqual(mine, line["entries"], f"{line['benchmark']} was run again")
        resumed = run["rcbench"]["resumed"]
        self.assertEqual(resumed["sessions"], 2)
        self.assertEqual(resumed["benchmarks_from_journal"], len(before))
        self.assertEqual(resumed["journal"], os.path.realpath(self.journal))
        self.assertAlmostEqual(run["rcbench"]["wall_time_s"], sum(resumed["session_wall_time_s"]), places=6)
        self.assertEqual(run["rcbench"]["repetitions"], REPETITIONS)

        # Every planned benchmark with every repetition, pinned, counts conserved, baselines
        # present, compare.py loads it: what the smoke test asks of an uninterrupted run.
        check = subprocess.run(["/usr/bin/python3", CHECK_RUN_JSON, self.out], capture_output=True, text=True,
                               timeout=120)
        self.assertEqual(check.returncode, 0, check.stdout + check.stderr)

        report = rcbench(["report", self.out, "--out-dir", os.path.join(self.dir, "rep"), "--formats", "json,md"],
                         self.dir)
        self.assertEqual(report.returncode, 0, report.stdout + report.stderr)
        shutil.rmtree(os.path.join(self.dir, "rep"))


    def test_7_a_journal_with_every_benchmark_runs_nothing(self):
        # A kill after the last benchmark was journaled, before the run JSON was written:
        # the resume only writes it. Built from test_6's result and the killed run's header.
        with open(self.out, encoding="utf-8") as f:
            run = json.load(f)
        other = tempfile.mkdtemp(prefix="rcbench-resume-complete-", dir=self.dir)
        self.addCleanup(shutil.rmtree, other)
        out = os.path.join(other, "run.json")
        header = dict(self.journaled_before[0])
        header["flags"] = dict(header["flags"], out=out)
        header["output"] = out
        lines = [header] + [line for line in self.journaled_before[1:] if line.get("session") == 1
                            and "benchmark" not in line]
        names = list(dict.fromkeys(e["run_name"] for e in run["benchmarks"]))
        for name in names:
            lines.append({"benchmark": name, "session": 1, "elapsed_s": 1.0,
                          "entries": [e for e in run["benchmarks"] if e["run_name"] == name]})
        with open(out + ".journal", "w", encoding="utf-8") as f:
            f.write("".join(json.dumps(line) + "\n" for line in lines))
        r = rcbench(["run", "--resume", out + ".journal"], self.dir)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertEqual(os.listdir(other), ["run.json"])
        with open(out, encoding="utf-8") as f:
            again = json.load(f)
        self.assertEqual(again["benchmarks"], run["benchmarks"])
        self.assertEqual(again["rcbench"]["resumed"]["benchmarks_from_journal"], len(names))
        self.assertIn("context", again)


class Interrupted(unittest.TestCase):
    def test_ctrl_c_after_a_benchmark_keeps_the_journal(self):
        with tempfile.TemporaryDirectory(prefix="rcbench-resume-") as d:
            journal = os.path.join(d, "run.json.journal")
            p = subprocess.Popen([RCBENCH, "run", *PLAN, "--out", "run.json"], cwd=d,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            deadline = time.monotonic() + 240
            while time.monotonic() < deadline and p.poll() is None:
                if os.path.exists(journal) and benchmarks_in(journal_lines(journal)):
                    break
                time.sleep(0.01)
            p.send_signal(signal.SIGINT)
            _, err = p.communicate(timeout=60)
            self.assertEqual(p.returncode, 128 + signal.SIGINT, err)
            # The message says where the work is and how to continue, not "no result".
            self.assertIn("the finished benchmarks are kept in run.json.journal; "
                          "continue with: rcbench run --resume run.json.journal", err)
            self.assertNotIn("no result was written", err)
            # The checkpoint stays (a resume continues from it); the scratch files go.
            self.assertEqual(os.listdir(d), ["run.json.journal"])
            self.assertGreaterEqual(len(benchmarks_in(journal_lines(journal))), 1)


class Uninterrupted(unittest.TestCase):
    def test_the_journal_goes_once_the_result_is_in_place(self):
        with tempfile.TemporaryDirectory(prefix="rcbench-resume-") as d:
            r = rcbench(["run", "--profile", "quick", "--filter", "^refcount/atomic/private/placement:single/",
                         "--no-baselines", "--repetitions", "1", "--min-time", "0.005", "--out", "run.json"], d)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            self.assertEqual(os.listdir(d), ["run.json"])
            with open(os.path.join(d, "run.json"), encoding="utf-8") as f:
                run = json.load(f)
            self.assertNotIn("resumed", run["rcbench"])

    def test_a_journal_that_is_not_one_is_refused(self):
        with tempfile.TemporaryDirectory(prefix="rcbench-resume-") as d:
            with open(os.path.join(d, "x.journal"), "w") as f:
                f.write("{\"hello\": 1}\n")
            r = rcbench(["run", "--resume", "x.journal"], d)
            self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
            self.assertIn("not an rcbench run journal", r.stderr)
            r = rcbench(["run", "--resume", "missing.journal"], d)
            self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
            self.assertIn("cannot read", r.stderr)
            self.assertEqual(os.listdir(d), ["x.journal"])


if __name__ == "__main__":
    unittest.main()
