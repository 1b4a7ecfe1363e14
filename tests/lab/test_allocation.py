"""What lab.py records about where it ran: the Slurm job (when there is one) and the CPUs
the process was allowed, in the set's environment.json (and per --resume)."""
import os
import subprocess
import unittest

import support
import lab_env

SLURM_JOB = {
    "SLURM_JOB_ID": "4242", "SLURM_ARRAY_JOB_ID": "4240", "SLURM_ARRAY_TASK_ID": "2",
    "SLURM_STEP_ID": "0", "SLURM_JOB_NAME": "rcbench-lab-typeA", "SLURMD_NODENAME": "nodeA",
    "SLURM_JOB_PARTITION": "typeA", "SLURM_CPUS_ON_NODE": "2",
}


class CpuListTest(unittest.TestCase):
    def test_runs_and_singles(self):
        self.assertEqual(lab_env.format_cpu_list([8, 0, 1, 2, 3, 10, 11]), "0-3,8,10-11")
        self.assertEqual(lab_env.format_cpu_list({5}), "5")
        self.assertEqual(lab_env.format_cpu_list([]), "")

    def test_round_trip_with_the_parser(self):
        for text in ["0", "0-1", "0-3,8", "1,3,5-7,64-127"]:
            self.assertEqual(lab_env.format_cpu_list(lab_env.parse_cpu_list(text)), text)

    def test_allowed_cpus_is_this_process_mask(self):
        self.assertEqual(lab_env.parse_cpu_list(lab_env.allowed_cpus()), sorted(os.sched_getaffinity(0)))


class SlurmAllocationTest(unittest.TestCase):
    def test_outside_slurm_is_none(self):
        self.assertIsNone(lab_env.slurm_allocation({}))
        # A node name alone (a login shell on a node) is not a job.
        self.assertIsNone(lab_env.slurm_allocation({"SLURMD_NODENAME": "nodeA"}))

    def test_every_field_read(self):
        self.assertEqual(lab_env.slurm_allocation(SLURM_JOB), {
            "job_id": "4242", "array_job_id": "4240", "array_task_id": "2", "step_id": "0",
            "job_name": "rcbench-lab-typeA", "node": "nodeA", "partition": "typeA", "cpus_on_node": 2})

    def test_absent_fields_are_null(self):
        got = lab_env.slurm_allocation({"SLURM_JOB_ID": "7", "SLURM_CPUS_ON_NODE": "many"})
        self.assertEqual(got["job_id"], "7")
        self.assertEqual(set(got), set(lab_env.SLURM_FIELDS))
        self.assertEqual([k for k, v in got.items() if v is not None], ["job_id"])


class RecordedInTheSetTest(unittest.TestCase):
    def setUp(self):
        self.box = support.LabSandbox()

    def tearDown(self):
        self.box.cleanup()

    def test_a_slurm_job_is_recorded_and_names_the_set(self):
        r = self.box.run(env=SLURM_JOB)
        self.assertEqual(r.returncode, 0, r.stderr)
        [final] = self.box.published()
        self.assertRegex(os.path.basename(final), r"^\d{8}T\d{6}Z-nodeA-" + support.FIXTURE_REVISION + "$")
        env = support.environment_of(final)
        self.assertEqual(env["slurm"], lab_env.slurm_allocation(SLURM_JOB))
        self.assertEqual(env["host"], "nodeA")

    def test_outside_slurm_it_is_null(self):
        r = self.box.run()
        self.assertEqual(r.returncode, 0, r.stderr)
        [final] = self.box.published()
        env = support.environment_of(final)
        self.assertIn("slurm", env)
        self.assertIsNone(env["slurm"])
        self.assertEqual(env["host"], support.HOST)

    def test_the_allowed_cpuset_is_recorded(self):
        # lab.py started on one CPU (as taskset or a one-CPU allocation would): it must
        # record that mask, not the machine's CPUs.
        cpu = min(os.sched_getaffinity(0))
        r = subprocess.run(self.box.argv(), env=self.box.env, capture_output=True, text=True, timeout=60,
                           cwd=self.box.dir, preexec_fn=lambda: os.sched_setaffinity(0, {cpu}))
        self.assertEqual(r.returncode, 0, r.stderr)
        [final] = self.box.published()
        self.assertEqual(support.environment_of(final)["allowed_cpus"], str(cpu))

    def test_a_resume_records_its_own_job(self):
        r = self.box.run(env={"FAKE_RCBENCH_FAIL": "report"})
        self.assertEqual(r.returncode, 4)
        [staging] = self.box.staging_folders()
        resumed_in = dict(SLURM_JOB, SLURM_JOB_ID="4300", SLURMD_NODENAME="nodeB")
        r = subprocess.run([support.PYTHON, os.path.join(support.SCRIPTS, "lab.py"), "--resume", staging],
                           env=dict(self.box.env, **resumed_in), capture_output=True, text=True, timeout=60,
                           cwd=self.box.dir)
        self.assertEqual(r.returncode, 0, r.stderr)
        [final] = self.box.published()
        env = support.environment_of(final)
        self.assertIsNone(env["slurm"])   # where the set was started
        self.assertEqual(env["resumes"][0]["slurm"]["job_id"], "4300")
        self.assertEqual(env["resumes"][0]["allowed_cpus"], lab_env.allowed_cpus())
        # The set keeps the name of the host it was started on.
        self.assertIn(f"-{support.HOST}-", os.path.basename(final))


if __name__ == "__main__":
    unittest.main()
