"""The fleet test's Prometheus: started on loopback, asked over its HTTP
API, and its own metrics read."""
import http.client
import json
import os
import subprocess
import time
import urllib.parse


def get(port, path, timeout=10):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


def start_prometheus(work, name, port, config):
    directory = os.path.join(work, name)
    os.makedirs(directory)
    config_path = os.path.join(directory, "prometheus.yml")
    with open(config_path, "w") as out:
        out.write(config)
    process = subprocess.Popen(
        ["prometheus", f"--config.file={config_path}",
         f"--storage.tsdb.path={directory}/data",
         f"--web.listen-address=127.0.0.1:{port}", "--log.level=warn"],
        stdout=subprocess.DEVNULL, stderr=open(f"{directory}/log", "w"))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if get(port, "/-/ready")[0] == 200:
                return process
        except OSError:
            pass
        if process.poll() is not None:
            break
        time.sleep(0.2)
    raise RuntimeError(f"{name} Prometheus did not start: "
                       + open(f"{directory}/log").read()[-2000:])


def query(port, expr, at=None):
    args = {"query": expr}
    if at is not None:
        args["time"] = f"{at:.3f}"
    status, body = get(port, "/api/v1/query?" + urllib.parse.urlencode(args), 60)
    reply = json.loads(body)
    if status != 200 or reply["status"] != "success":
        raise RuntimeError(f"{expr}: {body[:500]}")
    return reply["data"]["result"]


def query_range(port, expr, start, end, step):
    args = {"query": expr, "start": f"{start:.3f}", "end": f"{end:.3f}",
            "step": step}
    status, body = get(port, "/api/v1/query_range?" +
                       urllib.parse.urlencode(args), 120)
    if status != 200:
        raise RuntimeError(f"{expr}: {body[:500]}")
    return json.loads(body)["data"]["result"]


def self_metric(port, name):
    values = {}
    for line in get(port, "/metrics")[1].splitlines():
        if line.startswith(name):
            series, value = line.rsplit(" ", 1)
            values[series] = float(value)
    return values
