#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace tcpstated {

// Left-aligned first column, right-aligned numbers after it, columns as
// wide as their widest cell: the look of `ss` and `netstat`.
class TextTable {
 public:
  explicit TextTable(std::vector<std::string> header)
      : rows_{std::move(header)} {}
  void AddRow(std::vector<std::string> cells) {
    rows_.push_back(std::move(cells));
  }
  // How many leading columns are text (left-aligned); the rest are numbers.
  void SetTextColumns(std::size_t count) { text_columns_ = count; }
  std::string Render() const;

 private:
  std::vector<std::vector<std::string>> rows_;
  std::size_t text_columns_ = 1;
};

// "45s", "2m 10s", "3h 5m", "2d 4h".
std::string FormatDuration(double seconds);

}  // namespace tcpstated
