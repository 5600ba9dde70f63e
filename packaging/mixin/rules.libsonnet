// Recording rules, named level:metric:operations: fleet views for the
// dashboard, and host-wide gauges against host-wide limits.
{
  local c = self._config,
  local rule(name, expr) = { record: name, expr: expr },

  prometheusRules+:: {
    groups+: [
      {
        name: 'tcpstated-recording',
        rules: [
          rule('instance_state:tcpstate_sockets:sum', 'sum by (instance, job, state) (tcpstate_sockets{%s})' % c.selector),
          rule('job_state:tcpstate_sockets:sum', 'sum by (job, state) (tcpstate_sockets{%s})' % c.selector),
          rule('instance_kind:tcpstate_stalled_sockets:sum', 'sum by (instance, job, kind) (tcpstate_stalled_sockets{%s})' % c.selector),
          rule('instance_kind:tcpstate_finding:count', 'count by (instance, job, kind) (tcpstate_finding{%s} == 1)' % c.selector),
          rule('instance:tcpstate_listen_overflows:rate5m', 'sum by (instance, job) (rate(tcpstate_listen_overflows_total{%s}[5m]))' % c.selector),
          rule('instance:tcpstate_time_wait_entered:rate5m', 'sum by (instance, job) (rate(tcpstate_time_wait_entered_total{%s}[5m]))' % c.selector),
          rule('instance:tcpstate_time_wait_overflows:rate5m', 'sum by (instance, job) (rate(tcpstate_time_wait_overflows_total{%s}[5m]))' % c.selector),
          rule('instance:tcpstate_connect_failures:rate5m', 'sum by (instance, job) (rate(tcpstate_connect_failures_total{%s}[5m]))' % c.selector),
          rule('instance:tcpstate_syn_retransmits:rate5m', 'sum by (instance, job) (rate(tcpstate_syn_retransmits_total{%s}[5m]))' % c.selector),
          rule('instance_reason:tcpstate_aborts:rate5m', 'sum by (instance, job, reason) (rate(tcpstate_aborts_total{%s}[5m]))' % c.selector),
          // Churn from the event source (collect.events = bpf): fleet views.
          rule('instance_direction:tcpstate_port_opens:rate5m', 'sum by (instance, job, direction) (rate(tcpstate_port_opens_total{%s}[5m]))' % c.selector),
          rule('instance_closer:tcpstate_port_closes:rate5m', 'sum by (instance, job, closer) (rate(tcpstate_port_closes_total{%s}[5m]))' % c.selector),
          rule('instance:tcpstate_port_failed_connects:rate5m', 'sum by (instance, job) (rate(tcpstate_port_failed_connects_total{%s}[5m]))' % c.selector),
          rule('instance_by:tcpstate_port_resets:rate5m', 'sum by (instance, job, by) (rate(tcpstate_port_resets_total{%s}[5m]))' % c.selector),
          // Orphans and TCP memory are host-wide, their limits readable in
          // the host's namespace only: the worst reading of each instance.
          rule('instance:tcpstate_orphan_sockets:ratio', 'max by (instance, job) (tcpstate_orphan_sockets{%(s)s}) / on (instance, job) max by (instance, job) (tcpstate_sysctl{%(s)s,name="tcp_max_orphans"})' % { s: c.selector }),
          rule('instance:tcpstate_memory_pages:pressure_ratio', 'max by (instance, job) (tcpstate_memory_pages{%(s)s}) / on (instance, job) max by (instance, job) (tcpstate_sysctl{%(s)s,name="tcp_mem_pressure"})' % { s: c.selector }),
        ],
      },
    ],
  },
}
