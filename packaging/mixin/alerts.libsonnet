// Alerts: one per kind of finding the daemon reports (tcpstate_finding,
// the same findings as `tcpstated report` and the log), the kernel's own
// counters, and tcpstated itself. Every alert has a runbook_url.
local netns = '{{ with $labels.netns }} (netns {{ . }}){{ end }}';
local where = '{{ $labels.direction }} port {{ $labels.port }} of {{ $labels.instance }}' + netns;
local confirm = 'Confirm with `tcpstated report{{ with $labels.netns }} --collect.netns {{ . }}{{ end }}` on the host: the finding comes first, with who and why.';

{
  local c = self._config,
  local alert(name, expr, for_, severity, summary, description) = {
    alert: name,
    expr: expr,
    'for': for_,
    labels: { severity: severity },
    annotations: {
      summary: summary,
      description: description,
      runbook_url: c.runbookURLPattern % std.asciiLower(name),
    },
  },
  local finding(kinds) = 'tcpstate_finding{%s,kind=~"%s"} == 1' % [c.selector, kinds],
  // A churn counter's rate per port over 5m, namespaces kept apart.
  local perPort(metric, extra, by='port') =
    'sum by (instance, job, netns, %s) (rate(%s{%s%s}[5m]))' % [by, metric, c.selector, extra],

  prometheusAlerts+:: {
    groups+: [
      {
        name: 'tcpstated-findings',
        rules: [
          alert('TcpAcceptQueueFull', finding('accept_queue'), c.criticalFindingFor, 'critical',
                'Accept queue of port {{ $labels.port }} on {{ $labels.instance }} is full' + netns,
                'Connections wait in a full accept queue on port {{ $labels.port }}: nothing accepts them fast enough, and the kernel drops new SYNs (clients time out or retry). ' + confirm),
          alert('TcpEphemeralPortsExhausted', finding('port_exhaustion'), c.criticalFindingFor, 'critical',
                'Ephemeral ports from {{ $labels.instance }} toward {{ $labels.address }}:{{ $labels.port }} are running out' + netns,
                'Sockets toward {{ $labels.address }}:{{ $labels.port }} hold most of net.ipv4.ip_local_port_range: connect() to it fails with EADDRNOTAVAIL once none is left, which no counter shows. ' + confirm),
          alert('TcpTimeWaitTableFull', finding('time_wait_table'), c.criticalFindingFor, 'critical',
                'TIME_WAIT on {{ $labels.instance }} is at net.ipv4.tcp_max_tw_buckets' + netns,
                'The kernel destroys TIME_WAIT sockets early ("time wait bucket table overflow"); most of them are on {{ $labels.direction }} port {{ $labels.port }}. ' + confirm),
          alert('TcpConnectsUnanswered', finding('syn_sent'), c.findingFor, 'warning',
                'Connects from {{ $labels.instance }} to port {{ $labels.port }} are not answered' + netns,
                'SYN_SENT sockets pile up toward port {{ $labels.port }}: SYNs are dropped on the way or at the destination. ' + confirm),
          alert('TcpHandshakesNotCompleting', finding('syn_recv'), c.findingFor, 'warning',
                'Handshakes on port {{ $labels.port }} of {{ $labels.instance }} are not completing' + netns,
                'SYN_RECV sockets fill the backlog of port {{ $labels.port }}: a SYN flood, or clients whose final ACK is lost. ' + confirm),
          alert('TcpCloseWaitPileup', finding('close_wait'), c.findingFor, 'warning',
                'CLOSE_WAIT pileup on ' + where,
                'Peers closed connections on {{ $labels.direction }} port {{ $labels.port }} and the program holding them has not: a missing close(), a program stuck elsewhere, or a stopped one. ' + confirm),
          alert('TcpServerTimeWaitPileup', finding('time_wait'), c.findingFor, 'warning',
                'TIME_WAIT pileup on ' + where,
                'The server on port {{ $labels.port }} closes its connections first and they live a few seconds: keep-alive off, or a per-connection request limit. ' + confirm),
          alert('TcpClosingPileup', finding('fin_wait1|fin_wait2|last_ack|closing'), c.findingFor, 'warning',
                '{{ $labels.kind | toUpper }} pileup on ' + where,
                'Connections on {{ $labels.direction }} port {{ $labels.port }} do not finish closing ({{ $labels.kind }}). ' + confirm),
          alert('TcpConnectionsStalled', finding('unread|peer_not_reading|unacknowledged'), c.findingFor, 'warning',
                'Connections on ' + where + ' are stalled ({{ $labels.kind }})',
                'Connections on {{ $labels.direction }} port {{ $labels.port }} stopped moving: {{ if eq $labels.kind "unread" }}this program does not read what it receives{{ else if eq $labels.kind "peer_not_reading" }}the peers advertise a zero window{{ else }}what is sent is not acknowledged, or never leaves this host{{ end }}. ' + confirm),
        ],
      },
      {
        name: 'tcpstated-kernel',
        rules: [
          alert('TcpCloseWaitLeak', 'tcpstate_close_wait_old_sockets{%s} > 0' % c.selector, c.closeWaitLeakFor, 'warning',
                'CLOSE_WAIT leak on ' + where,
                '{{ $value }} CLOSE_WAIT sockets on {{ $labels.direction }} port {{ $labels.port }} have waited longer than leak.close-wait-age for their program to close them. ' + confirm),
          alert('TcpAcceptQueueOverflowing', 'sum by (instance, job, netns) (rate(tcpstate_listen_overflows_total{%s}[5m])) > 0' % c.selector, c.overflowFor, 'warning',
                '{{ $labels.instance }} drops connections: accept queues overflow ({{ $value | humanize }}/s)' + netns,
                'The kernel drops {{ $value | humanize }} connections a second because an accept queue is full (ListenOverflows), even if no queue is full at the moment of a scrape (bursts). `tcpstated report --interval 1s` shows the queues and the rate.'),
          alert('TcpTimeWaitOverflowing', 'sum by (instance, job, netns) (increase(tcpstate_time_wait_overflows_total{%s}[5m])) > 0' % c.selector, '1m', 'warning',
                '{{ $labels.instance }} is cutting TIME_WAIT short: tcp_max_tw_buckets reached' + netns,
                '{{ $value | humanize }} sockets skipped TIME_WAIT in 5 minutes because net.ipv4.tcp_max_tw_buckets was reached. Fix the churn (keep-alive, pooling) before raising the limit.'),
          alert('TcpOrphansNearLimit', 'instance:tcpstate_orphan_sockets:ratio{%s} > %g' % [c.selector, c.orphansRatio], '5m', 'warning',
                'Orphaned sockets on {{ $labels.instance }} are at {{ $value | humanizePercentage }} of tcp_max_orphans',
                'Sockets closed by their programs but not finished with their peers fill {{ $value | humanizePercentage }} of net.ipv4.tcp_max_orphans; beyond it the kernel resets them (tcpstate_aborts_total{reason="memory"}). Look for FIN_WAIT1 and LAST_ACK toward peers that stopped answering.'),
          alert('TcpMemoryPressure', 'instance:tcpstate_memory_pages:pressure_ratio{%s} >= 1' % c.selector, '5m', 'warning',
                'TCP memory on {{ $labels.instance }} is under pressure ({{ $value | humanizePercentage }} of tcp_mem pressure)',
                'TCP buffers hold more pages than the pressure threshold of net.ipv4.tcp_mem: the kernel shrinks buffers, and at the high threshold resets connections. Look for stalled connections (tcpstate_stalled_sockets) holding unread or unsent data.'),
        ],
      },
      {
        name: 'tcpstated-churn',
        rules: [
          alert('TcpConnectsFailing',
                // The share first: it is the alert's $value.
                '(%(f)s / (%(f)s + %(o)s) > %(ratio)g) and (%(f)s > %(rate)g)' % {
                  f: perPort('tcpstate_port_failed_connects_total', ''),
                  o: perPort('tcpstate_port_opens_total', ',direction="outbound"'),
                  rate: c.failedConnectsPerSecond,
                  ratio: c.failedConnectsRatio,
                }, c.churnFor, 'warning',
                'Connects from {{ $labels.instance }} to port {{ $labels.port }} fail ({{ $value | humanizePercentage }} of attempts)' + netns,
                'Connects toward port {{ $labels.port }} end without a connection (refused, timed out or reset during the handshake) in more than ' + std.toString(c.failedConnectsRatio * 100) + ' % of attempts. `tcpstated report --collect.events bpf --interval 5s{{ with $labels.netns }} --collect.netns {{ . }}{{ end }}` shows the rates per port, with resets received (refused) beside them.'),
          alert('TcpResetStorm',
                '(%(r)s / %(a)s > %(ratio)g) and (%(r)s > %(rate)g)' % {
                  r: perPort('tcpstate_port_closes_total', ',closer="reset"', 'direction, port'),
                  a: perPort('tcpstate_port_closes_total', '', 'direction, port'),
                  rate: c.resetClosesPerSecond,
                  ratio: c.resetClosesRatio,
                }, c.churnFor, 'warning',
                'Connections on ' + where + ' end in resets ({{ $value | humanizePercentage }} of closes)',
                'Most connections on {{ $labels.direction }} port {{ $labels.port }} end with a RST instead of a FIN: a program that aborts them (SO_LINGER 0, close with unread data), a peer or middlebox that resets them, or a restart. tcpstate_port_resets_total{by="here"|"there"} says which end sends them; `tcpstated report --collect.events bpf --interval 5s` shows the rates.'),
        ],
      },
      {
        name: 'tcpstated-daemon',
        rules: [
          alert('TcpstatedCollectionFailing', 'tcpstate_collect_success{%s} == 0' % c.selector, c.collectionFailingFor, 'warning',
                'tcpstated on {{ $labels.instance }} cannot collect',
                'Collections fail (tcpstate_collect_errors_total by reason, and the daemon log); the metrics shown are from the last good collection.'),
          alert('TcpstatedDown', 'up{%s} == 0' % c.selector, c.downFor, 'warning',
                'tcpstated on {{ $labels.instance }} is not answering scrapes',
                'Prometheus cannot scrape tcpstated on {{ $labels.instance }}: its TCP states are not watched. Check `systemctl status tcpstated` there.'),
          alert('TcpstatedSeriesFolded', 'tcpstate_series_folded{%s} > 0' % c.selector, c.seriesFoldedFor, 'info',
                'tcpstated on {{ $labels.instance }} leaves {{ $value }} series out of its scrapes',
                'The exposition would exceed collect.max-series: the quietest namespaces, then ports, then owners are summed into their "other" rows (totals stay exact). Raise collect.max-series if the job\'s sample_limit allows.'),
          alert('TcpstatedAbsent', 'absent(up{%s})' % c.selector, c.absentFor, 'warning',
                'No tcpstated target is being scraped',
                'No scrape target matches ' + c.selector + ': the scrape configuration lost them, so no host is watched.'),
        ],
      },
    ],
  },
}
