#!/usr/bin/env python3
"""A battery of bad inputs over every rcbench subcommand.

Each case runs the built binary in a temporary folder this script owns, with a 10 s
limit, and must:
  - exit with its documented status (2 for a usage or input error unless the case says
    otherwise), never by a signal, never hang;
  - say why in one line on stderr ("rcbench: ..." or CLI11's "--flag: ..."), with no
    C++ exception text, sanitizer report or Python traceback;
  - leave every file in the folder as it was (nothing created, changed or removed).

Usage: bad_inputs.py RCBENCH [--list]      Exit 0 when every case holds.
"""
import copy
import json
import os
import re
import subprocess
import sys
import tempfile

from folder_state import snapshot

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.normpath(os.path.join(HERE, "..", "data"))
GOOD_RUN = os.path.join(DATA, "compare", "base.json")
XML = os.path.join(DATA, "topologies", "nvidia-dgx-gb10.xml")
LIMIT_S = 10
FORBIDDEN = re.compile(r"terminate called|Sanitizer|runtime error:|Traceback|what\(\)|"
                       r"Segmentation|core dumped|std::")


def good_run():
    with open(GOOD_RUN) as f:
        return json.load(f)


def mutated_runs():
    """(name, document) pairs: each a valid run JSON with one defect."""
    def with_(change):
        doc = good_run()
        change(doc)
        return doc

    def first(doc):
        return doc["benchmarks"][0]

    cases = [
        ("profile_is_a_number", lambda d: d["rcbench"].__setitem__("profile", 5)),
        ("rcbench_is_a_list", lambda d: d.__setitem__("rcbench", [])),
        ("rcbench_missing", lambda d: d.pop("rcbench")),
        ("benchmarks_empty", lambda d: d.__setitem__("benchmarks", [])),
        ("benchmarks_missing", lambda d: d.pop("benchmarks")),
        ("benchmarks_is_an_object", lambda d: d.__setitem__("benchmarks", {})),
        ("benchmark_is_a_string", lambda d: d["benchmarks"].__setitem__(0, "x")),
        ("negative_time", lambda d: first(d).__setitem__("real_time", -5.0)),
        ("zero_time", lambda d: first(d).__setitem__("real_time", 0)),
        ("time_is_a_string", lambda d: first(d).__setitem__("real_time", "fast")),
        ("time_is_null", lambda d: first(d).__setitem__("real_time", None)),
        ("iterations_negative", lambda d: first(d).__setitem__("iterations", -1)),
        ("iterations_zero", lambda d: first(d).__setitem__("iterations", 0)),
        ("iterations_a_string", lambda d: first(d).__setitem__("iterations", "many")),
        ("unknown_time_unit", lambda d: first(d).__setitem__("time_unit", "fortnights")),
        ("time_unit_a_number", lambda d: first(d).__setitem__("time_unit", 3)),
        ("run_name_a_number", lambda d: first(d).__setitem__("run_name", 7)),
        ("run_name_junk", lambda d: first(d).__setitem__("run_name", "not/a/benchmark")),
        ("run_type_a_list", lambda d: first(d).__setitem__("run_type", [])),
        ("repetition_index_a_string", lambda d: first(d).__setitem__("repetition_index", "one")),
        ("repetition_index_negative", lambda d: first(d).__setitem__("repetition_index", -3)),
        ("counter_a_string", lambda d: first(d).__setitem__("ns_per_op_thread", "slow")),
        ("counter_negative", lambda d: first(d).__setitem__("ns_per_op_thread", -1.0)),
        ("threads_zero", lambda d: first(d).__setitem__("threads", 0)),
        ("context_a_string", lambda d: d.__setitem__("context", "x")),
        ("machine_a_number", lambda d: d["rcbench"].__setitem__("machine", 1)),
        ("format_version_future", lambda d: d["rcbench"].__setitem__("format_version", 99)),
        ("format_version_a_string", lambda d: d["rcbench"].__setitem__("format_version", "1")),
        ("rcbench_benchmarks_a_string", lambda d: d["rcbench"].__setitem__("benchmarks", "x")),
        ("duplicate_repetitions",
         lambda d: d.__setitem__("benchmarks", [copy.deepcopy(d["benchmarks"][0]) for _ in range(10)])),
    ]
    return [(name, with_(change)) for name, change in cases]


