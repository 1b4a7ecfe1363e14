#!/usr/bin/python3
"""A stand-in for the rcbench binary, so the lab runner's tests need no build.

It speaks the subcommands lab.py calls, with the same output contracts (run writes its
JSON atomically via a scratch file beside it, report refuses an existing folder), and
is steered by environment variables:
  FAKE_RCBENCH_RUN_JSON  the run JSON that `run` writes (a copy of it)
  FAKE_RCBENCH_SLEEP     seconds `run` waits (with its scratch file present) before writing
  FAKE_RCBENCH_FAIL      a subcommand that fails with exit 4
  FAKE_RCBENCH_RUN_EXIT  the exit status of `run` after it wrote its JSON (rcbench: 4 when
                         some benchmark errored)
  FAKE_RCBENCH_VERSION   what --version prints
  FAKE_RCBENCH_CALLS     a file that gets one line per call: the argv as JSON
  FAKE_RCBENCH_JOURNAL   when set, `run` keeps <out>.journal while it runs, as rcbench
                         does, and `run --resume <out>.journal` finishes it
"""
import json
import os
import shutil
import sys
import time


def main(argv):
    if os.environ.get("FAKE_RCBENCH_CALLS"):
        with open(os.environ["FAKE_RCBENCH_CALLS"], "a") as f:
            f.write(json.dumps(argv) + "\n")
    if argv == ["--version"]:
        print(os.environ.get("FAKE_RCBENCH_VERSION", "0.1.0 (fake)"))
        return 0
    command = argv[0]
    if os.environ.get("FAKE_RCBENCH_FAIL") == command:
        print(f"rcbench {command}: failing on purpose (FAKE_RCBENCH_FAIL)", file=sys.stderr)
        return 4
    if command == "topology":
        path = argv[argv.index("--export-xml") + 1]
        with open(path, "w") as f:
            f.write('<?xml version="1.0"?>\n<topology version="2.0"/>\n')
        return 0
    if command == "run":
        resuming = "--resume" in argv
        if resuming:
            journal = argv[argv.index("--resume") + 1]
            out = journal[:-len(".journal")]
        else:
            out = argv[argv.index("--out") + 1]
            journal = out + ".journal"
            if os.path.exists(journal):
                print(f"rcbench run: {journal} exists: continue with --resume", file=sys.stderr)
                return 2
        if os.path.exists(out):
            print(f"rcbench run: {out} exists", file=sys.stderr)
            return 2
        scratch = f"{out}.partial-{os.getpid()}.gbench"
        open(scratch, "w").close()
        if os.environ.get("FAKE_RCBENCH_JOURNAL") and not resuming:
            with open(journal, "w") as f:
                f.write('{"format": "rcbench-journal"}\n')
        print("rcbench run: profile fake, 2 benchmarks x 1 repetitions, about 1 s", flush=True)
        print(f"FAKE RUN STARTED pid={os.getpid()}", flush=True)
        time.sleep(float(os.environ.get("FAKE_RCBENCH_SLEEP", "0")))
        shutil.copyfile(os.environ["FAKE_RCBENCH_RUN_JSON"], out + ".tmp")
        os.rename(out + ".tmp", out)
        os.remove(scratch)
        if os.path.exists(journal):
            os.remove(journal)
        print(f"[2/2] done, 0 s left -> {out}", flush=True)
        return int(os.environ.get("FAKE_RCBENCH_RUN_EXIT", "0"))
    if command == "report":
        out_dir = argv[argv.index("--out-dir") + 1]
        os.mkdir(out_dir)   # refuses an existing folder, as rcbench report does
        for name in ["report.json", "tables.md", "tables.csv", "report.html"]:
            with open(os.path.join(out_dir, name), "w") as f:
                f.write("{}\n" if name.endswith(".json") else "fake\n")
        os.mkdir(os.path.join(out_dir, "plots"))
        return 0
    print(f"fake rcbench: unknown command {argv}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
