#!/usr/bin/python3
"""scripts/lab.py with its clock stopped: `lab_at_fixed_clock.py 2026-01-02T03:04:05Z ARGS...`
runs lab.py ARGS with every "now" at that second, so that tests can start several runs
with one start stamp (what two machines starting in the same second see) without
waiting for a second boundary or adding a test hook to lab.py itself."""
import datetime
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                                "scripts"))
import lab  # noqa: E402

FIXED = datetime.datetime.strptime(sys.argv[1], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)
lab.utc_now = lambda: FIXED

if __name__ == "__main__":
    sys.exit(lab.main(sys.argv[2:]))