RAW_FILES = {
    "empty.json": "",
    "not_json.json": "this is not JSON\n",
    "array.json": "[1, 2, 3]\n",
    "number.json": "42\n",
    "empty_object.json": "{}\n",
    "truncated.json": '{"benchmarks": [{"name": "refcount/',
    "huge_number.json": None,  # filled from the good run below
    "nan.json": None,
    "deep.json": "[" * 100000 + "]" * 100000,
    "binary.json": "\x00\x01\x02\xff",
    "bad_utf8.json": None,
}


def write_inputs(folder):
    """Writes every input file the cases name; returns the folder's names."""
    for name, text in RAW_FILES.items():
        if text is None:
            continue
        with open(os.path.join(folder, name), "w", encoding="latin-1") as f:
            f.write(text)
    raw = open(GOOD_RUN).read()
    with open(os.path.join(folder, "huge_number.json"), "w") as f:
        f.write(raw.replace('"real_time": 553.8145935593597', '"real_time": 1e9999', 1))
    with open(os.path.join(folder, "nan.json"), "w") as f:
        f.write(raw.replace('"real_time": 553.8145935593597', '"real_time": NaN', 1))
    with open(os.path.join(folder, "bad_utf8.json"), "wb") as f:
        f.write(raw.replace('"date": "', '"date": "\xff\xfe', 1).encode("latin-1"))
    for name, doc in mutated_runs():
        with open(os.path.join(folder, f"m_{name}.json"), "w") as f:
            json.dump(doc, f)
    with open(os.path.join(folder, "good.json"), "w") as f:
        json.dump(good_run(), f)
    per_op = good_run()
    per_op["rcbench"]["real_time_per"] = "op"
    with open(os.path.join(folder, "per_op.json"), "w") as f:
        json.dump(per_op, f)
    with open(os.path.join(folder, "report.json"), "w") as f:  # a report, not a run
        json.dump({"schema": "rcbench-report", "schema_version": 1, "records": []}, f)
    with open(os.path.join(folder, "existing.txt"), "w") as f:
        f.write("not rcbench's\n")
    os.symlink("existing.txt", os.path.join(folder, "link.json"))
    # Special files of the battery's own: a regressed binary must never get the chance to
    # replace the machine's /dev/null.
    os.mkfifo(os.path.join(folder, "fifo"))
    os.mkdir(os.path.join(folder, "a_folder"))
    with open(os.path.join(folder, "a_folder", "keep.txt"), "w") as f:
        f.write("keep\n")
    with open(os.path.join(folder, "not.xml"), "w") as f:
        f.write("this is not a topology\n")
    with open(os.path.join(folder, "truncated.xml"), "w") as f:
        f.write(open(XML).read()[:2000])
    with open(os.path.join(folder, "html.xml"), "w") as f:
        f.write("<html><body/></html>\n")
    with open(os.path.join(folder, "events_junk.txt"), "w") as f:
        f.write("PAPI L1 DCM\n")
    with open(os.path.join(folder, "gate_junk.json"), "w") as f:
        f.write('{"thresholds": "fast"}\n')


