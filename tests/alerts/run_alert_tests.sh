#!/usr/bin/env bash
# Runs the promtool unit tests of the alerts and recording rules on rules
# generated from the mixin with the scrape job named JOB (the tests' own
# series carry job="tcpstated" and are renamed to JOB): a user whose job
# has another name gets alerts that fire.
#   run_alert_tests.sh JOB
# Exits 77 (skipped) without promtool or jsonnet.
set -euo pipefail
job=$1
here=$(cd "$(dirname "$0")" && pwd)
for tool in promtool jsonnet; do
  if ! command -v "$tool" >/dev/null; then
    echo "SKIPPED: $tool is not installed (scripts/install-deps.sh installs it)"
    exit 77
  fi
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$here/../../scripts/generate-mixin.sh" "$work" "{selector: 'job=\"$job\"'}"
for test in "$here"/tcpstated-alerts-test.yml "$here"/tcpstated-kernel-alerts-test.yml \
    "$here"/tcpstated-churn-alerts-test.yml; do
  sed -e "s#\.\./\.\./config/tcpstated-alerts.yml#$work/tcpstated-alerts.yml#" \
      -e "s/job=\"tcpstated\"/job=\"$job\"/g" \
      -e "s/job: tcpstated\b/job: $job/g" \
      -e "s/matches job=\\\\\"tcpstated\\\\\"/matches job=\\\\\"$job\\\\\"/" \
      -e "s/matches job=\"tcpstated\"/matches job=\"$job\"/" \
      "$test" >"$work/$(basename "$test")"
  promtool test rules "$work/$(basename "$test")"
done
