#!/usr/bin/env python3
"""Times `tcpstated report` against a bare sock_diag count, ss and netstat.

Run as root from the repository after a release build:

    tests/bench/bench_report.py --build build/release [--sizes 10000,100000,1000000]

For each size it builds the socket mix of socket_mix.py in a private network
namespace (tcpstated-sockets holds the sockets), then runs every command
--runs times, interleaved so that each sees the same sockets, and prints a
Markdown table: median wall time, median user and system CPU time (the
command and its children), the wall-time ratio to the fastest bare count,
and peak RSS. The script itself enters the namespace (setns) to
run the commands, so no namespace-entering helper is timed.
"""
import argparse
import ctypes
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import socket_mix  # noqa: E402

CLONE_NEWNET = 0x40000000
NETNS = "tcpstated-bench"
AWK_STATES = "awk 'NR>1 {++S[$1]} END {for (s in S) print s, S[s]}'"
NETSTAT_AWK = "awk '/^tcp/ {++S[$NF]} END {for (s in S) print s, S[s]}'"


def commands(build):
    tcpstated = os.path.join(build, "daemon", "tcpstated")
    bare = os.path.join(build, "tests", "bare_count")
    return [
        ("tcpstated report --format json", [tcpstated, "report", "--format", "json"]),
        ("tcpstated report (per-family request)",
         [tcpstated, "report", "--format", "json", "--request", "per-family"]),
        ("bare count, one-walk legacy request", [bare, "legacy"]),
        ("bare count, per-family requests", [bare, "per-family"]),
        ("ss -tan | awk", ["sh", "-c", "ss -tan | " + AWK_STATES]),
        ("netstat -ant | awk", ["sh", "-c", "netstat -ant | " + NETSTAT_AWK]),
    ]


def run(cmd, check=True, **kw):
    return subprocess.run(cmd, check=check, **kw)


def setns(fd):
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.setns(fd, CLONE_NEWNET) != 0:
        raise OSError(ctypes.get_errno(), "setns")


def measure(build, argv):
    """Wall seconds, user and system CPU seconds, peak RSS (KiB) of one run."""
    out = subprocess.run([os.path.join(build, "tests", "measure_exec")] + argv,
                         check=True, capture_output=True, text=True).stdout
    wall, user, system, rss = out.split()
    return float(wall), float(user), float(system), int(rss)


def sockets_seen(build):
    out = subprocess.run([os.path.join(build, "tests", "bare_count"), "legacy"],
                         check=True, capture_output=True, text=True).stdout
    return int(out)


def bench_size(build, size, runs):
    """Builds `size` sockets in a fresh namespace and measures every command."""
    home = os.open("/proc/self/ns/net", os.O_RDONLY)
    run(["ip", "netns", "add", NETNS])
    holders = []
    try:
        run(["ip", "-n", NETNS, "link", "set", "lo", "up"])
        run(["ip", "netns", "exec", NETNS, "sysctl", "-qw",
             "net.ipv4.tcp_max_tw_buckets=2000000"])
        started = time.time()
        sockets = os.path.join(build, "tests", "tcpstated-sockets")
        for worker in range(socket_mix.workers_for(size)):
            holders.append(subprocess.Popen(
                ["ip", "netns", "exec", NETNS, sockets]
                + socket_mix.specs_for(size, worker),
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True))
        for holder in holders:
            if holder.stdout.readline().strip() != "ready":
                raise RuntimeError("tcpstated-sockets failed")
        print(f"# {size:,} sockets built in {time.time() - started:.1f} s",
              file=sys.stderr)
        target = os.open(f"/run/netns/{NETNS}", os.O_RDONLY)
        setns(target)
        os.close(target)
        try:
            return sockets_seen(build), measure_all(build, runs)
        finally:
            setns(home)
    finally:
        for holder in holders:
            holder.stdin.close()
            holder.wait()
        run(["ip", "netns", "del", NETNS], check=False)
        os.close(home)


def measure_all(build, runs):
    cmds = commands(build)
    samples = {name: [] for name, _ in cmds}
    for _ in range(runs):
        for name, argv in cmds:
            samples[name].append(measure(build, argv))
    return samples


def table(size, seen, samples):
    def median(runs, i):
        return statistics.median(r[i] for r in runs)

    bare = min(median(samples[name], 0)
               for name in samples if name.startswith("bare count"))
    lines = []
    for name, runs in samples.items():
        wall = median(runs, 0)
        rss = max(r[3] for r in runs) / 1024
        lines.append(f"| {size:,} ({seen:,} seen) | {name} | {wall:.3f} s | "
                     f"{median(runs, 1):.3f} s | {median(runs, 2):.3f} s | "
                     f"{wall / bare:.2f}x | {rss:.1f} MiB |")
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="build/release")
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("bench_report.py: needs root (network namespaces)")
    print("| sockets | command | median wall | median user CPU | "
          "median system CPU | wall / fastest bare count | peak RSS |")
    print("|---|---|---|---|---|---|---|")
    for size in (int(s) for s in args.sizes.split(",")):
        seen, samples = bench_size(args.build, size, args.runs)
        print("\n".join(table(size, seen, samples)))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
