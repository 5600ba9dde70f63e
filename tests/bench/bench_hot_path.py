#!/usr/bin/env python3
"""The per-socket path alone: `tcpstated report --collect.replay-dump` of a
synthetic dump, against another binary, interleaved.

Run from the repository after a release build:

    tests/bench/bench_hot_path.py --build build/release \\
        --baseline OTHER/daemon/tcpstated [--sockets 1000000] [--runs 15]

A replay has no kernel walk and no process tracing, so the time is the
parser, the aggregator and the report: what a change to the per-socket
path costs, without the kernel's noise that dominates a live dump. The
dump (written once to /tmp, the `ss -D` format) holds --sockets sockets
over 200 listening ports: ESTABLISHED, CLOSE_WAIT and TIME_WAIT, one in
ten with unread data, one in twenty retransmitting with data in flight,
one in fifty in zero-window probing, so every branch of the stall counter
is taken (--no-stalls: none, the common case). Prints the median user CPU and wall of each binary and their
ratio.
"""
import argparse
import os
import resource
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "support"))
from diag_dump import (CLOSE_WAIT, ESTABLISHED, LISTEN,  # noqa: E402
                       TIME_WAIT, TIMER_RETRANSMIT, TIMER_ZERO_WINDOW, done,
                       message)

PORTS = 200


def write_dump(path, sockets, stalls):
    states = [ESTABLISHED, ESTABLISHED, CLOSE_WAIT, TIME_WAIT]
    with open(path, "wb") as out:
        for p in range(PORTS):
            out.write(message(LISTEN, 10000 + p, 0, p + 1))
        for i in range(sockets):
            state = states[i % 4]
            fields = {}
            if stalls and state != TIME_WAIT:
                if i % 10 == 0:
                    fields = {"rqueue": 4096}
                elif i % 20 == 1:
                    fields = {"timer": TIMER_RETRANSMIT, "wqueue": 1448}
                elif i % 50 == 3:
                    fields = {"timer": TIMER_ZERO_WINDOW, "wqueue": 65536}
            out.write(message(state, 10000 + i % PORTS, 40000 + i % 20000,
                              1000 + i, **fields))
        out.write(done())


def timed(binary, dump):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    subprocess.run([binary, "report", "--format", "json", "--collect.replay-dump",
                    dump], check=True, stdout=subprocess.DEVNULL)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="build/release")
    parser.add_argument("--baseline", required=True)
    parser.add_argument("--sockets", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--no-stalls", action="store_true",
                        help="no socket with data queued or a timer set")
    args = parser.parse_args()
    kind = "calm" if args.no_stalls else "stalls"
    dump = f"/tmp/tcpstated-hot-path-{args.sockets}-{kind}.dump"
    if not os.path.exists(dump):
        write_dump(dump + ".tmp", args.sockets, not args.no_stalls)
        os.rename(dump + ".tmp", dump)
    binaries = {"this build": os.path.join(args.build, "daemon/tcpstated"),
                "baseline": args.baseline}
    samples = {name: [] for name in binaries}
    for name, binary in binaries.items():
        timed(binary, dump)  # warm the page cache
    for _ in range(args.runs):
        for name, binary in binaries.items():
            samples[name].append(timed(binary, dump))
    print(f"| binary ({args.sockets:,} sockets replayed, {args.runs} runs) "
          "| median wall | median user CPU |")
    print("|---|---|---|")
    medians = {}
    for name, runs in samples.items():
        wall = statistics.median(r[0] for r in runs)
        user = statistics.median(r[1] for r in runs)
        medians[name] = (wall, user)
        print(f"| {name} | {wall:.3f} s | {user:.3f} s |")
    this, base = medians["this build"], medians["baseline"]
    print(f"\nwall {this[0] / base[0]:.3f}x, user CPU {this[1] / base[1]:.3f}x "
          "of the baseline")
    return 0


if __name__ == "__main__":
    sys.exit(main())
