"""Synthesized sock_diag dumps of the fleet's hosts, in the format
`ss -t -a -D` writes and `collect.replay-dump` reads: a netlink message per
socket (struct inet_diag_msg), then NLMSG_DONE.

Each host is drawn from its own seeded generator, so host N is the same in
every run. Most are healthy (a few to a few dozen service ports, clients
toward databases and caches, a little TIME_WAIT, a few connections with
unread data); every hundredth host
from 7, 37 and 67 is in trouble: a CLOSE_WAIT leak on port 8080, its
ephemeral ports used up toward 10.77.0.1:6379, or an accept queue over its
limit on port 9000. Every hundredth host from 50 runs containers instead
(see container_host).
"""
import os
import random
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "support"))
from diag_dump import (CLOSE_WAIT, ESTABLISHED, LISTEN,  # noqa: E402
                       TIME_WAIT, done, message)

SERVICE_PORTS = [22, 80, 443, 3000, 3306, 5000, 5432, 6379, 8000, 8080,
                 8443, 9090, 9100, 11211, 15672, 27017]
REMOTE_SERVICES = [("10.0.1.10", 5432), ("10.0.1.11", 6379),
                   ("10.0.1.12", 11211), ("10.0.2.20", 443),
                   ("10.0.2.21", 9092), ("10.0.3.30", 8080)]

CLOSE_WAIT_LEAK, PORT_EXHAUSTION, ACCEPT_QUEUE = "close_wait", "ports", "queue"
CONTAINER_LEAK = "container_close_wait"
LEAKING_CONTAINER_HOST = 550


def trouble_of(host):
    """What is wrong with host N (None: nothing)."""
    if host == LEAKING_CONTAINER_HOST:
        return CONTAINER_LEAK
    return {7: CLOSE_WAIT_LEAK, 37: PORT_EXHAUSTION,
            67: ACCEPT_QUEUE}.get(host % 100)


def container_host(host):
    """Every hundredth host from 50 runs containers: its namespaces, each
    as NAME=SPEC,... for render_container_host.sh (real sockets, rendered
    by the daemon watching every namespace); None for the others. Host 550
    has a CLOSE_WAIT leak on port 6379 in its namespace c2."""
    if host % 100 != 50:
        return None
    rng = random.Random(host)
    namespaces = []
    for n in range(rng.randrange(3, 9)):
        specs = []
        for port in rng.sample(SERVICE_PORTS, rng.randrange(1, 4)):
            specs.append(f"listen:v4:{port}:128")
            specs.append(f"established:v4:{port}:{rng.randrange(1, 20)}")
            if rng.random() < 0.5:
                specs.append(f"time-wait:v4:{port}:{rng.randrange(1, 10)}")
        if host == LEAKING_CONTAINER_HOST and n == 2:
            specs += ["listen:v4:6379:128", "close-wait:v4:6379:120"]
        namespaces.append(f"c{n}=" + ",".join(specs))
    return namespaces


def _message(state, local, remote, rqueue=0, wqueue=0, inode=0):
    (laddr, lport), (raddr, rport) = local, remote
    return message(state, lport, rport, inode=inode, rqueue=rqueue,
                   wqueue=wqueue, src=laddr, dst=raddr)


class _Dump:
    def __init__(self, address):
        self.address = address
        self.messages = []
        self.client_port = 32768
        self.inode = 1

    def listen(self, port, queued=0, backlog=4096):
        self.messages.append(_message(LISTEN, (self.address, port),
                                      ("0.0.0.0", 0), queued, backlog,
                                      self.inode))
        self.inode += 1

    def inbound(self, state, port, count, rng, unread=0):
        for _ in range(count):
            peer = f"10.9.{rng.randrange(256)}.{rng.randrange(1, 255)}"
            self.messages.append(_message(
                state, (self.address, port),
                (peer, rng.randrange(32768, 61000)), rqueue=unread,
                inode=self.inode if state != TIME_WAIT else 0))
            self.inode += 1

    def outbound(self, state, remote, count, first_port=None):
        for k in range(count):
            if first_port is not None:
                port = first_port + k
            else:
                port = self.client_port
                self.client_port += 1
            self.messages.append(_message(
                state, (self.address, port), remote,
                inode=self.inode if state != TIME_WAIT else 0))
            self.inode += 1

    def bytes(self):
        return b"".join(self.messages) + done()


def host_dump(host):
    """The dump of host N, and the extra flags its daemon needs."""
    rng = random.Random(host)
    dump = _Dump(f"10.{100 + host // 250}.{host % 250}.1")
    flags = []
    ports = rng.sample(SERVICE_PORTS, rng.randrange(1, 8))
    ports += [10000 + rng.randrange(5000) for _ in range(rng.randrange(0, 25))]
    for port in sorted(set(ports) - {8080, 9000}):
        dump.listen(port, backlog=rng.choice([128, 511, 4096]))
        established = rng.randrange(0, 60)
        dump.inbound(ESTABLISHED, port, established, rng)
        dump.inbound(TIME_WAIT, port, rng.randrange(0, established + 1), rng)
        dump.inbound(CLOSE_WAIT, port, rng.randrange(0, 3), rng)
        # A few connections whose data waits to be read: stalls below
        # stall.min-sockets, as busy servers have.
        dump.inbound(ESTABLISHED, port, rng.randrange(0, 3), rng, unread=1000)
    for remote in rng.sample(REMOTE_SERVICES, rng.randrange(1, 5)):
        dump.outbound(ESTABLISHED, remote, rng.randrange(1, 40))
        dump.outbound(TIME_WAIT, remote, rng.randrange(0, 30))
    trouble = trouble_of(host)
    if trouble == CLOSE_WAIT_LEAK:
        dump.listen(8080)
        dump.inbound(ESTABLISHED, 8080, 40, rng)
        dump.inbound(CLOSE_WAIT, 8080, 300 + rng.randrange(200), rng)
    elif trouble == PORT_EXHAUSTION:
        flags += ["--collect.local-port-range", "40000 40999"]
        dump.outbound(ESTABLISHED, ("10.77.0.1", 6379), 400, first_port=40000)
        dump.outbound(TIME_WAIT, ("10.77.0.1", 6379), 590, first_port=40400)
    elif trouble == ACCEPT_QUEUE:
        dump.listen(9000, queued=129, backlog=128)
        dump.inbound(ESTABLISHED, 9000, 20, rng)
    return dump.bytes(), flags
