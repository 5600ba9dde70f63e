"""The benchmark's socket mix: N TCP sockets spread over 127.0.0.0/8 and ::1.

Shares (of sockets, not connections): 60 % ESTABLISHED (both ends), 15 %
CLOSE_WAIT with 15 % FIN_WAIT2 peers (client half-closed, fds kept so they
never time out), 10 % TIME_WAIT (created last: they live 60 s), and a few
listeners. 10 % of everything is IPv6 on ::1.

A process may hold at most RLIMIT_NOFILE descriptors (a hard 20,000 on
machines without CAP_SYS_RESOURCE), so the mix is split over workers of at
most SOCKETS_PER_WORKER sockets, each with its own listening ports.
"""
import math

SOCKETS_PER_WORKER = 20000
PORTS_PER_FAMILY = 4
FIRST_PORT = 10000
# Per worker and server port, each source address offers a whole ephemeral
# range (28,232 ports by default); 4 sources leave ample room.
V4_SOURCES = 4


def workers_for(total_sockets):
    return max(1, math.ceil(total_sockets / SOCKETS_PER_WORKER))


def _ports(worker, family):
    base = FIRST_PORT + 20 * worker + (0 if family == "v4" else 10)
    return [base + i for i in range(PORTS_PER_FAMILY)]


def _spread(kind, family, ports, connections):
    specs = []
    for i, port in enumerate(ports):
        share = connections // len(ports) + (1 if i < connections % len(ports) else 0)
        if share:
            specs.append(f"{kind}:{family}:{port}:{share}")
    return specs


def specs_for(total_sockets, worker):
    """tcpstated-sockets arguments for worker `worker` of `total_sockets`."""
    n_workers = workers_for(total_sockets)
    mine = total_sockets // n_workers
    specs = ["--ipv4-sources", str(V4_SOURCES)]
    specs += [f"listen-wildcard:v4:{p}:4096" for p in _ports(worker, "v4")]
    specs += [f"listen:v6:{p}:4096" for p in _ports(worker, "v6")]
    shares = (("v4", 0.9), ("v6", 0.1))
    for family, share in shares:
        n = mine * share
        ports = _ports(worker, family)
        specs += _spread("established", family, ports, int(n * 0.60 / 2))
        specs += _spread("close-wait-kept", family, ports, int(n * 0.30 / 2))
    for family, share in shares:
        specs += _spread("time-wait", family, _ports(worker, family),
                         int(mine * share * 0.10))
    return specs
