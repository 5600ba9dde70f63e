#!/usr/bin/env bash
# The shipped alert rules and dashboard are what the mixin generates, byte
# for byte: an edit to either belongs in packaging/mixin, then
# `scripts/generate-mixin.sh`. Exits 77 (skipped) without jsonnet.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
if ! command -v jsonnet >/dev/null; then
  echo "SKIPPED: jsonnet is not installed (scripts/install-deps.sh installs it)"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$root/scripts/generate-mixin.sh" "$work"
status=0
for pair in "config/tcpstated-alerts.yml:tcpstated-alerts.yml" \
            "packaging/tcpstated-dashboard.json:tcpstated-dashboard.json"; do
  shipped=${pair%%:*}
  if ! diff -u "$root/$shipped" "$work/${pair#*:}"; then
    echo "$shipped differs from what packaging/mixin generates: run scripts/generate-mixin.sh" >&2
    status=1
  fi
done
exit $status
