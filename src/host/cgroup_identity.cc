#include "cgroup_identity.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <vector>

namespace tcpstated {
namespace {

bool IsHexId(std::string_view s) {
  // Docker, containerd and CRI-O ids are 64 hex digits; accept the short
  // forms some tools make, never a word that merely looks like one.
  return s.size() >= 12 && s.size() <= 128 &&
         std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

bool IsUnitName(std::string_view part) {
  for (std::string_view suffix : {".service", ".scope"}) {
    if (part.size() > suffix.size() && part.ends_with(suffix)) return true;
  }
  return false;
}

// "PREFIX<id>SUFFIX" -> id, when the middle is a container id.
std::optional<std::string_view> Between(std::string_view part,
                                        std::string_view prefix,
                                        std::string_view suffix) {
  if (part.size() <= prefix.size() + suffix.size() ||
      !part.starts_with(prefix) || !part.ends_with(suffix)) {
    return std::nullopt;
  }
  const auto id =
      part.substr(prefix.size(), part.size() - prefix.size() - suffix.size());
  if (!IsHexId(id)) return std::nullopt;
  return id;
}

// systemd escapes a unit name's '-' (and other bytes) as "\x2d".
std::string Unescape(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size() && s[i + 1] == 'x') {
      const std::string hex(s.substr(i + 2, 2));
      if (std::all_of(hex.begin(), hex.end(), [](char h) {
            return std::isxdigit(static_cast<unsigned char>(h)) != 0;
          })) {
        const char c = static_cast<char>(std::stoi(hex, nullptr, 16));
        // An escaped control byte stays escaped: names are sanitized text.
        if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f) {
          out += c;
          i += 3;
          continue;
        }
      }
    }
    out += s[i];
  }
  return out;
}

// The pod UID of "kubepods-burstable-pod6b1d_..._e9.slice" (systemd driver:
// '-' became '_') or "pod6b1d-...-e9" (cgroupfs driver).
std::optional<std::string> PodUid(std::string_view part, bool under_kubepods) {
  std::string_view uid;
  // "kubelet-kubepods-…" when the kubelet itself runs in a slice (kind).
  if (part.find("kubepods") != std::string_view::npos &&
      part.ends_with(".slice")) {
    const auto pod = part.rfind("-pod");
    if (pod == std::string_view::npos) return std::nullopt;
    uid = part.substr(pod + 4, part.size() - pod - 4 - 6);
  } else if (under_kubepods && part.starts_with("pod")) {
    uid = part.substr(3);
  } else {
    return std::nullopt;
  }
  if (uid.size() < 8 || uid.size() > 64) return std::nullopt;
  std::string out(uid);
  std::replace(out.begin(), out.end(), '_', '-');
  const bool uuid_like = std::all_of(out.begin(), out.end(), [](char c) {
    return c == '-' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  });
  if (!uuid_like) return std::nullopt;
  return out;
}

ContainerIdentity Made(std::string_view runtime, std::string id) {
  ContainerIdentity c;
  c.runtime = std::string(runtime);
  c.id = std::move(id);
  return c;
}

// A container runtime's scope (or cgroupfs directory) for one component.
std::optional<ContainerIdentity> ContainerOf(std::string_view part,
                                             std::string_view parent,
                                             bool in_pod, bool& conmon) {
  struct Pattern {
    std::string_view prefix, suffix, runtime;
    bool conmon;
  };
  static constexpr Pattern kPatterns[] = {
      {"cri-containerd-", ".scope", "containerd", false},
      {"crio-conmon-", ".scope", "cri-o", true},
      {"crio-", ".scope", "cri-o", false},
      {"docker-", ".scope", "docker", false},
      {"libpod-conmon-", ".scope", "podman", true},
      {"libpod-", ".scope", "podman", false},
  };
  for (const auto& p : kPatterns) {
    if (const auto id = Between(part, p.prefix, p.suffix)) {
      conmon = p.conmon;
      return Made(std::string(p.runtime), std::string(*id));
    }
  }
  if (parent == "docker" && IsHexId(part)) {
    return Made("docker", std::string(part));
  }
  if (parent == "libpod_parent") {
    if (const auto id = Between(part, "libpod-", "")) {
      return Made("podman", std::string(*id));
    }
  }
  // cgroupfs-driver pods name the container by its bare id, whatever the
  // runtime; CRI-O's monitor is "crio-conmon-ID" there too.
  if (in_pod && IsHexId(part)) {
    return Made("cri", std::string(part));
  }
  if (parent == "machine.slice") {
    std::string_view name;
    if (part.starts_with("machine-") && part.ends_with(".scope")) {
      name = part.substr(8, part.size() - 8 - 6);
    } else if (part.starts_with("systemd-nspawn@") &&
               part.ends_with(".service")) {
      name = part.substr(15, part.size() - 15 - 8);
    }
    if (!name.empty()) {
      return Made("nspawn", Unescape(name));
    }
  }
  if (part.starts_with("lxc.payload.") && part.size() > 12) {
    return Made("lxc", std::string(part.substr(12)));
  }
  if (parent == "lxc" || parent == "lxc.payload") {
    return Made("lxc", std::string(part));
  }
  return std::nullopt;
}

}  // namespace

PathIdentity ParseCgroupPath(std::string_view path) {
  std::vector<std::string_view> parts;
  while (!path.empty()) {
    const auto slash = path.find('/');
    if (slash != 0) parts.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  PathIdentity out;
  std::string user_manager;  // "user@1000" while inside one
  std::string pod_uid;
  bool under_kubepods = false;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string_view part = parts[i];
    const std::string_view parent = i > 0 ? parts[i - 1] : "";
    if (!out.container.empty()) {
      // Inside a container: only a system container's units are worth a
      // name (nspawn and LXC run a whole systemd).
      if ((out.container.runtime == "nspawn" ||
           out.container.runtime == "lxc") &&
          IsUnitName(part) && part != "init.scope") {
        out.unit = std::string(part);
      }
      continue;
    }
    if (part.find("kubepods") != std::string_view::npos) {
      under_kubepods = true;
    }
    if (auto uid = PodUid(part, under_kubepods)) {
      pod_uid = std::move(*uid);
      continue;
    }
    if (auto container =
            ContainerOf(part, parent, !pod_uid.empty(), out.conmon)) {
      out.container = std::move(*container);
      out.container.pod_uid = pod_uid;
      out.unit.clear();
      continue;
    }
    if (part.starts_with("user@") && part.ends_with(".service")) {
      user_manager = std::string(part.substr(0, part.size() - 8));
      out.unit = std::string(part);
    } else if (IsUnitName(part)) {
      out.unit = user_manager.empty() ? std::string(part)
                                      : user_manager + "/" + std::string(part);
    }
  }
  return out;
}

std::string DisplayNameFromPath(const PathIdentity& identity,
                                std::string_view path) {
  const ContainerIdentity& c = identity.container;
  if (c.empty()) {
    return identity.unit.empty() ? std::string(path) : identity.unit;
  }
  if (c.runtime == "nspawn" || c.runtime == "lxc") {
    std::string name = (c.runtime == "nspawn" ? "machine:" : "lxc:") + c.id;
    if (!identity.unit.empty()) name += "/" + identity.unit;
    return name;
  }
  std::string name = c.runtime + ":" + c.id.substr(0, 12);
  if (identity.conmon) name += "/conmon";
  return name;
}

}  // namespace tcpstated
