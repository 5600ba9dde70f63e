#!/usr/bin/env python3
"""Docs and shipped files against what the binary really has.

    check_references.py TCPSTATED_BINARY SOURCE_DIR

Fails when the Grafana dashboard is not valid JSON or has a panel without a
query, when the dashboard or the alert rules name a tcpstate_ metric the
daemon does not export or a recording rule the rules do not define, when an
alert has no promtool test, when the man page misses an exported metric or an
option of a subcommand, or when the shipped config misses an option of
`tcpstated run`. The exported metrics are the families of the golden
exposition, which the e2e golden test holds equal to the daemon's /metrics.
"""
import json
import re
import subprocess
import sys

binary, source = sys.argv[1], sys.argv[2]
errors = []


def read(path):
    with open(f"{source}/{path}", encoding="utf-8") as f:
        return f.read()


exported = set(re.findall(r"^# TYPE (\S+) ", read("tests/fixtures/mixed-legacy.prom"), re.M))
# Exported only when every namespace is watched (collect.netns = all), so
# absent from the golden file; the unit test
# RenderMetricsTest.EveryNamespaceSharesOneFamilyWithItsOwnLabel renders them.
namespaced = set(re.findall(r'"(tcpstate_netns_[a-z_]+)"', read("src/metrics/metric_families.cc")))
if len(namespaced) != 5:
    sys.exit(f"expected 5 namespace families in src/metrics/metric_families.cc, found {sorted(namespaced)}")
exported |= namespaced
if len(exported) < 10:
    sys.exit(f"only {len(exported)} metric families in the golden file")


rules_text = read("config/tcpstated-alerts.yml")
recorded = set(re.findall(r'^\s*(?:- )?record: "?([^"\s]+)"?$', rules_text, re.M))
RECORDED_NAME = r"\b[a-z_]+:tcpstate_[a-z_]+:[a-z0-9_]+\b"


def check_metric_names(what, text):
    # Recording rules (level:metric:operations) must be defined; what they
    # are built from is checked where they are defined.
    for name in sorted(set(re.findall(RECORDED_NAME, text))):
        if name not in recorded:
            errors.append(f"{what} uses {name}, which no recording rule defines")
    text = re.sub(RECORDED_NAME, "", text)
    for name in sorted(set(re.findall(r"\btcpstate_[a-z_]+\b", text))):
        if name not in exported:
            errors.append(f"{what} uses {name}, which the daemon does not export")


# The dashboard.
dashboard_text = read("packaging/tcpstated-dashboard.json")
try:
    dashboard = json.loads(dashboard_text)
except json.JSONDecodeError as e:
    sys.exit(f"dashboard: invalid JSON: {e}")
panels = [p for p in dashboard["panels"] if p["type"] != "row"]
if not panels:
    errors.append("dashboard: no panels")
for panel in panels:
    exprs = [t.get("expr", "") for t in panel.get("targets", [])]
    if not exprs or not all(e.strip() for e in exprs):
        errors.append(f"dashboard: panel {panel['title']!r} has an empty query")
    if panel.get("datasource", {}).get("uid") != "${datasource}":
        errors.append(f"dashboard: panel {panel['title']!r} does not use the datasource variable")
check_metric_names("dashboard", dashboard_text)
for needed in ["tcpstate_sockets", "tcpstate_port_sockets", "tcpstate_finding",
               "tcpstate_close_wait_oldest_seconds", "tcpstate_listen_queue_length",
               "tcpstate_collect_success", "tcpstate_listen_overflows_total",
               "tcpstate_time_wait_entered_total", "tcpstate_aborts_total",
               "tcpstate_stalled_sockets", "tcpstate_orphan_sockets"]:
    if needed not in dashboard_text:
        errors.append(f"dashboard: no panel shows {needed}")

# The alert rules: every metric exported, every alert tested with promtool.
check_metric_names("alert rules", rules_text)
rule_tests = "".join(read(f"tests/alerts/{name}") for name in
                     ["tcpstated-alerts-test.yml", "tcpstated-kernel-alerts-test.yml"])
for alert in sorted(set(re.findall(r'^\s*- alert: "?([^"\s]+)"?$', rules_text, re.M))):
    if not re.search(rf"alertname: {alert}$", rule_tests, re.M):
        errors.append(f"alert {alert} has no promtool test")
for name in sorted(recorded):
    if name not in dashboard_text and name not in re.sub(r"record: .*", "", rules_text):
        errors.append(f"recording rule {name} is used by neither the dashboard nor an alert")

# The man page: every metric, every option of every subcommand.
man = read("packaging/tcpstated.8").replace("\\-", "-")
for name in sorted(exported):
    if name not in man:
        errors.append(f"man page: metric {name} is not documented")


def options(subcommand):
    help_text = subprocess.run([binary, subcommand, "--help"], check=True,
                               capture_output=True, text=True).stdout
    found = set(re.findall(r"^\s+--([a-z][a-z0-9_.-]+)", help_text, re.M))
    if len(found) < 3:
        sys.exit(f"could not read the options of `{subcommand} --help`")
    return found


run_options = options("run")
for subcommand, found in [("run", run_options), ("report", options("report"))]:
    for option in sorted(found - {"help"}):
        documented = option
        if not re.search(rf"-{re.escape(documented)}\b", man):
            errors.append(f"man page: option --{option} of {subcommand} is not documented")

# The shipped config: every key, documented (commented out when it has no
# default value to show).
config = read("config/tcpstated.conf")
for option in sorted(run_options - {"help", "config.file"}):
    if not re.search(rf"^#? ?{re.escape(option)} = ", config, re.M):
        errors.append(f"config/tcpstated.conf: key {option} is missing")

for error in errors:
    print(error, file=sys.stderr)
sys.exit(1 if errors else 0)
