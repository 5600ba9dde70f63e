#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tcpstated {

// Appends compact JSON to a string. The caller supplies the structure
// (Begin/End calls in order); the writer places commas and escapes text.
// Numbers are formatted with std::to_chars: no locale can turn a decimal
// point into a comma.
class JsonWriter {
 public:
  void BeginObject();
  void EndObject();
  void BeginArray();
  void EndArray();
  void Key(std::string_view key);
  void String(std::string_view value);
  void Number(std::uint64_t value);
  void Number(double value);
  void Bool(bool value);

  const std::string& str() const { return out_; }

 private:
  void BeforeValue();

  std::string out_;
  bool need_comma_ = false;
};

}  // namespace tcpstated
