// What a user of the mixin may change, as monitoring-mixins do: import
// mixin.libsonnet and override _config.
{
  _config+:: {
    // The series of tcpstated's scrape job(s).
    selector: 'job="tcpstated"',
    // Where each alert's runbook is: %s is the alert's name in lower case,
    // the anchor of its section in docs/runbooks.md.
    runbookURLPattern: 'https://github.com/tcpstated/tcpstated/blob/main/docs/runbooks.md#%s',
    // How long a finding the daemon reports (it already held for
    // findings.for, 1m by default) must last before it alerts; critical
    // findings (connections already dropped) alert sooner.
    findingFor: '1m',
    criticalFindingFor: '0m',
    // CLOSE_WAIT sockets older than leak.close-wait-age that stay this
    // long: nobody closes them.
    closeWaitLeakFor: '10m',
    // Kernel counters and host-wide limits.
    overflowFor: '2m',
    orphansRatio: 0.5,
    // Connection churn (collect.events = bpf), per port over 5m: connects
    // that fail, at this rate and share of attempts; connections ended by
    // resets, at this rate and share of closes.
    failedConnectsPerSecond: 1,
    failedConnectsRatio: 0.1,
    resetClosesPerSecond: 10,
    resetClosesRatio: 0.5,
    churnFor: '5m',
    // tcpstated itself.
    collectionFailingFor: '5m',
    downFor: '5m',
    absentFor: '15m',
    // Series left out to stay within collect.max-series, for this long:
    // the host has outgrown its budget, not a moment's burst.
    seriesFoldedFor: '1h',
    // The dashboard.
    dashboardUID: 'tcpstated',
    dashboardRefresh: '30s',
  },
}
