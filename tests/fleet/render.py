"""Renders each host's exposition with the real daemon: a replay of its
synthesized dump (host_dumps.py), or, for a container host, the daemon
watching every namespace over real sockets (render_container_host.sh)."""
import concurrent.futures
import os
import queue
import subprocess
import time

from host_dumps import container_host, host_dump, trouble_of
from prometheus_api import get

SOURCE = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
FIRST_DAEMON_PORT, RENDERERS = 10320, 4


def render_containers(binary, work, host, namespaces):
    """A container host's exposition: the daemon over real namespaces, in
    namespaces of its own (see render_container_host.sh)."""
    out = os.path.join(work, f"host{host}.prom")
    sockets = os.path.join(os.path.dirname(os.path.dirname(binary)), "tests",
                           "tcpstated-sockets")
    subprocess.run(
        ["unshare", "--mount", "--pid", "--net", "--fork", "--mount-proc",
         os.path.join(SOURCE, "tests", "fleet", "render_container_host.sh"),
         binary, sockets, out, *namespaces], check=True, timeout=120)
    with open(out) as f:
        text = f.read()
    os.unlink(out)
    return text


def render(binary, work, host, worker):
    """Host N's exposition, as the daemon serves it after its first
    collection of the host's dump (with its finding, when it has one)."""
    namespaces = container_host(host)
    if namespaces:
        return render_containers(binary, work, host, namespaces)
    dump, flags = host_dump(host)
    path = os.path.join(work, f"host{host}.dump")
    with open(path, "wb") as out:
        out.write(dump)
    port = FIRST_DAEMON_PORT + worker
    daemon = subprocess.Popen(
        [binary, "run", "--config.file", "/dev/null", "--web.listen-address",
         f"127.0.0.1:{port}", "--collect.interval", "1h",
         "--findings.for", "0s", "--collect.replay-dump", path, *flags],
        stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if daemon.poll() is not None:  # what answers is not this host's
                raise RuntimeError(f"host {host}: the daemon exited "
                                   f"({daemon.returncode})")
            try:
                status, body = get(port, "/metrics")
                if status == 200 and "tcpstate_sockets{" in body and (
                        not trouble_of(host) or "tcpstate_finding{" in body):
                    return body
            except OSError:
                pass
            time.sleep(0.02)
        raise RuntimeError(f"host {host}: the daemon served nothing in 30 s")
    finally:
        daemon.terminate()
        daemon.wait()
        os.unlink(path)


def render_all(binary, work, hosts):
    # Each renderer owns a port: a daemon's port is free again once the
    # one before on it has stopped.
    free = queue.Queue()
    for worker in range(RENDERERS):
        free.put(worker)

    def render_on_a_free_port(host):
        worker = free.get()
        try:
            return render(binary, work, host, worker)
        finally:
            free.put(worker)
    with concurrent.futures.ThreadPoolExecutor(RENDERERS) as pool:
        return list(pool.map(render_on_a_free_port, range(hosts)))
