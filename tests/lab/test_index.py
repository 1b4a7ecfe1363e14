"""results/README.md generation on the fixture tree (tests/data/results/tree, made by
make_fixture_sets.py): which folders are sets, their order, the figures (read from each
set's report/report.json, chosen by its catalog's roles), and n/a."""
import ast
import contextlib
import copy
import glob
import io
import json
import os
import shutil
import tempfile
import unittest

import support
import results_index

LAB = "2pkg-2numa-2l3-16c-32pu-Intel-Xeon-Gold-6130"
VM = "1pkg-1numa-1l3-2c-2pu-AMD-EPYC"
SET_A = f"{LAB}/20240102T030405Z-abc1234"
SET_B = f"{LAB}/20240203T000000Z-def5678"
SET_C = f"{VM}/20250314T092653Z-1479b99c0ffe-dirty"
FIGURE_COLUMNS = slice(5, 11)   # the headline figures: atomic 1 thread ... atomic / gil_cpython


class IndexTest(unittest.TestCase):
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory()
        self.results = os.path.join(self._tmp.name, "results")
        shutil.copytree(support.RESULTS_FIXTURE, self.results)
        # Set B has no report: every index written says so on stderr. The tests about
        # those lines capture them themselves (_write_index_capturing_stderr).
        quiet = contextlib.redirect_stderr(io.StringIO())
        quiet.__enter__()
        self.addCleanup(quiet.__exit__, None, None, None)

    def tearDown(self):
        self._tmp.cleanup()

    def report_path(self, set_name):
        return os.path.join(self.results, set_name, "report", "report.json")

    def load_report(self, set_name):
        with open(self.report_path(set_name), encoding="utf-8") as f:
            return json.load(f)

    def save_report(self, set_name, report):
        with open(self.report_path(set_name), "w", encoding="utf-8") as f:
            json.dump(report, f)

    def row_of(self, set_name):
        rows = [r for r in self.rows() if f"{set_name}/" in r[results_index.COLUMNS[0]]
                or r[results_index.COLUMNS[0]].endswith(f"({set_name})")]
        self.assertEqual(len(rows), 1, set_name)
        return rows[0]

    def rows(self):
        """The table's rows as {column header: cell}, in order."""
        with open(os.path.join(self.results, "README.md"), encoding="utf-8") as f:
            lines = [l for l in f.read().splitlines() if l.startswith("| ")]
        header = [c.strip() for c in lines[0].strip("|").split(" | ")]
        return [dict(zip(header, (c.strip() for c in l.strip("|").split(" | ")))) for l in lines[1:]]

    def test_sets_found_sorted_by_machine_then_date(self):
        sets = results_index.find_result_sets(self.results)
        self.assertEqual([(s.machine, s.run) for s in sets], [
            (VM, "20250314T092653Z-1479b99c0ffe-dirty"),
            (LAB, "20240102T030405Z-abc1234"),
            (LAB, "20240203T000000Z-def5678")])   # not baselines/, .staging-*, nor a folder without run.json

    def test_rows_and_figures(self):
        results_index.write_index(self.results)
        vm, lab_a, lab_b = self.rows()
        cols = results_index.COLUMNS

        self.assertEqual(lab_a[cols[0]], f"[{LAB}]({LAB}/20240102T030405Z-abc1234/report/tables.md)")
        self.assertEqual(lab_a[cols[1]], "2024-01-02 03:04Z")
        self.assertEqual(lab_a[cols[2]], "`abc1234`")
        self.assertEqual(lab_a[cols[3]], "no")
        self.assertEqual(lab_a[cols[4]], "turbo, smt")
        self.assertEqual(lab_a[cols[5]], "6.00")      # atomic, 1 thread, ns/op
        self.assertEqual(lab_a[cols[6]], "0.40")      # plain
        self.assertEqual(lab_a[cols[7]], "15.00×")
        # l3: the report's median over the dominant mode's repetitions, not run.json's 30.0
        self.assertEqual(lab_a[cols[8]], "smt: 12.0<br>l3: 33.0<br>machine: 150")
        self.assertEqual(lab_a[cols[9]], "l3: 2.00 / 55.0<br>machine: 2.50 / 210")
        # 32 threads (the most), total ns/op: compact 10 / 2, scatter 15 / 2.5; not the 8-thread rows
        self.assertEqual(lab_a[cols[10]], "compact: 5.00× (32 threads)<br>scatter: 6.00× (32 threads)")

    def test_absent_figures_are_na(self):
        results_index.write_index(self.results)
        vm = self.rows()[0]
        cols = results_index.COLUMNS
        # Single-thread records only; the 2-thread record's figure is null; no warnings.
        self.assertEqual(vm[cols[2]], "`1479b99c0ffe-dirty`")   # "unknown" in run.json: the folder's
        self.assertEqual(vm[cols[3]], "yes")
        self.assertEqual(vm[cols[4]], "none")
        self.assertEqual([vm[c] for c in cols[8:11]], ["n/a"] * 3)

    def test_a_set_without_a_report_keeps_its_row_with_na_and_says_why(self):
        _, lines = self._write_index_capturing_stderr()
        b = self.row_of(SET_B)
        cols = results_index.COLUMNS
        # No report (so no tables.md either): the link goes to the set; no environment.json.
        self.assertEqual(b[cols[0]], f"[{LAB}]({SET_B})")
        self.assertEqual([b[c] for c in cols[FIGURE_COLUMNS]], ["n/a"] * 6)
        self.assertEqual(b[cols[-1]], "method 2")   # what run.json says still shows
        said = [l for l in lines if SET_B in l]
        self.assertEqual(len(said), 1, lines)
        self.assertIn("no report/report.json", said[0])
        self.assertIn(f"rcbench report {os.path.join(self.results, SET_B, 'run.json')} "
                      f"--out-dir {os.path.join(self.results, SET_B, 'report')}`", said[0])
        self.assertEqual([l for l in lines if SET_B not in l], [])   # A and C: nothing to say

    def test_a_report_without_catalog_or_unreadable_gives_na_and_says_why(self):
        # Reports written before the catalog (the committed sets' today), and broken ones.
        report = self.load_report(SET_A)
        del report["catalog"]
        self.save_report(SET_A, report)
        support.write_tree(self.results, {f"{SET_C}/report/report.json": '{"records": ['})
        _, lines = self._write_index_capturing_stderr()
        for set_name, why in [(SET_A, "has no catalog"), (SET_C, "report.json is not valid JSON")]:
            row = self.row_of(set_name)
            self.assertEqual([row[c] for c in results_index.COLUMNS[FIGURE_COLUMNS]], ["n/a"] * 6, set_name)
            said = [l for l in lines if set_name in l]
            self.assertEqual(len(said), 1, lines)
            self.assertIn(why, said[0])
            self.assertIn("--force`", said[0])   # report/ exists: rcbench report must replace it

    def test_index_figures_are_the_reports_figures(self):
        """Issue 15, point 3: each headline cell of a set is the figure of its report's
        record, formatted as the index formats: the index and the report cannot disagree.
        The records are found here by name; the index finds them by catalog role."""
        results_index.write_index(self.results)
        for set_name in (SET_A, SET_C):
            records = self.load_report(set_name)["records"]
            row = self.row_of(set_name)
            cols = results_index.COLUMNS

            def find(strategy, workload, threads=None):
                return [r for r in records if r["strategy"] == strategy and r["workload"] == workload
                        and not r["params"] and threads in (None, r["threads"])]

            def median(figure):
                return None if figure is None else figure["median"]

            def by_placement(cell):
                return set() if cell == "n/a" else set(cell.split("<br>"))

            fmt_value, fmt_ratio = results_index.fmt_value, results_index.fmt_ratio
            (atomic,), (plain,) = find("atomic", "private", 1), find("plain", "private", 1)
            self.assertEqual(row[cols[5]], fmt_value(median(atomic["ns_per_op_thread"])), set_name)
            self.assertEqual(row[cols[6]], fmt_value(median(plain["ns_per_op_thread"])), set_name)
            self.assertEqual(row[cols[7]], fmt_ratio(atomic["ratio_to_plain_single"]), set_name)
            self.assertEqual(by_placement(row[cols[8]]), {
                f"{r['placement']}: {fmt_value(median(r['ns_per_op_thread']))}"
                for r in find("atomic", "shared", 2) if r["ns_per_op_thread"]}, set_name)
            self.assertEqual(by_placement(row[cols[9]]), {
                f"{r['placement']}: {fmt_value(r['per_thread'][0]['ns_per_op']['median'])} / "
                f"{fmt_value(r['per_thread'][1]['ns_per_op']['median'])}"
                for r in find("biased", "shared", 2)}, set_name)
            shared = find("atomic", "shared")
            most = max(r["threads"] for r in shared)
            self.assertEqual(by_placement(row[cols[10]]), {
                f"{r['placement']}: {fmt_ratio(r['ratio_to_gil'])} ({most} threads)"
                for r in shared if r["threads"] == most and most >= 2 and r["ratio_to_gil"]}, set_name)
        # The fixture is meant to tell the two analyses apart: A's l3 record was not empty.
        self.assertIn("l3: 33.0", self.row_of(SET_A)[cols[8]])

    def test_roles_not_names_select_the_records(self):
        """A catalog whose roles are held by strategies and workloads the index has never
        heard of: it finds them; and a strategy named like today's holder but without its
        role is not taken."""
        report = self.load_report(SET_A)
        results_index.write_index(self.results)
        before = [self.row_of(SET_A)[c] for c in results_index.COLUMNS[FIGURE_COLUMNS]]

        strategies = {"plain": "zz_ref", "atomic": "zz_rmw", "biased": "zz_owner", "gil_cpython": "zz_lock"}
        workloads = {"private": "zz_alone", "shared": "zz_one"}
        renamed = copy.deepcopy(report)
        for s in renamed["catalog"]["strategies"]:
            s["name"] = s["display"] = strategies[s["name"]]
        for w in renamed["catalog"]["workloads"]:
            w["name"] = w["display"] = workloads[w["name"]]
        def rename(run_name):   # refcount/<strategy>/<workload>/...
            parts = run_name.split("/")
            return "/".join([parts[0], strategies[parts[1]], workloads[parts[2]]] + parts[3:])
        for r in renamed["records"]:
            r["strategy"], r["workload"] = strategies[r["strategy"]], workloads[r["workload"]]
            r["run_name"], r["baseline"] = rename(r["run_name"]), r["baseline"] and rename(r["baseline"])
        # Decoys under today's names, roleless, with figures ten times over.
        decoys = copy.deepcopy(report["records"])
        for r in decoys:
            for f in (r["ns_per_op_thread"], r["ns_per_op_total"], *[t["ns_per_op"] for t in r["per_thread"]]):
                if f:
                    f["median"] *= 10
            r["ratio_to_gil"] = r["ratio_to_gil"] and r["ratio_to_gil"] * 10
            r["ratio_to_plain_single"] = r["ratio_to_plain_single"] and r["ratio_to_plain_single"] * 10
        renamed["records"] = decoys + renamed["records"]
        renamed["catalog"]["strategies"] += [
            dict(s, name=name, display=name, order=100 + s["order"], headline=None, reference=False, baseline=None)
            for name, s in zip(strategies, report["catalog"]["strategies"])]
        renamed["catalog"]["workloads"] += [
            dict(w, name=name, display=name, order=100 + w["order"], contention="mixed")
            for name, w in zip(workloads, report["catalog"]["workloads"])]
        self.save_report(SET_A, renamed)

        h = results_index.headline(renamed)
        self.assertEqual((h.rmw_1t, h.reference_1t), (6.0, 0.4))
        results_index.write_index(self.results)
        self.assertEqual([self.row_of(SET_A)[c] for c in results_index.COLUMNS[FIGURE_COLUMNS]], before)

    def test_generation_is_stable_and_check_mode_agrees(self):
        first = results_index.render(self.results)
        results_index.write_index(self.results)
        self.assertEqual(results_index.render(self.results), first)
        self.assertEqual(results_index.main(["--results-dir", self.results, "--check"]), 0)
        with open(os.path.join(self.results, "README.md"), "a") as f:
            f.write("hand edit\n")
        self.assertEqual(results_index.main(["--results-dir", self.results, "--check"]), 1)

    def test_says_it_is_generated(self):
        self.assertIn("GENERATED by scripts/results_index.py", results_index.render(self.results))

    def test_empty_results_folder(self):
        empty = os.path.join(self._tmp.name, "empty")
        os.mkdir(empty)
        self.assertIn("No result sets yet.", results_index.render(empty))
        self.assertEqual(results_index.main(["--results-dir", os.path.join(self._tmp.name, "none")]), 2)

    def _add_bad_set(self, run, run_json_text):
        support.write_tree(self.results, {f"{VM}/{run}/run.json": run_json_text})
        return f"{VM}/{run}"

    def _write_index_capturing_stderr(self):
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            path = results_index.write_index(self.results)
        return path, err.getvalue().splitlines()

    def test_an_unreadable_run_json_skips_its_set_with_a_line_and_the_index_is_still_written(self):
        # Issue 13: one malformed run.json used to end the whole index with a traceback.
        depth = 100000  # far beyond the interpreter's recursion limit
        bad = {
            "20250401T000000Z-notjson": ("{\"benchmarks\": [", "not valid JSON"),
            "20250402T000000Z-deep": ("[" * depth + "]" * depth, "not valid JSON"),  # RecursionError
            "20250403T000000Z-array": ("[1, 2]", "not a JSON object"),
            "20250404T000000Z-rcint": ('{"rcbench": 5, "benchmarks": []}', "AttributeError"),
            "20250406T000000Z-build": ('{"rcbench": {"build": [1]}, "benchmarks": []}', "AttributeError"),
        }
        names = {run: self._add_bad_set(run, text) for run, (text, _) in bad.items()}
        path, lines = self._write_index_capturing_stderr()

        self.assertTrue(os.path.isfile(path))
        lines = [l for l in lines if SET_B not in l]   # B has no report: a line of its own
        self.assertEqual(len(lines), len(bad), lines)
        for run, (_, why) in bad.items():
            line = [l for l in lines if names[run] in l]
            self.assertEqual(len(line), 1, (run, lines))
            self.assertIn("skipped", line[0])
            self.assertIn(why, line[0])
        # The good sets keep their rows; the bad ones have none.
        links = [r[results_index.COLUMNS[0]] for r in self.rows()]
        self.assertEqual(len(links), 3, links)
        self.assertFalse(any(run in l for l in links for run in bad))

    def test_check_mode_survives_a_malformed_run_json(self):
        results_index.write_index(self.results)
        self._add_bad_set("20250407T000000Z-bad", '{"rcbench": "x", "benchmarks": {}}')
        with contextlib.redirect_stderr(io.StringIO()):
            # The bad set adds no row, so the index written before is still current.
            self.assertEqual(results_index.main(["--results-dir", self.results, "--check"]), 0)

    def test_headline_keeps_both_memory_placements_of_a_cross_node_pair(self):
        # Issue 17: the virtual lab's 2-node guest; its machine pair's shared records are
        # mem local and mem remote, and neither may overwrite the other.
        report = self.load_report(SET_A)
        pairs = [r for r in report["records"] if r["threads"] == 2 and r["placement"] == "machine"]
        self.assertEqual(len(pairs), 2)   # atomic and biased
        report["records"] = [r for r in report["records"] if r not in pairs]
        for mem, factor in [("local", 1.0), ("remote", 1.5)]:
            for r in copy.deepcopy(pairs):
                r["mem"] = mem
                for f in (r["ns_per_op_thread"], *[t["ns_per_op"] for t in r["per_thread"]]):
                    if f:
                        f["median"] *= factor
                report["records"].append(r)
        h = results_index.headline(report)
        self.assertEqual(h.rmw_one_object_2t, {"smt": 12.0, "l3": 33.0, "machine mem=local": 150.0,
                                               "machine mem=remote": 225.0})
        self.assertEqual(h.owner_biased_2t, {"l3": (2.0, 55.0), "machine mem=local": (2.5, 210.0),
                                             "machine mem=remote": (3.75, 315.0)})
        self.assertIn("machine mem=local: ", results_index.fmt_by_class(h.rmw_one_object_2t, str))

    def test_no_strategy_or_workload_name_is_written_in_the_index(self):
        """The index learns names from the report's catalog: none of the names the runs
        and the fixture catalog use is a string literal of results_index.py (the column
        headers name them in prose, which is not a literal equal to a name)."""
        names = set()
        for path in glob.glob(os.path.join(support.REPO, "tests", "data", "runs", "*.json")):
            try:
                with open(path) as f:
                    metas = json.load(f)["rcbench"]["benchmarks"]
            except (ValueError, KeyError, TypeError):
                continue   # the malformed fixtures
            names |= {m[k] for m in metas for k in ("strategy", "workload") if isinstance(m.get(k), str)}
        catalog = self.load_report(SET_A)["catalog"]
        names |= {e["name"] for e in catalog["strategies"] + catalog["workloads"]}
        self.assertTrue({"atomic", "plain", "biased", "gil_cpython", "private", "shared"} <= names)
        with open(results_index.__file__, encoding="utf-8") as f:
            tree = ast.parse(f.read())
        literals = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
        self.assertEqual(literals & names, set())

    def test_method_1_sets_are_marked_not_comparable_with_method_2(self):
        # Issue 14: A and the VM set carry no method_version (method 1), B says 2.
        self._add_bad_set("20250408T000000Z-explicit1",
                          '{"rcbench": {"method_version": 1, "benchmarks": []}, "benchmarks": []}')
        results_index.write_index(self.results)
        col = results_index.COLUMNS[-1]
        by_link = {r[results_index.COLUMNS[0]]: r[col] for r in self.rows()}
        method_1 = "method 1 (before the timed-loop fix, issue 14): not comparable with method 2"
        self.assertEqual(results_index.METHOD_1, method_1)
        for link, method in by_link.items():
            if "def5678" in link:
                self.assertEqual(method, "method 2", link)
            else:
                self.assertEqual(method, method_1, link)
        self.assertEqual(len(by_link), 4)


if __name__ == "__main__":
    unittest.main()
