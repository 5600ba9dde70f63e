#!/usr/bin/env python3
"""A fleet of 1,000 hosts scraped by a real Prometheus with the shipped
alert and recording rules, and a global Prometheus federating from it.

    tests/fleet/fleet_test.py --build build/release [--hosts 1000]
                              [--figures FILE]

1. Renders each host's exposition with the real daemon (`tcpstated run`
   replaying the host's synthesized dump, see host_dumps.py; four at a
   time), so every series is one the daemon really serves. Ten container
   hosts are rendered live instead: the daemon watching every namespace
   over 3 to 8 namespaces of real sockets (render_container_host.sh).
2. Serves them all from one loopback port (exposition_server.py says how
   they change between scrapes), scraped every 5 s by a Prometheus that
   evaluates the shipped rules (config/tcpstated-alerts.yml) every 5 s;
   a second Prometheus federates the recording rules from it, as
   docs/operations.md recommends.
3. Requires: every target up; exactly the troubled hosts' alerts firing,
   each with its host's instance and the port (and address) of its
   trouble, and nothing else firing or pending; the fleet totals of the
   recording rules equal to the sum of the hosts' expositions; and the
   dashboard's fleet panels answering the same from the federated
   series as from the first Prometheus.
4. Prints the figures: series in the head, bytes and series per scrape,
   scrape duration, each rule group's evaluation time, the dashboard's
   queries' time.
"""
import argparse
import gzip
import json
import os
import shutil
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from exposition_server import ExpositionServer  # noqa: E402
from host_dumps import (ACCEPT_QUEUE, CLOSE_WAIT_LEAK,  # noqa: E402
                        CONTAINER_LEAK, PORT_EXHAUSTION, trouble_of)
from prometheus_api import (query, query_range, self_metric,  # noqa: E402
                            start_prometheus)
from render import SOURCE, render_all  # noqa: E402

SERVER_PORT, LOCAL_PORT, GLOBAL_PORT = 10310, 10311, 10312
FEDERATED = '{__name__=~"job_state:tcpstate_.*|instance.*:tcpstate_.*"}'


def instance(host):
    return f"host{host:04d}"


def local_config(work, hosts):
    rules = os.path.join(work, "tcpstated-alerts.yml")
    shutil.copy(os.path.join(SOURCE, "config", "tcpstated-alerts.yml"), rules)
    targets = ", ".join(f'"{instance(h)}"' for h in range(hosts))
    return f"""
global: {{scrape_interval: 5s, scrape_timeout: 4s, evaluation_interval: 5s}}
rule_files: ["{rules}"]
scrape_configs:
  - job_name: tcpstated
    static_configs: [{{targets: [{targets}]}}]
    relabel_configs:
      - {{source_labels: [__address__], target_label: instance}}
      - source_labels: [__address__]
        regex: "host(.*)"
        target_label: __metrics_path__
        replacement: "/host/$1/metrics"
      - {{target_label: __address__, replacement: "127.0.0.1:{SERVER_PORT}"}}
"""


def global_config():
    return f"""
global: {{scrape_interval: 5s, scrape_timeout: 4s, evaluation_interval: 5s}}
scrape_configs:
  - job_name: federate
    honor_labels: true
    metrics_path: /federate
    params: {{"match[]": ['{FEDERATED}']}}
    static_configs: [{{targets: ["127.0.0.1:{LOCAL_PORT}"]}}]
"""


def expected_alerts(hosts):
    expected = set()
    for h in range(hosts):
        trouble, i = trouble_of(h), instance(h)
        if trouble == CLOSE_WAIT_LEAK:
            expected.add(("TcpCloseWaitPileup", i, "8080", "", ""))
        elif trouble == PORT_EXHAUSTION:
            expected.add(("TcpEphemeralPortsExhausted", i, "6379",
                          "10.77.0.1", ""))
        elif trouble == ACCEPT_QUEUE:
            expected.add(("TcpAcceptQueueFull", i, "9000", "", ""))
            expected.add(("TcpAcceptQueueOverflowing", i, "", "", ""))
        elif trouble == CONTAINER_LEAK:
            expected.add(("TcpCloseWaitPileup", i, "6379", "", "c2"))
    return expected


