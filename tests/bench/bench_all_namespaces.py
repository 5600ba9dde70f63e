#!/usr/bin/env python3
"""What `tcpstated report --collect.netns all` costs as sockets spread over
namespaces: the same total of ESTABLISHED sockets in 1, 10 and 100 named
namespaces, and the fixed cost of an empty namespace.

    sudo tests/bench/bench_all_namespaces.py [--build build/release]
        [--total 100000] [--spreads 1,10,100] [--empty 1000] [--runs 5]
        [--daemon 100]

Prints a Markdown table: best and median wall time of the report over all
namespaces, and of a report of one namespace for comparison. With
--daemon N, also runs `tcpstated run --collect.netns all` over N namespaces
holding the total and reports CPU per sweep and memory.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.request

PREFIX = "tcpstated-bench-ns"
PER_HOLDER = 10000  # sockets per tcpstated-sockets process (fd limit)


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def make_namespaces(count):
    names = [f"{PREFIX}{i}" for i in range(count)]
    for name in names:
        run(["ip", "netns", "add", name])
        run(["ip", "-n", name, "link", "set", "lo", "up"])
    return names


def delete_namespaces(names):
    for name in names:
        subprocess.run(["ip", "netns", "del", name], check=False)


def fill(build, names, total):
    """Holds total/len(names) ESTABLISHED sockets in each namespace."""
    binary = os.path.join(build, "tests", "tcpstated-sockets")
    holders = []
    per_ns = total // len(names)
    for name in names:
        left = per_ns
        port = 7000
        while left > 0:
            n = min(left, PER_HOLDER)
            holders.append(subprocess.Popen(
                ["ip", "netns", "exec", name, binary, f"listen:v4:{port}:4096",
                 f"established:v4:{port}:{n // 2}"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL, text=True))
            left -= n
            port += 1
    for holder in holders:
        if holder.stdout.readline().strip() != "ready":
            raise RuntimeError("tcpstated-sockets failed")
    return holders


def release(holders):
    for holder in holders:
        holder.stdin.close()
        holder.wait()


def timed(cmd, runs):
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        run(cmd, stdout=subprocess.DEVNULL)
        samples.append(time.perf_counter() - started)
    return min(samples), statistics.median(samples)


def measure_daemon(build, spread, total):
    names = make_namespaces(spread)
    holders = []
    daemon = None
    try:
        holders = fill(build, names, total)
        daemon = subprocess.Popen(
            [os.path.join(build, "daemon", "tcpstated"), "run",
             "--collect.netns", "all", "--collect.interval", "2s",
             "--web.listen-address", "127.0.0.1:19998"],
            stderr=subprocess.DEVNULL)
        time.sleep(4)

        def cpu_seconds():
            fields = open(f"/proc/{daemon.pid}/stat").read().split(")")[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

        def scrape():
            return urllib.request.urlopen(
                "http://127.0.0.1:19998/metrics").read().decode()

        def sample(body, name):
            return float(re.search(rf"^{name} (\S+)", body, re.M).group(1))

        cpu0, sweeps0 = cpu_seconds(), sample(scrape(), "tcpstate_collections_total")
        time.sleep(20)
        body = scrape()
        cpu1, sweeps1 = cpu_seconds(), sample(body, "tcpstate_collections_total")
        status = open(f"/proc/{daemon.pid}/status").read()
        rss = int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024
        peak = int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) / 1024
        print(f"\ndaemon over {spread} namespaces x {total // spread:,} sockets: "
              f"{(cpu1 - cpu0) / (sweeps1 - sweeps0) * 1000:.0f} ms CPU per "
              f"sweep, RSS {rss:.1f} MiB (peak {peak:.1f}), exposition "
              f"{len(body) / 1024:.0f} KiB")
    finally:
        if daemon:
            daemon.terminate()
            daemon.wait()
        release(holders)
        delete_namespaces(names)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--build", default="build/release")
    parser.add_argument("--total", type=int, default=100000)
    parser.add_argument("--spreads", default="1,10,100")
    parser.add_argument("--empty", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--daemon", type=int, default=0)
    args = parser.parse_args()
    tcpstated = os.path.join(args.build, "daemon", "tcpstated")
    report_all = [tcpstated, "report", "--collect.netns", "all", "--format", "json"]

    print("| namespaces | sockets each | report --collect.netns all best / median "
          "| report of one namespace best / median |")
    print("|---:|---:|---:|---:|")
    for spread in [int(s) for s in args.spreads.split(",")]:
        names = make_namespaces(spread)
        holders = []
        try:
            holders = fill(args.build, names, args.total)
            best, median = timed(report_all, args.runs)
            one = timed([tcpstated, "report", "--format", "json", "--collect.netns",
                         names[0]], args.runs)
            print(f"| {spread} | {args.total // spread:,} | {best:.3f} s / "
                  f"{median:.3f} s | {one[0]:.3f} s / {one[1]:.3f} s |",
                  flush=True)
        finally:
            release(holders)
            delete_namespaces(names)

    if args.empty:
        names = make_namespaces(args.empty)
        try:
            best, median = timed(report_all, args.runs)
            print(f"\n{args.empty} empty namespaces: report --collect.netns all "
                  f"{best:.3f} s best, {median:.3f} s median "
                  f"({best / args.empty * 1e6:.0f} µs per namespace)")
        finally:
            delete_namespaces(names)

    if args.daemon:
        measure_daemon(args.build, args.daemon, args.total)


if __name__ == "__main__":
    if os.geteuid() != 0:
        sys.exit("needs root: it creates network namespaces")
    main()
