"""rcbench never writes a file it was not asked to write (issue 13's reproducers).

Each test works in a temporary folder it owns. Run as root on a machine with
fs.protected_symlinks=0, the symlink tests are the real attack; as another user they
still check that the destination and its target are left alone.

Usage: python3 -m unittest test_output_safety   (RCBENCH=path/to/rcbench)
"""
import json
import os
import signal
import stat
import subprocess
import tempfile
import textwrap
import time
import unittest

from folder_state import snapshot

RCBENCH = os.environ.get("RCBENCH", "rcbench")
DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data")
COMPARE_BASE = os.path.join(DATA, "compare", "base.json")
# A real run of a handful of rows: a few tenths of a second on a loaded 2-core VM.
TINY_RUN = ["run", "--profile", "quick", "--filter", "^refcount/(atomic|gil_cpython|gil_lock|plain)/private/placement:single/",
            "--repetitions", "1", "--min-time", "0.005", "--no-counters", "--no-probes"]


def rcbench(args, cwd, timeout=60, **kw):
    return subprocess.run([RCBENCH, *args], cwd=cwd, capture_output=True, text=True, timeout=timeout, **kw)


class Folder(unittest.TestCase):
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="rcbench-safety-")
        self.dir = self._tmp.name
        self.victim = os.path.join(self.dir, "victim.txt")
        with open(self.victim, "w") as f:
            f.write("not rcbench's\n")

    def tearDown(self):
        self._tmp.cleanup()

    def path(self, name):
        return os.path.join(self.dir, name)

    def assert_victim_untouched(self):
        with open(self.victim) as f:
            self.assertEqual(f.read(), "not rcbench's\n")

    def assert_refused(self, result, *phrases):
        self.assertEqual(result.returncode, 2, result.stdout + result.stderr)
        for phrase in phrases:
            self.assertIn(phrase, result.stderr)


