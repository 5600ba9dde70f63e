#!/usr/bin/env python3
"""Daemon cost: CPU per collection, RSS, and idle CPU between collections.

Run as root after a release build:

    tests/bench/bench_daemon.py --build build/release [--sizes 10000,100000,1000000]

With --baseline OTHER/daemon/tcpstated, each size's CPU per collection is
measured for both binaries, alternating, --rounds times (the median of
each is compared): the figure behind "unchanged within 5 %".

For each size, the socket mix of socket_mix.py is built in a private
namespace and `tcpstated run --collect.interval 1s` is started in it. CPU
per collection is the daemon's user + system CPU (from /proc/PID/stat)
over --collections collections divided by their number, while it is
scraped once per second as Prometheus would; RSS is VmRSS at the end and
VmHWM (peak). Idle CPU is measured separately with a 1 h interval: the
daemon's CPU over 10 s after its first collection, scraped once a second.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_netns  # noqa: E402

PORT = 10039
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def memory_kib(pid):
    status = open(f"/proc/{pid}/status").read()
    rss = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
    hwm = int(re.search(r"VmHWM:\s+(\d+)", status).group(1))
    return rss, hwm


def scrape():
    with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/metrics", timeout=10) as r:
        return r.read().decode()


def collections():
    match = re.search(r"^tcpstate_collections_total (\S+)$", scrape(), re.M)
    return float(match.group(1)) if match else 0.0


def start_daemon(binary, interval):
    daemon = subprocess.Popen(
        [binary, "run", "--config.file",
         "/dev/null", "--web.listen-address", f"127.0.0.1:{PORT}",
         "--collect.interval", interval], stderr=subprocess.DEVNULL)
    for _ in range(600):
        try:
            if collections() >= 1:
                return daemon
        except OSError:
            pass
        time.sleep(0.05)
    daemon.kill()
    raise RuntimeError("daemon did not come up")


def per_collection(binary, n):
    daemon = start_daemon(binary, "1s")
    try:
        first = collections()
        cpu0 = cpu_seconds(daemon.pid)
        while collections() < first + n:
            time.sleep(1)
        done = collections()
        cpu = (cpu_seconds(daemon.pid) - cpu0) / (done - first)
        return cpu, memory_kib(daemon.pid)
    finally:
        daemon.terminate()
        daemon.wait()


def idle(binary, seconds=10):
    daemon = start_daemon(binary, "1h")
    try:
        cpu0 = cpu_seconds(daemon.pid)
        for _ in range(seconds):
            time.sleep(1)
            scrape()
        return (cpu_seconds(daemon.pid) - cpu0) / seconds
    finally:
        daemon.terminate()
        daemon.wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="build/release")
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--collections", type=int, default=10)
    parser.add_argument("--baseline", help="another tcpstated binary")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("bench_daemon.py: needs root (network namespaces)")
    binary = os.path.join(args.build, "daemon", "tcpstated")
    if args.baseline:
        compare(args, binary)
        return
    print("| sockets | CPU per collection | RSS after | peak RSS | idle CPU (1 scrape/s) |")
    print("|---|---|---|---|---|")
    for size in (int(s) for s in args.sizes.split(",")):
        with bench_netns.populated_netns(args.build, size):
            cpu, (rss, hwm) = per_collection(binary, args.collections)
            idle_cpu = idle(binary)
        print(f"| {size:,} | {cpu * 1000:.0f} ms | {rss / 1024:.1f} MiB | "
              f"{hwm / 1024:.1f} MiB | {idle_cpu * 100:.2f} % of a core |")
        sys.stdout.flush()


def compare(args, binary):
    print("| sockets | CPU per collection, this build | baseline | ratio |")
    print("|---|---|---|---|")
    for size in (int(s) for s in args.sizes.split(",")):
        ours, theirs = [], []
        with bench_netns.populated_netns(args.build, size):
            for _ in range(args.rounds):
                ours.append(per_collection(binary, args.collections)[0])
                theirs.append(per_collection(args.baseline, args.collections)[0])
        a, b = statistics.median(ours), statistics.median(theirs)
        print(f"| {size:,} | {a * 1000:.0f} ms | {b * 1000:.0f} ms | "
              f"{a / b:.3f} |")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
