#!/usr/bin/env python3
"""`tcpstated report` on the scenario suite's real failures.

Runs the scenario tests (release build, root) RUNS times and prints each
scenario's report wall time (`report --collect.netns NS`, median and worst),
and keeps the last run's text reports in OUTDIR (docs/findings.md quotes
them, trimmed).

Usage: tests/bench/scenario_reports.py BUILD_DIR OUTDIR [RUNS]
"""
import os
import statistics
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET


def main():
    build, outdir = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    os.makedirs(outdir, exist_ok=True)
    times = {}
    for _ in range(runs):
        with tempfile.NamedTemporaryFile(suffix=".xml") as out:
            subprocess.run([f"{build}/tests/scenario_tests",
                            f"--gtest_output=xml:{out.name}"], check=True,
                           stdout=subprocess.DEVNULL,
                           env=dict(os.environ,
                                    TCPSTATED_SCENARIO_REPORTS=outdir))
            for case in ET.parse(out.name).iter("testcase"):
                for prop in case.iter("property"):
                    if prop.get("name") == "report_ms":
                        times.setdefault(case.get("name"), []).append(
                            int(prop.get("value")))
    for name, values in sorted(times.items()):
        print(f"{name:62} report {statistics.median(values):5.0f} ms median,"
              f" {max(values):5d} worst ({len(values)} runs)")


if __name__ == "__main__":
    main()
