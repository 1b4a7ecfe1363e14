"""Where a result set goes: the machine-shape name, the run folder, and the one-step
publication that never overwrites."""
import json
import os
import subprocess
import sys
import tempfile
import unittest

import support  # noqa: F401  (puts scripts/ on the path)
import lab
import lab_env


class ShapeNameTest(unittest.TestCase):
    def test_lab_machine(self):
        topo = {"packages": 2, "numa_nodes": 2, "l3_caches": 24, "cores": 192, "pus": 384}
        self.assertEqual(lab_env.machine_shape(topo, "AMD EPYC 9654 96-Core Processor"),
                         "2pkg-2numa-24l3-192c-384pu-AMD-EPYC-9654")

    def test_this_vm(self):
        topo = {"packages": 1, "numa_nodes": 1, "l3_caches": 1, "cores": 2, "pus": 2}
        self.assertEqual(lab_env.machine_shape(topo, "AMD EPYC"), "1pkg-1numa-1l3-2c-2pu-AMD-EPYC")

    def test_intel_marks_and_clock_are_dropped(self):
        self.assertEqual(lab_env.cpu_short_name("Intel(R) Xeon(R) Platinum 8480+ CPU @ 2.00GHz"),
                         "Intel-Xeon-Platinum-8480")

    def test_only_safe_characters(self):
        name = lab_env.machine_shape({"packages": 1}, "Weird/CPU name; rm -rf * ..")
        self.assertRegex(name, r"^[A-Za-z0-9.-]+$")
        self.assertNotIn("/", name)
        self.assertTrue(name.startswith("1pkg-xnuma-xl3-xc-xpu-"))

    def test_missing_cpu_model(self):
        self.assertTrue(lab_env.machine_shape({}, "").endswith("-unknown-cpu"))

    def test_one_name_for_lab_and_gate(self):
        # The gate files its baselines under the name lab.py files result sets under,
        # taken from the same run facts: the stored gate baseline of this VM class is
        # in the folder its own runs name.
        folder = os.path.join(os.path.dirname(__file__), "..", "..", "results", "baselines")
        for name in sorted(os.listdir(folder)):
            path = os.path.join(folder, name, "gate-1.json")
            if not os.path.exists(path):
                continue
            with open(path, encoding="utf-8") as f:
                run = json.load(f)
            self.assertEqual(lab_env.machine_id_of_run(run), name, path)
            self.assertEqual(lab_env.machine_id_of_run(run), lab.final_folder("/r", run, "T", "x").split("/")[2])

    def test_machine_id_command(self):
        path = os.path.join(tempfile.mkdtemp(), "run.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(FinalFolderTest.RUN, f)
        script = os.path.join(os.path.dirname(__file__), "..", "..", "scripts", "lab_env.py")
        out = subprocess.run([sys.executable, script, "machine-id", path], capture_output=True, text=True)
        self.assertEqual((out.returncode, out.stdout.strip()), (0, "1pkg-1numa-1l3-2c-2pu-AMD-EPYC"))
        bad = subprocess.run([sys.executable, script, "machine-id", path + ".missing"], capture_output=True, text=True)
        self.assertEqual(bad.returncode, 2)
        self.assertIn("cannot read", bad.stderr)


class FinalFolderTest(unittest.TestCase):
    RUN = {"rcbench": {"machine": {"cpu_model": "AMD EPYC", "topology": {
        "packages": 1, "numa_nodes": 1, "l3_caches": 1, "cores": 2, "pus": 2}},
        "build": {"git_revision": "e53f485-dirty"}}}

    def test_shape_date_revision(self):
        self.assertEqual(lab.final_folder("/r", self.RUN, "20250314T092653Z", "fallback"),
                         "/r/1pkg-1numa-1l3-2c-2pu-AMD-EPYC/20250314T092653Z-e53f485-dirty")

    def test_unknown_revision_uses_fallback(self):
        run = {"rcbench": dict(self.RUN["rcbench"], build={"git_revision": "unknown"})}
        self.assertTrue(lab.final_folder("/r", run, "20250314T092653Z", "abc123").endswith(
            "/20250314T092653Z-abc123"))


class PublishTest(unittest.TestCase):
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory()
        self.results = self._tmp.name
        self.staging = lab.Staging.create(self.results, "20250314T092653Z")
        support.write_tree(self.staging.path, {"run.json": "{}\n", "report/tables.md": "t\n"})
        self.final = os.path.join(self.results, "shape", "20250314T092653Z-rev")

    def tearDown(self):
        self._tmp.cleanup()

    def test_staging_is_hidden_and_unique(self):
        name = os.path.basename(self.staging.path)
        self.assertTrue(name.startswith(".staging-20250314T092653Z-"))
        with self.assertRaises(FileExistsError):
            os.mkdir(self.staging.path)

    def test_rename_moves_everything(self):
        lab.publish(self.staging.path, self.final)
        self.assertFalse(os.path.exists(self.staging.path))
        self.assertTrue(os.path.isfile(os.path.join(self.final, "report", "tables.md")))

    def test_existing_final_folder_is_refused_and_nothing_changes(self):
        support.write_tree(self.final, {"run.json": "the earlier set\n"})
        with self.assertRaises(lab.LabError) as e:
            lab.publish(self.staging.path, self.final)
        self.assertEqual(e.exception.code, lab.EXIT_USAGE)
        self.assertIn("never overwritten", str(e.exception))
        with open(os.path.join(self.final, "run.json")) as f:
            self.assertEqual(f.read(), "the earlier set\n")
        self.assertEqual(sorted(os.listdir(self.final)), ["run.json"])
        self.assertTrue(os.path.isfile(os.path.join(self.staging.path, "report", "tables.md")))

    def test_existing_empty_final_folder_is_refused_too(self):
        os.makedirs(self.final)
        with self.assertRaises(lab.LabError):
            lab.publish(self.staging.path, self.final)
        self.assertEqual(os.listdir(self.final), [])
        self.assertTrue(os.path.isdir(self.staging.path))


if __name__ == "__main__":
    unittest.main()
