"""Where a result set goes: the machine-shape name, the run folder (with the host), and
the one-step publication that never overwrites, also when publishers race."""
import json
import os
import subprocess
import sys
import tempfile
import threading
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
            self.assertEqual(lab_env.machine_id_of_run(run), lab.final_folder("/r", run, "T", "h", "x").split("/")[2])

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

    def test_shape_date_host_revision(self):
        self.assertEqual(lab.final_folder("/r", self.RUN, "20250314T092653Z", "node-a1", "fallback"),
                         "/r/1pkg-1numa-1l3-2c-2pu-AMD-EPYC/20250314T092653Z-node-a1-e53f485-dirty")

    def test_unknown_revision_uses_fallback(self):
        run = {"rcbench": dict(self.RUN["rcbench"], build={"git_revision": "unknown"})}
        self.assertTrue(lab.final_folder("/r", run, "20250314T092653Z", "h", "abc123").endswith(
            "/20250314T092653Z-h-abc123"))

    def test_host_is_sanitised_into_the_name(self):
        folder = lab.final_folder("/r", self.RUN, "20250314T092653Z", "lab box/../x", "f")
        self.assertEqual(os.path.dirname(folder), "/r/1pkg-1numa-1l3-2c-2pu-AMD-EPYC")
        self.assertEqual(os.path.basename(folder), "20250314T092653Z-lab-box-..-x-e53f485-dirty")


class HostNameTest(unittest.TestCase):
    def test_slurm_node_name_first(self):
        self.assertEqual(lab_env.host_name({"SLURMD_NODENAME": "nodeA"}), "nodeA")

    def test_short_host_name_outside_slurm(self):
        expected = lab_env.sanitize(os.uname().nodename.split(".")[0])
        self.assertEqual(lab_env.host_name({}), expected)

    def test_domain_and_odd_characters_are_dropped(self):
        self.assertEqual(lab_env.host_name({"SLURMD_NODENAME": "gpu_07.cluster.example.org"}), "gpu-07")
        self.assertEqual(lab_env.host_name({"SLURMD_NODENAME": "../../etc"}), "unknown")
        self.assertRegex(lab_env.host_name({"SLURMD_NODENAME": "a b/c\\d"}), r"^[A-Za-z0-9-]+$")


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

    def test_rename_returns_the_name_it_got(self):
        self.assertEqual(lab.publish(self.staging.path, self.final), self.final)

    def test_existing_final_folder_is_kept_and_the_new_set_gets_a_suffix(self):
        support.write_tree(self.final, {"run.json": "the earlier set\n"})
        got = lab.publish(self.staging.path, self.final)
        self.assertEqual(got, self.final + "-2")
        with open(os.path.join(self.final, "run.json")) as f:
            self.assertEqual(f.read(), "the earlier set\n")
        self.assertEqual(sorted(os.listdir(self.final)), ["run.json"])
        self.assertTrue(os.path.isfile(os.path.join(got, "report", "tables.md")))
        self.assertFalse(os.path.exists(self.staging.path))

    def test_an_empty_folder_of_that_name_is_not_taken_over(self):
        # It may be another publisher's reservation, about to be renamed onto.
        os.makedirs(self.final)
        support.write_tree(self.final + "-2", {"run.json": "{}\n"})
        self.assertEqual(lab.publish(self.staging.path, self.final), self.final + "-3")
        self.assertEqual(os.listdir(self.final), [])

    def test_every_name_taken_is_refused_and_nothing_changes(self):
        os.makedirs(self.final)
        for n in range(2, lab.PUBLISH_ATTEMPTS + 1):
            os.makedirs(f"{self.final}-{n}")
        with self.assertRaises(lab.LabError) as e:
            lab.publish(self.staging.path, self.final)
        self.assertEqual(e.exception.code, lab.EXIT_USAGE)
        self.assertIn("nothing was overwritten", str(e.exception))
        self.assertTrue(os.path.isfile(os.path.join(self.staging.path, "report", "tables.md")))
        self.assertFalse(os.path.exists(f"{self.final}-{lab.PUBLISH_ATTEMPTS + 1}"))
        for n in range(2, lab.PUBLISH_ATTEMPTS + 1):
            self.assertEqual(os.listdir(f"{self.final}-{n}"), [])

    def test_racing_publishers_all_publish_under_distinct_names(self):
        # Eight finished sets renamed onto one name at once (threads: one process, so a
        # barrier can line them up): each gets its own name and keeps its own content.
        count = 8
        stagings = [self.staging]
        for i in range(1, count):
            s = lab.Staging(os.path.join(self.results, f".staging-20250314T092653Z-race{i}"))
            os.mkdir(s.path)
            stagings.append(s)
        for i, s in enumerate(stagings):
            support.write_tree(s.path, {"run.json": f"set {i}\n"})
        barrier = threading.Barrier(count)
        got, errors = {}, []

        def publisher(i):
            barrier.wait()
            try:
                got[i] = lab.publish(stagings[i].path, self.final)
            except Exception as e:   # noqa: BLE001  (reported by the assertion below)
                errors.append(e)

        threads = [threading.Thread(target=publisher, args=(i,)) for i in range(count)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
        self.assertEqual(errors, [])
        self.assertEqual(sorted(got.values()), sorted([self.final] + [f"{self.final}-{n}" for n in range(2, count + 1)]))
        for i, path in got.items():
            with open(os.path.join(path, "run.json")) as f:
                self.assertEqual(f.read(), f"set {i}\n")
        self.assertEqual([d for d in os.listdir(self.results) if d.startswith(".staging-")], [])


if __name__ == "__main__":
    unittest.main()
