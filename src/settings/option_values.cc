// What option values may be, for the file and the command line alike.
#include <cmath>

#include "tcpstated/model/duration.h"
#include "tcpstated/settings/options.h"

namespace tcpstated {
namespace {

std::string Milliseconds(std::uint64_t ms) {
  return FormatDuration(std::chrono::milliseconds(ms));
}

[[noreturn]] void Refuse(const OptionSpec& spec, const std::string& got) {
  throw ConfigProblem("expected " + Expected(spec) + ", got " + got);
}

}  // namespace

std::string Expected(const OptionSpec& spec) {
  switch (spec.kind) {
    case ValueKind::kCount:
      return "a whole number from " + std::to_string(spec.min) + " to " +
             std::to_string(spec.max);
    case ValueKind::kFraction:
      return "a fraction from 0 to 1 such as 0.5";
    case ValueKind::kNumber:
      return "a number of at least " + std::to_string(spec.min);
    case ValueKind::kDuration:
      // The examples obey the minimum they are given with.
      return "a duration of at least " + Milliseconds(spec.min) +
             (spec.min >= 1000 ? " such as 10s or 1m30s"
                               : " such as 250ms, 15s or 1m30s");
    case ValueKind::kBool:
      return "true or false";
    case ValueKind::kList:
      return "a list of strings";
    case ValueKind::kChoice: {
      std::string text = "one of";
      for (const std::string& c : spec.choices) text += " \"" + c + "\"";
      return text;
    }
    case ValueKind::kString:
      break;
  }
  return "a string";
}

void CheckRange(const OptionSpec& spec, const Value& value) {
  switch (spec.kind) {
    case ValueKind::kCount: {
      const auto n = std::get<std::uint64_t>(value);
      if (n < spec.min || n > spec.max) Refuse(spec, std::to_string(n));
      break;
    }
    case ValueKind::kFraction: {
      const double x = std::get<double>(value);
      if (!(x >= 0 && x <= 1)) Refuse(spec, std::to_string(x));
      break;
    }
    case ValueKind::kNumber: {
      const double x = std::get<double>(value);
      if (!(x >= static_cast<double>(spec.min)) || !std::isfinite(x)) {
        Refuse(spec, std::to_string(x));
      }
      break;
    }
    case ValueKind::kDuration: {
      const std::string& text = std::get<std::string>(value);
      const auto d = ParseDuration(text);
      if (!d || *d < std::chrono::milliseconds(spec.min)) {
        Refuse(spec, "\"" + text + "\"");
      }
      break;
    }
    case ValueKind::kChoice: {
      const std::string& text = std::get<std::string>(value);
      bool known = false;
      for (const std::string& c : spec.choices) known = known || c == text;
      if (!known) Refuse(spec, "\"" + text + "\"");
      break;
    }
    default:
      break;
  }
}

std::vector<std::pair<std::string, std::string>> DescribeConfig(
    const Config& config) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const OptionSpec& spec : AllOptions()) {
    if (spec.scope != Scope::kReport) {
      out.emplace_back(spec.key, spec.show(config));
    }
  }
  return out;
}

std::optional<std::string> RemovedKey(std::string_view key) {
  // 0.1's thresholds per state: counts, shares and `for` in collections.
  // Their meaning changed (limits of the host, `for` a duration), so they
  // are refused with a pointer, not mapped to something else silently.
  if (key.starts_with("pileup.") &&
      (key.ends_with(".min-share") || key.ends_with(".for") ||
       key.find('_') != std::string_view::npos)) {
    return "the per-state pileup thresholds of 0.1 are gone: see "
           "pileup.min-sockets, pileup.closing.min-sockets, time-wait.*, "
           "ephemeral-ports.min-share and findings.for (a duration)";
  }
  if (key.starts_with("stall.") && key != "stall.min-sockets") {
    return "the per-kind stall thresholds of 0.1 are gone: see "
           "stall.min-sockets and findings.for";
  }
  return std::nullopt;
}

}  // namespace tcpstated
