#!/bin/sh
# run_gbench_out.sh RCBENCH DIR: a tiny real run with Google Benchmark's output
# flags. Passes when the run JSON and Google Benchmark's own file are both written,
# stdout carries only the chosen console format (CSV), the selected row brought its
# GIL baselines, and both files give times per op (iterations = the ops counter).
set -u
rc="$1"; dir="$2"
rm -rf "$dir" && mkdir -p "$dir" || exit 1
"$rc" run --profile quick --filter '^refcount/atomic/private/placement:single/' \
  --min-time 0.005 --repetitions 1 --no-counters --no-probes \
  --benchmark_format=csv --benchmark_out="$dir/gb.json" --out "$dir/run.json" \
  >"$dir/stdout" 2>"$dir/stderr" || { echo "run failed:"; cat "$dir/stderr"; exit 1; }
head -1 "$dir/stdout" | grep -q '^name,iterations,real_time' || { echo "stdout is not CSV:"; head -3 "$dir/stdout"; exit 1; }
grep -q 'rcbench run: profile custom' "$dir/stderr" || { echo "header not on stderr"; exit 1; }
exec /usr/bin/python3 - "$dir/run.json" "$dir/gb.json" <<'PY'
import json, sys
run, gb = (json.load(open(p)) for p in sys.argv[1:3])
rc = run["rcbench"]
roles = {b["name"].split("/")[1] + ":" + b["role"] for b in rc["benchmarks"]}
need = {"atomic:selected", "gil_cpython:baseline", "gil_lock:baseline", "plain:reference"}
assert need <= roles, f"roles {sorted(roles)} lack {sorted(need - roles)}"
assert rc["profile"] == "custom" and rc["base_profile"] == "quick", rc["profile"]
assert rc["overrides"]["filter"].startswith("^refcount/atomic"), rc["overrides"]
assert rc["real_time_per"] == "op" and rc["no_baselines"] is False
for doc, what in ((run, "run JSON"), (gb, "--benchmark_out")):
    rows = [b for b in doc["benchmarks"] if b["run_type"] == "iteration"]
    assert len(rows) == len(rc["benchmarks"]), f"{what}: {len(rows)} rows"
    for b in rows:
        assert b["iterations"] == b["ops"], f"{what} {b['name']}: iterations {b['iterations']} != ops {b['ops']}"
print("ok: run JSON and Google Benchmark's file written, per-op times, baselines added")
PY
