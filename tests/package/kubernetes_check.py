#!/usr/bin/env python3
"""The Kubernetes manifests, checked offline (no cluster runs here).

    kubernetes_check.py TCPSTATED_BINARY SOURCE_DIR

Fails unless: every manifest of packaging/kubernetes/ parses as YAML and
has apiVersion, kind and metadata.name; the Service selects the
DaemonSet's pods and the ServiceMonitor the Service, by the port name the
container declares; the container's capabilities are those of the
all-namespaces systemd drop-in (what watching every namespace needs, no
more); the ConfigMap's tcpstated.conf passes `tcpstated check-config`; and
the container's command line, with that file, starts the daemon (in a
private network namespace, as root: it watches every namespace, serves
/metrics, and stops on SIGTERM with status 0).
"""
import glob
import os
import re
import subprocess
import sys
import tempfile
import time

import yaml

binary, source = sys.argv[1], sys.argv[2]
errors = []
docs = []
for path in sorted(glob.glob(f"{source}/packaging/kubernetes/*.yaml")):
    with open(path, encoding="utf-8") as f:
        for doc in yaml.safe_load_all(f):
            if not doc:
                continue
            name = os.path.basename(path)
            for key in ("apiVersion", "kind", "metadata"):
                if key not in doc:
                    errors.append(f"{name}: a document without {key}")
            docs.append(doc)
by_kind = {d.get("kind"): d for d in docs}
for kind in ("ConfigMap", "DaemonSet", "Service", "ServiceMonitor"):
    if kind not in by_kind:
        sys.exit(f"packaging/kubernetes: no {kind}")

daemonset, service, monitor = (by_kind[k] for k in
                               ("DaemonSet", "Service", "ServiceMonitor"))
pod = daemonset["spec"]["template"]
container = pod["spec"]["containers"][0]
pod_labels = pod["metadata"]["labels"]
if daemonset["spec"]["selector"]["matchLabels"].items() - pod_labels.items():
    errors.append("DaemonSet: its selector does not match its pods")
if service["spec"]["selector"].items() - pod_labels.items():
    errors.append("Service: its selector does not match the DaemonSet's pods")
if monitor["spec"]["selector"]["matchLabels"].items() - \
        service["metadata"]["labels"].items():
    errors.append("ServiceMonitor: its selector does not match the Service")
port_names = {p["name"] for p in container["ports"]}
if {p["targetPort"] for p in service["spec"]["ports"]} - port_names:
    errors.append("Service: targetPort is not a port the container declares")
if {e["port"] for e in monitor["spec"]["endpoints"]} - \
        {p["name"] for p in service["spec"]["ports"]}:
    errors.append("ServiceMonitor: endpoint port is not a Service port")
for need in ("hostNetwork", "hostPID"):
    if not pod["spec"].get(need):
        errors.append(f"DaemonSet: {need} is needed to watch the node")

security = container["securityContext"]
added = set(security["capabilities"]["add"])
dropin = open(f"{source}/packaging/tcpstated-all-namespaces.conf").read()
granted = set(re.search(r"^CapabilityBoundingSet=(.*)$", dropin, re.M)
              .group(1).replace("CAP_", "").split())
if added != granted or security["capabilities"]["drop"] != ["ALL"]:
    errors.append(f"DaemonSet: capabilities {sorted(added)}, the drop-in "
                  f"grants {sorted(granted)}")
if not security.get("readOnlyRootFilesystem"):
    errors.append("DaemonSet: the root file system is not read-only")

with tempfile.TemporaryDirectory() as work:
    config = os.path.join(work, "tcpstated.conf")
    with open(config, "w") as f:
        f.write(by_kind["ConfigMap"]["data"]["tcpstated.conf"])
    checked = subprocess.run([binary, "check-config", config],
                             capture_output=True, text=True)
    if checked.returncode != 0:
        errors.append(f"ConfigMap tcpstated.conf: {checked.stderr.strip()}")
    mounted = "/etc/tcpstated/tcpstated.conf"
    args = [config if a == mounted else a for a in container["args"]]
    if config not in args:
        errors.append(f"DaemonSet: the args do not name {mounted}")
    # The daemon as the pod runs it, in a network namespace of its own.
    script = (f"ip link set lo up; {' '.join([binary] + args)} & pid=$!; "
              "for i in $(seq 100); do "
              "  curl -sf localhost:10039/metrics | grep -q "
              "'^tcpstate_netns_info' && break; sleep 0.1; done; "
              "curl -sf localhost:10039/metrics | grep -c '^tcpstate_netns_info'; "
              "kill -TERM $pid; wait $pid")
    run = subprocess.run(["unshare", "-n", "sh", "-c", script],
                         capture_output=True, text=True, timeout=60)
    if run.returncode != 0 or not run.stdout.strip().isdigit() or \
            int(run.stdout.strip()) < 1:
        errors.append("the container's command line did not serve every "
                      f"namespace and stop cleanly: {run.stdout!r} "
                      f"{run.stderr[-500:]!r}")

for error in errors:
    print(error, file=sys.stderr)
sys.exit(1 if errors else 0)
