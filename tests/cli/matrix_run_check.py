#!/usr/bin/python3
"""matrix_run_check.py RCBENCH WORKDIR: `rcbench matrix` measures for real, pinned to two
of the PUs this test may use (so a bigger machine gives the same 2x2 matrix), with two
batches a pair. Checks the file's shape, not its figures: both methods, a 2x2 symmetric
matrix with a null diagonal and positive numbers off it, one pair with its class and a
per-class summary that counts it; then that the file is never overwritten without
--force, and that --method picks one method."""
import json
import os
import shutil
import subprocess
import sys


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def run(rcbench, cpus, *args):
    p = subprocess.run([rcbench, "matrix", *args], capture_output=True, text=True,
                       preexec_fn=lambda: os.sched_setaffinity(0, cpus))
    return p.returncode, p.stdout + p.stderr


def main():
    rcbench, work = sys.argv[1], sys.argv[2]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    allowed = sorted(os.sched_getaffinity(0))
    if len(allowed) < 2:
        print("SKIP: a matrix needs two PUs; this test may use", allowed)
        return 77
    cpus = set(allowed[:2])
    out = os.path.join(work, "matrix.json")
    code, text = run(rcbench, cpus, "--batches", "2", "--out", out)
    print(text)
    if code != 0:
        fail(f"exit {code}")
    if "pairs 1/1 done" not in text:
        fail("no progress line 'pairs 1/1 done'")
    with open(out) as f:
        doc = json.load(f)
    if (doc["format"], doc["format_version"]) != ("rcbench-matrix", 1):
        fail(f"format {doc['format']!r} v{doc['format_version']!r}")
    if sorted(doc["pus"]) != sorted(cpus):
        fail(f"pus {doc['pus']} != {sorted(cpus)}")
    if set(doc["methods"]) != {"two_line", "one_line_cas"}:
        fail(f"methods {list(doc['methods'])}")
    for name, m in doc["methods"].items():
        grid = m["one_way_ns"]
        if len(grid) != 2 or any(len(row) != 2 for row in grid):
            fail(f"{name}: not 2x2: {grid}")
        if grid[0][0] is not None or grid[1][1] is not None:
            fail(f"{name}: diagonal not null: {grid}")
        if not (isinstance(grid[0][1], (int, float)) and grid[0][1] > 0 and grid[0][1] == grid[1][0]):
            fail(f"{name}: off-diagonal not one positive figure both ways: {grid}")
        if len(m["by_class"]) != 1 or m["by_class"][0]["count"] != 1 or m["by_class"][0]["min_ns"] != grid[0][1]:
            fail(f"{name}: by_class {m['by_class']}")
    if len(doc["pairs"]) != 1 or "error" in doc["pairs"][0]:
        fail(f"pairs {doc['pairs']}")
    pair = doc["pairs"][0]
    if pair["class"] != doc["methods"]["two_line"]["by_class"][0]["class"]:
        fail("the pair's class and the summary's differ")
    if (doc["pairs_planned"], doc["pairs_measured"], doc["pairs_failed"]) != (1, 1, 0):
        fail("pair counts")
    if doc["shape"]["batches"] != 2 or "statistic" not in doc or "cpu" not in json.dumps(doc["machine"]):
        fail("shape, statistic or machine facts missing")

    before = open(out, "rb").read()
    code, text = run(rcbench, cpus, "--batches", "2", "--out", out)
    if code != 2 or "exists" not in text:
        fail(f"second run without --force: exit {code}: {text}")
    if open(out, "rb").read() != before:
        fail("the existing file was changed")
    code, text = run(rcbench, cpus, "--batches", "2", "--method", "one_line_cas", "--out", out, "--force")
    if code != 0:
        fail(f"--force: exit {code}: {text}")
    with open(out) as f:
        doc = json.load(f)
    if list(doc["methods"]) != ["one_line_cas"] or "two_line_ns" in doc["pairs"][0]:
        fail(f"--method one_line_cas: methods {list(doc['methods'])}")
    if sorted(os.listdir(work)) != ["matrix.json"]:
        fail(f"stray files: {os.listdir(work)}")
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
