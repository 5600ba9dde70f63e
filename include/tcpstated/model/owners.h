#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tcpstated/model/ports.h"
#include "tcpstated/model/tcp_state.h"

namespace tcpstated {

// The container behind a cgroup, as far as its path and the runtime's state
// files tell; every field "" when unknown. Names are sanitized.
struct ContainerIdentity {
  std::string runtime;        // "containerd", "cri-o", "docker", "podman",
                              // "nspawn", "lxc"; "cri" for a Kubernetes pod
                              // path that does not say which runtime
  std::string id;             // the full container id (hex), or the machine's
                              // name for nspawn and LXC
  std::string pod_uid;        // Kubernetes pod UID, from the path
  std::string pod_namespace;  // the rest from the runtime's state files
  std::string pod;
  std::string container;  // Kubernetes container, or Docker's name
  std::string image;

  bool empty() const { return runtime.empty(); }
};

// What an owner is called, and what is known of its container.
struct OwnerName {
  std::string display;
  ContainerIdentity container;
};

// Full sockets of one owner: its display name (k8s:NAMESPACE/POD/CONTAINER,
// docker:NAME, a systemd unit, a cgroup path, ...), or "other" (the owners
// beyond the cap, summed).
struct OwnerSockets {
  std::string owner;
  StateCounts states{};
  ContainerIdentity container{};
};

// Sockets of one classified port held by one owner.
struct PortOwner {
  PortClass port{};
  std::string owner;
  std::uint64_t sockets = 0;
};

// Sockets by owner, from a dump's per-cgroup counts.
struct Attribution {
  std::vector<OwnerSockets> owners;    // busiest first, "other" last
  std::uint64_t owners_folded = 0;     // owners summed into "other"
  std::vector<PortOwner> listeners;    // by port, then owner
  std::vector<PortOwner> close_waits;  // busiest first
  std::uint64_t unattributed = 0;      // sockets past the counter's caps

  // Who to look at for a pileup of `state` on `port`: the owners of its
  // CLOSE_WAIT sockets (busiest first) for CLOSE_WAIT, else of its listeners
  // (none for an outbound port, whose TIME_WAIT and orphan sockets carry no
  // cgroup).
  std::vector<PortOwner> OwnersOf(PortClass port, TcpState state) const;
  // The same as one line: "leaky.service (37), /docker/4f2a (2)"; "" when
  // nobody is known.
  std::string DescribeOwnersOf(PortClass port, TcpState state) const;
};

}  // namespace tcpstated
