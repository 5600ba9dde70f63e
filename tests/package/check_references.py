#!/usr/bin/env python3
"""Docs and shipped files against what the binary really has.

    check_references.py TCPSTATED_BINARY SOURCE_DIR

Fails when the Grafana dashboard is not valid JSON or has a panel without a
query, when the dashboard or the alert rules name a tcpstate_ metric the
daemon does not export or a recording rule the rules do not define, when an
alert has no promtool test or its runbook_url no section in
docs/runbooks.md, when docs/metrics.md misses an exported metric or differs
from its HELP text, when the man page or docs/configuration.md misses an
option of a subcommand, when the shipped config misses an option of
`tcpstated run`, or when a link between the docs leads nowhere. The
exported metrics and their HELP texts are those of the golden exposition,
which the e2e golden test holds equal to the daemon's /metrics.
"""
import os
import json
import re
import subprocess
import sys

binary, source = sys.argv[1], sys.argv[2]
errors = []


def read(path):
    with open(f"{source}/{path}", encoding="utf-8") as f:
        return f.read()


golden = read("tests/fixtures/mixed-legacy.prom")
exported = set(re.findall(r"^# TYPE (\S+) ", golden, re.M))
help_texts = dict(re.findall(r"^# HELP (\S+) (.*)$", golden, re.M))
# Exported only when every namespace is watched (collect.netns = all), so
# absent from the golden file; the unit test
# RenderMetricsTest.EveryNamespaceSharesOneFamilyWithItsOwnLabel renders them.
namespaced = set(re.findall(r'"(tcpstate_netns_[a-z_]+)"', read("src/metrics/metric_families.cc")))
if len(namespaced) != 5:
    sys.exit(f"expected 5 namespace families in src/metrics/metric_families.cc, found {sorted(namespaced)}")
exported |= namespaced
# Exported only with collect.events = bpf (the golden daemon runs without):
# the unit test RenderMetricsTest.ChurnFamiliesMergeWhateverTheNamespaceOrder
# renders them.
churn = set(re.findall(r'"(tcpstate_(?:port|events)_[a-z_]+)"', read("src/metrics/churn_families.cc")))
if len(churn) != 8:
    sys.exit(f"expected 8 churn families in src/metrics/churn_families.cc, found {sorted(churn)}")
exported |= churn
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
        # A histogram's series: NAME_bucket, NAME_sum, NAME_count.
        base = re.sub(r"_(bucket|sum|count)$", "", name)
        if name not in exported and base not in exported:
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
                     ["tcpstated-alerts-test.yml", "tcpstated-kernel-alerts-test.yml",
                      "tcpstated-churn-alerts-test.yml"])
for alert in sorted(set(re.findall(r'^\s*- alert: "?([^"\s]+)"?$', rules_text, re.M))):
    if not re.search(rf"alertname: {alert}$", rule_tests, re.M):
        errors.append(f"alert {alert} has no promtool test")
for name in sorted(recorded):
    if name not in dashboard_text and name not in re.sub(r"record: .*", "", rules_text):
        errors.append(f"recording rule {name} is used by neither the dashboard nor an alert")

# docs/metrics.md: every metric, with the HELP text the binary sends.
metrics_doc = read("docs/metrics.md")
for name in sorted(exported):
    if f"`{name}`" not in metrics_doc:
        errors.append(f"docs/metrics.md: metric {name} is not documented")
    elif name in help_texts and \
            f"- `{name}`: {help_texts[name]}" not in metrics_doc:
        errors.append(f"docs/metrics.md: the HELP text of {name} differs "
                      f"from the binary's: {help_texts[name]!r}")

# docs/runbooks.md: a section for every alert's runbook_url.
runbooks = read("docs/runbooks.md")
anchors = {re.sub(r"[^a-z0-9 -]", "", h.strip().lower()).replace(" ", "-")
           for h in re.findall(r"^#+ (.*)$", runbooks, re.M)}
for alert, url in re.findall(r'- alert: "?([^"\s]+)"?\n(?:.*\n)*?\s+runbook_url: "?([^"\s]+)"?',
                             rules_text):
    anchor = url.split("#", 1)[1] if "#" in url else ""
    if not url.split("#")[0].endswith("docs/runbooks.md") or anchor not in anchors:
        errors.append(f"alert {alert}: runbook_url {url} has no section in docs/runbooks.md")
if len(re.findall(r"runbook_url:", rules_text)) != \
        len(re.findall(r"^\s*- alert:", rules_text, re.M)):
    errors.append("alert rules: an alert without a runbook_url")

# Links between the docs (README, CHANGELOG, docs/*.md) lead to files and
# sections that exist.
docs = ["README.md", "CHANGELOG.md"] + \
    [f"docs/{n}" for n in sorted(os.listdir(f"{source}/docs")) if n.endswith(".md")]
for doc in docs:
    for target in re.findall(r"\]\(([^)\s]+)\)", read(doc)):
        if re.match(r"[a-z]+://", target):
            continue
        path, _, anchor = target.partition("#")
        full = os.path.normpath(os.path.join(os.path.dirname(doc), path)) if path else doc
        if not os.path.exists(f"{source}/{full}"):
            errors.append(f"{doc}: link to {target}: no such file")
            continue
        if anchor and full.endswith(".md"):
            headings = {re.sub(r"[^a-z0-9 _-]", "", h.strip().lower()).replace(" ", "-")
                        for h in re.findall(r"^#+ (.*)$", read(full), re.M)}
            if anchor not in headings:
                errors.append(f"{doc}: link to {target}: no such section")

# The man page and docs/configuration.md: every option of every subcommand.
man = read("packaging/tcpstated.8").replace("\\-", "-")
configuration = read("docs/configuration.md")


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
        if not re.search(rf"-{re.escape(option)}\b", man):
            errors.append(f"man page: option --{option} of {subcommand} is not documented")
        if option != "config.file" and f"`{option}`" not in configuration and \
                f"`--{option}" not in configuration:
            errors.append(f"docs/configuration.md: option --{option} of "
                          f"{subcommand} is not documented")

# The shipped config: every key, documented (commented out when it has no
# default value to show).
config = read("config/tcpstated.conf")
for option in sorted(run_options - {"help", "config.file"}):
    if not re.search(rf"^#? ?{re.escape(option)} = ", config, re.M):
        errors.append(f"config/tcpstated.conf: key {option} is missing")

for error in errors:
    print(error, file=sys.stderr)
sys.exit(1 if errors else 0)
