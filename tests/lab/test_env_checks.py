"""The machine checks on fake sysfs/procfs trees: each finding maps to ok, warn or
unknown, and a missing file is unknown, never a guess."""
import os
import tempfile
import unittest

import support
import lab_env


class FakeRootTest(unittest.TestCase):
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory()
        self.root = self._tmp.name

    def tearDown(self):
        self._tmp.cleanup()

    def files(self, files):
        support.write_tree(self.root, files)


class GovernorTest(FakeRootTest):
    def test_performance_on_all_cpus_is_ok(self):
        self.files({f"sys/devices/system/cpu/cpu{i}/cpufreq/scaling_governor": "performance\n"
                    for i in range(4)})
        c = lab_env.check_governor(self.root)
        self.assertEqual(c.status, "ok")
        self.assertIn("performance on 4 CPU(s)", c.detail)

    def test_powersave_warns(self):
        self.files({"sys/devices/system/cpu/cpu0/cpufreq/scaling_governor": "powersave\n"})
        self.assertEqual(lab_env.check_governor(self.root).status, "warn")

    def test_one_cpu_not_performance_warns_and_is_named(self):
        self.files({"sys/devices/system/cpu/cpu0/cpufreq/scaling_governor": "performance\n",
                    "sys/devices/system/cpu/cpu1/cpufreq/scaling_governor": "schedutil\n"})
        c = lab_env.check_governor(self.root)
        self.assertEqual(c.status, "warn")
        self.assertIn("schedutil on 1 CPU(s)", c.detail)

    def test_no_cpufreq_is_unknown(self):
        self.assertEqual(lab_env.check_governor(self.root).status, "unknown")


class TurboTest(FakeRootTest):
    def test_intel_no_turbo(self):
        self.files({"sys/devices/system/cpu/intel_pstate/no_turbo": "1\n"})
        self.assertEqual(lab_env.check_turbo(self.root).status, "ok")
        self.files({"sys/devices/system/cpu/intel_pstate/no_turbo": "0\n"})
        self.assertEqual(lab_env.check_turbo(self.root).status, "warn")

    def test_cpufreq_boost(self):
        self.files({"sys/devices/system/cpu/cpufreq/boost": "1\n"})
        self.assertEqual(lab_env.check_turbo(self.root).status, "warn")
        self.files({"sys/devices/system/cpu/cpufreq/boost": "0\n"})
        self.assertEqual(lab_env.check_turbo(self.root).status, "ok")

    def test_missing_is_unknown(self):
        self.assertEqual(lab_env.check_turbo(self.root).status, "unknown")


class SmtTest(FakeRootTest):
    def test_active_warns(self):
        self.files({"sys/devices/system/cpu/smt/control": "on\n",
                    "sys/devices/system/cpu/smt/active": "1\n"})
        self.assertEqual(lab_env.check_smt(self.root).status, "warn")

    def test_not_supported_is_ok(self):
        self.files({"sys/devices/system/cpu/smt/control": "notsupported\n",
                    "sys/devices/system/cpu/smt/active": "0\n"})
        self.assertEqual(lab_env.check_smt(self.root).status, "ok")

    def test_missing_is_unknown(self):
        self.assertEqual(lab_env.check_smt(self.root).status, "unknown")


class LoadTest(FakeRootTest):
    def test_load_3_5_on_2_cpus_warns(self):
        self.files({"proc/loadavg": "3.50 2.00 1.00 3/300 999\n",
                    "sys/devices/system/cpu/online": "0-1\n"})
        c = lab_env.check_load(self.root)
        self.assertEqual(c.status, "warn")
        self.assertIn("3.50 on 2 CPU(s)", c.detail)

    def test_idle_is_ok(self):
        self.files({"proc/loadavg": "0.10 0.20 0.30 1/300 999\n",
                    "sys/devices/system/cpu/online": "0-1\n"})
        self.assertEqual(lab_env.check_load(self.root).status, "ok")

    def test_load_3_5_on_64_cpus_is_ok(self):
        self.files({"proc/loadavg": "3.50 2.00 1.00 3/300 999\n",
                    "sys/devices/system/cpu/online": "0-63\n"})
        self.assertEqual(lab_env.check_load(self.root).status, "ok")

    def test_cpu_count_falls_back_to_cpuinfo(self):
        self.files({"proc/loadavg": "3.50 2.00 1.00 3/300 999\n",
                    "proc/cpuinfo": "processor\t: 0\n\nprocessor\t: 1\n"})
        self.assertEqual(lab_env.cpu_count(self.root), 2)
        self.assertEqual(lab_env.check_load(self.root).status, "warn")

    def test_missing_is_unknown(self):
        self.assertEqual(lab_env.check_load(self.root).status, "unknown")

    def test_cpu_list_parsing(self):
        self.assertEqual(lab_env.parse_cpu_list("0-3,8,10-11\n"), [0, 1, 2, 3, 8, 10, 11])


