#!/usr/bin/env python3
"""Checks a quick run made under qemu-user by an aarch64 build, and its report
(scripts/ci-aarch64.sh): the run completed every row without an error, records the
ISA and the atomics mode it was built with, the CPU's LSE answer and the emulator as
evidence, and the report's machine section shows them.

    check_aarch64_run.py RUN_JSON REPORT_DIR MODE
"""
import json
import sys
from pathlib import Path


def main() -> int:
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    run_path, report_dir, mode = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    problems = []

    def expect(what, got, wanted):
        if got != wanted:
            problems.append(f"{what}: {got!r}, expected {wanted!r}")

    run = json.loads(run_path.read_text())
    rc = run["rcbench"]
    expect("run: rcbench.build.isa", rc["build"].get("isa"), "aarch64")
    expect("run: rcbench.build.atomics_mode", rc["build"].get("atomics_mode"), mode)
    expect("run: rcbench.machine.isa", rc["machine"].get("isa"), "aarch64")
    # qemu-user's default CPU ("max") has LSE: an LSE build runs, and says so.
    expect("run: rcbench.machine.lse", rc["machine"].get("lse"), True)
    evidence = rc["machine"].get("virtual", {}).get("evidence", [])
    if not any("user-mode emulator" in e for e in evidence):
        problems.append(f"run: machine.virtual.evidence does not name the emulator: {evidence}")
    rows = run["benchmarks"]
    if not rows:
        problems.append("run: no benchmarks")
    errors = [b["name"] for b in rows if b.get("error_occurred")]
    if errors:
        problems.append(f"run: {len(errors)} rows failed, e.g. {errors[:3]}")

    report = json.loads((report_dir / "report.json").read_text())
    expect("report.json: build.isa", report["build"].get("isa"), "aarch64")
    expect("report.json: build.atomics_mode", report["build"].get("atomics_mode"), mode)
    expect("report.json: machine.isa", report["machine"].get("isa"), "aarch64")
    shown = f"aarch64 (atomics: {mode}; CPU has LSE: yes)"
    for page in ("tables.md", "report.html"):
        if shown not in (report_dir / page).read_text():
            problems.append(f"{page}: the machine section does not show '{shown}'")

    for p in problems:
        print(f"check_aarch64_run: FAIL: {p}", file=sys.stderr)
    if not problems:
        print(f"check_aarch64_run: ok: {len(rows)} rows, {rc['build']['isa']} atomics "
              f"{rc['build']['atomics_mode']}, LSE {rc['machine']['lse']}, the report shows '{shown}'")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
