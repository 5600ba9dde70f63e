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
  // A key and its scalar value, in one call.
  void Field(std::string_view key, std::string_view value) {
    Key(key);
    String(value);
  }
  void Field(std::string_view key, std::uint64_t value) {
    Key(key);
    Number(value);
  }
  void Field(std::string_view key, double value) {
    Key(key);
    Number(value);
  }
  void FieldBool(std::string_view key, bool value) {
    Key(key);
    Bool(value);
  }

  const std::string& str() const { return out_; }

 private:
  void BeforeValue();

  std::string out_;
  bool need_comma_ = false;
};

}  // namespace tcpstated
