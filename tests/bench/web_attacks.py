#!/usr/bin/env python3
"""The web front's figures under attack, from the e2e tests that guard them.

Runs the WebAttackTest cases RUNS times (release build, root: each test
makes its own network namespace) and prints, per figure the tests record
(--gtest_output=xml), the median and the worst:

  first_scrape_ms               right user's first (uncached) scrape while 160
                                connections guess passwords from 10 addresses
  first_scrape_after_sighup_ms  another user's first scrape right after SIGHUP
  stop_ms                       SIGTERM to exit while unknown users are checked
                                at bcrypt cost 12
  scrape_N_ms                   TLS scrapes from a 17th address (curl's own
                                time for the request) while 256 idle
                                or half-open connections (16 addresses x 16)
                                reconnect whatever is closed
  cpu_ms_in_2s, scrape_ms       `ulimit -n 64`, 128 idle connections: CPU used
                                in 2 s, then a scrape

Usage: tests/bench/web_attacks.py BUILD_DIR [RUNS]
"""
import statistics
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET


def main():
    build = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    figures = {}
    for _ in range(runs):
        with tempfile.NamedTemporaryFile(suffix=".xml") as out:
            subprocess.run([f"{build}/tests/e2e_tests",
                            "--gtest_filter=WebAttackTest.*",
                            f"--gtest_output=xml:{out.name}"],
                           check=True, stdout=subprocess.DEVNULL)
            for case in ET.parse(out.name).iter("testcase"):
                for prop in case.iter("property"):
                    figures.setdefault((case.get("name"), prop.get("name")),
                                       []).append(int(prop.get("value")))
    for (case, name), values in sorted(figures.items()):
        print(f"{case:58} {name:30} median {statistics.median(values):6.0f}"
              f"  worst {max(values):6d}  ({len(values)} runs)")


if __name__ == "__main__":
    main()
