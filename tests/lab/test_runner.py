"""scripts/lab.py end to end, against the fake rcbench in a temporary results folder:
a complete set, warnings recorded or refused, interruption, resume, failure, clean."""
import filecmp
import json
import os
import shutil
import signal
import subprocess
import unittest

import support

EXPECTED_CONTENT = ["command.txt", "environment.json", "report", "run.json", "run.log", "topology.xml"]


class RunnerTest(unittest.TestCase):
    def setUp(self):
        self.box = support.LabSandbox()

    def tearDown(self):
        self.box.cleanup()

    def status_of(self, staging):
        with open(os.path.join(staging, "STATUS")) as f:
            return f.read()

    def assert_one_published(self):
        sets = self.box.published()
        self.assertEqual(len(sets), 1, sets)
        machine, run = sets[0].split(os.sep)[-2:]
        self.assertEqual(machine, support.FIXTURE_SHAPE)
        self.assertRegex(run, r"^\d{8}T\d{6}Z-" + support.HOST + "-" + support.FIXTURE_REVISION + "$")
        return sets[0]

    def interrupt_during_run(self, signum, env=None):
        """Starts lab.py with a slow run, signals it once the run has started; returns
        (exit status, the fake rcbench's pid)."""
        proc = subprocess.Popen(self.box.argv(), env=dict(self.box.env, FAKE_RCBENCH_SLEEP="60", **(env or {})),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                cwd=self.box.dir)
        child = None
        for line in proc.stdout:
            if line.startswith("FAKE RUN STARTED"):
                child = int(line.split("pid=")[1])
                break
        self.assertIsNotNone(child, "the fake run never started")
        proc.send_signal(signum)
        proc.communicate(timeout=30)
        return proc.returncode, child

    def test_complete_set_is_published_and_indexed(self):
        r = self.box.run()
        self.assertEqual(r.returncode, 0, r.stderr)
        final = self.assert_one_published()
        self.assertEqual(sorted(os.listdir(final)), EXPECTED_CONTENT)
        self.assertEqual(sorted(os.listdir(os.path.join(final, "report"))),
                         ["plots", "report.html", "report.json", "tables.csv", "tables.md"])
        self.assertTrue(filecmp.cmp(os.path.join(final, "run.json"), support.RUN_FIXTURE, shallow=False))
        self.assertEqual(self.box.staging_folders(), [])

        env = support.environment_of(final)
        self.assertEqual(len(env["checks"]), 7)
        self.assertEqual(env["warnings"], [])
        self.assertEqual(env["options"]["warnings_policy"], "default")
        self.assertEqual(env["rcbench_version"], "0.1.0 (fake)")
        self.assertEqual(env["uname"]["sysname"], os.uname().sysname)
        run_cmd = [c for c in env["commands"] if c["stage"] == "run"]
        self.assertEqual(len(run_cmd), 1)
        self.assertEqual(run_cmd[0]["argv"][1:4], ["run", "--profile", "quick"])
        self.assertEqual(run_cmd[0]["exit_code"], 0)
        with open(os.path.join(final, "command.txt")) as f:
            command = f.read()
        self.assertIn("lab.py --rcbench", command)
        self.assertIn("run --profile quick --out", command)

        with open(os.path.join(self.box.results, "README.md")) as f:
            readme = f.read()
        rel = os.path.relpath(final, self.box.results)
        self.assertIn(f"[{support.FIXTURE_SHAPE}]({rel}/report/tables.md)", readme)

    def test_a_budget_goes_to_rcbench_run(self):
        r = self.box.run("--budget", "20m")
        self.assertEqual(r.returncode, 0, r.stderr)
        env = support.environment_of(self.assert_one_published())
        self.assertEqual(env["options"]["budget"], "20m")
        run_cmd = [c for c in env["commands"] if c["stage"] == "run"]
        self.assertEqual(run_cmd[0]["argv"][-2:], ["--budget", "20m"])

    def test_no_index_publishes_the_set_and_leaves_the_index_alone(self):
        r = self.box.run("--no-index")
        self.assertEqual(r.returncode, 0, r.stderr)
        env = support.environment_of(self.assert_one_published())
        self.assertTrue(env["options"]["no_index"])
        self.assertFalse(os.path.exists(os.path.join(self.box.results, "README.md")))
        self.assertIn("index: not rebuilt (--no-index)", r.stdout)
        # An index that exists (another fleet job's gather wrote it) is not touched either
        # (a fresh results folder: two sets of one shape in one second would collide).
        other = support.LabSandbox()
        self.addCleanup(other.cleanup)
        readme = os.path.join(other.results, "README.md")
        support.write_tree(other.results, {"README.md": "the gather step's index\n"})
        r = other.run("--no-index")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(len(other.published()), 1)
        with open(readme) as f:
            self.assertEqual(f.read(), "the gather step's index\n")

    def test_a_bad_budget_stops_before_anything_is_made(self):
        r = self.box.run("--budget", "soon")
        self.assertEqual(r.returncode, 2)
        self.assertIn("--budget 'soon': expected a duration", r.stderr)
        self.assertEqual(self.box.staging_folders(), [])

    def test_warnings_are_recorded_by_default(self):
        support.write_tree(self.box.root, {
            "sys/devices/system/cpu/cpu0/cpufreq/scaling_governor": "powersave\n",
            "proc/loadavg": "3.50 3.00 2.00 4/300 999\n"})
        r = self.box.run("--accept-warnings")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("proceeding with 2 warning(s)", r.stdout)
        env = support.environment_of(self.assert_one_published())
        self.assertEqual(env["warnings"], ["governor", "load"])
        self.assertEqual(env["options"]["warnings_policy"], "accept-warnings")
        with open(os.path.join(self.box.results, "README.md")) as f:
            self.assertIn("| governor, load |", f.read())

    def test_strict_refuses_with_the_list_and_writes_nothing(self):
        support.write_tree(self.box.root, {"proc/cpuinfo": "processor\t: 0\nflags\t\t: hypervisor\n"})
        r = self.box.run("--strict")
        self.assertEqual(r.returncode, 3)
        self.assertIn("virtual_machine", r.stderr)
        self.assertIn("hypervisor", r.stderr)
        self.assertFalse(os.path.exists(self.box.results))
        self.assertEqual(self.box.calls_made(), [])

    def test_strict_runs_on_a_quiet_machine(self):
        self.assertEqual(self.box.run("--strict").returncode, 0)
        self.assert_one_published()

    def test_interrupt_leaves_status_and_resume_finishes(self):
        code, child = self.interrupt_during_run(signal.SIGINT)
        self.assertEqual(code, 128 + signal.SIGINT)
        with self.assertRaises(ProcessLookupError):
            os.kill(child, 0)   # the run was stopped, not left running
        self.assertEqual(self.box.published(), [])
        [staging] = self.box.staging_folders()
        self.assertEqual(sorted(os.listdir(staging)), ["STATUS", "environment.json", "run.log", "topology.xml"])
        status = self.status_of(staging)
        self.assertIn("state: interrupted by SIGINT during stage 'run'", status)
        self.assertIn("missing: run, report, publish", status)
        shown = os.path.relpath(staging, self.box.dir)   # as typed from where lab.py ran
        self.assertIn(f"--resume {shown}", status)
        self.assertIn(f"--clean {shown}", status)

        calls_before = len(self.box.calls_made())
        r = self.box.run("--resume", staging, bare=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.box.calls_made()[calls_before:], ["run", "report"])
        final = self.assert_one_published()
        self.assertEqual(sorted(os.listdir(final)), EXPECTED_CONTENT)
        self.assertEqual(self.box.staging_folders(), [])
        self.assertEqual(len(support.environment_of(final)["resumes"]), 1)

    def test_resume_continues_the_run_from_its_journal(self):
        # rcbench keeps run.json.journal when stopped after some benchmarks: the resumed
        # stage hands it to `rcbench run --resume` instead of starting the run over.
        code, _ = self.interrupt_during_run(signal.SIGINT, env={"FAKE_RCBENCH_JOURNAL": "1"})
        self.assertEqual(code, 128 + signal.SIGINT)
        [staging] = self.box.staging_folders()
        journal = os.path.join(staging, "run.json.journal")
        self.assertTrue(os.path.exists(journal), "the stage's cleanup removed the journal")
        calls_before = len(self.box.calls_made())
        r = self.box.run("--resume", staging, bare=True, env={"FAKE_RCBENCH_JOURNAL": "1"})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.box.calls_made()[calls_before:], ["run", "report"])
        with open(self.box.calls) as f:
            runs = [json.loads(line) for line in f if json.loads(line)[0] == "run"]
        self.assertEqual(runs[-1], ["run", "--resume", journal])
        final = self.assert_one_published()
        self.assertEqual(sorted(os.listdir(final)), EXPECTED_CONTENT)

    def test_sigterm_then_clean(self):
        code, _ = self.interrupt_during_run(signal.SIGTERM)
        self.assertEqual(code, 128 + signal.SIGTERM)
        [staging] = self.box.staging_folders()
        self.assertIn("interrupted by SIGTERM", self.status_of(staging))
        r = self.box.run("--clean", staging, bare=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.box.staging_folders(), [])
        self.assertEqual(self.box.published(), [])

    def test_failed_report_leaves_no_half_report_and_resume_never_overwrites(self):
        r = self.box.run(env={"FAKE_RCBENCH_FAIL": "report"})
        self.assertEqual(r.returncode, 4)
        [staging] = self.box.staging_folders()
        self.assertNotIn("report", os.listdir(staging))
        self.assertNotIn("report.partial", os.listdir(staging))
        self.assertIn("failed during stage 'report'", self.status_of(staging))

        # Someone else's set already sits where this one would go: it is kept, and the
        # resumed set is published beside it under the next free name.
        stamp = support.environment_of(staging)["stamp"]
        final = os.path.join(self.box.results, support.FIXTURE_SHAPE,
                             f"{stamp}-{support.HOST}-{support.FIXTURE_REVISION}")
        support.write_tree(final, {"run.json": "earlier\n"})
        r = self.box.run("--resume", staging, bare=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(os.listdir(final), ["run.json"])
        with open(os.path.join(final, "run.json")) as f:
            self.assertEqual(f.read(), "earlier\n")
        self.assertEqual(self.box.staging_folders(), [])
        self.assertIn("report", os.listdir(final + "-2"))
        self.assertIn(f"published {os.path.relpath(final + '-2', self.box.dir)}", r.stdout)

    def test_resume_refuses_a_changed_binary(self):
        fake = os.path.join(self.box.dir, "rcbench")
        shutil.copy(support.FAKE_RCBENCH, fake)
        argv = self.box.argv()
        argv[argv.index(support.FAKE_RCBENCH)] = fake
        r = subprocess.run(argv, env=dict(self.box.env, FAKE_RCBENCH_FAIL="run"), capture_output=True)
        self.assertEqual(r.returncode, 4)
        [staging] = self.box.staging_folders()
        with open(fake, "a") as f:
            f.write("# rebuilt\n")
        r = self.box.run("--resume", staging, bare=True)
        self.assertEqual(r.returncode, 2)
        self.assertIn("changed since this set was started", r.stderr)
        self.assertEqual(self.box.published(), [])

    def test_run_with_benchmark_errors_is_published_with_exit_4(self):
        r = self.box.run(env={"FAKE_RCBENCH_RUN_EXIT": "4"})
        self.assertEqual(r.returncode, 4)
        self.assertEqual(support.environment_of(self.assert_one_published())["run_exit_code"], 4)

    def test_clean_refuses_what_is_not_a_staging_folder(self):
        precious = os.path.join(self.box.dir, "precious")
        support.write_tree(precious, {"run.json": "{}"})
        r = self.box.run("--clean", precious, bare=True)
        self.assertEqual(r.returncode, 2)
        self.assertTrue(os.path.isfile(os.path.join(precious, "run.json")))


if __name__ == "__main__":
    unittest.main()
