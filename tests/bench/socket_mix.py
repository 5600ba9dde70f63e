"""The benchmark's socket mix: N TCP sockets spread over 127.0.0.0/8 and ::1.

Shares (of sockets, not connections): 60 % ESTABLISHED (both ends), 15 %
CLOSE_WAIT with 15 % FIN_WAIT2 peers (client half-closed, fds kept so they
never time out), 10 % TIME_WAIT (created last: they live 60 s), and a few
listeners. 10 % of everything is IPv6 on ::1.
"""

V4_PORTS = [8080, 8081, 8082, 8083]
V6_PORTS = [8443, 8444, 8445, 8446]
# Each (source address, server port) pair offers one ephemeral range
# (28,232 ports by default); 16 sources x 4 ports covers 1.8M connections.
V4_SOURCES = 16


def _spread(kind, family, ports, connections):
    specs = []
    for i, port in enumerate(ports):
        share = connections // len(ports) + (1 if i < connections % len(ports) else 0)
        if share:
            specs.append(f"{kind}:{family}:{port}:{share}")
    return specs


def specs_for(total_sockets):
    """tcpstated-sockets arguments for about `total_sockets` sockets."""
    specs = ["--ipv4-sources", str(V4_SOURCES)]
    specs += [f"listen-wildcard:v4:{p}:4096" for p in V4_PORTS]
    specs += [f"listen:v6:{p}:4096" for p in V6_PORTS]
    for family, ports, share in (("v4", V4_PORTS, 0.9), ("v6", V6_PORTS, 0.1)):
        n = total_sockets * share
        specs += _spread("established", family, ports, int(n * 0.60 / 2))
        specs += _spread("close-wait-kept", family, ports, int(n * 0.30 / 2))
    for family, ports, share in (("v4", V4_PORTS, 0.9), ("v6", V6_PORTS, 0.1)):
        specs += _spread("time-wait", family, ports, int(total_sockets * share * 0.10))
    return specs
