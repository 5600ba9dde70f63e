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
import concurrent.futures
import gzip
import http.client
import json
import os
import queue
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from exposition_server import ExpositionServer  # noqa: E402
from host_dumps import (ACCEPT_QUEUE, CLOSE_WAIT_LEAK,  # noqa: E402
                        CONTAINER_LEAK, PORT_EXHAUSTION, container_host,
                        host_dump, trouble_of)

SOURCE = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
SERVER_PORT, LOCAL_PORT, GLOBAL_PORT, FIRST_DAEMON_PORT = 10310, 10311, 10312, 10320
RENDERERS = 4
FEDERATED = '{__name__=~"job_state:tcpstate_.*|instance.*:tcpstate_.*"}'


def get(port, path, timeout=10):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


def render_containers(binary, work, host, namespaces):
    """A container host's exposition: the daemon over real namespaces, in
    namespaces of its own (see render_container_host.sh)."""
    out = os.path.join(work, f"host{host}.prom")
    sockets = os.path.join(os.path.dirname(os.path.dirname(binary)), "tests",
                           "tcpstated-sockets")
    subprocess.run(
        ["unshare", "--mount", "--pid", "--net", "--fork", "--mount-proc",
         os.path.join(SOURCE, "tests", "fleet", "render_container_host.sh"),
         binary, sockets, out, *namespaces], check=True, timeout=120)
    with open(out) as f:
        text = f.read()
    os.unlink(out)
    return text


