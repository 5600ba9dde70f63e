#pragma once

#include <string>
#include <vector>

namespace tcpstated::testing {

// Config files of Debian's servers as the scenarios run them: as root, in
// the foreground, everything they write under `dir`.

// nginx with one worker and `server` as its one server block, and `http`
// added to its http block.
inline std::string NginxConfig(const std::string& dir,
                               const std::string& server,
                               const std::string& http = "") {
  const std::string tmp = dir + "/nginx-tmp";
  return "worker_processes 1;\npid " + dir + "/nginx.pid;\nerror_log " + dir +
         "/nginx-error.log;\nuser root;\nevents { worker_connections 4096; "
         "}\nhttp {\n  access_log off;\n  client_body_temp_path " +
         tmp + ";\n  proxy_temp_path " + tmp + ";\n  fastcgi_temp_path " + tmp +
         ";\n  uwsgi_temp_path " + tmp + ";\n  scgi_temp_path " + tmp +
         ";\n  " + http + "\n  server {\n    " + server +
         "\n    location / { return 200 \"ok\\n\"; }\n  }\n}\n";
}

// redis-server on `address`:6379 and a unix socket (for a publisher the
// scenario's firewall does not touch), keeping no data on disk and
// disconnecting no slow subscriber.
inline std::vector<std::string> RedisServer(const std::string& dir,
                                            const std::string& address) {
  return {"redis-server",
          "--port",
          "6379",
          "--bind",
          address,
          "--unixsocket",
          dir + "/redis.sock",
          "--unixsocketperm",
          "700",
          "--protected-mode",
          "no",
          "--save",
          "",
          "--appendonly",
          "no",
          "--client-output-buffer-limit",
          "pubsub 0 0 0"};
}

}  // namespace tcpstated::testing