def alerts(port, state):
    return {(a["metric"]["alertname"], a["metric"].get("instance", ""),
             a["metric"].get("port", ""), a["metric"].get("address", ""),
             a["metric"].get("netns", ""))
            for a in query(port, f'ALERTS{{alertstate="{state}"}}')}


def sample_sums(texts, metric, label):
    sums = {}
    for text in texts:
        for line in text.splitlines():
            if line.startswith(metric + "{"):
                value = line.rsplit(" ", 1)[1]
                key = line.split(f'{label}="', 1)[1].split('"', 1)[0]
                sums[key] = sums.get(key, 0) + float(value)
    return sums


def dashboard_queries():
    with open(os.path.join(SOURCE, "packaging", "tcpstated-dashboard.json")) as f:
        dashboard = json.load(f)

    def panels(p):
        for panel in p.get("panels", []):
            yield panel
            yield from panels(panel)
    out = []
    for panel in panels(dashboard):
        for target in panel.get("targets", []):
            expr = (target["expr"].replace("$instance", ".*")
                    .replace("$netns", ".*").replace("$state", "close_wait")
                    .replace("$__rate_interval", "1m"))
            out.append((panel.get("title", ""), expr))
    return out


def check_alerts(hosts, figures, failures):
    """Waits for the troubled hosts' alerts (the slowest has for: 2m), then
    requires exactly those, and every target up."""
    expected = expected_alerts(hosts)
    firing = set()
    deadline = time.monotonic() + 360
    while time.monotonic() < deadline:
        firing = alerts(LOCAL_PORT, "firing")
        if expected <= firing:
            break
        time.sleep(5)
    up = query(LOCAL_PORT, 'sum(up{job="tcpstated"})')
    figures["targets_up"] = int(float(up[0]["value"][1])) if up else 0
    if figures["targets_up"] != hosts:
        failures.append(f"{figures['targets_up']} of {hosts} targets up")
    pending = alerts(LOCAL_PORT, "pending")
    if firing != expected:
        failures.append(f"firing: missing {sorted(expected - firing)[:5]}, "
                        f"unexpected {sorted(firing - expected)[:5]}")
    if pending:
        failures.append(f"pending: {sorted(pending)[:5]}")
    figures["alerts_firing"] = len(firing)


def check_totals(texts, failures):
    """The recording rules' fleet totals are the sum of the hosts."""
    exposed = sample_sums(texts, "tcpstate_sockets", "state")
    recorded = {r["metric"]["state"]: float(r["value"][1]) for r in query(
        LOCAL_PORT, 'job_state:tcpstate_sockets:sum{job="tcpstated"}')}
    if recorded != exposed:
        failures.append(f"job_state:tcpstate_sockets:sum {recorded} != "
                        f"the hosts' sum {exposed}")


def check_federation(figures, failures):
    """The dashboard's fleet panels answer the same from the federated
    series as from the first Prometheus."""
    fleet_panels = [(t, e) for t, e in dashboard_queries() if ":tcpstate_" in e]
    at = time.time() - 30
    for title, expr in fleet_panels:
        def values(port):
            return {json.dumps(r["metric"], sort_keys=True):
                    float(r["value"][1]) for r in query(port, expr, at)}
        local, federated = values(LOCAL_PORT), values(GLOBAL_PORT)
        mismatched = [k for k in local if k not in federated or
                      abs(local[k] - federated[k]) > 0.02 * abs(local[k]) + 1e-9]
        if not local or mismatched or len(local) != len(federated):
            failures.append(f"federated '{title}' ({expr}): "
                            f"{len(local)} series here, {len(federated)} "
                            f"federated, {len(mismatched)} differ")
    figures["fleet_panel_queries_checked"] = len(fleet_panels)


