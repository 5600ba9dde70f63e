#!/usr/bin/env python3
"""The HTTP front under scrapes: latency, CPU and memory per scrape, and the
cost of basic auth.

Run as root after a release build:

    tests/bench/bench_scrape.py --build build/release [--baseline OLD/daemon/tcpstated]

The daemon replays a synthetic dump of --sockets sockets over --ports
listening ports (written once to /tmp in the ss -D format), with
--ports.max high enough to export every port: a large exposition (about
5 MB at the defaults), as a host with many ports or namespaces has. For
plain and gzip, with 1 and 50 concurrent scrapers, it reports the median
and 99th percentile scrape latency, the daemon's CPU per scrape (utime +
stime from /proc) and its peak RSS (VmHWM). --baseline runs the same
against another binary (the civetweb front before libmicrohttpd).

Then, for the given binary only, basic auth with a bcrypt cost of 10: the
daemon's CPU for 1,000 wrong-password requests from one address (past a
burst of 10, refused before any bcrypt) and from 200 addresses (each
address's first guess is checked), against 1,000 requests of a user whose
password is cached, and the median response time of an unknown user
against a known user with a wrong password, each from an address of its
own (they should be within 20 % of each other: user names cannot be probed
by timing).
"""
import argparse
import concurrent.futures
import http.client
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "support"))
from diag_dump import done, message  # noqa: E402

PORT = 10041
TICKS = os.sysconf("SC_CLK_TCK")
STATES = [1, 6, 8]  # ESTABLISHED, TIME_WAIT, CLOSE_WAIT


