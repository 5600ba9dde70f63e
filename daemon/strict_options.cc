#include "strict_options.h"

#include <charconv>

namespace tcpstated {

CLI::Option* AddFractionOption(CLI::App& app, const std::string& name,
                               double& target, const std::string& help) {
  auto* option = app.add_option_function<std::string>(
      name,
      [&target, name](const std::string& text) {
        const auto parsed = ParseFraction(text);
        if (!parsed) {
          throw CLI::ValidationError(
              name, "expected a fraction from 0 to 1 such as 0.5, got \"" +
                        text + "\"");
        }
        target = *parsed;
      },
      help);
  char text[32];
  const auto end = std::to_chars(text, text + sizeof text, target).ptr;
  option->default_str(std::string(text, end));
  return option;
}

}  // namespace tcpstated
