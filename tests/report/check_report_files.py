#!/usr/bin/python3
"""check_report_files.py SCHEMA REPORT_DIR: report.json validates against the schema
(draft 2020-12) and tables.csv parses with Python's csv module, one row per record,
with the documented columns. Exit 0 when both hold; the reason otherwise."""
import csv
import json
import os
import sys

import jsonschema


def main():
    schema_path, report_dir = sys.argv[1], sys.argv[2]
    with open(schema_path) as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    with open(os.path.join(report_dir, "report.json")) as f:
        report = json.load(f)
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(report), key=lambda e: list(e.path))
    for e in errors[:10]:
        print(f"schema: {'/'.join(str(p) for p in e.path)}: {e.message}", file=sys.stderr)
    if errors:
        return 1

    with open(os.path.join(report_dir, "tables.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    required = {"run_name", "strategy", "workload", "placement", "threads", "ns_per_op_thread_median",
                "ns_per_op_total_median", "ops_per_s_total_median", "ratio_to_gil", "flags"}
    missing = required - set(rows[0].keys() if rows else [])
    if missing:
        print(f"csv: missing columns {sorted(missing)}", file=sys.stderr)
        return 1
    # The real interpreter's columns are there exactly when a record has a real baseline.
    real = any(rec.get("baseline_real") for rec in report["records"])
    if real != ("ratio_to_real" in (rows[0].keys() if rows else [])):
        print(f"csv: ratio_to_real column {'missing' if real else 'present'}, "
              f"{'with' if real else 'without'} real-interpreter rows", file=sys.stderr)
        return 1
    if len(rows) != len(report["records"]):
        print(f"csv: {len(rows)} rows for {len(report['records'])} records", file=sys.stderr)
        return 1
    for row, rec in zip(rows, report["records"]):
        if row["run_name"] != rec["run_name"]:
            print(f"csv: row {row['run_name']} != record {rec['run_name']}", file=sys.stderr)
            return 1
        for ratio in ("ratio_to_gil", "ratio_to_real"):
            if rec.get(ratio) is not None and abs(float(row[ratio]) - rec[ratio]) > 1e-12:
                print(f"csv: {ratio} of {row['run_name']} differs from report.json", file=sys.stderr)
                return 1
    print(f"ok: report.json valid ({len(report['records'])} records), tables.csv {len(rows)} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
