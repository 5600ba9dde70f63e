#include "text_table.h"

#include <algorithm>
#include <cstdio>

namespace tcpstated {

std::string TextTable::Render() const {
  std::vector<std::size_t> widths;
  for (const auto& row : rows_) {
    if (widths.size() < row.size()) widths.resize(row.size(), 0);
    for (std::size_t c = 0; c < row.size(); ++c) {
      widths[c] = std::max(widths[c], row[c].size());
    }
  }
  std::string out;
  for (const auto& row : rows_) {
    std::string line;
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (c > 0) line += "  ";
      const std::string pad(widths[c] - row[c].size(), ' ');
      line += c < text_columns_ ? row[c] + pad : pad + row[c];
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + '\n';
  }
  return out;
}

std::string FormatDuration(double seconds) {
  const auto s = static_cast<long long>(seconds);
  char text[32];
  if (s >= 86400) {
    std::snprintf(text, sizeof text, "%lldd %lldh", s / 86400,
                  s % 86400 / 3600);
  } else if (s >= 3600) {
    std::snprintf(text, sizeof text, "%lldh %lldm", s / 3600, s % 3600 / 60);
  } else if (s >= 60) {
    std::snprintf(text, sizeof text, "%lldm %llds", s / 60, s % 60);
  } else {
    std::snprintf(text, sizeof text, "%llds", s);
  }
  return text;
}

}  // namespace tcpstated