def write_dump(path, sockets, ports):
    """Listeners on ports 10000.. and `sockets` sockets spread over them."""
    with open(path, "wb") as out:
        for p in range(ports):
            out.write(message(10, 10000 + p, 0, p + 1))
        for i in range(sockets):
            out.write(message(STATES[i % 3], 10000 + i % ports, 40000 + i % 20000, 0))
        out.write(done())


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def peak_rss_mib(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0


def get(path="/metrics", headers=None, timeout=60, source=None):
    connection = http.client.HTTPConnection(
        "127.0.0.1", PORT, timeout=timeout,
        source_address=(source, 0) if source else None)
    started = time.perf_counter()
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    body = response.read()
    took = time.perf_counter() - started
    connection.close()
    return response.status, len(body), took, response.getheader("Content-Encoding")


def start(binary, dump, extra=()):
    daemon = subprocess.Popen(
        [binary, "run", "--config.file", "/dev/null", "--web.listen-address",
         f"127.0.0.1:{PORT}", "--collect.interval", "1h",
         "--collect.replay-dump", dump, "--ports.max", "65536", *extra],
        stderr=subprocess.DEVNULL)
    # Up once the first snapshot is served (or, with auth, once it answers).
    for _ in range(1200):
        try:
            status, size, _, _ = get("/metrics", timeout=5)
            if status == 401 or (status == 200 and size > 100_000):
                return daemon
        except OSError:
            pass
        time.sleep(0.05)
    daemon.kill()
    raise RuntimeError(f"{binary} did not come up")


def scrapes(daemon, concurrency, gzip, total):
    headers = {"Accept-Encoding": "gzip"} if gzip else {}
    cpu0 = cpu_seconds(daemon.pid)
    with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
        results = list(pool.map(lambda _: get(headers=headers), range(total)))
    cpu = (cpu_seconds(daemon.pid) - cpu0) / total
    times = sorted(r[2] for r in results)
    assert all(r[0] == 200 for r in results), "a scrape failed"
    return (statistics.median(times), times[int(len(times) * 0.99) - 1], cpu,
            results[0][1], results[0][3] or "identity")


def front_table(name, binary, dump, total, extra):
    rows = []
    daemon = start(binary, dump, extra)
    try:
        get()  # the first scrape renders
        for gzip in (False, True):
            for concurrency in (1, 50):
                median, p99, cpu, size, encoding = scrapes(
                    daemon, concurrency, gzip, total)
                rows.append(f"| {name} | {encoding} | {concurrency} | "
                            f"{size / 1e6:.2f} MB | {median * 1000:.1f} ms | "
                            f"{p99 * 1000:.1f} ms | {cpu * 1000:.2f} ms | "
                            f"{peak_rss_mib(daemon.pid):.1f} MiB |")
    finally:
        daemon.terminate()
        daemon.wait()
    return rows


def auth_figures(binary, dump):
    import warnings
    warnings.simplefilter("ignore", DeprecationWarning)
    import crypt  # deprecated, but in Debian 12's Python
    hashed = crypt.crypt("right", crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=1 << 10))
    with tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False) as web:
        web.write(f"basic_auth_users:\n  prometheus: {hashed}\n")
    daemon = start(binary, dump, ["--web.config.file", web.name,
                                  "--web.max-connections-per-client", "64"])
    import base64
    def auth(user, password):
        token = base64.b64encode(f"{user}:{password}".encode()).decode()
        return {"Authorization": f"Basic {token}"}
    # Client addresses: 127.0.1.x guess from many hosts, 127.0.2.x and
    # 127.0.3.x time single guesses, 127.0.0.9 is the scraper.
    def address(block, i):
        return f"127.0.{block}.{1 + i}"
    try:
        def cpu_of(headers, sources):
            cpu0 = cpu_seconds(daemon.pid)
            with concurrent.futures.ThreadPoolExecutor(20) as pool:
                list(pool.map(lambda source: get("/-/healthy", headers,
                                                 source=source), sources))
            return cpu_seconds(daemon.pid) - cpu0
        wrong_one = cpu_of(auth("prometheus", "wrong"), ["127.0.0.8"] * 1000)
        wrong_many = cpu_of(auth("prometheus", "wrong"),
                            [address(1, i % 200) for i in range(1000)])
        get("/-/healthy", auth("prometheus", "right"), source="127.0.0.9")
        cached = cpu_of(auth("prometheus", "right"), ["127.0.0.9"] * 1000)
        unknown_times, known_times = [], []
        for i in range(30):
            unknown_times.append(get("/-/healthy", auth("nobody", "wrong"),
                                     source=address(2, i))[2])
            known_times.append(get("/-/healthy", auth("prometheus", "wrong"),
                                   source=address(3, i))[2])
        return (wrong_one, wrong_many, cached, statistics.median(unknown_times),
                statistics.median(known_times))
    finally:
        daemon.terminate()
        daemon.wait()
        os.unlink(web.name)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="build/release")
    parser.add_argument("--baseline")
    parser.add_argument("--sockets", type=int, default=1_000_000)
    parser.add_argument("--ports", type=int, default=30_000)
    parser.add_argument("--scrapes", type=int, default=200)
    args = parser.parse_args()
    dump = f"/tmp/tcpstated-bench-{args.sockets}-{args.ports}.dump"
    if not os.path.exists(dump):
        write_dump(dump, args.sockets, args.ports)
    binary = os.path.join(args.build, "daemon", "tcpstated")
    print("| front | encoding | concurrent scrapers | exposition | median latency "
          "| p99 latency | daemon CPU per scrape | daemon peak RSS |")
    print("|---|---|---|---|---|---|---|---|")
    # 50 scrapers from one address: above the default per-client limit.
    runs = [("libmicrohttpd", binary, ["--web.max-connections-per-client", "64"])]
    if args.baseline:
        runs.append(("baseline", args.baseline, []))
    for name, path, extra in runs:
        for row in front_table(name, path, dump, args.scrapes, extra):
            print(row)
            sys.stdout.flush()
    wrong_one, wrong_many, cached, unknown, known = auth_figures(binary, dump)
    print()
    print("| basic auth (bcrypt cost 10) | figure |")
    print("|---|---|")
    print(f"| daemon CPU, 1,000 wrong passwords from one address | {wrong_one:.2f} s |")
    print(f"| daemon CPU, 1,000 wrong passwords from 200 addresses | {wrong_many:.2f} s |")
    print(f"| daemon CPU, 1,000 cached right passwords | {cached:.3f} s |")
    print(f"| median response, unknown user | {unknown * 1000:.1f} ms |")
    print(f"| median response, known user, wrong password | {known * 1000:.1f} ms |")
    print(f"| unknown / known | {unknown / known:.2f} |")


if __name__ == "__main__":
    main()
