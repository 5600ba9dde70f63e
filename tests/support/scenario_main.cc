// tcpstated-sockets: builds TCP sockets in chosen states and holds them
// until its standard input closes. Used to record fixtures, by the
// benchmark's load generator and by end-to-end tests.
//
//   tcpstated-sockets [--private-netns] [--ipv4-sources N] SPEC...
//                     [--netns PATH SPEC...]...
//   SPEC = KIND:FAMILY:PORT[:COUNT]
//   --netns PATH: the SPECs after it are built in that network namespace
//   (one process holding sockets in many namespaces).
//   KIND = listen | listen-defer | listen-wildcard | established | queued |
//          close-wait | close-wait-kept | time-wait | syn-recv | syn-sent |
//          unread (1000 bytes sent, never read)
//   FAMILY = v4 | v6; for listen*, COUNT is the backlog (default 4096).
//
// Prints "ready" on stdout once every socket is in place.
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "named_netns.h"
#include "socket_scenario.h"

using tcpstated::testing::IpFamily;
using tcpstated::testing::SocketScenario;

namespace {

std::vector<std::string> Split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::stringstream stream(text);
  std::string part;
  while (std::getline(stream, part, separator)) parts.push_back(part);
  return parts;
}

void Apply(SocketScenario& scenario, const std::string& spec) {
  const auto parts = Split(spec, ':');
  if (parts.size() < 3 || parts.size() > 4 ||
      (parts[1] != "v4" && parts[1] != "v6")) {
    throw std::invalid_argument("bad spec \"" + spec +
                                "\": want KIND:v4|v6:PORT[:COUNT]");
  }
  const std::string& kind = parts[0];
  const IpFamily family = parts[1] == "v4" ? IpFamily::kV4 : IpFamily::kV6;
  const auto port = static_cast<std::uint16_t>(std::stoul(parts[2]));
  const bool listener = kind.rfind("listen", 0) == 0;
  const int count =
      parts.size() == 4 ? std::stoi(parts[3]) : (listener ? 4096 : 1);
  if (kind == "listen") {
    scenario.Listen(family, port, count);
  } else if (kind == "listen-defer") {
    scenario.Listen(family, port, count, /*defer_accept=*/true);
  } else if (kind == "listen-wildcard") {
    scenario.Listen(family, port, count, false, /*wildcard=*/true);
  } else if (kind == "established") {
    scenario.Established(family, port, count);
  } else if (kind == "queued") {
    scenario.Queued(family, port, count);
  } else if (kind == "close-wait") {
    scenario.CloseWait(family, port, count);
  } else if (kind == "close-wait-kept") {
    scenario.CloseWait(family, port, count, /*client_keeps_fd=*/true);
  } else if (kind == "time-wait") {
    scenario.TimeWait(family, port, count);
  } else if (kind == "syn-recv") {
    scenario.SynRecv(family, port, count);
  } else if (kind == "syn-sent") {
    scenario.SynSent(family, port, count);
  } else if (kind == "unread") {
    scenario.Unread(family, port, count, 1000);
  } else {
    throw std::invalid_argument("unknown socket kind \"" + kind + "\"");
  }
}

}  // namespace

int main(int argc, char** argv) {
  try {
    tcpstated::testing::RaiseFdLimit();
    // One scenario per namespace: each keeps its own listeners by port.
    std::vector<std::unique_ptr<SocketScenario>> held;
    held.push_back(std::make_unique<SocketScenario>());
    std::size_t open_fds = 0;
    const auto started = std::chrono::steady_clock::now();
    std::vector<std::string> specs;
    const auto build = [&] {
      for (const std::string& spec : specs) Apply(*held.back(), spec);
      open_fds += held.back()->open_fds();
      specs.clear();
    };
    for (int i = 1; i < argc; ++i) {
      const std::string arg = argv[i];
      SocketScenario& scenario = *held.back();
      if (arg == "--private-netns") {
        tcpstated::testing::EnterPrivateNetns();
      } else if (arg == "--netns" && i + 1 < argc) {
        build();
        tcpstated::testing::EnterNetns(argv[++i]);
        held.push_back(std::make_unique<SocketScenario>());
      } else if (arg == "--ipv4-sources" && i + 1 < argc) {
        const int n = std::stoi(argv[++i]);
        std::vector<std::string> sources;
        for (int s = 0; s < n; ++s) {
          sources.push_back("127.1." + std::to_string(s / 250) + "." +
                            std::to_string(s % 250 + 1));
        }
        scenario.SetIpv4Sources(std::move(sources));
      } else {
        specs.push_back(arg);
      }
    }
    build();
    const std::chrono::duration<double> took =
        std::chrono::steady_clock::now() - started;
    std::fprintf(stderr, "tcpstated-sockets: %zu fds open, built in %.1f s\n",
                 open_fds, took.count());
    std::printf("ready\n");
    std::fflush(stdout);
    char byte;
    while (read(STDIN_FILENO, &byte, 1) > 0) {
    }
    return 0;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "tcpstated-sockets: %s\n", error.what());
    return 1;
  }
}
