"""scripts/fleet.py against fake Slurm commands (fake_slurm.py) and real lab.py sets
made with the fake rcbench: the sbatch command lines, bad input, gather (a missing node
type, name clashes, the index, the manifest), status. The real Slurm test is
scripts/ci-slurm.sh."""
import json
import os
import shutil
import subprocess
import tempfile
import unittest

import support

FLEET = os.path.join(support.SCRIPTS, "fleet.py")
FAKE_SLURM = os.path.join(support.HERE, "fake_slurm.py")


class FleetTest(unittest.TestCase):
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="rcbench-fleet-test-")
        self.dir = self._tmp.name
        self.results = os.path.join(self.dir, "results")
        self.state = os.path.join(self.dir, "slurm")
        self.bin = os.path.join(self.dir, "bin")
        for d in (self.results, self.state, self.bin, os.path.join(self.state, "jobs")):
            os.makedirs(d)
        for name in ("sbatch", "sinfo", "scontrol"):
            os.symlink(FAKE_SLURM, os.path.join(self.bin, name))
        support.write_tree(self.state, {"partitions": "typeA\ntypeB\n", "nodes": "n1\n",
                                        "features": "avx512\nsve\n"})
        self.env = dict(os.environ, PATH=self.bin, FAKE_SLURM_DIR=self.state, PYTHONDONTWRITEBYTECODE="1")

    def tearDown(self):
        self._tmp.cleanup()

    def fleet(self, *args, env=None):
        return subprocess.run([support.PYTHON, FLEET, *args], env=dict(self.env, **(env or {})),
                              capture_output=True, text=True, timeout=60, cwd=self.dir)

    def submit(self, *extra, env=None):
        return self.fleet("submit", "--results-dir", self.results, "--profile", "quick", "--time", "2:00:00",
                          "--fleet-dir", os.path.join(self.dir, "fleet"), *extra, env=env)

    def sbatch_calls(self):
        with open(os.path.join(self.state, "calls.jsonl")) as f:
            return [c[1:] for c in map(json.loads, f) if c[0] == "sbatch"]

    def manifest(self):
        with open(os.path.join(self.dir, "fleet", "fleet.json")) as f:
            return json.load(f)

    def set_job(self, job_id, **fields):
        with open(os.path.join(self.state, "jobs", f"{job_id}.json"), "w") as f:
            json.dump(fields, f)

    def lab_set(self, type_name, *extra):
        """Runs the real lab.py (fake rcbench) into a node type's job folder, as the job does."""
        box = support.LabSandbox()
        self.addCleanup(box.cleanup)
        argv = box.argv("--no-index", *extra)
        argv[argv.index("--results-dir") + 1] = os.path.join(self.dir, "fleet", type_name, "results")
        r = subprocess.run(argv, env=box.env, capture_output=True, text=True, timeout=60, cwd=box.dir)
        return r

    # --- submit --------------------------------------------------------------------

    def test_submit_queues_one_exclusive_job_per_type_then_a_dependent_gather(self):
        r = self.submit("--type", "zen4=partition:typeA", "--type", "spr=constraint:avx512",
                        "--type", "one=nodes:n1", "--budget", "20m", "--rcbench", "/opt/rcbench")
        self.assertEqual(r.returncode, 0, r.stderr)
        calls = self.sbatch_calls()
        self.assertEqual(len(calls), 4)
        fleet = os.path.join(self.dir, "fleet")
        for argv, name, select in zip(calls, ["zen4", "spr", "one"],
                                      ["--partition=typeA", "--constraint=avx512", "--nodelist=n1"]):
            for flag in ("--exclusive", "--mem=0", "--time=2:00:00", "--signal=B:TERM@120",
                         f"--job-name=rcbench-fleet-{name}", select,
                         f"--output={fleet}/{name}/slurm-%j.out"):
                self.assertIn(flag, argv)
            self.assertEqual(argv[-1], os.path.join(fleet, name, "job.sh"))
            with open(argv[-1]) as f:
                script = f.read()
            self.assertIn(f"exec /usr/bin/python3 {support.SCRIPTS}/lab.py --profile quick --no-index "
                          f"--results-dir {fleet}/{name}/results --budget 20m --rcbench /opt/rcbench\n", script)
            self.assertNotIn("srun", script)   # rcbench pins its own threads
        gather = calls[3]
        self.assertIn("--dependency=afterany:101:102:103", gather)
        self.assertNotIn("--exclusive", gather)
        self.assertTrue(gather[-1].startswith("--wrap=") and f"fleet.py gather {fleet}" in gather[-1], gather)
        m = self.manifest()
        self.assertEqual([(t["name"], t["job_id"]) for t in m["types"]], [("zen4", "101"), ("spr", "102"), ("one", "103")])
        self.assertEqual(m["gather"]["job_id"], "104")
        self.assertEqual(m["results_dir"], self.results)

    def test_without_rcbench_the_job_builds_on_the_node_in_its_own_folder(self):
        r = self.submit("--type", "A=partition:typeA", "--type", "B=partition:typeB",
                        "--rcbench", f"B={self.dir}/rcbench-b")
        self.assertEqual(r.returncode, 0, r.stderr)
        fleet = os.path.join(self.dir, "fleet")
        with open(os.path.join(fleet, "A", "job.sh")) as f:
            a = f.read()
        with open(os.path.join(fleet, "B", "job.sh")) as f:
            b = f.read()
        self.assertIn(f"cmake --preset release -B {fleet}/A/build", a)
        self.assertIn(f"--rcbench {fleet}/A/build/cli/rcbench\n", a)
        self.assertNotIn("cmake", b)
        self.assertIn(f"--rcbench {self.dir}/rcbench-b\n", b)

    def test_dry_run_prints_and_submits_nothing(self):
        r = self.submit("--type", "A=partition:typeA", "--dry-run")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("sbatch --parsable --exclusive --mem=0", r.stdout)
        self.assertIn("--dependency=afterany:<ids>", r.stdout)
        self.assertFalse(os.path.exists(os.path.join(self.state, "calls.jsonl")))
        self.assertFalse(os.path.exists(os.path.join(self.dir, "fleet")))

    def assert_refused(self, r, *reason):
        self.assertEqual(r.returncode, 2, r.stderr)
        for text in reason:
            self.assertIn(text, r.stderr)
        calls = os.path.join(self.state, "calls.jsonl")
        if os.path.exists(calls):
            self.assertEqual(self.sbatch_calls(), [])
        self.assertFalse(os.path.exists(os.path.join(self.dir, "fleet")))
        self.assertEqual(os.listdir(self.results), [])

    def test_bad_input_exits_2_with_the_reason_and_submits_nothing(self):
        self.assert_refused(self.submit("--type", "A=typeA"), "--type 'A=typeA': expected NAME=partition:P")
        self.assert_refused(self.submit("--type", "A=queue:typeA"), "expected NAME=partition:P")
        self.assert_refused(self.submit("--type", "=partition:typeA"), "expected NAME=partition:P")
        self.assert_refused(self.submit("--type", "A=partition:typeA", "--type", "A=partition:typeB"),
                            "given twice")
        self.assert_refused(self.submit("--type", "A=partition:typeZ"), "unknown partition 'typeZ'")
        self.assert_refused(self.submit("--type", "A=constraint:avx9"), "feature(s) avx9 on no node")
        self.assert_refused(self.submit("--type", "A=nodes:n9"), "unknown node(s) 'n9'")
        self.assert_refused(self.submit("--type", "A=partition:typeA", "--time", "soon"), "--time 'soon'")
        self.assert_refused(self.submit("--type", "A=partition:typeA", "--rcbench", "C=/x"),
                            "no node type named 'C'")
        self.assert_refused(self.fleet("submit", "--results-dir", os.path.join(self.dir, "nowhere"),
                                       "--type", "A=partition:typeA"), "nowhere: no such folder")
        empty = os.path.join(self.dir, "empty-bin")
        os.mkdir(empty)
        self.assert_refused(self.submit("--type", "A=partition:typeA", env={"PATH": empty}),
                            "no sbatch, sinfo, scontrol on PATH")

    # --- gather --------------------------------------------------------------------

    def test_gather_moves_the_sets_writes_the_manifest_and_exits_1_for_a_missing_type(self):
        self.assertEqual(self.submit("--type", "A=partition:typeA", "--type", "B=partition:typeB",
                                     "--type", "C=partition:typeB", "--rcbench", "/opt/rcbench").returncode, 0)
        self.assertEqual(self.lab_set("A").returncode, 0)
        # B: stopped during the run, as scancel or the time limit leaves it.
        support.write_tree(os.path.join(self.dir, "fleet", "B", "results", ".staging-20260101T000000Z-7"), {
            "STATUS": "state: interrupted by SIGTERM during stage 'run'\n"
                      "resume: scripts/lab.py --resume /x/.staging-20260101T000000Z-7   (re-runs only what is missing)\n"})
        # C: failed before lab.py made anything; slurmctld has forgotten the job.
        support.write_tree(os.path.join(self.dir, "fleet", "C"), {
            "slurm-103.out": "fleet: job 103 on host\nlab: error: /opt/rcbench is not an executable\n"})
        self.set_job(101, JobState="COMPLETED", NodeList="nodeA", Partition="typeA", ExitCode="0:0")
        self.set_job(102, JobState="CANCELLED", NodeList="nodeB", Partition="typeB", ExitCode="0:15")
        r = self.fleet("gather", os.path.join(self.dir, "fleet"))
        self.assertEqual(r.returncode, 1, r.stderr)
        g = self.manifest()["gathered"]
        self.assertEqual((g["sets"], g["missing"]), (1, 2))
        a, b, c = g["entries"]
        self.assertEqual((a["type"], a["job_id"], a["node"], a["partition"], a["state"]),
                         ("A", "101", "nodeA", "typeA", "COMPLETED"))
        self.assertEqual(os.path.dirname(a["set"]), os.path.join(self.results, support.FIXTURE_SHAPE))
        self.assertTrue(os.path.isfile(os.path.join(a["set"], "run.json")))
        self.assertEqual(os.listdir(os.path.join(self.dir, "fleet", "A", "results", support.FIXTURE_SHAPE)), [])
        self.assertNotIn("set", b)
        self.assertIn("job CANCELLED (exit 0:15)", b["missing"])
        self.assertIn("interrupted by SIGTERM during stage 'run'", b["missing"])
        self.assertIn("resume: scripts/lab.py --resume /x/.staging-20260101T000000Z-7", b["missing"])
        self.assertEqual(c["state"], "UNKNOWN")
        self.assertIn("slurmctld no longer knows job 103", c["missing"])
        self.assertIn("last output: lab: error: /opt/rcbench is not an executable", c["missing"])
        with open(os.path.join(self.results, "README.md")) as f:
            self.assertIn(os.path.relpath(a["set"], self.results), f.read())
        self.assertIn("gathered 1 of 3 node types", r.stdout)

        # status reads the same states.
        s = self.fleet("status", os.path.join(self.dir, "fleet"))
        self.assertEqual(s.returncode, 0, s.stderr)
        self.assertIn("A: job 101 COMPLETED on nodeA", s.stdout)
        self.assertIn("B: job 102 CANCELLED on nodeB", s.stdout)
        self.assertIn("C: job 103 UNKNOWN", s.stdout)

    def test_name_clashes_get_the_type_appended_and_nothing_is_overwritten(self):
        self.assertEqual(self.submit("--type", "A=partition:typeA", "--type", "B=partition:typeB",
                                     "--rcbench", "/opt/rcbench").returncode, 0)
        self.assertEqual(self.lab_set("A").returncode, 0)
        run = os.listdir(os.path.join(self.dir, "fleet", "A", "results", support.FIXTURE_SHAPE))[0]
        # B: one machine of the same shape, published in the same second (a copy of A's set).
        shutil.copytree(os.path.join(self.dir, "fleet", "A", "results", support.FIXTURE_SHAPE, run),
                        os.path.join(self.dir, "fleet", "B", "results", support.FIXTURE_SHAPE, run))
        # And a set of that name already in the shared results folder.
        existing = os.path.join(self.results, support.FIXTURE_SHAPE, run)
        support.write_tree(existing, {"run.json": "{}\n", "mine.txt": "do not touch\n"})
        for job_id in (101, 102):
            self.set_job(job_id, JobState="COMPLETED", NodeList=f"n{job_id}", Partition="typeA", ExitCode="0:0")
        r = self.fleet("gather", os.path.join(self.dir, "fleet"))
        self.assertEqual(r.returncode, 0, r.stderr)
        a, b = self.manifest()["gathered"]["entries"]
        self.assertEqual(a["set"], existing + "-A")
        self.assertEqual(b["set"], existing + "-B")
        with open(os.path.join(existing, "mine.txt")) as f:
            self.assertEqual(f.read(), "do not touch\n")
        self.assertEqual(sorted(os.listdir(existing)), ["mine.txt", "run.json"])
        for s in (a["set"], b["set"]):
            self.assertTrue(os.path.isfile(os.path.join(s, "environment.json")))

    def test_gather_of_what_is_not_a_fleet_folder_exits_2(self):
        r = self.fleet("gather", self.results)
        self.assertEqual(r.returncode, 2)
        self.assertIn("not a fleet folder", r.stderr)


if __name__ == "__main__":
    unittest.main()
