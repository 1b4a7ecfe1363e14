#!/usr/bin/env bash
# `rcbench fleet` against a real Slurm: munged, slurmctld and two slurmd (nodeA, nodeB:
# partitions typeA, typeB) on loopback, on free non-default ports, all state and logs
# under one temporary folder, as root without systemd. Both fake nodes are this one
# machine: the test proves the orchestration (jobs, signals, gathering, manifest,
# index), not any figure.
#
#   scripts/ci-slurm.sh            (root; the release binary must be built first)
#
# 0. an unknown partition and a missing results folder: exit 2, nothing queued;
# 1. a fleet of the two types running the quick profile: two sets gathered, the index,
#    the manifest, each set's allowed PUs = the job's allocation, and the Slurm job,
#    node, partition and allowed CPUs lab.py records in environment.json;
# 2. a fleet with a failing type (a bad --rcbench path): reported in the manifest, the
#    other set still gathered, the gather job exits 1;
# 3. a cancelled job (scancel during the run): no set published, its staging folder
#    keeps STATUS with the resume command.
# Stops only the daemons it started, waits for the job cgroups to empty and removes
# them and every temporary file. Uses task/cgroup + proctrack/cgroup where cgroup v1 is
# writable, else the affinity-only configuration (and says so; RCBENCH_SLURM_AFFINITY_ONLY=1
# forces it, to try that configuration where cgroups are writable).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
t0=$(date +%s)
rcbench=${RCBENCH:-$repo/build/release/cli/rcbench}
say() { echo "ci-slurm: $*"; }
fail() { echo "ci-slurm: FAIL: $*" >&2; exit 1; }

[[ $(id -u) -eq 0 ]] || { echo "ci-slurm: needs root (it starts slurmd)" >&2; exit 2; }
[[ -x $rcbench ]] || { echo "ci-slurm: no $rcbench: build it first (scripts/build.sh release)" >&2; exit 2; }
RCBENCH_WITH_SLURM=1 scripts/install-deps.sh

