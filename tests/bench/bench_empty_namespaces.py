#!/usr/bin/env python3
"""What empty network namespaces cost the daemon under --collect.netns all: the
sweep's duration and the size of /metrics, for this build and another.

    sudo tests/bench/bench_empty_namespaces.py --build build/release \\
        [--baseline OTHER/daemon/tcpstated] [--empty 1000] [--busy 5]

Makes --empty named namespaces with no socket and --busy with a listener
and 50 ESTABLISHED pairs each, runs `tcpstated run --collect.netns all`
(interval 2 s) on 127.0.0.1:10042, waits for three sweeps and prints
tcpstate_collect_duration_seconds and the exposition's size and series
count. Container hosts look like this: most namespaces hold no TCP socket.
"""
import argparse
import os
import re
import subprocess
import sys
import time
import urllib.request

PREFIX = "tcpstated-bench-empty"
PORT = 10042


def scrape():
    with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/metrics",
                                timeout=30) as r:
        return r.read().decode()


def sample(body, name):
    m = re.search(rf"^{name} (\S+)$", body, re.M)
    return float(m.group(1)) if m else None


def measure(binary):
    daemon = subprocess.Popen(
        [binary, "run", "--collect.netns", "all", "--collect.interval", "2s",
         "--web.listen-address", f"127.0.0.1:{PORT}"],
        stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        body = ""
        while time.monotonic() < deadline:
            try:
                body = scrape()
                if (sample(body, "tcpstate_collections_total") or 0) >= 3:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        series = sum(1 for line in body.splitlines()
                     if line and not line.startswith("#"))
        return (sample(body, "tcpstate_collect_duration_seconds"), len(body),
                series)
    finally:
        daemon.terminate()
        daemon.wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="build/release")
    parser.add_argument("--baseline")
    parser.add_argument("--empty", type=int, default=1000)
    parser.add_argument("--busy", type=int, default=5)
    args = parser.parse_args()
    names = [f"{PREFIX}-{i}" for i in range(args.empty + args.busy)]
    holders = []
    try:
        for name in names:
            subprocess.run(["ip", "netns", "add", name], check=True)
        sockets = os.path.join(args.build, "tests/tcpstated-sockets")
        for name in names[args.empty:]:
            subprocess.run(["ip", "-n", name, "link", "set", "lo", "up"],
                           check=True)
            holders.append(subprocess.Popen(
                ["ip", "netns", "exec", name, sockets,
                 "listen:v4:8080:128", "established:v4:8080:50"],
                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL))
        time.sleep(1)  # the holders set up their sockets
        binaries = [("this build", os.path.join(args.build,
                                                "daemon/tcpstated"))]
        if args.baseline:
            binaries.append(("baseline", args.baseline))
        print(f"| {args.empty} empty + {args.busy} busy namespaces | sweep "
              "| /metrics size | series |")
        print("|---|---|---|---|")
        for label, binary in binaries:
            duration, size, series = measure(binary)
            print(f"| {label} | {duration:.3f} s | {size / 1e6:.2f} MB "
                  f"| {series:,} |")
    finally:
        for holder in holders:
            holder.stdin.close()
            holder.wait()
        for name in names:
            subprocess.run(["ip", "netns", "del", name],
                           stderr=subprocess.DEVNULL)
    return 0


if __name__ == "__main__":
    sys.exit(main())
