#!/usr/bin/python3
"""A stand-in for Slurm's client commands (sbatch, sinfo, scontrol), so fleet.py's tests
need no cluster. Linked under each name into a bin folder put first on PATH; state lives
in the folder FAKE_SLURM_DIR names:
  calls.jsonl         one line per call: [command name, argv...]
  next_id             the next job id sbatch prints (starts at 101)
  partitions, nodes, features   what sinfo knows, one a line
  jobs/<id>.json      what `scontrol show job -o <id>` prints (fields as Slurm names them);
                      no file: "Invalid job id specified", exit 1, as for a purged job
"""
import json
import os
import sys


def lines(state, name):
    try:
        with open(os.path.join(state, name)) as f:
            return [line.strip() for line in f if line.strip()]
    except OSError:
        return []


def option(argv, flag):
    return argv[argv.index(flag) + 1] if flag in argv else None


def main():
    state = os.environ["FAKE_SLURM_DIR"]
    name = os.path.basename(sys.argv[0])
    argv = sys.argv[1:]
    with open(os.path.join(state, "calls.jsonl"), "a") as f:
        f.write(json.dumps([name] + argv) + "\n")
    if name == "sbatch":
        path = os.path.join(state, "next_id")
        job_id = int(lines(state, "next_id")[0]) if os.path.exists(path) else 101
        with open(path, "w") as f:
            f.write(f"{job_id + 1}\n")
        print(job_id)
        return 0
    if name == "sinfo":
        if "-p" in argv:
            print("\n".join(p for p in lines(state, "partitions") if p == option(argv, "-p")))
        elif "-n" in argv:
            print("\n".join(n for n in lines(state, "nodes") if n == option(argv, "-n")))
        else:
            print(",".join(lines(state, "features")))
        return 0
    if name == "scontrol" and argv[:3] == ["show", "job", "-o"]:
        try:
            with open(os.path.join(state, "jobs", f"{argv[3]}.json")) as f:
                fields = json.load(f)
        except OSError:
            print("slurm_load_jobs error: Invalid job id specified", file=sys.stderr)
            return 1
        print(" ".join([f"JobId={argv[3]}"] + [f"{k}={v}" for k, v in fields.items()]))
        return 0
    print(f"fake_slurm: {name} {argv} is not faked", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