def measure(server, texts, hosts, figures):
    """What the fleet costs Prometheus, and the dashboard's queries."""
    head = self_metric(LOCAL_PORT, "prometheus_tsdb_head_series ")
    figures["head_series"] = int(sum(head.values()))
    ghead = self_metric(GLOBAL_PORT, "prometheus_tsdb_head_series ")
    figures["federated_head_series"] = int(sum(ghead.values()))
    sizes = server.sizes[-hosts:]
    figures["bytes_per_scrape_mean"] = int(statistics.mean(sizes))
    figures["bytes_per_scrape_max"] = max(sizes)
    figures["gzip_bytes_per_scrape_mean"] = int(statistics.mean(
        len(gzip.compress(t.encode())) for t in texts))
    counts = [float(s["value"][1]) for s in
              query(LOCAL_PORT, 'scrape_samples_scraped{job="tcpstated"}')]
    figures["series_per_scrape_mean"] = round(statistics.mean(counts))
    figures["series_per_scrape_max"] = int(max(counts))
    durations = [float(s["value"][1]) for s in
                 query(LOCAL_PORT, 'scrape_duration_seconds{job="tcpstated"}')]
    figures["scrape_seconds_median"] = round(statistics.median(durations), 4)
    figures["scrape_seconds_max"] = round(max(durations), 4)
    for series, value in self_metric(
            LOCAL_PORT, "prometheus_rule_group_last_duration_seconds{").items():
        group = series.split('rule_group="', 1)[1].split('"')[0].split(";")[-1]
        figures[f"rule_group_seconds[{group}]"] = round(value, 4)
    end = time.time()
    timings = []
    for title, expr in dashboard_queries():
        t0 = time.perf_counter()
        query_range(LOCAL_PORT, expr, end - 180, end, "15")
        timings.append((time.perf_counter() - t0, title))
    timings.sort(reverse=True)
    figures["dashboard_queries"] = len(timings)
    figures["dashboard_query_seconds_median"] = round(
        statistics.median(t for t, _ in timings), 4)
    figures["dashboard_query_seconds_max"] = round(timings[0][0], 4)
    figures["dashboard_slowest_panel"] = timings[0][1]
    figures["dashboard_all_queries_seconds"] = round(
        sum(t for t, _ in timings), 3)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", required=True)
    parser.add_argument("--hosts", type=int, default=1000)
    parser.add_argument("--figures", help="also write the figures here (JSON)")
    args = parser.parse_args()
    binary = os.path.join(os.path.abspath(args.build), "daemon", "tcpstated")
    figures, failures = {}, []
    work = tempfile.mkdtemp(prefix="tcpstated-fleet-")
    processes, server = [], None
    began = time.monotonic()
    try:
        texts = render_all(binary, work, args.hosts)
        figures["render_seconds"] = round(time.monotonic() - began, 1)
        server = ExpositionServer(SERVER_PORT, texts)
        processes.append(start_prometheus(work, "local", LOCAL_PORT,
                                          local_config(work, args.hosts)))
        processes.append(start_prometheus(work, "global", GLOBAL_PORT,
                                          global_config()))
        check_alerts(args.hosts, figures, failures)
        figures["alerts_after_seconds"] = round(time.monotonic() - began, 1)
        check_totals(texts, failures)
        check_federation(figures, failures)
        measure(server, texts, args.hosts, figures)
        figures["test_seconds"] = round(time.monotonic() - began, 1)
    finally:
        for process in processes:
            process.terminate()
            process.wait()
        if server:
            server.stop()
        shutil.rmtree(work, ignore_errors=True)

    width = max(len(k) for k in figures)
    for key, value in figures.items():
        print(f"{key:<{width}}  {value}")
    if args.figures:
        with open(args.figures, "w") as out:
            json.dump(figures, out, indent=1)
    for failure in failures:
        print("FAIL:", failure, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
