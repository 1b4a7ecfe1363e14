"""What on this machine makes benchmark numbers unstable, read from sysfs/procfs.

Every check is a pure function of a `root` folder (default `/`) so that tests can point
it at a fake tree. A check returns a Check: `ok` (nothing to fix), `warn` (this will
move the numbers; fix it or accept it knowingly) or `unknown` (the file that would say
is missing: common in virtual machines and containers). A check never guesses.

Also here: the machine-shape name a result set is filed under (from the run's
topology summary and CPU model).
"""
from __future__ import annotations

import dataclasses
import glob
import os
import re
from collections import Counter
from typing import Callable, Optional

OK, WARN, UNKNOWN = "ok", "warn", "unknown"


@dataclasses.dataclass(frozen=True)
class Check:
    name: str
    status: str   # ok | warn | unknown
    detail: str   # what was found, with the file it came from
    why: str      # why it matters for these benchmarks

    def to_json(self) -> dict:
        return dataclasses.asdict(self)


def _first_line(path: str) -> Optional[str]:
    """First line of a file, stripped, or None if it cannot be read."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.readline().strip()
    except OSError:
        return None


def _read(root: str, rel: str) -> Optional[str]:
    return _first_line(os.path.join(root, rel))


def _read_all(root: str, rel: str) -> Optional[str]:
    try:
        with open(os.path.join(root, rel), encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return None


def parse_cpu_list(text: str) -> list[int]:
    """'0-3,8,10-11' -> [0, 1, 2, 3, 8, 10, 11] (the kernel's cpulist format)."""
    cpus: list[int] = []
    for part in text.strip().split(","):
        part = part.strip()
        if not part:
            continue
        if "-" in part:
            lo, hi = part.split("-", 1)
            cpus.extend(range(int(lo), int(hi) + 1))
        else:
            cpus.append(int(part))
    return cpus


def format_cpu_list(cpus) -> str:
    """[0, 1, 2, 3, 8] -> '0-3,8' (the kernel's cpulist format; the inverse of parse_cpu_list)."""
    runs: list[list[int]] = []
    for cpu in sorted(set(cpus)):
        if runs and cpu == runs[-1][1] + 1:
            runs[-1][1] = cpu
        else:
            runs.append([cpu, cpu])
    return ",".join(str(lo) if lo == hi else f"{lo}-{hi}" for lo, hi in runs)


def check_governor(root: str = "/") -> Check:
    why = ("a governor other than 'performance' changes the clock with load: the first "
           "repetitions run slower than the last, and threads on different cores run "
           "at different speeds")
    files = sorted(glob.glob(os.path.join(root, "sys/devices/system/cpu/cpu[0-9]*/cpufreq/scaling_governor")))
    governors = Counter(g for g in map(_first_line, files) if g)
    if not governors:
        return Check("governor", UNKNOWN, "no cpu*/cpufreq/scaling_governor (no cpufreq "
                     "driver: usual in a virtual machine, where the host sets the clock)", why)
    found = ", ".join(f"{g} on {n} CPU(s)" for g, n in sorted(governors.items()))
    if set(governors) == {"performance"}:
        return Check("governor", OK, found, why)
    return Check("governor", WARN, f"{found} (want 'performance' on all)", why)


def check_turbo(root: str = "/") -> Check:
    why = ("turbo/boost makes the clock depend on temperature and on how many cores are "
           "busy: single-thread rows run faster than all-core rows for reasons that are "
           "not reference counting")
    no_turbo = _read(root, "sys/devices/system/cpu/intel_pstate/no_turbo")
    if no_turbo in ("0", "1"):
        state = "off" if no_turbo == "1" else "on"
        return Check("turbo", OK if state == "off" else WARN,
                     f"turbo {state} (intel_pstate/no_turbo = {no_turbo})", why)
    boost = _read(root, "sys/devices/system/cpu/cpufreq/boost")
    if boost in ("0", "1"):
        state = "on" if boost == "1" else "off"
        return Check("turbo", OK if state == "off" else WARN,
                     f"boost {state} (cpufreq/boost = {boost})", why)
    return Check("turbo", UNKNOWN, "neither intel_pstate/no_turbo nor cpufreq/boost exists", why)


def check_smt(root: str = "/") -> Check:
    why = ("with SMT a benchmark thread shares its core's pipeline and L1/L2 with whatever "
           "runs on its sibling PU, so single-thread figures move with that work; the 'smt' "
           "placement class needs SMT on, so a lab may accept this warning on purpose")
    control = _read(root, "sys/devices/system/cpu/smt/control")
    active = _read(root, "sys/devices/system/cpu/smt/active")
    if control is None and active is None:
        return Check("smt", UNKNOWN, "no sys/devices/system/cpu/smt/{control,active}", why)
    detail = f"control = {control or 'n/a'}, active = {active or 'n/a'}"
    if active == "1" or (active is None and control == "on"):
        return Check("smt", WARN, f"SMT on ({detail})", why)
    return Check("smt", OK, f"SMT off or not supported ({detail})", why)


def cpu_count(root: str = "/") -> Optional[int]:
    """Online CPUs, from sys/devices/system/cpu/online, else proc/cpuinfo."""
    online = _read(root, "sys/devices/system/cpu/online")
    if online:
        try:
            return len(parse_cpu_list(online))
        except ValueError:
            pass
    cpuinfo = _read_all(root, "proc/cpuinfo")
    if cpuinfo:
        n = sum(1 for line in cpuinfo.splitlines() if re.match(r"processor\s*:", line))
        return n or None
    return None


# Load per CPU above which other work visibly competes with pinned benchmark threads.
# A quarter: on a 2-CPU machine one background process half the time is enough to
# land on a benchmark PU in most repetitions.
LOAD_PER_CPU_LIMIT = 0.25


def check_load(root: str = "/") -> Check:
    why = ("other runnable work shares the benchmark's PUs: a pinned thread that is "
           "preempted stalls its whole team, and contended rows become a sample of the "
           "scheduler rather than of the counter")
    loadavg = _read(root, "proc/loadavg")
    cpus = cpu_count(root)
    if not loadavg or not cpus:
        return Check("load", UNKNOWN, "cannot read proc/loadavg or count the CPUs", why)
    try:
        load1 = float(loadavg.split()[0])
    except (ValueError, IndexError):
        return Check("load", UNKNOWN, f"proc/loadavg unreadable: '{loadavg}'", why)
    detail = (f"1-minute load average {load1:.2f} on {cpus} CPU(s) = {load1 / cpus:.2f} per CPU "
              f"(limit {LOAD_PER_CPU_LIMIT})")
    return Check("load", WARN if load1 / cpus > LOAD_PER_CPU_LIMIT else OK, detail, why)


def check_perf_paranoid(root: str = "/", euid: Optional[int] = None) -> Check:
    why = ("kernel.perf_event_paranoid > 1 without root stops PAPI from counting in the "
           "kernel domain: hardware events and perf::CONTEXT-SWITCHES read nothing, so "
           "the report's counter columns stay empty (the timings are not affected)")
    euid = os.geteuid() if euid is None else euid
    value = _read(root, "proc/sys/kernel/perf_event_paranoid")
    if value is None:
        return Check("perf_event_paranoid", UNKNOWN, "no proc/sys/kernel/perf_event_paranoid", why)
    try:
        level = int(value)
    except ValueError:
        return Check("perf_event_paranoid", UNKNOWN, f"unreadable value '{value}'", why)
    if level <= 1:
        return Check("perf_event_paranoid", OK, f"{level} (counters allowed)", why)
    if euid == 0:
        return Check("perf_event_paranoid", OK, f"{level}, but running as root (counters allowed)", why)
    return Check("perf_event_paranoid", WARN,
                 f"{level} and not root (counters need <= 1: sysctl kernel.perf_event_paranoid=1)", why)


def check_virtual(root: str = "/") -> Check:
    why = ("a virtual CPU is a thread on the host: the host moves vCPUs between cores and "
           "caches, steals time, and hides the hardware counters, so placement classes "
           "and coherence latencies are only what the guest is shown")
    cpuinfo = _read_all(root, "proc/cpuinfo")
    evidence = []
    if cpuinfo is not None:
        flags = next((line.split(":", 1)[1].split() for line in cpuinfo.splitlines()
                      if line.startswith("flags") and ":" in line), [])
        if "hypervisor" in flags:
            evidence.append("proc/cpuinfo has the 'hypervisor' flag")
    hv = _read(root, "sys/hypervisor/type")
    if hv:
        evidence.append(f"sys/hypervisor/type is '{hv}'")
    vendor = _read(root, "sys/class/dmi/id/sys_vendor")
    if vendor and any(v in vendor for v in ("QEMU", "KVM", "VMware", "Xen", "Microsoft",
                                             "Amazon EC2", "Google")):
        evidence.append(f"DMI sys_vendor is '{vendor}'")
    if evidence:
        return Check("virtual_machine", WARN, "virtual machine: " + "; ".join(evidence), why)
    if cpuinfo is None:
        return Check("virtual_machine", UNKNOWN, "cannot read proc/cpuinfo", why)
    return Check("virtual_machine", OK, "no hypervisor evidence (cpuinfo flag, "
                 "sys/hypervisor/type, DMI vendor)", why)


def check_isolated(root: str = "/") -> Check:
    why = ("isolated CPUs (isolcpus/nohz_full) get no load balancing and fewer ticks; rows "
           "whose threads span isolated and ordinary CPUs mix two behaviours, and rcbench "
           "only uses the CPUs its affinity mask allows")
    isolated = _read(root, "sys/devices/system/cpu/isolated")
    if isolated is None:
        return Check("isolated_cpus", UNKNOWN, "no sys/devices/system/cpu/isolated", why)
    if not isolated:
        return Check("isolated_cpus", OK, "none isolated: every CPU is scheduled alike", why)
    return Check("isolated_cpus", WARN, f"CPUs {isolated} are isolated; run rcbench with an "
                 "affinity that matches the rows you publish (the run records its allowed PUs)", why)


ALL_CHECKS: list[Callable[[str], Check]] = [
    check_governor, check_turbo, check_smt, check_load, check_perf_paranoid,
    check_virtual, check_isolated]


def run_checks(root: str = "/") -> list[Check]:
    return [check(root) for check in ALL_CHECKS]


def warnings_of(checks: list[Check]) -> list[Check]:
    return [c for c in checks if c.status == WARN]


def format_checks(checks: list[Check]) -> str:
    width = max(len(c.name) for c in checks)
    return "\n".join(f"  {c.status:<7} {c.name:<{width}}  {c.detail}" for c in checks)


# --- where the process ran: the batch system's allocation --------------------------------

# environment.json "slurm" key -> the variable Slurm sets in a job's environment. Ids are
# kept as the strings Slurm prints (what squeue/scontrol take back); cpus_on_node is a count.
SLURM_FIELDS = {
    "job_id": "SLURM_JOB_ID",
    "array_job_id": "SLURM_ARRAY_JOB_ID",
    "array_task_id": "SLURM_ARRAY_TASK_ID",
    "step_id": "SLURM_STEP_ID",
    "job_name": "SLURM_JOB_NAME",
    "node": "SLURMD_NODENAME",
    "partition": "SLURM_JOB_PARTITION",
    "cpus_on_node": "SLURM_CPUS_ON_NODE",
}


def slurm_allocation(environ) -> Optional[dict]:
    """The Slurm job this process runs in, from the variables Slurm sets (every key of
    SLURM_FIELDS, null where the variable is absent), or None outside a Slurm job
    (no SLURM_JOB_ID). cpus_on_node is an int, or null if it does not read as one."""
    if not environ.get("SLURM_JOB_ID"):
        return None
    out: dict = {key: environ.get(var) or None for key, var in SLURM_FIELDS.items()}
    try:
        out["cpus_on_node"] = int(out["cpus_on_node"]) if out["cpus_on_node"] is not None else None
    except ValueError:
        out["cpus_on_node"] = None
    return out


def allowed_cpus() -> str:
    """The CPUs this process may run on (its affinity mask: a Slurm allocation, taskset,
    a cgroup cpuset), as a cpulist string; rcbench, its child, inherits the same mask."""
    return format_cpu_list(os.sched_getaffinity(0))


def host_name(environ) -> str:
    """The name a result set's folder carries for the machine it ran on: the Slurm node
    name inside a Slurm job (several slurmd may share one host, and it is the name the
    fleet knows), else the host name up to its first dot; sanitised."""
    name = environ.get("SLURMD_NODENAME") or os.uname().nodename.split(".", 1)[0]
    return sanitize(name.split(".", 1)[0])


# --- where a result set is filed -------------------------------------------------------

_CPU_NOISE = [r"\(R\)", r"\(TM\)", r"\(tm\)", r"\b\d+-Core Processor\b", r"\bProcessor\b",
              r"\bCPU\b", r"@\s*[\d.]+\s*GHz", r"\bwith Radeon.*$"]


def sanitize(text: str) -> str:
    """Letters, digits, '-' and '.' only; runs of anything else become one '-'."""
    return re.sub(r"-{2,}", "-", re.sub(r"[^A-Za-z0-9.-]+", "-", text)).strip("-.") or "unknown"


def cpu_short_name(cpu_model: str) -> str:
    """'AMD EPYC 9654 96-Core Processor' -> 'AMD-EPYC-9654';
    'Intel(R) Xeon(R) Platinum 8480+ CPU @ 2.00GHz' -> 'Intel-Xeon-Platinum-8480'."""
    name = cpu_model or "unknown-cpu"
    for pattern in _CPU_NOISE:
        name = re.sub(pattern, " ", name)
    return sanitize(name)


def machine_shape(topology: dict, cpu_model: str) -> str:
    """'<packages>pkg-<numa>numa-<l3>l3-<cores>c-<pus>pu-<cpu>', e.g.
    '2pkg-2numa-24l3-192c-384pu-AMD-EPYC-9654'. Missing counts read '?' -> 'x'."""
    def count(key: str) -> str:
        v = topology.get(key)
        return str(v) if isinstance(v, int) and not isinstance(v, bool) else "x"
    shape = (f"{count('packages')}pkg-{count('numa_nodes')}numa-{count('l3_caches')}l3-"
             f"{count('cores')}c-{count('pus')}pu")
    return sanitize(f"{shape}-{cpu_short_name(cpu_model)}")


def machine_id_of_run(run: dict) -> str:
    """The machine-shape name of the machine a run JSON was measured on: the one name a
    machine has in results/ (lab.py) and results/baselines/ (scripts/ci-gate.sh)."""
    machine = (run.get("rcbench") or {}).get("machine") or {}
    return machine_shape(machine.get("topology") or {}, machine.get("cpu_model") or "")


def main(argv: list[str]) -> int:
    """`lab_env.py machine-id RUN.json`: prints the run's machine-shape name."""
    import json
    import sys
    if len(argv) != 2 or argv[0] != "machine-id":
        print("usage: lab_env.py machine-id RUN.json", file=sys.stderr)
        return 2
    try:
        with open(argv[1], encoding="utf-8") as f:
            run = json.load(f)
    except (OSError, ValueError) as e:
        print(f"lab_env.py: cannot read {argv[1]}: {e}", file=sys.stderr)
        return 2
    print(machine_id_of_run(run))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(main(sys.argv[1:]))
