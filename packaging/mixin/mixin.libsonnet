// tcpstated's monitoring mixin: alerts, recording rules and a Grafana
// dashboard from one source, configured through _config (config.libsonnet).
//   local tcpstated = (import 'mixin.libsonnet') + {
//     _config+:: { selector: 'job="node-tcp"' },
//   };
(import 'config.libsonnet') +
(import 'alerts.libsonnet') +
(import 'rules.libsonnet') +
(import 'dashboards.libsonnet')
