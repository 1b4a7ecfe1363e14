#!/usr/bin/python3
"""Trims a run JSON from a virtual-lab guest into a small report fixture.

    trim_vlab_run.py GUEST/q.json OUT.json PLACEMENT

vlab-2s-smt-2n-mem.json was made from the quick run inside the 2s-smt-2n guest (two
sockets, a NUMA node each; `scripts/vlab-check.sh --keep DIR 2s-smt-2n`, DIR/2s-smt-2n/q.json)
with PLACEMENT=machine: every row of that placement (the shared rows of the cross-node pair
come as mem:local and mem:remote, each with its recorded mem_node), the one-thread rows
(the plain reference every GIL row is normalised by) and the null rows of both, with
Google Benchmark's aggregates left out (the report recomputes them). The figures are a TCG
guest's and mean nothing as timings: the fixture is for names, labels and shapes.
"""
import json
import sys


def keep(meta, placement):
    return meta.get("placement") in (placement, "single")


def main():
    src, out, placement = sys.argv[1:4]
    with open(src, encoding="utf-8") as f:
        run = json.load(f)
    metas = [m for m in run["rcbench"]["benchmarks"] if keep(m, placement)]
    names = {m["name"] for m in metas}
    run["rcbench"]["benchmarks"] = metas
    run["benchmarks"] = [e for e in run["benchmarks"]
                         if e.get("run_type", "iteration") == "iteration" and e.get("run_name") in names]
    with open(out, "w", encoding="utf-8") as f:
        json.dump(run, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
