#!/usr/bin/env python3
"""Times `tcpstated report` naming the holder of a small leak on a host
where another process holds many descriptors, against a bare dump.

Run as root from the repository after a release build:

    tests/bench/bench_scoped_walk.py --build build/release
                                     [--baseline OTHER/daemon/tcpstated]
                                     [--leak 300] [--busy 10000] [--runs 7]

In a private network namespace, one tcpstated-sockets process in a cgroup
of its own leaks --leak CLOSE_WAIT sockets (a pileup: 300 is over the
default 100), and another, in a second cgroup, holds --busy ESTABLISHED
connections (both ends: 2 x --busy descriptors, over processes of 5,000). The report traces the
pileup to its process; with the walk scoped by the sockets' cgroup it reads
the leaking process's descriptors only. --baseline times another binary
(one that walks every process) on the same sockets, interleaved.

Prints a Markdown table (median wall, user and system CPU, ratio to the
bare dump, peak RSS) and the report's process_scan line.
"""
import argparse
import contextlib
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_netns  # noqa: E402
import bench_report  # noqa: E402

NETNS = "tcpstated-bench-walk"
BUSY_PER_PROCESS = 5000


def cgroup2_mount():
    with open("/proc/self/mounts") as mounts:
        for line in mounts:
            fields = line.split()
            if fields[2] == "cgroup2":
                return fields[1]
    sys.exit("bench_scoped_walk.py: no cgroup v2 hierarchy mounted")


@contextlib.contextmanager
def holders(build, leak, busy):
    """The two socket holders, each started in a cgroup of its own."""
    mount = cgroup2_mount()
    sockets = os.path.join(build, "tests", "tcpstated-sockets")
    # A process holds at most RLIMIT_NOFILE descriptors (20,000 here): the
    # busy connections are split over processes of the same cgroup.
    groups = [("leak", [f"listen:v4:7400:{leak + 64}",
                        f"close-wait:v4:7400:{leak}"])]
    for worker, first in enumerate(range(0, busy, BUSY_PER_PROCESS)):
        port = 7500 + worker
        groups.append(("busy", [f"listen:v4:{port}:4096", f"established:v4:"
                                f"{port}:{min(BUSY_PER_PROCESS, busy - first)}"]))
    started = []
    subprocess.run(["ip", "netns", "add", NETNS], check=True)
    try:
        subprocess.run(["ip", "-n", NETNS, "link", "set", "lo", "up"],
                       check=True)
        for name, specs in groups:
            cgroup = os.path.join(mount, f"tcpstated-bench-{name}")
            os.makedirs(cgroup, exist_ok=True)
            # The shell joins the cgroup, then becomes the holder: its
            # sockets are made there.
            started.append((cgroup, subprocess.Popen(
                ["sh", "-c", f'echo $$ > {cgroup}/cgroup.procs && exec ip '
                 f'netns exec {NETNS} {sockets} "$@"', "sh"] + specs,
                stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL, text=True)))
        for _, holder in started:
            if holder.stdout.readline().strip() != "ready":
                raise RuntimeError("tcpstated-sockets failed")
        yield
    finally:
        for _, holder in started:
            holder.stdin.close()
            holder.wait()
        for cgroup in {cgroup for cgroup, _ in started}:
            os.rmdir(cgroup)
        subprocess.run(["ip", "netns", "del", NETNS], check=False)


def scan_line(tcpstated):
    report = json.loads(subprocess.run(
        [tcpstated, "report", "--format", "json", "--close-wait-ages", "never"],
        check=True, capture_output=True, text=True).stdout)
    pileup = report["pileups"][0]
    return (f"{tcpstated}: pileup {pileup['state']} port {pileup['port']}, "
            f"processes {pileup['processes']}, process_scan "
            f"{report['process_scan']}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="build/release")
    parser.add_argument("--baseline", help="another tcpstated binary to time")
    parser.add_argument("--leak", type=int, default=300)
    parser.add_argument("--busy", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("bench_scoped_walk.py: needs root (namespaces, cgroups)")
    tcpstated = os.path.join(args.build, "daemon", "tcpstated")
    report = ["report", "--format", "json", "--close-wait-ages", "never"]
    cmds = [("tcpstated report (scoped walk)", [tcpstated] + report)]
    if args.baseline:
        cmds.append(("baseline report", [args.baseline] + report))
    cmds.append(("bare count, one-walk legacy request",
                 [os.path.join(args.build, "tests", "bare_count"), "legacy"]))

    with holders(args.build, args.leak, args.busy), bench_netns.inside(NETNS):
        seen = bench_report.sockets_seen(args.build)
        samples = {name: [] for name, _ in cmds}
        for _ in range(args.runs):
            for name, argv in cmds:
                samples[name].append(bench_report.measure(args.build, argv))
        for binary in [tcpstated] + ([args.baseline] if args.baseline else []):
            print(f"# {scan_line(binary)}")
    print("| sockets | command | median wall | median user CPU | "
          "median system CPU | wall / fastest bare count | peak RSS |")
    print("|---|---|---|---|---|---|---|")
    print("\n".join(bench_report.table(
        f"{args.leak} leaked + {2 * args.busy:,} busy", seen, samples)))


if __name__ == "__main__":
    main()