class PerfParanoidTest(FakeRootTest):
    def test_2_without_root_warns_for_counters(self):
        self.files({"proc/sys/kernel/perf_event_paranoid": "2\n"})
        c = lab_env.check_perf_paranoid(self.root, euid=1000)
        self.assertEqual(c.status, "warn")
        self.assertIn("counter", c.why)

    def test_2_as_root_is_ok(self):
        self.files({"proc/sys/kernel/perf_event_paranoid": "2\n"})
        self.assertEqual(lab_env.check_perf_paranoid(self.root, euid=0).status, "ok")

    def test_1_is_ok(self):
        self.files({"proc/sys/kernel/perf_event_paranoid": "1\n"})
        self.assertEqual(lab_env.check_perf_paranoid(self.root, euid=1000).status, "ok")

    def test_missing_is_unknown(self):
        self.assertEqual(lab_env.check_perf_paranoid(self.root, euid=1000).status, "unknown")


class VirtualMachineTest(FakeRootTest):
    def test_hypervisor_flag_warns(self):
        self.files({"proc/cpuinfo": "processor\t: 0\nflags\t\t: fpu sse2 hypervisor lm\n"})
        c = lab_env.check_virtual(self.root)
        self.assertEqual(c.status, "warn")
        self.assertIn("hypervisor", c.detail)

    def test_hypervisor_type_warns(self):
        self.files({"proc/cpuinfo": "processor\t: 0\nflags\t\t: fpu\n", "sys/hypervisor/type": "xen\n"})
        self.assertEqual(lab_env.check_virtual(self.root).status, "warn")

    def test_bare_metal_is_ok(self):
        self.files({"proc/cpuinfo": "processor\t: 0\nflags\t\t: fpu sse2 lm\n"})
        self.assertEqual(lab_env.check_virtual(self.root).status, "ok")

    def test_missing_is_unknown(self):
        self.assertEqual(lab_env.check_virtual(self.root).status, "unknown")


class IsolatedCpusTest(FakeRootTest):
    def test_none_is_ok(self):
        self.files({"sys/devices/system/cpu/isolated": "\n"})
        self.assertEqual(lab_env.check_isolated(self.root).status, "ok")

    def test_some_warns_and_names_them(self):
        self.files({"sys/devices/system/cpu/isolated": "2-3\n"})
        c = lab_env.check_isolated(self.root)
        self.assertEqual(c.status, "warn")
        self.assertIn("2-3", c.detail)

    def test_missing_is_unknown(self):
        self.assertEqual(lab_env.check_isolated(self.root).status, "unknown")


class AllChecksTest(FakeRootTest):
    def test_empty_root_is_all_unknown(self):
        checks = lab_env.run_checks(self.root)
        self.assertEqual(len(checks), 7)
        self.assertEqual({c.status for c in checks}, {"unknown"})
        for c in checks:
            self.assertTrue(c.why, c.name)

    def test_quiet_machine_is_all_ok(self):
        support.quiet_machine(self.root)
        checks = lab_env.run_checks(self.root)
        self.assertEqual([c.status for c in checks], ["ok"] * 7, lab_env.format_checks(checks))
        self.assertEqual(lab_env.warnings_of(checks), [])


if __name__ == "__main__":
    unittest.main()