def render(binary, work, host, worker):
    """Host N's exposition, as the daemon serves it after its first
    collection of the host's dump (with its finding, when it has one)."""
    namespaces = container_host(host)
    if namespaces:
        return render_containers(binary, work, host, namespaces)
    dump, flags = host_dump(host)
    path = os.path.join(work, f"host{host}.dump")
    with open(path, "wb") as out:
        out.write(dump)
    port = FIRST_DAEMON_PORT + worker
    daemon = subprocess.Popen(
        [binary, "run", "--config.file", "/dev/null", "--web.listen-address",
         f"127.0.0.1:{port}", "--collect.interval", "1h",
         "--findings.for", "0s", "--collect.replay-dump", path, *flags],
        stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if daemon.poll() is not None:  # what answers is not this host's
                raise RuntimeError(f"host {host}: the daemon exited "
                                   f"({daemon.returncode})")
            try:
                status, body = get(port, "/metrics")
                if status == 200 and "tcpstate_sockets{" in body and (
                        not trouble_of(host) or "tcpstate_finding{" in body):
                    return body
            except OSError:
                pass
            time.sleep(0.02)
        raise RuntimeError(f"host {host}: the daemon served nothing in 30 s")
    finally:
        daemon.terminate()
        daemon.wait()
        os.unlink(path)


def render_all(binary, work, hosts):
    # Each renderer owns a port: a daemon's port is free again once the
    # one before on it has stopped.
    free = queue.Queue()
    for worker in range(RENDERERS):
        free.put(worker)

    def render_on_a_free_port(host):
        worker = free.get()
        try:
            return render(binary, work, host, worker)
        finally:
            free.put(worker)
    with concurrent.futures.ThreadPoolExecutor(RENDERERS) as pool:
        return list(pool.map(render_on_a_free_port, range(hosts)))


def instance(host):
    return f"host{host:04d}"


def start_prometheus(work, name, port, config):
    directory = os.path.join(work, name)
    os.makedirs(directory)
    config_path = os.path.join(directory, "prometheus.yml")
    with open(config_path, "w") as out:
        out.write(config)
    process = subprocess.Popen(
        ["prometheus", f"--config.file={config_path}",
         f"--storage.tsdb.path={directory}/data",
         f"--web.listen-address=127.0.0.1:{port}", "--log.level=warn"],
        stdout=subprocess.DEVNULL, stderr=open(f"{directory}/log", "w"))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if get(port, "/-/ready")[0] == 200:
                return process
        except OSError:
            pass
        if process.poll() is not None:
            break
        time.sleep(0.2)
    raise RuntimeError(f"{name} Prometheus did not start: "
                       + open(f"{directory}/log").read()[-2000:])


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


def query(port, expr, at=None):
    args = {"query": expr}
    if at is not None:
        args["time"] = f"{at:.3f}"
    status, body = get(port, "/api/v1/query?" + urllib.parse.urlencode(args), 60)
    reply = json.loads(body)
    if status != 200 or reply["status"] != "success":
        raise RuntimeError(f"{expr}: {body[:500]}")
    return reply["data"]["result"]


def query_range(port, expr, start, end, step):
    args = {"query": expr, "start": f"{start:.3f}", "end": f"{end:.3f}",
            "step": step}
    status, body = get(port, "/api/v1/query_range?" +
                       urllib.parse.urlencode(args), 120)
    if status != 200:
        raise RuntimeError(f"{expr}: {body[:500]}")
    return json.loads(body)["data"]["result"]


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


def self_metric(port, name):
    values = {}
    for line in get(port, "/metrics")[1].splitlines():
        if line.startswith(name):
            series, value = line.rsplit(" ", 1)
            values[series] = float(value)
    return values


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
        started = time.monotonic()
        texts = render_all(binary, work, args.hosts)
        figures["render_seconds"] = round(time.monotonic() - started, 1)
        server = ExpositionServer(SERVER_PORT, texts)
        processes.append(start_prometheus(work, "local", LOCAL_PORT,
                                          local_config(work, args.hosts)))
        processes.append(start_prometheus(work, "global", GLOBAL_PORT,
                                          global_config()))

        # Alerts: wait for the troubled hosts' (the slowest has for: 2m).
        expected = expected_alerts(args.hosts)
        firing = set()
        deadline = time.monotonic() + 360
        while time.monotonic() < deadline:
            firing = alerts(LOCAL_PORT, "firing")
            if expected <= firing:
                break
            time.sleep(5)
        up = query(LOCAL_PORT, 'sum(up{job="tcpstated"})')
        figures["targets_up"] = int(float(up[0]["value"][1])) if up else 0
        if figures["targets_up"] != args.hosts:
            failures.append(f"{figures['targets_up']} of {args.hosts} targets up")
        pending = alerts(LOCAL_PORT, "pending")
        if firing != expected:
            failures.append(f"firing: missing {sorted(expected - firing)[:5]}, "
                            f"unexpected {sorted(firing - expected)[:5]}")
        if pending:
            failures.append(f"pending: {sorted(pending)[:5]}")
        figures["alerts_firing"] = len(firing)
        figures["alerts_after_seconds"] = round(time.monotonic() - started, 1)

        # Recording rules: the fleet totals are the sum of the hosts.
        exposed = sample_sums(texts, "tcpstate_sockets", "state")
        recorded = {r["metric"]["state"]: float(r["value"][1]) for r in
                    query(LOCAL_PORT, 'job_state:tcpstate_sockets:sum{job="tcpstated"}')}
        if recorded != exposed:
            failures.append(f"job_state:tcpstate_sockets:sum {recorded} != "
                            f"the hosts' sum {exposed}")

        # Federation: the fleet panels answer the same from the global one.
        fleet_panels = [(t, e) for t, e in dashboard_queries()
                        if ":tcpstate_" in e]
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

        # Figures.
        head = self_metric(LOCAL_PORT, "prometheus_tsdb_head_series ")
        figures["head_series"] = int(sum(head.values()))
        ghead = self_metric(GLOBAL_PORT, "prometheus_tsdb_head_series ")
        figures["federated_head_series"] = int(sum(ghead.values()))
        sizes = server.sizes[-args.hosts:]
        figures["bytes_per_scrape_mean"] = int(statistics.mean(sizes))
        figures["bytes_per_scrape_max"] = max(sizes)
        figures["gzip_bytes_per_scrape_mean"] = int(statistics.mean(
            len(gzip.compress(t.encode())) for t in texts))
        samples = query(LOCAL_PORT, 'scrape_samples_scraped{job="tcpstated"}')
        counts = [float(s["value"][1]) for s in samples]
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
            timings.append((time.perf_counter() - t0, title, expr))
        timings.sort(reverse=True)
        figures["dashboard_queries"] = len(timings)
        figures["dashboard_query_seconds_median"] = round(
            statistics.median(t for t, _, _ in timings), 4)
        figures["dashboard_query_seconds_max"] = round(timings[0][0], 4)
        figures["dashboard_slowest_panel"] = timings[0][1]
        figures["dashboard_all_queries_seconds"] = round(
            sum(t for t, _, _ in timings), 3)
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
