#pragma once

#include <chrono>
#include <cmath>
#include <string>
#include <utility>

#include "options.h"
#include "tcpstated/model/duration.h"

namespace tcpstated {

// Builders of OptionSpecs. `field` maps a Config to the member the option
// sets; the spec reads it back the way the config file writes it.

inline std::string Quoted(const std::string& text) {
  return "\"" + text + "\"";
}

template <typename Field>
OptionSpec StringOption(std::string key, Scope scope, std::string help,
                        Field field, ValueKind kind = ValueKind::kString,
                        std::vector<std::string> choices = {}) {
  OptionSpec spec{std::move(key),     kind, scope, std::move(help), 0, 0,
                  std::move(choices), {},   {}};
  spec.set = [field](Config& c, const Value& v) {
    field(c) = std::get<std::string>(v);
  };
  spec.show = [field](const Config& c) {
    return Quoted(field(const_cast<Config&>(c)));
  };
  return spec;
}

template <typename Field>
OptionSpec CountOption(std::string key, Scope scope, std::string help,
                       std::uint64_t min, std::uint64_t max, Field field) {
  OptionSpec spec{std::move(key),
                  ValueKind::kCount,
                  scope,
                  std::move(help),
                  min,
                  max,
                  {},
                  {},
                  {}};
  spec.set = [field](Config& c, const Value& v) {
    auto& target = field(c);
    target = static_cast<std::remove_reference_t<decltype(target)>>(
        std::get<std::uint64_t>(v));
  };
  spec.show = [field](const Config& c) {
    return std::to_string(field(const_cast<Config&>(c)));
  };
  return spec;
}

template <typename Field>
OptionSpec DurationOption(std::string key, Scope scope, std::string help,
                          std::chrono::milliseconds min, Field field) {
  OptionSpec spec{std::move(key),
                  ValueKind::kDuration,
                  scope,
                  std::move(help),
                  static_cast<std::uint64_t>(min.count()),
                  0,
                  {},
                  {},
                  {}};
  spec.set = [field](Config& c, const Value& v) {
    auto& target = field(c);
    target =
        std::chrono::duration_cast<std::remove_reference_t<decltype(target)>>(
            *ParseDuration(std::get<std::string>(v)));
  };
  spec.show = [field](const Config& c) {
    return Quoted(FormatDuration(field(const_cast<Config&>(c))));
  };
  return spec;
}

// A fraction (0 to 1) or, with `min`, a number of at least min.
template <typename Field>
OptionSpec NumberOption(std::string key, Scope scope, std::string help,
                        ValueKind kind, std::uint64_t min, Field field) {
  OptionSpec spec{
      std::move(key), kind, scope, std::move(help), min, 0, {}, {}, {}};
  spec.set = [field](Config& c, const Value& v) {
    field(c) = std::get<double>(v);
  };
  spec.show = [field](const Config& c) {
    const double x = field(const_cast<Config&>(c));
    std::string text = std::to_string(x);
    // The shortest text that reads back the same: "0.05", "10.0".
    while (text.size() > 1 && text.back() == '0' &&
           text[text.size() - 2] != '.') {
      text.pop_back();
    }
    return text;
  };
  return spec;
}

template <typename Field>
OptionSpec ListOption(std::string key, Scope scope, std::string help,
                      Field field) {
  OptionSpec spec{std::move(key),
                  ValueKind::kList,
                  scope,
                  std::move(help),
                  0,
                  0,
                  {},
                  {},
                  {}};
  spec.set = [field](Config& c, const Value& v) {
    field(c) = std::get<std::vector<std::string>>(v);
  };
  spec.show = [field](const Config& c) {
    std::string text = "[";
    for (const std::string& item : field(const_cast<Config&>(c))) {
      text += (text.size() > 1 ? ", " : "") + Quoted(item);
    }
    return text + "]";
  };
  return spec;
}

}  // namespace tcpstated
