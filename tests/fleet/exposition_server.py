"""Serves the fleet's expositions on one loopback port, as if 1,000 daemons
answered: GET /host/NNNN/metrics returns host NNNN's exposition.

Each exposition was rendered once by the real daemon from the host's
replayed dump. A replay has no kernel counters, sysctls or TCP memory
figures (they come from /proc on a live host), so this server fills those
families where the rendering left them empty (the container hosts,
rendered live, have their own), the way a live host would change them: every counter grows at a rate of its own per host (seeded), read at
the moment of the request, so that rate() sees time pass, and
tcpstate_collections_total grows by one per 15 s. The accept-queue hosts
also overflow their queue (20 a second); no other host ever does.

Every host also counts connection churn as collect.events = bpf would
(a rendering from a dump has none): one inbound and one outbound port,
each counter at a seeded rate, appended as the daemon appends them.
"""
import http.server
import random
import threading
import time

from host_dumps import ACCEPT_QUEUE, trouble_of

# Counter families a live host has and a replay leaves empty, with the
# range of their rate per second on a healthy host.
COUNTER_RATES = {
    "tcpstate_active_opens_total": (1, 80),
    "tcpstate_passive_opens_total": (1, 200),
    "tcpstate_time_wait_entered_total": (0, 150),
    "tcpstate_connect_failures_total": (0, 0.5),
    "tcpstate_resets_sent_total": (0, 2),
    "tcpstate_syn_retransmits_total": (0, 0.2),
    "tcpstate_retransmitted_segments_total": (0, 5),
    "tcpstate_timeouts_total": (0, 0.5),
    "tcpstate_time_wait_reused_total": (0, 1),
    "tcpstate_listen_overflows_total": (0, 0),
    "tcpstate_listen_drops_total": (0, 0),
    "tcpstate_time_wait_overflows_total": (0, 0),
    "tcpstate_syncookies_sent_total": (0, 0),
}
ABORT_REASONS = ["close", "data", "timeout", "linger", "memory", "failed"]


class HostExposition:
    """One host's rendered text, cut where the filled families go."""

    def __init__(self, host, text, started):
        rng = random.Random(host * 7919)
        self.started = started
        self.counters = {}
        for name, (low, high) in COUNTER_RATES.items():
            self.counters[name] = (rng.randrange(10**6), rng.uniform(low, high))
        if trouble_of(host) == ACCEPT_QUEUE:
            for name in ("tcpstate_listen_overflows_total",
                         "tcpstate_listen_drops_total"):
                self.counters[name] = (self.counters[name][0], 20.0)
        self.aborts = {r: (rng.randrange(1000), rng.uniform(0, 0.1))
                       for r in ABORT_REASONS}
        self.gauges = {
            "tcpstate_orphan_sockets": f"{rng.randrange(50)}",
            "tcpstate_memory_pages": f"{rng.randrange(100, 5000)}",
            "tcpstate_sysctl": (
                'tcpstate_sysctl{name="tcp_max_orphans"} 65536\n'
                'tcpstate_sysctl{name="tcp_mem_pressure"} 190000\n'),
        }
        # Churn: (direction, port) -> {series suffix: (base, rate)}.
        self.churn = {}
        for direction, port in (("inbound", 443), ("outbound", 5432)):
            opens = rng.uniform(1, 300)
            here = rng.random()
            rates = {"opens": opens, 'closes:closer="here"': opens * here,
                     'closes:closer="there"': opens * (1 - here) * 0.99,
                     'closes:closer="reset"': opens * (1 - here) * 0.01,
                     'resets:by="here"': rng.uniform(0, 1),
                     'resets:by="there"': rng.uniform(0, 1),
                     'retransmits:segment="data"': rng.uniform(0, 5),
                     'retransmits:segment="syn"': rng.uniform(0, 0.2)}
            if direction == "outbound":
                rates["failed_connects"] = rng.uniform(0, 0.5)
            self.churn[(direction, port)] = {
                k: (rng.randrange(10**5), r) for k, r in rates.items()}
        self.parts = []  # text, then the family to fill after it, ...
        current = []
        lines = text.splitlines(keepends=True)
        for i, line in enumerate(lines):
            current.append(line)
            if not line.startswith("# TYPE "):
                continue
            name = line.split()[2]
            empty = i + 1 == len(lines) or lines[i + 1].startswith("#")
            if empty and (name in self.counters or name in self.gauges or
                          name == "tcpstate_aborts_total"):
                self.parts.append("".join(current))
                self.parts.append(name)
                current = []
        self.parts.append("".join(current))

    def body(self, now):
        elapsed = now - self.started
        out = []
        for i, part in enumerate(self.parts):
            if i % 2 == 0:
                if "tcpstate_collections_total " in part:
                    part = _replace_value(part, "tcpstate_collections_total",
                                          1 + int(elapsed // 15))
                out.append(part)
            elif part in self.counters:
                base, rate = self.counters[part]
                out.append(f"{part} {base + rate * elapsed:.3f}\n")
            elif part == "tcpstate_aborts_total":
                for reason, (base, rate) in self.aborts.items():
                    out.append(f'tcpstate_aborts_total{{reason="{reason}"}} '
                               f"{base + rate * elapsed:.3f}\n")
            elif part == "tcpstate_sysctl":
                out.append(self.gauges[part])
            else:
                out.append(f"{part} {self.gauges[part]}\n")
        out.append(self.churn_text(elapsed))
        return "".join(out).encode()

    def churn_text(self, elapsed):
        families = {}
        for (direction, port), series in self.churn.items():
            for key, (base, rate) in series.items():
                name, _, extra = key.partition(":")
                labels = f'direction="{direction}",port="{port}"' + \
                    (f",{extra}" if extra else "")
                families.setdefault(name, []).append(
                    f"tcpstate_port_{name}_total{{{labels}}} "
                    f"{base + rate * elapsed:.3f}\n")
        return "".join(f"# TYPE tcpstate_port_{name}_total counter\n" +
                       "".join(lines) for name, lines in families.items())


def _replace_value(text, name, value):
    start = text.index(f"\n{name} ") + 1
    end = text.index("\n", start)
    return text[:start] + f"{name} {value}" + text[end:]


class ExpositionServer:
    def __init__(self, port, texts):
        started = time.time()
        self.hosts = [HostExposition(h, t, started) for h, t in enumerate(texts)]
        self.sizes = []
        self.lock = threading.Lock()
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                parts = self.path.split("/")
                try:
                    host = int(parts[2])
                    assert parts[1] == "host" and parts[3] == "metrics"
                    body = server.hosts[host].body(time.time())
                except (IndexError, ValueError, AssertionError):
                    self.send_error(404)
                    return
                with server.lock:
                    server.sizes.append(len(body))
                try:
                    self.send_response(200)
                    self.send_header("Content-Type",
                                     "text/plain; version=0.0.4; charset=utf-8")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the scraper gave up or stopped: nothing to tell

            def log_message(self, *args):
                pass

        class Server(http.server.ThreadingHTTPServer):
            # 1,000 targets at 5 s come in bursts: the default backlog of 5
            # overflows, and a dropped SYN costs its scrape a second.
            request_queue_size = 1024

        self.httpd = Server(("127.0.0.1", port), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever,
                                       daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