def cases():
    """(name, argv after rcbench, expected exit status)."""
    out = []

    def add(name, args, code=2):
        out.append((name, args, code))

    # rcbench itself
    add("no_command", [])
    add("unknown_command", ["frobnicate"])
    add("version_bogus_flag", ["--bogus"])

    # topology
    for name, args in [
        ("input_missing", ["--input", "nope.xml"]),
        ("input_folder", ["--input", "a_folder"]),
        ("input_empty", ["--input", "empty.json"]),
        ("input_not_xml", ["--input", "not.xml"]),
        ("input_truncated", ["--input", "truncated.xml"]),
        ("input_html", ["--input", "html.xml"]),
        ("input_binary", ["--input", "binary.json"]),
        ("synthetic_empty", ["--synthetic", ""]),
        ("synthetic_blank", ["--synthetic", "   "]),
        ("synthetic_unknown_type", ["--synthetic", "pack:2 foo:3 pu:2"]),
        ("synthetic_bad_count", ["--synthetic", "pack:x"]),
        ("synthetic_zero", ["--synthetic", "pack:2 core:0 pu:1"]),
        ("synthetic_huge", ["--synthetic", "pack:1000 core:1000 pu:1000"]),
        ("synthetic_and_input", ["--synthetic", "pack:1 pu:2", "--input", XML]),
        ("restrict_junk", ["--restrict", "x"]),
        ("restrict_missing_pu", ["--restrict", "9999"]),
        ("restrict_empty", ["--restrict", ""]),
        ("threads_zero", ["--threads", "0"]),
        ("threads_junk", ["--threads", "x"]),
        ("threads_negative", ["--threads", "-1"]),
        ("threads_too_many", ["--threads", "99999"]),
        ("threads_more_than_pus", ["--synthetic", "pack:1 core:2 pu:1", "--threads", "3"]),
        ("policy_unknown", ["--threads", "1", "--policy", "sideways"]),
        ("policy_within_unknown", ["--threads", "1", "--policy", "within:foo"]),
        ("policy_without_threads", ["--policy", "scatter"]),
        ("classify_junk", ["--classify", "x"]),
        ("classify_missing_pu", ["--classify", "0,9999"]),
        ("sample_zero", ["--pairs", "--sample", "0"]),
        ("sample_negative", ["--pairs", "--sample", "-1"]),
        ("sample_junk", ["--pairs", "--sample", "x"]),
        ("sample_without_pairs", ["--sample", "3"]),
        ("seed_junk", ["--pairs", "--sample", "2", "--seed", "x"]),
        ("export_missing_folder", ["--export-xml", "nodir/m.xml"]),
        ("export_existing", ["--export-xml", "existing.txt"]),
        ("export_symlink_force", ["--export-xml", "link.json", "--force"]),
        ("export_folder_force", ["--export-xml", "a_folder", "--force"]),
        ("export_fifo_force", ["--export-xml", "fifo", "--force"]),
        ("export_empty_name", ["--export-xml", ""]),
        ("unknown_flag", ["--bogus"]),
        ("stray_argument", ["extra"]),
    ]:
        add("topology." + name, ["topology", *args])

    # run (--list stops before any benchmark; the others are refused before one starts)
    quick = ["run", "--profile", "quick"]
    for name, args in [
        ("profile_unknown", ["run", "--profile", "fast", "--list"]),
        ("profile_empty", ["run", "--profile", "", "--list"]),
        ("strategy_unknown", [*quick, "--strategies", "atomik", "--list"]),
        ("strategy_bare_deferred", [*quick, "--strategies", "deferred", "--list"]),
        ("strategy_deferred_junk", [*quick, "--strategies", "deferred_x", "--list"]),
        ("strategy_empty_item", [*quick, "--strategies", "atomic,,biased", "--list"]),
        ("workload_unknown", [*quick, "--workloads", "sharde", "--list"]),
        ("workload_bad_pad", [*quick, "--workloads", "false_sharing:x", "--list"]),
        ("workload_bad_pct", [*quick, "--workloads", "mixed:200", "--list"]),
        ("workload_negative_pct", [*quick, "--workloads", "mixed:-1", "--list"]),
        ("threads_zero", [*quick, "--threads", "0", "--list"]),
        ("threads_negative", [*quick, "--threads", "-1", "--list"]),
        ("threads_junk", [*quick, "--threads", "x", "--list"]),
        ("threads_fraction", [*quick, "--threads", "1.5", "--list"]),
        ("threads_too_many", [*quick, "--threads", "4096", "--list"]),
        ("repetitions_zero", [*quick, "--repetitions", "0", "--list"]),
        ("repetitions_negative", [*quick, "--repetitions", "-1", "--list"]),
        ("repetitions_junk", [*quick, "--repetitions", "x", "--list"]),
        ("repetitions_overflow", [*quick, "--repetitions", "99999999999999999999", "--list"]),
        ("min_time_nan", [*quick, "--min-time", "nan", "--list"]),
        ("min_time_inf", [*quick, "--min-time", "inf", "--list"]),
        ("min_time_negative", [*quick, "--min-time", "-1", "--list"]),
        ("min_time_zero", [*quick, "--min-time", "0", "--list"]),
        ("min_time_junk", [*quick, "--min-time", "x", "--list"]),
        ("min_time_overflow", [*quick, "--min-time", "1e400", "--list"]),
        ("switch_interval_zero", [*quick, "--switch-interval-us", "0", "--list"]),
        ("switch_interval_negative", [*quick, "--switch-interval-us", "-5", "--list"]),
        ("switch_interval_junk", [*quick, "--switch-interval-us", "x", "--list"]),
        ("filter_bad_regex", [*quick, "--filter", "(", "--list"]),
        ("filter_matches_nothing", [*quick, "--filter", "no-such-benchmark", "--list"]),
        ("benchmark_bogus", [*quick, "--benchmark_bogus", "--list"]),
        ("benchmark_format_xml", [*quick, "--benchmark_format=xml", "--list"]),
        ("benchmark_repetitions_zero", [*quick, "--benchmark_repetitions=0", "--list"]),
        ("benchmark_min_time_junk", [*quick, "--benchmark_min_time=x", "--list"]),
        ("benchmark_filter_bad_regex", [*quick, "--benchmark_filter=(", "--list"]),
        ("filter_twice", [*quick, "--filter", "atomic", "--benchmark_filter=biased", "--list"]),
        ("events_empty_list", [*quick, "--events", ",", "--list"]),
        ("events_malformed", [*quick, "--events", "PAPI L1", "--out", "x.json"]),
        ("events_file_missing", [*quick, "--events-file", "nope.txt", "--out", "x.json"]),
        ("events_file_junk", [*quick, "--events-file", "events_junk.txt", "--out", "x.json"]),
        ("out_missing_folder", [*quick, "--out", "nodir/x.json"]),
        ("out_existing", [*quick, "--out", "existing.txt"]),
        ("out_symlink_force", [*quick, "--out", "link.json", "--force"]),
        ("out_folder_force", [*quick, "--out", "a_folder", "--force"]),
        ("out_fifo_force", [*quick, "--out", "fifo", "--force"]),
        ("out_empty_name", [*quick, "--out", ""]),
        ("benchmark_out_is_out", [*quick, "--benchmark_out=same.json", "--out", "same.json"]),
        ("benchmark_out_existing", [*quick, "--benchmark_out=existing.txt", "--out", "x.json"]),
        ("unknown_flag", [*quick, "--bogus"]),
        ("stray_argument", [*quick, "extra", "--list"]),
    ]:
        add("run." + name, args)

    # events
    for name, args in [
        ("empty_list", ["--events", ","]),
        ("malformed_name", ["--events", "PAPI L1"]),
        ("file_missing", ["--events-file", "nope.txt"]),
        ("file_junk", ["--events-file", "events_junk.txt"]),
        ("file_folder", ["--events-file", "a_folder"]),
        ("both_flags", ["--events", "ctx_switches", "--events-file", "events_junk.txt"]),
        ("unknown_flag", ["--bogus"]),
    ]:
        add("events." + name, ["events", *args])

    # report: every malformed run, then bad flags
    bad_runs = ["nope.json", "a_folder", "report.json"] + [n for n in RAW_FILES] + \
               [f"m_{n}.json" for n, _ in mutated_runs()]
    for f in bad_runs:
        add("report.input." + f, ["report", f, "--out-dir", "rep", "--formats", "json"])
    for name, args in [
        ("formats_unknown", ["good.json", "--formats", "pdf"]),
        ("formats_empty", ["good.json", "--formats", ""]),
        ("out_dir_existing_file", ["good.json", "--out-dir", "existing.txt"]),
        ("out_dir_foreign_folder_force", ["good.json", "--out-dir", "a_folder", "--force"]),
        ("out_dir_symlink_force", ["good.json", "--out-dir", "link.json", "--force"]),
        ("no_input", []),
        ("unknown_flag", ["good.json", "--bogus"]),
    ]:
        add("report." + name, ["report", *args])

    # compare: malformed runs on either side, then bad flags
    for f in bad_runs:
        add("compare.base." + f, ["compare", f, "good.json"])
    for f in ["nope.json", "m_benchmarks_empty.json", "m_duplicate_repetitions.json", "huge_number.json",
              "m_profile_is_a_number.json", "report.json"]:
        add("compare.candidate." + f, ["compare", "good.json", f])
    for name, args in [
        ("empty_list_item", ["good.json,", "good.json"]),
        ("mode_unknown", ["good.json", "good.json", "--mode", "relative"]),
        ("statistic_unknown", ["good.json", "good.json", "--statistic", "mean"]),
        ("alpha_zero", ["good.json", "good.json", "--alpha", "0"]),
        ("alpha_one", ["good.json", "good.json", "--alpha", "1"]),
        ("alpha_junk", ["good.json", "good.json", "--alpha", "x"]),
        ("alpha_nan", ["good.json", "good.json", "--alpha", "nan"]),
        ("min_reps_one", ["good.json", "good.json", "--min-reps", "1"]),
        ("min_reps_junk", ["good.json", "good.json", "--min-reps", "x"]),
        ("counter_unknown", ["good.json", "good.json", "--counter", "nosuch"]),
        ("real_time_per_block_vs_per_op", ["good.json", "per_op.json", "--counter", "real_time"]),
        ("config_missing", ["good.json", "good.json", "--config", "nope.json"]),
        ("config_junk", ["good.json", "good.json", "--config", "gate_junk.json"]),
        ("config_not_json", ["good.json", "good.json", "--config", "not_json.json"]),
        ("json_existing", ["good.json", "good.json", "--json", "existing.txt"]),
        ("json_symlink_force", ["good.json", "good.json", "--json", "link.json", "--force"]),
        ("json_folder_force", ["good.json", "good.json", "--json", "a_folder", "--force"]),
        ("markdown_missing_folder", ["good.json", "good.json", "--markdown", "nodir/v.md"]),
        ("markdown_fifo_force", ["good.json", "good.json", "--markdown", "fifo", "--force"]),
        ("one_input", ["good.json"]),
        ("unknown_flag", ["good.json", "good.json", "--bogus"]),
    ]:
        add("compare." + name, ["compare", *args])

    # lab (scripts/lab.py behind the front door)
    for name, args in [
        ("unknown_flag", ["--bogus"]),
        ("strict_and_accept", ["--strict", "--accept-warnings"]),
        ("resume_missing", ["--resume", "nope"]),
        ("clean_missing", ["--clean", "nope"]),
        ("rcbench_missing", ["--rcbench", "nope", "--results-dir", "a_folder"]),
    ]:
        add("lab." + name, ["lab", *args])

    # fleet (scripts/fleet.py behind the front door; refused before any Slurm command runs)
    for name, args in [
        ("no_subcommand", []),
        ("type_malformed", ["submit", "--type", "A=typeA", "--results-dir", "a_folder"]),
        ("type_kind_unknown", ["submit", "--type", "A=queue:typeA", "--results-dir", "a_folder"]),
        ("results_dir_missing", ["submit", "--type", "A=partition:typeA", "--results-dir", "nope"]),
        ("time_junk", ["submit", "--type", "A=partition:typeA", "--results-dir", "a_folder", "--time", "x"]),
        ("gather_not_a_fleet", ["gather", "a_folder"]),
    ]:
        add("fleet." + name, ["fleet", *args])
    return out


