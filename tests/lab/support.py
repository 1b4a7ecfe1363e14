"""Shared by the lab tests: where things are, a fake sysfs/procfs tree, and a way to
run scripts/lab.py against the fake rcbench in a temporary results folder."""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SCRIPTS = os.path.join(REPO, "scripts")
FAKE_RCBENCH = os.path.join(HERE, "fake_rcbench.py")
RUN_FIXTURE = os.path.join(REPO, "tests", "data", "runs", "two-vcpu-synthetic.json")
RESULTS_FIXTURE = os.path.join(REPO, "tests", "data", "results", "tree")
PYTHON = "/usr/bin/python3"
# The shape lab.py must derive from RUN_FIXTURE's topology and CPU model.
FIXTURE_SHAPE = "1pkg-1numa-1l3-2c-2pu-AMD-EPYC-9R14"
FIXTURE_REVISION = "1479b99c0ffe"

sys.path.insert(0, SCRIPTS)
import lab_env  # noqa: E402

# The host part of a set's folder name when lab.py runs outside Slurm, as in LabSandbox.
HOST = lab_env.host_name({})


def environment_of(folder):
    """A published or staging set's environment.json."""
    with open(os.path.join(folder, "environment.json")) as f:
        return json.load(f)


def write_tree(root, files):
    """files: {relative path: content}."""
    for rel, content in files.items():
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(content)


def quiet_machine(root):
    """A fake root on which every check says ok: a tuned, idle, bare-metal lab machine."""
    write_tree(root, {
        "sys/devices/system/cpu/cpu0/cpufreq/scaling_governor": "performance\n",
        "sys/devices/system/cpu/cpu1/cpufreq/scaling_governor": "performance\n",
        "sys/devices/system/cpu/intel_pstate/no_turbo": "1\n",
        "sys/devices/system/cpu/smt/control": "off\n",
        "sys/devices/system/cpu/smt/active": "0\n",
        "sys/devices/system/cpu/online": "0-1\n",
        "sys/devices/system/cpu/isolated": "\n",
        "proc/loadavg": "0.02 0.05 0.01 1/200 4242\n",
        "proc/sys/kernel/perf_event_paranoid": "1\n",
        "proc/cpuinfo": "processor\t: 0\nflags\t\t: fpu sse2 lm\n\nprocessor\t: 1\nflags\t\t: fpu sse2 lm\n",
    })


class LabSandbox:
    """A temporary folder with a results/ folder, a quiet fake machine root and the
    environment the fake rcbench reads."""

    def __init__(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="rcbench-lab-test-")
        self.dir = self._tmp.name
        self.results = os.path.join(self.dir, "results")
        self.root = os.path.join(self.dir, "root")
        self.calls = os.path.join(self.dir, "calls.jsonl")
        quiet_machine(self.root)
        # Outside any Slurm job, even when the tests themselves run in one: a test that
        # wants a job sets the SLURM_* variables it fakes.
        outside_slurm = {k: v for k, v in os.environ.items() if not k.startswith("SLURM")}
        self.env = dict(outside_slurm, FAKE_RCBENCH_RUN_JSON=RUN_FIXTURE, FAKE_RCBENCH_CALLS=self.calls,
                        PYTHONDONTWRITEBYTECODE="1")

    def cleanup(self):
        self._tmp.cleanup()

    def argv(self, *extra, clock=None):
        """lab.py's command line; with clock ('2026-01-02T03:04:05Z') lab.py runs through
        lab_at_fixed_clock.py, so that several runs get one start stamp."""
        lab = [os.path.join(HERE, "lab_at_fixed_clock.py"), clock] if clock else [os.path.join(SCRIPTS, "lab.py")]
        return [PYTHON, *lab, "--rcbench", FAKE_RCBENCH,
                "--results-dir", self.results, "--env-root", self.root, "--profile", "quick", *extra]

    def run(self, *extra, env=None, bare=False, clock=None):
        argv = [PYTHON, os.path.join(SCRIPTS, "lab.py"), *extra] if bare else self.argv(*extra, clock=clock)
        return subprocess.run(argv, env=dict(self.env, **(env or {})), capture_output=True,
                              text=True, timeout=60, cwd=self.dir)

    def staging_folders(self):
        if not os.path.isdir(self.results):
            return []
        return sorted(os.path.join(self.results, d) for d in os.listdir(self.results)
                      if d.startswith(".staging-"))

    def published(self):
        """Every <machine>/<run>/ folder under results/."""
        out = []
        for m in sorted(os.listdir(self.results)) if os.path.isdir(self.results) else []:
            mp = os.path.join(self.results, m)
            if m.startswith(".") or not os.path.isdir(mp):
                continue
            out += [os.path.join(mp, r) for r in sorted(os.listdir(mp))]
        return out

    def calls_made(self):
        if not os.path.exists(self.calls):
            return []
        with open(self.calls) as f:
            return [json.loads(line)[0] for line in f]
