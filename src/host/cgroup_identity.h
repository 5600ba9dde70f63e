#pragma once

#include <string>
#include <string_view>

#include "tcpstated/model/owners.h"

namespace tcpstated {

// What a cgroup v2 path alone says about who made it. Recognised anywhere
// in the path (a kubelet in kind or a nested systemd adds prefixes):
//   systemd units and scopes          /system.slice/nginx.service
//   user managers                     /user.slice/user-1000.slice/
//                                       user@1000.service/app.slice/x.service
//   Docker                            docker-ID.scope, /docker/ID
//   Kubernetes, systemd driver        kubepods[-QOS]-podUID.slice/
//                                       cri-containerd-ID.scope | crio-ID.scope
//                                       | docker-ID.scope
//   Kubernetes, cgroupfs driver       /kubepods[/QOS]/podUID/ID
//   Podman                            libpod-ID.scope, /libpod_parent/libpod-ID
//   systemd-nspawn / machined         machine.slice/machine-NAME.scope,
//                                       machine.slice/systemd-nspawn@NAME.service
//   LXC                               /lxc.payload.NAME, /lxc/NAME
// A container's own nested cgroups (its inner systemd) belong to it.
struct PathIdentity {
  ContainerIdentity container;  // runtime "" when no container was found
  // The systemd unit when no container was found ("user@1000/x.service"
  // for a user manager's), or for a system container (nspawn, LXC) the
  // unit inside it; "" when none.
  std::string unit;
  bool conmon = false;  // CRI-O's or Podman's monitor, not the container
};

PathIdentity ParseCgroupPath(std::string_view path);

// The name shown when the runtime's state files add nothing:
// "containerd:3f2a1b2c3d4e" (12 hex digits, as `docker ps` shows them),
// "machine:web/nginx.service", "user@1000/nginx.service", the unit, or
// the path itself.
std::string DisplayNameFromPath(const PathIdentity& identity,
                                std::string_view path);

}  // namespace tcpstated