tmp=$(mktemp -d /tmp/rcbench-slurm.XXXXXX)
chmod 0755 "$tmp"
daemons=()
cgroups=()
cleanup() {
  local rc=$?
  set +e
  if [[ -n ${SLURM_CONF:-} && -f $SLURM_CONF ]] && ((${#daemons[@]})); then
    scancel --full --quiet $(squeue -h -o %i 2>/dev/null) 2>/dev/null
    for _ in $(seq 100); do [[ -z $(squeue -h -o %i 2>/dev/null) ]] && break; sleep 0.2; done
  fi
  for ((i = ${#daemons[@]} - 1; i >= 0; i--)); do kill -TERM "${daemons[i]}" 2>/dev/null; done
  for pid in "${daemons[@]}"; do
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && { say "daemon $pid did not stop: KILL"; kill -KILL "$pid"; }
  done
  # The job step daemons (slurmstepd) and job processes of our slurmd can outlive it
  # briefly: wait for them. Ours only: slurmstepd or job processes (SLURM_JOB_ID) that
  # inherited our SLURM_CONF.
  local ours
  for _ in $(seq 100); do
    ours=""
    for e in /proc/[0-9]*/environ; do
      grep -qsxzF "SLURM_CONF=${SLURM_CONF:-/nonexistent}" "$e" || continue
      [[ $(cat "${e%environ}comm" 2>/dev/null) == slurmstepd ]] || grep -qszF SLURM_JOB_ID= "$e" || continue
      ours+=" ${e:6:-8}"
    done
    [[ -z $ours ]] && break; sleep 0.1
  done
  [[ -n $ours ]] && say "warning: still running with our SLURM_CONF after 10 s:$ours"
  # The job cgroups slurmd made (only those that were not there before we started):
  # wait until no process is left in them, then remove them, deepest first.
  for cg in "${cgroups[@]}"; do
    [[ -d $cg ]] || continue
    for _ in $(seq 100); do
      [[ -z $(find "$cg" -name cgroup.procs -exec cat {} + 2>/dev/null) ]] && break; sleep 0.1
    done
    find "$cg" -depth -type d -exec rmdir {} + 2>/dev/null
    [[ -d $cg ]] && say "warning: cgroup $cg still has processes; left in place"
  done
  if ((rc != 0)); then
    for f in "$tmp"/log/*.log; do [[ -f $f ]] && { echo "--- $f (last 15 lines)"; tail -n 15 "$f"; }; done
  fi
  rm -rf "$tmp"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$tmp"/{log,state,spool,results} "$tmp/munge-run"
mkdir -m 0700 "$tmp/munge-etc"
chmod 0755 "$tmp/munge-run"

# --- munge -------------------------------------------------------------------------
mungekey -c -k "$tmp/munge-etc/munge.key"
chmod 0600 "$tmp/munge-etc/munge.key"
socket=$tmp/munge-run/munge.socket.2
munged -F --key-file "$tmp/munge-etc/munge.key" --socket "$socket" --pid-file "$tmp/munge-run/munged.pid" \
  --log-file "$tmp/log/munged.log" --seed-file "$tmp/munge-etc/munged.seed" >"$tmp/log/munged.out" 2>&1 &
daemons+=($!)
for _ in $(seq 50); do [[ -S $socket ]] && break; sleep 0.1; done
[[ -S $socket ]] || fail "munged did not start"

# --- slurm.conf ----------------------------------------------------------------------
read -r port_ctl port_a port_b < <(/usr/bin/python3 -c '
import socket
ss = [socket.socket() for _ in range(3)]
for s in ss: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in ss])')
# The node line as slurmd sees this machine (CPUs, sockets, cores, threads, memory).
shape=$(slurmd -C | head -1 | tr ' ' '\n' | grep -E '^(CPUs|Boards|SocketsPerBoard|CoresPerSocket|ThreadsPerCore|RealMemory)=' | tr '\n' ' ')
cgroup_v1_writable() {
  [[ $(stat -fc %T /sys/fs/cgroup) == tmpfs ]] || return 1
  local c probe
  for c in cpuset freezer memory devices; do
    probe=/sys/fs/cgroup/$c/rcbench-ci-probe-$$
    mkdir "$probe" 2>/dev/null && rmdir "$probe" || return 1
  done
}
if [[ ${RCBENCH_SLURM_AFFINITY_ONLY:-0} == 1 ]]; then
  mode="affinity-only (task/affinity + proctrack/linuxproc): RCBENCH_SLURM_AFFINITY_ONLY=1"
  plugins=$'ProctrackType=proctrack/linuxproc\nTaskPlugin=task/affinity'
elif cgroup_v1_writable; then
  mode="cgroup (task/affinity,task/cgroup + proctrack/cgroup, cgroup v1)"
  plugins=$'ProctrackType=proctrack/cgroup\nTaskPlugin=task/affinity,task/cgroup'
  cat >"$tmp/cgroup.conf" <<EOF
CgroupPlugin=cgroup/v1
CgroupMountpoint=/sys/fs/cgroup
ConstrainCores=yes
EOF
  for c in /sys/fs/cgroup/*/; do
    for n in nodeA nodeB; do [[ -e $c/slurm_$n ]] || cgroups+=("${c}slurm_$n"); done
  done
else
  mode="affinity-only (task/affinity + proctrack/linuxproc): cgroups are not writable here"
  plugins=$'ProctrackType=proctrack/linuxproc\nTaskPlugin=task/affinity'
fi
export SLURM_CONF=$tmp/slurm.conf
cat >"$SLURM_CONF" <<EOF
ClusterName=rcbenchci
SlurmctldHost=$(hostname -s)(127.0.0.1)
SlurmctldPort=$port_ctl
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$socket
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool/%n
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd-%n.pid
SlurmctldLogFile=$tmp/log/slurmctld.log
SlurmdLogFile=$tmp/log/slurmd-%n.log
$plugins
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
SchedulerParameters=sched_interval=1
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$tmp/log/jobcomp.txt
MpiDefault=none
ReturnToService=2
MinJobAge=600
KillWait=10
MessageTimeout=10
NodeName=nodeA NodeHostname=$(hostname -s) NodeAddr=127.0.0.1 Port=$port_a $shape
NodeName=nodeB NodeHostname=$(hostname -s) NodeAddr=127.0.0.1 Port=$port_b $shape
PartitionName=typeA Nodes=nodeA Default=YES MaxTime=INFINITE State=UP
PartitionName=typeB Nodes=nodeB MaxTime=INFINITE State=UP
EOF
say "Slurm $(sinfo --version | cut -d' ' -f2), $mode; ports $port_ctl (slurmctld), $port_a, $port_b (slurmd)"

slurmctld -D -f "$SLURM_CONF" >"$tmp/log/slurmctld.out" 2>&1 &
daemons+=($!)
for n in nodeA nodeB; do
  slurmd -D -N "$n" -f "$SLURM_CONF" >"$tmp/log/slurmd-$n.out" 2>&1 &
  daemons+=($!)
done
for _ in $(seq 150); do
  [[ $(sinfo -h -N -o '%N %t' 2>/dev/null | grep -c ' idle$') == 2 ]] && break; sleep 0.2
done
[[ $(sinfo -h -N -o '%N %t' | grep -c ' idle$') == 2 ]] || { sinfo -N; fail "the two nodes are not idle"; }
say "slurmctld and nodeA, nodeB idle after $(($(date +%s) - t0)) s"

# --- helpers -------------------------------------------------------------------------
results=$tmp/results
job_field() { scontrol show job -o "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
wait_done() {  # waits (polling: faster than sbatch --wait) until job $1 has ended
  local state
  for _ in $(seq 900); do
    state=$(job_field "$1" JobState)
    case $state in PENDING | RUNNING | CONFIGURING | COMPLETING | SUSPENDED | "") sleep 0.2 ;; *) return 0 ;; esac
  done
  fail "job $1 still $state after 180 s"
}
submit() {  # submit FLEET_DIR ARGS...: runs fleet.py submit, prints nothing
  local dir=$1; shift
  scripts/fleet.py submit --results-dir "$results" --fleet-dir "$dir" --time 10 --gather-partition typeA "$@" \
    >"$tmp/log/submit-$(basename "$dir").log"
}
manifest() {  # manifest FLEET_DIR PYTHON_EXPRESSION (m: the manifest)
  /usr/bin/python3 -c "import json,sys; m = json.load(open(sys.argv[1] + '/fleet.json')); print($2)" "$1"
}
gather_of() { manifest "$1" "m['gather']['job_id']"; }

# --- 0. bad input is refused before anything is queued (exit 2, with the reason) --------
refused() {  # refused TEXT ARGS...
  local text=$1 rc=0; shift
  scripts/fleet.py submit "$@" >"$tmp/log/refused.out" 2>&1 || rc=$?
  ((rc == 2)) && grep -qF "$text" "$tmp/log/refused.out" || { cat "$tmp/log/refused.out"; fail "expected exit 2 and '$text' (exit $rc)"; }
}
refused "unknown partition 'typeZ'" --type Z=partition:typeZ --results-dir "$results"
refused "no such folder" --type A=partition:typeA --results-dir "$tmp/no-such-results"
[[ -z $(squeue -h -o %i) && -z $(ls -A "$results") ]] || fail "a refused submit queued or wrote something"
say "0. an unknown partition and a missing results folder: exit 2, nothing queued"

# --- 1. two node types, both publish ----------------------------------------------------
f1=$tmp/fleet-ok
submit "$f1" --type A=partition:typeA --type B=partition:typeB --profile quick --rcbench "$rcbench"
g1=$(gather_of "$f1")
wait_done "$g1"
[[ $(job_field "$g1" ExitCode) == 0:0 ]] || { cat "$f1"/gather-*.out; fail "gather job $g1: $(job_field "$g1" ExitCode)"; }
/usr/bin/python3 - "$f1" "$results" <<'EOF' || fail "fleet 1: see above"
import json, os, re, sys
fleet, results = sys.argv[1:]
m = json.load(open(os.path.join(fleet, "fleet.json")))
g = m["gathered"]
assert (g["sets"], g["missing"]) == (2, 0), g
index = open(os.path.join(results, "README.md")).read()
for e, node, part in zip(g["entries"], ["nodeA", "nodeB"], ["typeA", "typeB"]):
    assert (e["state"], e["node"], e["partition"]) == ("COMPLETED", node, part), e
    s = e["set"]
    assert os.path.dirname(os.path.dirname(s)) == results, s
    assert os.path.isfile(os.path.join(s, "run.json")) and os.path.isdir(os.path.join(s, "report")), s
    assert os.path.relpath(s, results) in index, (s, "not in the index")
    # What the job saw as its allocation (job.sh prints it) is what rcbench recorded.
    out = open(os.path.join(fleet, e["type"], f"slurm-{e['job_id']}.out")).read()
    allowed = re.search(r"allowed CPUs (\S+)", out).group(1)
    run = json.load(open(os.path.join(s, "run.json")))
    recorded = run["rcbench"]["machine"]["topology"]["allowed_pus"]
    assert recorded == allowed, (recorded, allowed)
    # lab.py records the job it ran in and the CPUs it was allowed (environment.json).
    env = json.load(open(os.path.join(s, "environment.json")))
    slurm = env["slurm"]
    assert isinstance(slurm, dict), ("no Slurm record in environment.json", slurm)
    assert (str(slurm["job_id"]), slurm["node"], slurm["partition"]) == (e["job_id"], node, part), slurm
    assert env["allowed_cpus"] == allowed, (env["allowed_cpus"], allowed)
    assert env["host"] == node, env["host"]
    print(f"ci-slurm:   {e['type']}: environment.json records Slurm job {slurm['job_id']} on "
          f"{slurm['node']} ({slurm['partition']}), allowed CPUs {env['allowed_cpus']}")
    print(f"ci-slurm:   {e['type']}: job {e['job_id']} {e['state']} on {e['node']} ({e['partition']}), "
          f"allowed PUs {recorded}: {os.path.relpath(s, results)}")
assert not [d for d in os.listdir(results) if d.startswith(".staging-")]
EOF
say "1. two node types: both sets gathered, index and manifest checked"

# --- 2. a failing node type ---------------------------------------------------------
f2=$tmp/fleet-failing
submit "$f2" --type A=partition:typeA --type B=partition:typeB --profile quick --rcbench "$rcbench" \
  --rcbench "A=$tmp/no-such-rcbench"
g2=$(gather_of "$f2")
wait_done "$g2"
[[ $(job_field "$g2" ExitCode) == 1:0 ]] || { cat "$f2"/gather-*.out; fail "gather job $g2 should exit 1: $(job_field "$g2" ExitCode)"; }
/usr/bin/python3 - "$f2" "$results" <<'EOF' || fail "fleet 2: see above"
import json, os, sys
fleet, results = sys.argv[1:]
g = json.load(open(os.path.join(fleet, "fleet.json")))["gathered"]
assert (g["sets"], g["missing"]) == (1, 1), g
a, b = g["entries"]
assert a["state"] == "FAILED" and "set" not in a and "no-such-rcbench" in a["missing"], a
assert b["state"] == "COMPLETED" and os.path.isfile(os.path.join(b["set"], "run.json")), b
assert os.path.relpath(b["set"], results) in open(os.path.join(results, "README.md")).read()
print(f"ci-slurm:   A: job {a['job_id']} {a['state']}: missing: {a['missing']}")
print(f"ci-slurm:   B: job {b['job_id']} {b['state']}: {os.path.relpath(b['set'], results)}")
EOF
say "2. a failing node type: reported, the other set gathered, gather exit 1"

# --- 3. a cancelled job ---------------------------------------------------------------
f3=$tmp/fleet-cancelled
submit "$f3" --type A=partition:typeA --profile full --rcbench "$rcbench"
j3=$(manifest "$f3" "m['types'][0]['job_id']")
for _ in $(seq 300); do   # until the run stage has started (rcbench is measuring)
  compgen -G "$f3/A/results/.staging-*/run.log" >/dev/null && break; sleep 0.2
done
compgen -G "$f3/A/results/.staging-*/run.log" >/dev/null || fail "job $j3 never reached the run stage"
sleep 1
scancel "$j3"
g3=$(gather_of "$f3")
wait_done "$j3"
wait_done "$g3"
[[ $(job_field "$g3" ExitCode) == 1:0 ]] || { cat "$f3"/gather-*.out; fail "gather job $g3 should exit 1"; }
/usr/bin/python3 - "$f3" <<'EOF' || fail "fleet 3: see above"
import glob, json, os, sys
fleet = sys.argv[1]
g = json.load(open(os.path.join(fleet, "fleet.json")))["gathered"]
(a,) = g["entries"]
assert a["state"] == "CANCELLED" and "set" not in a, a
assert "resume: " in a["missing"] and "staging folder kept" in a["missing"], a
(staging,) = glob.glob(os.path.join(fleet, "A", "results", ".staging-*"))
status = open(os.path.join(staging, "STATUS")).read()
assert "interrupted by" in status and "--resume" in status, status
assert not glob.glob(os.path.join(staging, "run.json.partial-*")), os.listdir(staging)
assert not os.path.exists(os.path.join(staging, "run.json")), os.listdir(staging)
print(f"ci-slurm:   A: job {a['job_id']} {a['state']}: missing: {a['missing'][:160]}...")
EOF
say "3. a cancelled job: nothing published, the staging folder keeps STATUS and the resume command"
sets=$(/usr/bin/python3 -c 'import sys; sys.path.insert(0, "scripts"); import results_index
print(len(results_index.find_result_sets(sys.argv[1])))' "$results")
[[ $sets == 3 ]] || fail "the results folder holds $sets sets, expected 3 (two from fleet 1, one from fleet 2)"
say "passed: node types typeA, typeB; $mode; node-type jobs 3 COMPLETED, 1 FAILED, 1 CANCELLED (each checked above); $sets sets gathered into one index; $(($(date +%s) - t0)) s"
