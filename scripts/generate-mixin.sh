#!/usr/bin/env bash
# Generates the shipped alert and recording rules and the Grafana dashboard
# from the monitoring mixin (packaging/mixin, jsonnet):
#   config/tcpstated-alerts.yml        alerts and recording rules
#   packaging/tcpstated-dashboard.json the dashboard
# With OUTDIR, writes there instead of the source tree (tests compare the
# two); with CONFIG, a jsonnet object merged into _config first, e.g.
# '{selector: "job=\"node-tcp\""}'.
#   scripts/generate-mixin.sh [OUTDIR [CONFIG]]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-}
config=${2:-{\}}
alerts=${out:+$out/tcpstated-alerts.yml}
alerts=${alerts:-config/tcpstated-alerts.yml}
dashboard=${out:+$out/tcpstated-dashboard.json}
dashboard=${dashboard:-packaging/tcpstated-dashboard.json}
mixin="(import 'mixin.libsonnet') + {_config+:: $config}"
{
  echo "# Alert and recording rules for tcpstated, generated from its monitoring"
  echo "# mixin (packaging/mixin) by scripts/generate-mixin.sh: edit the mixin,"
  echo "# not this file. Load with"
  echo "#   rule_files: [/usr/share/tcpstated/tcpstated-alerts.yml]"
  echo "# Each alert's runbook is its section of docs/runbooks.md."
  jsonnet -S -J packaging/mixin -e "local m = $mixin;
    std.manifestYamlDoc({groups: m.prometheusAlerts.groups + m.prometheusRules.groups},
                        indent_array_in_object=true, quote_keys=false)"
} >"$alerts"
jsonnet -J packaging/mixin -e "($mixin).grafanaDashboards['tcpstated.json']" \
  >"$dashboard"
