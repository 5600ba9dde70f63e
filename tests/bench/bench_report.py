#!/usr/bin/env python3
"""Times `tcpstated report` against a bare sock_diag count, ss and netstat.

Run as root from the repository after a release build:

    tests/bench/bench_report.py --build build/release [--sizes 10000,100000,1000000]
                                [--baseline OTHER/daemon/tcpstated]

--close-wait-ports N (with --close-wait-per-port M, 60) times the report on
a healthy host of another kind instead: N ports with M CLOSE_WAIT sockets
each (kept by their program, FIN unread), under every finding threshold.
The report must stay near a bare dump's time: it once read each FIN byte as
unread data and walked every process's descriptors to name the "stalls".

--baseline adds a row for another tcpstated binary (say, one built from an
earlier commit) with the same arguments as the "(counting)" row, so the cost
of a change is measured against the same sockets in the same runs.

For each size it builds the socket mix of socket_mix.py in a private network
namespace (tcpstated-sockets holds the sockets), then runs every command
--runs times, interleaved so that each sees the same sockets, and prints a
Markdown table: median wall time, median user and system CPU time (the
command and its children), the wall-time ratio to the fastest bare count,
and peak RSS. The script itself enters the namespace (setns) to
run the commands, so no namespace-entering helper is timed.
"""
import argparse
import os
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_netns  # noqa: E402

AWK_STATES = "awk 'NR>1 {++S[$1]} END {for (s in S) print s, S[s]}'"
NETSTAT_AWK = "awk '/^tcp/ {++S[$NF]} END {for (s in S) print s, S[s]}'"


def commands(build, baseline=None):
    tcpstated = os.path.join(build, "daemon", "tcpstated")
    bare = os.path.join(build, "tests", "bare_count")
    extra = []
    if baseline:
        extra = [("baseline report --format json --close-wait-ages never",
                  [baseline, "report", "--format", "json",
                   "--close-wait-ages", "never"]),
                 ("baseline report (its defaults)", [baseline, "report"])]
    return extra + [
        ("tcpstated report (its defaults)", [tcpstated, "report"]),
        ("tcpstated report --format json --close-wait-ages never",
         [tcpstated, "report", "--format", "json", "--close-wait-ages", "never"]),
        ("tcpstated report --format json (+ CLOSE_WAIT ages)",
         [tcpstated, "report", "--format", "json", "--close-wait-ages", "always"]),
        ("tcpstated report (per-family request)",
         [tcpstated, "report", "--format", "json", "--request", "per-family",
          "--close-wait-ages", "never"]),
        ("bare count, one-walk legacy request", [bare, "legacy"]),
        ("bare count, per-family requests", [bare, "per-family"]),
        ("ss -tan | awk", ["sh", "-c", "ss -tan | " + AWK_STATES]),
        ("netstat -ant | awk", ["sh", "-c", "netstat -ant | " + NETSTAT_AWK]),
    ]


def run(cmd, check=True, **kw):
    return subprocess.run(cmd, check=check, **kw)


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


def bench_size(build, size, runs, baseline):
    with bench_netns.populated_netns(build, size):
        return sockets_seen(build), measure_all(build, runs, baseline)


def bench_close_wait(build, ports, per_port, runs, baseline):
    workers, port = [], 20000
    per_worker = max(1, 6000 // (2 * per_port))  # CLOSE_WAIT + FIN_WAIT2
    for first in range(0, ports, per_worker):
        specs = []
        for p in range(port + first, port + min(ports, first + per_worker)):
            specs += [f"listen:v4:{p}:128", f"close-wait-kept:v4:{p}:{per_port}"]
        workers.append(specs)
    with bench_netns.netns_holding(build, workers,
                                   f"{ports * per_port:,} CLOSE_WAIT sockets"):
        return sockets_seen(build), measure_all(build, runs, baseline)


def measure_all(build, runs, baseline):
    cmds = commands(build, baseline)
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
    label = f"{size:,}" if isinstance(size, int) else size
    lines = []
    for name, runs in samples.items():
        wall = median(runs, 0)
        rss = max(r[3] for r in runs) / 1024
        lines.append(f"| {label} ({seen:,} seen) | {name} | {wall:.3f} s | "
                     f"{median(runs, 1):.3f} s | {median(runs, 2):.3f} s | "
                     f"{wall / bare:.2f}x | {rss:.1f} MiB |")
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="build/release")
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--baseline", help="another tcpstated binary to time")
    parser.add_argument("--close-wait-ports", type=int, default=0)
    parser.add_argument("--close-wait-per-port", type=int, default=60)
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("bench_report.py: needs root (network namespaces)")
    print("| sockets | command | median wall | median user CPU | "
          "median system CPU | wall / fastest bare count | peak RSS |")
    print("|---|---|---|---|---|---|---|")
    if args.close_wait_ports:
        seen, samples = bench_close_wait(args.build, args.close_wait_ports,
                                         args.close_wait_per_port, args.runs,
                                         args.baseline)
        label = (f"{args.close_wait_ports} ports x "
                 f"{args.close_wait_per_port} CLOSE_WAIT")
        print("\n".join(table(label, seen, samples)))
        return
    for size in (int(s) for s in args.sizes.split(",")):
        seen, samples = bench_size(args.build, size, args.runs, args.baseline)
        print("\n".join(table(size, seen, samples)))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
