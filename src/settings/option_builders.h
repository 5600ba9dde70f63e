#pragma once

#include <chrono>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "tcpstated/model/duration.h"
#include "tcpstated/settings/options.h"

namespace tcpstated {

// How a value lands in a Config member of each type, and how the member
// reads back as the config file writes it.
inline void Assign(std::string& into, const Value& v) {
  into = std::get<std::string>(v);
}
inline void Assign(bool& into, const Value& v) { into = std::get<bool>(v); }
inline void Assign(double& into, const Value& v) { into = std::get<double>(v); }
inline void Assign(std::vector<std::string>& into, const Value& v) {
  into = std::get<std::vector<std::string>>(v);
}
template <typename N>
requires std::is_integral_v<N>
void Assign(N& into, const Value& v) {
  into = static_cast<N>(std::get<std::uint64_t>(v));
}
template <typename Rep, typename Period>
void Assign(std::chrono::duration<Rep, Period>& into, const Value& v) {
  into = std::chrono::duration_cast<std::chrono::duration<Rep, Period>>(
      *ParseDuration(std::get<std::string>(v)));
}

inline std::string Quoted(const std::string& text) {
  return "\"" + text + "\"";
}
inline std::string Show(const std::string& s) { return Quoted(s); }
inline std::string Show(bool b) { return b ? "true" : "false"; }
inline std::string Show(double x) {
  // The shortest text that reads back the same: "0.05", "10.0".
  std::string text = std::to_string(x);
  while (text.back() == '0' && text[text.size() - 2] != '.') text.pop_back();
  return text;
}
inline std::string Show(const std::vector<std::string>& items) {
  std::string text;
  for (const std::string& item : items) {
    text += (text.empty() ? "" : ", ") + Quoted(item);
  }
  return "[" + text + "]";
}
template <typename N>
requires std::is_integral_v<N> std::string Show(N n) {
  return std::to_string(n);
}
template <typename Rep, typename Period>
std::string Show(std::chrono::duration<Rep, Period> d) {
  return Quoted(FormatDuration(d));
}

// A setting kept in `field(config)`, a member of a type Assign and Show
// know.
template <typename Field>
OptionSpec Setting(std::string key, ValueKind kind, Scope scope,
                   std::string help, Field field, std::uint64_t min = 0,
                   std::uint64_t max = 0,
                   std::vector<std::string> choices = {}) {
  OptionSpec spec{std::move(key),     kind, scope, std::move(help), min, max,
                  std::move(choices), {},   {}};
  spec.set = [field](Config& c, const Value& v) { Assign(field(c), v); };
  spec.show = [field](const Config& c) {
    return Show(field(const_cast<Config&>(c)));
  };
  return spec;
}

// The event source's settings (collect.events, events.*).
void AddEventOptions(std::vector<OptionSpec>& all);

}  // namespace tcpstated