def check(rcbench, folder, name, args, code):
    before = snapshot(folder)
    env = dict(os.environ, HOME=folder)
    env.pop("RCBENCH_EVENTS", None)
    try:
        r = subprocess.run([rcbench, *args], cwd=folder, capture_output=True, timeout=LIMIT_S, env=env)
    except subprocess.TimeoutExpired:
        return f"hung (no exit within {LIMIT_S} s)"
    err = r.stderr.decode("utf-8", "replace")
    problems = []
    if r.returncode < 0:
        problems.append(f"killed by signal {-r.returncode}")
    elif r.returncode != code:
        problems.append(f"exit {r.returncode}, expected {code}")
    lines = [line for line in err.splitlines() if line.strip()]
    if not lines:
        problems.append("no message on stderr")
    if FORBIDDEN.search(err):
        problems.append("internal error text on stderr")
    after = snapshot(folder)
    if after != before:
        changed = sorted(set(after.items()) ^ set(before.items()))
        problems.append(f"files changed: {sorted({c[0] for c in changed})}")
    if problems:
        return "; ".join(problems) + "\n      stderr: " + (err.strip().replace("\n", "\n              ")[:600] or "(none)")
    return None


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    rcbench = os.path.abspath(sys.argv[1])
    all_cases = cases()
    if "--list" in sys.argv:
        for name, args, code in all_cases:
            print(f"{name}: exit {code}: rcbench {' '.join(args)}")
        return 0
    failures = 0
    with tempfile.TemporaryDirectory(prefix="rcbench-bad-inputs-") as folder:
        write_inputs(folder)
        for name, args, code in all_cases:
            problem = check(rcbench, folder, name, args, code)
            if problem:
                failures += 1
                print(f"FAIL {name}: rcbench {' '.join(args)}\n      {problem}")
    print(f"bad inputs: {len(all_cases)} cases, {len(all_cases) - failures} held, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
