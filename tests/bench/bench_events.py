#!/usr/bin/env python3
"""What collect.events = bpf costs: the kernel's time per event, and the
daemon's CPU with events on against off, under connection churn.

Run as root after a release build:

    tests/bench/bench_events.py --build build/release [--rates 10000,50000]

For each rate, churn_load (tests/bench/churn_load.c) opens and closes that
many loopback connections a second (the server closing first, as with
keep-alive off) in a private network namespace, split over as many
processes as one core can each pace (20,000/s), for --seconds. The daemon
runs in that namespace (`tcpstated run --collect.interval 1s`), in these
modes, one after the other, --rounds times:

  off        collect.events = off
  bpf        collect.events = bpf (events.lifetime-ports = 0, the default)
  lifetimes  collect.events = bpf, events.lifetime-ports = 5
  and, timed (kernel.bpf_stats_enabled = 1, which adds two clock reads to
  every program run):
  floor      collect.events = off, and empty_probe (tests/bench/empty_probe.c)
             attached to the same tracepoint
  bpf, lifetimes again

and measures:

- kernel time per event: the kernel's timing of every program run
  (run_time_ns / run_cnt, as `bpftool prog show` prints them) less the
  empty program's (the timing's own cost): the program's cost per
  tracepoint hit;
- the load's CPU per connection (user + system of churn_load, in whose
  context the kernel runs TCP and the program), untimed: with the program
  attached less without, per event: the whole added cost, the
  tracepoint's dispatch included;
- the daemon's CPU (user + system from /proc/PID/stat) as a share of one
  core.
Medians of the rounds are printed, one line per figure.
"""
import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_daemon import cpu_seconds  # noqa: E402

NETNS = "tcpstated-bench-events"
PORT = 10039
PER_PROCESS = 20000  # connections/s one churn_load paces on one core


def sh(command):
    subprocess.run(command, shell=True, check=True)


def in_netns(argv):
    return ["ip", "netns", "exec", NETNS] + argv


MODES = {  # the daemon's flags in each mode
    "off": ["--collect.events", "off"],
    "bpf": ["--collect.events", "bpf", "--events.lifetime-ports", "0"],
    "lifetimes": ["--collect.events", "bpf", "--events.lifetime-ports", "5"],
    "floor": ["--collect.events", "off"],
}
ROUND = [("off", False), ("bpf", False), ("lifetimes", False),
         ("floor", True), ("bpf", True), ("lifetimes", True)]
PROGRAMS = {"on_state_change", "on_reset_sent", "on_reset_receiv",
            "on_retransmit", "on_synack_retra"}