class RunOutput(Folder):
    def test_symlinks_planted_at_the_old_scratch_names_are_never_followed(self):
        # Before: <out>.partial-<pid>.tmp/.gbench, opened without O_EXCL|O_NOFOLLOW.
        # `exec` keeps the shell's pid, so the planted names are the ones rcbench used.
        script = 'for s in .tmp .gbench; do ln -s victim.txt "out.json.partial-$$$s"; done; exec "$0" "$@"'
        r = subprocess.run(["sh", "-c", script, RCBENCH, *TINY_RUN, "--out", "out.json"],
                           cwd=self.dir, capture_output=True, text=True, timeout=120)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assert_victim_untouched()
        self.assertTrue(stat.S_ISREG(os.lstat(self.path("out.json")).st_mode))
        with open(self.path("out.json")) as f:
            self.assertIn("benchmarks", json.load(f))
        leftovers = [n for n in os.listdir(self.dir) if n.startswith(".out.json")]
        self.assertEqual(leftovers, [], "scratch folder left behind")

    def test_force_never_replaces_a_device_or_a_fifo(self):
        # Nodes of the test's own (a regressed binary must not replace the machine's
        # /dev/full): a FIFO always, a character device like /dev/null when root.
        os.mkfifo(self.path("fifo"))
        nodes = {"fifo": ("FIFO", stat.S_ISFIFO)}
        if os.geteuid() == 0:
            os.mknod(self.path("dev-null"), 0o666 | stat.S_IFCHR, os.makedev(1, 3))
            nodes["dev-null"] = ("character device", stat.S_ISCHR)
        for name, (kind, is_kind) in nodes.items():
            r = rcbench(["run", "--profile", "quick", "--out", name, "--force"], self.dir)
            self.assert_refused(r, f"{name} is a {kind}", f"never a {kind}")
            self.assertTrue(is_kind(os.lstat(self.path(name)).st_mode), f"{name} was replaced")

    def test_force_never_replaces_a_symlink(self):
        os.symlink("victim.txt", self.path("out.json"))
        r = rcbench(["run", "--profile", "quick", "--out", "out.json", "--force"], self.dir)
        self.assert_refused(r, "out.json is a symbolic link")
        self.assertTrue(os.path.islink(self.path("out.json")))
        self.assert_victim_untouched()

    def test_a_folder_is_refused_before_the_run_starts(self):
        os.mkdir(self.path("results"))
        r = rcbench(["run", "--profile", "quick", "--out", "results", "--force"], self.dir)
        self.assert_refused(r, "results is a folder")
        self.assertNotIn("rcbench run: profile", r.stdout + r.stderr, "the suite started")

    def test_force_replaces_a_regular_file(self):
        with open(self.path("out.json"), "w") as f:
            f.write("old\n")
        r = rcbench([*TINY_RUN, "--out", "out.json", "--force"], self.dir, timeout=120)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        with open(self.path("out.json")) as f:
            self.assertIn("benchmarks", json.load(f))

    def test_sigpipe_leaves_no_scratch_files(self):
        # `rcbench run | head -1`: the pipe closes after the first line of the header.
        p = subprocess.Popen([RCBENCH, "run", "--profile", "quick", "--out", "piped.json"],
                             cwd=self.dir, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        p.stdout.readline()
        p.stdout.close()
        _, err = p.communicate(timeout=120)
        self.assertEqual(p.returncode, -signal.SIGPIPE if p.returncode < 0 else 128 + signal.SIGPIPE,
                         err.decode())
        self.assertIn("no result was written", err.decode())
        self.assertEqual(sorted(os.listdir(self.dir)), ["victim.txt"])


class TopologyExport(Folder):
    def test_existing_file_is_not_overwritten_without_force(self):
        with open(self.path("m.xml"), "w") as f:
            f.write("mine\n")
        r = rcbench(["topology", "--export-xml", "m.xml"], self.dir)
        self.assert_refused(r, "m.xml exists")
        with open(self.path("m.xml")) as f:
            self.assertEqual(f.read(), "mine\n")

    def test_symlink_is_not_followed_even_with_force(self):
        os.symlink("victim.txt", self.path("m.xml"))
        r = rcbench(["topology", "--export-xml", "m.xml", "--force"], self.dir)
        self.assert_refused(r, "m.xml is a symbolic link")
        self.assert_victim_untouched()

    def test_writes_a_new_file_and_nothing_else(self):
        r = rcbench(["topology", "--export-xml", "m.xml"], self.dir)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(sorted(os.listdir(self.dir)), ["m.xml", "victim.txt"])


class CompareOutputs(Folder):
    def compare(self, *extra):
        return rcbench(["compare", COMPARE_BASE, COMPARE_BASE, *extra], self.dir)

    def test_existing_outputs_are_not_overwritten(self):
        for name in ("v.json", "v.md"):
            with open(self.path(name), "w") as f:
                f.write("mine\n")
        before = snapshot(self.dir)
        self.assert_refused(self.compare("--json", "v.json"), "v.json exists")
        self.assert_refused(self.compare("--markdown", "v.md"), "v.md exists")
        self.assertEqual(snapshot(self.dir), before)

    def test_symlinks_are_not_followed(self):
        os.symlink("victim.txt", self.path("v.json"))
        self.assert_refused(self.compare("--json", "v.json", "--force"), "v.json is a symbolic link")
        self.assert_victim_untouched()

    def test_outputs_are_written_whole(self):
        r = self.compare("--json", "v.json", "--markdown", "v.md")
        self.assertIn(r.returncode, (0, 3), r.stderr)  # the verdict of a run against itself
        with open(self.path("v.json")) as f:
            json.load(f)
        self.assertEqual(sorted(os.listdir(self.dir)), ["v.json", "v.md", "victim.txt"])


class ReportInterrupted(Folder):
    """report's plotting child is replaced by a fake 'python' that the test controls."""

    def fake_python(self, body):
        path = self.path("fake-python")
        with open(path, "w") as f:
            f.write("#!/bin/sh\n" + textwrap.dedent(body))
        os.chmod(path, 0o755)
        return path

    def make_run(self):
        r = rcbench([*TINY_RUN, "--out", "run.json"], self.dir, timeout=120)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)

    def test_sigint_stops_the_plots_and_leaves_no_report(self):
        self.make_run()
        python = self.fake_python(f"""\
            echo $$ > {self.path('child.pid')}
            exec sleep 60
            """)
        p = subprocess.Popen([RCBENCH, "report", "run.json", "--out-dir", "rep", "--python", python],
                             cwd=self.dir, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 30
        while not os.path.exists(self.path("child.pid")) and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertTrue(os.path.exists(self.path("child.pid")), "the plotting child never started")
        p.send_signal(signal.SIGINT)
        _, err = p.communicate(timeout=30)
        self.assertEqual(p.returncode, 128 + signal.SIGINT, err)
        self.assertIn("no report was written", err)
        with open(self.path("child.pid")) as f:
            child = int(f.read())
        with self.assertRaises(ProcessLookupError, msg="the plotting child still runs"):
            for _ in range(100):  # reaped by rcbench; give the kernel a moment
                os.kill(child, 0)
                time.sleep(0.05)
        self.assertEqual(sorted(os.listdir(self.dir)), ["child.pid", "fake-python", "run.json", "victim.txt"])

    def test_a_report_that_appears_meanwhile_is_kept_and_the_loser_exits_2(self):
        self.make_run()
        # The "other report" appears while this one draws its plots.
        python = self.fake_python(f"""\
            mkdir {self.path('rep')} && echo theirs > {self.path('rep/report.json')}
            """)
        r = rcbench(["report", "run.json", "--out-dir", "rep", "--python", python], self.dir)
        self.assert_refused(r, "appeared while the report was written")
        with open(self.path("rep/report.json")) as f:
            self.assertEqual(f.read(), "theirs\n")
        self.assertEqual(sorted(os.listdir(self.dir)), ["fake-python", "rep", "run.json", "victim.txt"])

    def test_force_never_replaces_a_symlink_to_a_report(self):
        os.mkdir(self.path("real-report"))
        with open(self.path("real-report/.rcbench-report"), "w") as f:
            f.write("marker\n")
        os.symlink("real-report", self.path("rep"))
        self.make_run()
        r = rcbench(["report", "run.json", "--out-dir", "rep", "--force", "--formats", "json"], self.dir)
        self.assert_refused(r, "is a symbolic link")
        self.assertTrue(os.path.islink(self.path("rep")))


if __name__ == "__main__":
    unittest.main()
