"""Several lab.py publishing into one results/ at once (two machines of one shape sharing
the folder, or two runs on one machine): every finished set is published under its own
name, and the index, rebuilt under a lock, lists them all."""
import fcntl
import os
import subprocess
import sys
import time
import unittest

import support
import results_index

STAMP_CLOCK = "2026-01-02T03:04:05Z"
STAMP = "20260102T030405Z"


class SameSecondTest(unittest.TestCase):
    def setUp(self):
        self.box = support.LabSandbox()
        self.base = os.path.join(self.box.results, support.FIXTURE_SHAPE,
                                 f"{STAMP}-{support.HOST}-{support.FIXTURE_REVISION}")

    def tearDown(self):
        self.box.cleanup()

    def index_text(self):
        with open(os.path.join(self.box.results, "README.md"), encoding="utf-8") as f:
            return f.read()

    def assert_indexed(self, *folders):
        text = self.index_text()
        for folder in folders:
            self.assertIn(f"]({support.FIXTURE_SHAPE}/{os.path.basename(folder)}/report/tables.md)", text)
            self.assertIn(f"`{support.FIXTURE_REVISION}`", text)
        self.assertNotIn(results_index.INDEX_LOCK, text)

    def test_two_concurrent_runs_of_one_shape_both_publish(self):
        # Started together with one start stamp and a run stage long enough that both
        # are under way at once: they then race for one final name.
        env = dict(self.box.env, FAKE_RCBENCH_SLEEP="1")
        procs = [subprocess.Popen(self.box.argv(clock=STAMP_CLOCK), env=env, cwd=self.box.dir,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(2)]
        outs = [p.communicate(timeout=60) for p in procs]
        for p, (out, err) in zip(procs, outs):
            self.assertEqual(p.returncode, 0, err)
        self.assertEqual(self.box.published(), [self.base, self.base + "-2"])
        self.assertEqual(self.box.staging_folders(), [])
        for folder in self.box.published():
            self.assertTrue(os.path.isfile(os.path.join(folder, "report", "tables.md")))
            self.assertNotIn("STATUS", os.listdir(folder))
        self.assert_indexed(self.base, self.base + "-2")
        # The lock file stays hidden in results/, never a set.
        self.assertEqual([s.run for s in results_index.find_result_sets(self.box.results)],
                         [os.path.basename(self.base), os.path.basename(self.base) + "-2"])

    def test_same_second_one_after_the_other_gets_the_next_name(self):
        for expected in [self.base, self.base + "-2", self.base + "-3"]:
            r = self.box.run(clock=STAMP_CLOCK)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn(f"published {os.path.relpath(expected, self.box.dir)}", r.stdout)
        self.assertEqual(self.box.published(), [self.base, self.base + "-2", self.base + "-3"])
        self.assert_indexed(*self.box.published())

    def test_index_rebuilt_after_a_set_and_an_old_named_set(self):
        # A set published before the host was in the name is indexed beside a new one.
        old = os.path.join(self.box.results, support.FIXTURE_SHAPE, "20250101T000000Z-abc1234-dirty")
        os.makedirs(old)
        with open(support.RUN_FIXTURE) as src, open(os.path.join(old, "run.json"), "w") as dst:
            dst.write(src.read())
        r = self.box.run(clock=STAMP_CLOCK)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual([s.run for s in results_index.find_result_sets(self.box.results)],
                         ["20250101T000000Z-abc1234-dirty", os.path.basename(self.base)])
        self.assertIn(f"]({support.FIXTURE_SHAPE}/20250101T000000Z-abc1234-dirty)", self.index_text())


class IndexLockTest(unittest.TestCase):
    """A writer of the index waits for the one before it and then reads every set."""

    def setUp(self):
        self.box = support.LabSandbox()
        os.makedirs(self.box.results)

    def tearDown(self):
        self.box.cleanup()

    def add_set(self, name):
        folder = os.path.join(self.box.results, support.FIXTURE_SHAPE, name)
        os.makedirs(folder)
        with open(support.RUN_FIXTURE) as src, open(os.path.join(folder, "run.json"), "w") as dst:
            dst.write(src.read())

    @staticmethod
    def waiting_for_a_lock(pid):
        """True once the kernel lists pid as blocked on a lock ('->' lines of /proc/locks)."""
        with open("/proc/locks") as f:
            return any("->" in line and f" {pid} " in line for line in f)

    def test_a_writer_waits_for_the_lock_and_then_sees_the_set_added_meanwhile(self):
        if not os.path.isfile("/proc/locks"):
            self.skipTest("no /proc/locks to see that the writer waits")
        self.add_set(f"{STAMP}-hostA-{support.FIXTURE_REVISION}")
        lock = os.open(os.path.join(self.box.results, results_index.INDEX_LOCK), os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(lock, fcntl.LOCK_EX)
            writer = subprocess.Popen([sys.executable, os.path.join(support.SCRIPTS, "results_index.py"),
                                       "--results-dir", self.box.results], env=self.box.env,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            deadline = time.monotonic() + 30
            while not self.waiting_for_a_lock(writer.pid):
                self.assertIsNone(writer.poll(), "the index was written while another writer held the lock")
                self.assertLess(time.monotonic(), deadline, "the writer never waited on the lock")
                time.sleep(0.02)
            # Another publisher, holding the lock, publishes its set meanwhile.
            self.add_set(f"{STAMP}-hostB-{support.FIXTURE_REVISION}")
            self.assertFalse(os.path.exists(os.path.join(self.box.results, "README.md")))
        finally:
            os.close(lock)
        out, err = writer.communicate(timeout=30)
        self.assertEqual(writer.returncode, 0, err)
        self.assertIn("2 result set(s)", out)
        with open(os.path.join(self.box.results, "README.md"), encoding="utf-8") as f:
            text = f.read()
        self.assertIn(f"{STAMP}-hostA-", text)
        self.assertIn(f"{STAMP}-hostB-", text)

    def test_new_names_give_their_revision_to_the_index(self):
        s = results_index.ResultSet("m", f"{STAMP}-node-7-{support.FIXTURE_REVISION}-dirty-3", "/x", {}, None)
        self.assertEqual(results_index._revision(s), f"{support.FIXTURE_REVISION}-dirty")
        self.assertEqual(results_index._date(s.run), "2026-01-02 03:04Z")
        old = results_index.ResultSet("m", "20250314T092653Z-1479b99c0ffe-dirty", "/x", {}, None)
        self.assertEqual(results_index._revision(old), "1479b99c0ffe-dirty")
        old = results_index.ResultSet("m", "20240102T030405Z-abc1234", "/x", {}, None)
        self.assertEqual(results_index._revision(old), "abc1234")


if __name__ == "__main__":
    unittest.main()