def start_daemon(build, mode):
    events = MODES[mode][1]
    daemon = subprocess.Popen(in_netns([
        f"{build}/daemon/tcpstated", "run", "--config.file", "/dev/null",
        "--web.listen-address", f"127.0.0.1:{PORT}", "--collect.interval",
        "1s"] + MODES[mode]), stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            body = subprocess.run(in_netns(["curl", "-sf", f"http://127.0.0.1:{PORT}/metrics"]),
                                  capture_output=True, text=True).stdout
            if "tcpstate_sockets{" in body:
                enabled = 'tcpstate_events_enabled{reason=""} 1' in body
                if enabled != (events == "bpf"):
                    sys.exit(f"events {events}: {body[-400:]}")
                return daemon
        except OSError:
            pass
        time.sleep(0.1)
    daemon.kill()
    sys.exit("the daemon did not start: " + daemon.stderr.read())


def programs():
    return json.loads(subprocess.run(["bpftool", "prog", "show", "-j"],
                                     capture_output=True, text=True,
                                     check=True).stdout)


def program_stats(ids):
    """run_time_ns and run_cnt summed over the programs `ids`."""
    shown = [p for p in programs() if p["id"] in ids]
    return (sum(p.get("run_time_ns", 0) for p in shown),
            sum(p.get("run_cnt", 0) for p in shown))


def run_load(build, rate, seconds):
    """Connections made and the load's CPU seconds."""
    processes = max(1, math.ceil(rate / PER_PROCESS))
    loads = [subprocess.Popen(in_netns([f"{build}/tests/churn_load",
                                        str(7000 + i), str(rate / processes),
                                        str(seconds)]),
                              stdout=subprocess.PIPE, text=True)
             for i in range(processes)]
    made = 0
    cpu = 0.0
    for load in loads:
        _, status, usage = os.wait4(load.pid, 0)
        if status != 0:
            sys.exit(f"churn_load failed: {status}")
        made += int(load.stdout.read().split()[0])
        cpu += usage.ru_utime + usage.ru_stime
    return made, cpu


def set_stats(on):
    sh(f"sysctl -qw kernel.bpf_stats_enabled={1 if on else 0}")


def one_round(build, rate, seconds, mode):
    # The programs this round loads, by id: others (another tcpstated on
    # the host) are not this round's.
    existing = {p["id"] for p in programs()}
    daemon = start_daemon(build, mode)
    probe = None
    names = (PROGRAMS if MODES[mode][1] == "bpf"
             else {"empty_probe"} if mode == "floor" else set())
    try:
        if mode == "floor":
            probe = subprocess.Popen([f"{build}/tests/empty_probe"],
                                     stdout=subprocess.PIPE, text=True)
            if probe.stdout.readline().strip() != "ready":
                sys.exit("empty_probe did not attach")
        ids = {p["id"] for p in programs()
               if p["id"] not in existing and p.get("name") in names}
        if names and not ids:
            sys.exit(f"{mode}: no program of {sorted(names)} was loaded")
        before_cpu = cpu_seconds(daemon.pid)
        before_stats = program_stats(ids)
        started = time.monotonic()
        made, load_cpu = run_load(build, rate, seconds)
        elapsed = time.monotonic() - started
        after_stats = program_stats(ids)
        daemon_cpu = cpu_seconds(daemon.pid) - before_cpu
    finally:
        if probe:
            probe.kill()
            probe.wait()
        daemon.terminate()
        daemon.wait()
    return {
        "rate": made / elapsed,
        "load_cpu_per_connection_ns": load_cpu / made * 1e9,
        "daemon_core_share": daemon_cpu / elapsed,
        "events": after_stats[1] - before_stats[1],
        "program_ns": after_stats[0] - before_stats[0],
        "connections": made,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", default="build/release")
    parser.add_argument("--rates", default="10000,50000")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("bench_events.py needs root (a namespace, the eBPF program)")
    subprocess.run(["ip", "netns", "del", NETNS], stderr=subprocess.DEVNULL)
    sh(f"ip netns add {NETNS} && ip -n {NETNS} link set lo up")
    sh(f"ip netns exec {NETNS} sysctl -qw net.ipv4.ip_local_port_range='1024 65000'")
    stats_before = open("/proc/sys/kernel/bpf_stats_enabled").read().strip()
    try:
        for rate in [int(r) for r in args.rates.split(",")]:
            rounds = {step: [] for step in ROUND}
            for _ in range(args.rounds):
                for mode, timed in ROUND:
                    set_stats(timed)
                    rounds[(mode, timed)].append(
                        one_round(args.build, rate, args.seconds, mode))
            med = lambda mode, key, timed=False: statistics.median(  # noqa: E731
                r[key] for r in rounds[(mode, timed)])
            per_run = {mode: statistics.median(r["program_ns"] / r["events"]
                                               for r in rounds[(mode, True)])
                       for mode in ("floor", "bpf", "lifetimes")}
            per_connection = med("bpf", "events", True) / med("bpf", "connections", True)
            print(f"target {rate}/s: achieved " + ", ".join(
                f"{med(mode, 'rate'):.0f}/s {mode}" for mode in ("off", "bpf", "lifetimes")) +
                f"; {per_connection:.1f} events per connection")
            print(f"  bpf_stats per run: empty program {per_run['floor']:.0f} ns, "
                  f"churn program {per_run['bpf']:.0f} ns, with lifetimes "
                  f"{per_run['lifetimes']:.0f} ns")
            for mode in ("bpf", "lifetimes"):
                net = per_run[mode] - per_run["floor"]
                added = (med(mode, "load_cpu_per_connection_ns") -
                         med("off", "load_cpu_per_connection_ns")) / per_connection
                print(f"  kernel cost per event, {mode}: {net:.0f} ns (bpf_stats less "
                      f"the empty program); {added:.0f} ns (load CPU with the program "
                      f"attached less without)")
            untimed = ("off", "bpf", "lifetimes")
            print("  load CPU per connection: " + ", ".join(
                f"{med(mode, 'load_cpu_per_connection_ns'):.0f} ns {mode}" for mode in untimed))
            print("  daemon CPU, % of a core: " + ", ".join(
                f"{100 * med(mode, 'daemon_core_share'):.2f} {mode}" for mode in untimed) +
                f"; extra with events: {100 * (med('bpf', 'daemon_core_share') - med('off', 'daemon_core_share')):.2f}")
            sys.stdout.flush()
    finally:
        sh(f"sysctl -qw kernel.bpf_stats_enabled={stats_before}")
        subprocess.run(["ip", "netns", "del", NETNS])


if __name__ == "__main__":
    main()
