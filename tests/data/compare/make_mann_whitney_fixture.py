#!/usr/bin/python3
"""Generates mann_whitney_scipy.json: reference results of scipy.stats.mannwhitneyu
(two-sided, use_continuity=True) for the C++ tests of reports/stats/mann_whitney.
Run once with Debian's /usr/bin/python3 (scipy 1.10); the test reads only the JSON.
The samples are rounded to 3 decimals so that the JSON round-trips exactly."""
import json
import numpy as np
import scipy
from scipy.stats import mannwhitneyu
from scipy.stats._mannwhitneyu import _mwu_choose_method

rng = np.random.default_rng(20240607)
cases = []


def add(name, x, y, method):
    res = mannwhitneyu(x, y, alternative="two-sided", use_continuity=True, method=method)
    used = method if method != "auto" else _mwu_choose_method(
        len(x), len(y), np.concatenate([np.asarray(x, float), np.asarray(y, float)])[None, :], "auto")
    cases.append({"name": name, "x": list(map(float, x)), "y": list(map(float, y)),
                  "method": method, "used": used, "u1": float(res.statistic),
                  "p_value": float(res.pvalue)})


def sample(n, loc, scale):
    return np.round(rng.normal(loc, scale, n), 3)


# Textbook example from scipy's documentation (exact, small, no ties).
add("scipy_doc_males_females", [19, 22, 16, 29, 24], [20, 11, 17, 12], "auto")
# 3 vs 3 can never reach p < 0.05: the smallest two-sided p is 0.1.
add("three_vs_three_separated", [1, 2, 3], [4, 5, 6], "auto")
add("identical_no_overlap_8", list(range(8)), list(range(100, 108)), "auto")
for n1, n2 in [(5, 5), (8, 8), (3, 12), (8, 20), (9, 9), (12, 15), (20, 20), (30, 25)]:
    for shift in [0.0, 0.5, 1.5]:
        add(f"normal_{n1}x{n2}_shift{shift}", sample(n1, 10, 1), sample(n2, 10 + shift, 1), "auto")
# Ties: auto switches to the normal approximation with tie correction.
add("ties_small", [1, 2, 2, 3, 3], [2, 3, 4, 4, 5], "auto")
add("ties_rounded_12x12", np.round(sample(12, 10, 1)), np.round(sample(12, 10.5, 1)), "auto")
add("all_equal", [7, 7, 7, 7, 7, 7, 7, 7, 7], [7, 7, 7, 7, 7, 7, 7, 7, 7], "auto")
# Forced methods, both directions of the choice.
add("forced_exact_15x15", sample(15, 0, 1), sample(15, 0.8, 1), "exact")
add("forced_exact_30x30", sample(30, 0, 1), sample(30, 0.3, 1), "exact")
add("forced_asymptotic_6x7", sample(6, 0, 1), sample(7, 1.0, 1), "asymptotic")
# Skewed, benchmark-like: ns per op with a long right tail.
add("lognormal_20x20_5pct", np.round(2.1 * rng.lognormal(0, 0.05, 20), 4),
    np.round(2.1 * 1.05 * rng.lognormal(0, 0.05, 20), 4), "auto")

with open("mann_whitney_scipy.json", "w") as f:
    json.dump({"generator": "make_mann_whitney_fixture.py", "scipy_version": scipy.__version__,
               "cases": cases}, f, indent=1)
    f.write("\n")
print(len(cases), "cases")
