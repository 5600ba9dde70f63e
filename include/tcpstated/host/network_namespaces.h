#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "tcpstated/host/container_names.h"
#include "tcpstated/model/snapshot.h"

namespace tcpstated {

// The --netns value that watches every namespace ("/run/netns/all" still
// names one called "all").
inline constexpr std::string_view kAllNamespaces = "all";

// Every network namespace: the named ones under `run_netns` and those of
// the processes under `proc_root` (/proc/PID/ns/net), one entry per
// namespace, named ones first, then by inode. Namespaces of processes this
// process may not inspect (without CAP_SYS_PTRACE) are missing. Owners are
// named by `names` when given (from the first process's cgroup v2 path).
std::vector<NetworkNamespace> ListNetworkNamespaces(
    const std::string& run_netns = "/run/netns",
    const std::string& proc_root = "/proc", ContainerNames* names = nullptr);

// The inode of the calling thread's network namespace (what the kernel
// program's counts are keyed by); nullopt when /proc cannot tell.
std::optional<std::uint64_t> CurrentNetnsInode();

enum class NetnsEntry {
  kEntered,
  kVanished,  // gone since it was listed: skip it
  kDenied,    // setns() refused: no CAP_SYS_ADMIN over it
};

// Throws CollectError unless `name_or_path` (as for EnterNetns) names a
// network namespace that this process can open.
void CheckNetworkNamespace(const std::string& name_or_path);

// Moves the calling thread into a network namespace: a name under
// /run/netns (as `ip netns add` creates) or a path such as
// /proc/PID/ns/net. Throws CollectError.
void EnterNetns(const std::string& name_or_path);

// Moves the calling thread into `netns` (a no-op when it is already there,
// which needs no privilege). Sockets made and /proc/sys/net read afterwards
// belong to it. Other errors throw CollectError.
NetnsEntry EnterNetworkNamespace(const NetworkNamespace& netns);

// Namespaces a visit passed over.
struct NamespaceSkips {
  std::uint64_t vanished = 0;
  std::uint64_t denied = 0;
};

// Enters each of `namespaces` in turn and calls `visit` from inside it;
// namespaces gone since they were listed, or not ours to enter, are skipped
// and counted. The calling thread stays in the last namespace entered. A
// namespace cannot vanish during its visit: the thread inside holds it.
// CollectError from entering (anything but vanished or denied) propagates.
// A requested `stop` ends the visit before the next namespace.
NamespaceSkips VisitNetworkNamespaces(
    const std::vector<NetworkNamespace>& namespaces,
    const std::function<void(const NetworkNamespace&)>& visit,
    const std::stop_token& stop = {});

}  // namespace tcpstated
