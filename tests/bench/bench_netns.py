"""A private network namespace holding the benchmark's socket mix."""
import contextlib
import ctypes
import os
import subprocess
import sys
import time

import socket_mix

CLONE_NEWNET = 0x40000000
NETNS = "tcpstated-bench"


def _setns(fd):
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.setns(fd, CLONE_NEWNET) != 0:
        raise OSError(ctypes.get_errno(), "setns")


@contextlib.contextmanager
def inside(netns):
    """Moves this process into the named namespace for the duration;
    children started meanwhile inherit it."""
    home = os.open("/proc/self/ns/net", os.O_RDONLY)
    target = os.open(f"/run/netns/{netns}", os.O_RDONLY)
    try:
        _setns(target)
        try:
            yield
        finally:
            _setns(home)
    finally:
        os.close(target)
        os.close(home)


@contextlib.contextmanager
def populated_netns(build, size):
    """Builds `size` sockets in a fresh namespace and moves this process
    into it for the duration; children started meanwhile inherit it."""
    workers = [socket_mix.specs_for(size, worker)
               for worker in range(socket_mix.workers_for(size))]
    with netns_holding(build, workers, f"{size:,} sockets"):
        yield


@contextlib.contextmanager
def netns_holding(build, workers, what):
    """A fresh namespace where one tcpstated-sockets per entry of `workers`
    (its arguments) holds sockets; this process is moved into it for the
    duration."""
    subprocess.run(["ip", "netns", "add", NETNS], check=True)
    holders = []
    try:
        subprocess.run(["ip", "-n", NETNS, "link", "set", "lo", "up"], check=True)
        subprocess.run(["ip", "netns", "exec", NETNS, "sysctl", "-qw",
                        "net.ipv4.tcp_max_tw_buckets=2000000"], check=True)
        started = time.time()
        sockets = os.path.join(build, "tests", "tcpstated-sockets")
        for specs in workers:
            holders.append(subprocess.Popen(
                ["ip", "netns", "exec", NETNS, sockets] + specs,
                stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL, text=True))
        for holder in holders:
            if holder.stdout.readline().strip() != "ready":
                raise RuntimeError("tcpstated-sockets failed")
        print(f"# {what} built in {time.time() - started:.1f} s",
              file=sys.stderr)
        with inside(NETNS):
            yield
    finally:
        for holder in holders:
            holder.stdin.close()
            holder.wait()
        subprocess.run(["ip", "netns", "del", NETNS], check=False)
