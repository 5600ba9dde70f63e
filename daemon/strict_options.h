#pragma once

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdint>
#include <string>

#include "option_values.h"

namespace tcpstated {

// CLI11 options whose values go through the strict parsers of
// option_values.h, from the command line and the config file alike. A bad
// value is a CLI::ValidationError naming the option and what was expected.

template <typename Duration>
CLI::Option* AddDurationOption(
    CLI::App& app, const std::string& name, Duration& target,
    const std::string& help,
    std::chrono::milliseconds min = std::chrono::milliseconds(100)) {
  auto* option = app.add_option_function<std::string>(
      name,
      [&target, name, min](const std::string& text) {
        const auto parsed = ParseDuration(text);
        if (!parsed || *parsed < min) {
          const std::string least =
              min.count() % 1000 == 0 ? std::to_string(min.count() / 1000) + "s"
                                      : std::to_string(min.count()) + "ms";
          throw CLI::ValidationError(
              name, "expected a duration of at least " + least +
                        " such as 250ms, 15s, 2m or 1h, got \"" + text + "\"");
        }
        target = std::chrono::duration_cast<Duration>(*parsed);
      },
      help);
  option->default_str(
      std::to_string(
          std::chrono::duration_cast<std::chrono::seconds>(target).count()) +
      "s");
  return option;
}

template <typename Number>
CLI::Option* AddNumberOption(CLI::App& app, const std::string& name,
                             Number& target, std::uint64_t min,
                             std::uint64_t max, const std::string& help) {
  auto* option = app.add_option_function<std::string>(
      name,
      [&target, name, min, max](const std::string& text) {
        const auto parsed = ParseWholeNumber(text);
        if (!parsed || *parsed < min || *parsed > max) {
          throw CLI::ValidationError(
              name, "expected a whole number from " + std::to_string(min) +
                        " to " + std::to_string(max) + " in decimal, got \"" +
                        text + "\"");
        }
        target = static_cast<Number>(*parsed);
      },
      help);
  option->default_str(std::to_string(target));
  return option;
}

CLI::Option* AddFractionOption(CLI::App& app, const std::string& name,
                               double& target, const std::string& help);

}  // namespace tcpstated
