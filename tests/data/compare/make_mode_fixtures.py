#!/usr/bin/python3
"""Generates modes_probes.json: probe series (probe_before_ns, probe_after_ns per
repetition) with the mode each repetition was built in, for the tests of
reports/stats/modes. The expected tags come from the construction, not from the
code under test. Latencies follow what was measured on the 2-vCPU development VM
(docs in shared PITFALLS.md): SMT 22-24 ns, same L3 52-65 ns, across CCDs 233-258 ns.
Run once with /usr/bin/python3; the test reads only the JSON."""
import json
import numpy as np

rng = np.random.default_rng(7)
RANGES = {"smt": (22.0, 24.0), "l3": (52.0, 65.0), "ccd": (233.0, 258.0)}


def probe(mode):
    lo, hi = RANGES[mode]
    return round(float(rng.uniform(lo, hi)), 2)


def series(name, plan, expected_ids, expected_modes, dominant, note):
    """plan: list of (before_mode, after_mode) per repetition, or ('drift', b, a)."""
    before, after = [], []
    for p in plan:
        if p[0] == "value":
            before.append(p[1])
            after.append(p[2])
        else:
            before.append(probe(p[0]))
            after.append(probe(p[1]))
    return {"name": name, "note": note, "before_ns": before, "after_ns": after,
            "expected_mode_of_rep": expected_ids, "expected_modes": expected_modes,
            "expected_dominant": dominant}


cases = []
# One mode: every repetition in the same-L3 mode.
cases.append(series("one_mode_l3", [("l3", "l3")] * 15, [0] * 15,
                    [{"lo_ns": 52, "hi_ns": 65, "reps": 15}], 0,
                    "15 reps, all same-L3"))

# Three modes with jitter, two repetitions moving during the repetition (unstable).
plan, ids = [], []
order = ["l3"] * 6 + ["ccd"] * 4 + ["smt"] * 3 + ["l3"] * 4 + ["ccd"] * 2
id_of = {"smt": 0, "l3": 1, "ccd": 2}
for m in order:
    plan.append((m, m))
    ids.append(id_of[m])
plan.insert(6, ("l3", "ccd"))    # moved across CCDs while running
ids.insert(6, -1)
plan.insert(14, ("smt", "l3"))
ids.insert(14, -1)
cases.append(series("three_modes_23_58_245", plan, ids,
                    [{"lo_ns": 22, "hi_ns": 24, "reps": 3}, {"lo_ns": 52, "hi_ns": 65, "reps": 10},
                     {"lo_ns": 233, "hi_ns": 258, "reps": 6}], 1,
                    "SMT / same L3 / across CCDs with jitter; reps 6 and 14 change mode mid-repetition"))

# Slow drift inside one mode (52 -> 65 ns over 20 reps): no gap, one mode.
drift = np.linspace(52, 65, 21)
plan = [("value", round(float(drift[i]), 2), round(float(drift[i + 1]), 2)) for i in range(20)]
cases.append(series("drifting_within_l3", plan, [0] * 20, [{"lo_ns": 52, "hi_ns": 65, "reps": 20}], 0,
                    "probes drift slowly from 52 to 65 ns; before/after of a rep are neighbours"))

# Drift that ends in a jump: 10 reps same L3, one rep that leaves mid-way, 9 reps across CCDs.
plan = [("l3", "l3")] * 10 + [("l3", "ccd")] + [("ccd", "ccd")] * 9
cases.append(series("drift_then_jump", plan, [0] * 10 + [-1] + [1] * 9,
                    [{"lo_ns": 52, "hi_ns": 65, "reps": 10}, {"lo_ns": 233, "hi_ns": 258, "reps": 9}], 0,
                    "the host moves the vCPUs to different CCDs during rep 10"))

# Missing probes (null in the run JSON -> NaN) and a zero: unprobed, not clustered.
plan = [("l3", "l3")] * 5 + [("value", None, 60.0), ("value", 0.0, 0.0)] + [("l3", "l3")] * 3
cases.append(series("missing_probes", plan, [0] * 5 + [-2, -2] + [0] * 3,
                    [{"lo_ns": 52, "hi_ns": 65, "reps": 8}], 0,
                    "rep 5 lacks its before probe, rep 6 probed 0: both unprobed"))

with open("modes_probes.json", "w") as f:
    json.dump({"generator": "make_mode_fixtures.py", "unit": "ns one-way", "cases": cases}, f, indent=1)
    f.write("\n")
print(len(cases), "cases")
