#include "runtime_files.h"

#include <nlohmann/json.hpp>
#include <vector>

#include "tcpstated/io/files.h"

namespace tcpstated {
namespace {

constexpr std::size_t kMaxFileBytes = 8 << 20;
constexpr std::size_t kMaxDepth = 32;
constexpr std::size_t kMaxValues = 512;

// Collects the string values under the paths that name a container. The
// parser itself is iterative (its own stack), so a hostile nesting costs
// memory bounded by the file size, and this handler stops it at kMaxDepth.
class NameCollector final : public nlohmann::json_sax<nlohmann::json> {
 public:
  explicit NameCollector(std::map<std::string, std::string>& out) : out_(out) {}

  bool null() override { return Scalar(); }
  bool boolean(bool) override { return Scalar(); }
  bool number_integer(number_integer_t) override { return Scalar(); }
  bool number_unsigned(number_unsigned_t) override { return Scalar(); }
  bool number_float(number_float_t, const string_t&) override {
    return Scalar();
  }
  bool binary(binary_t&) override { return Scalar(); }
  bool string(string_t& value) override {
    if (Wanted() && out_.size() < kMaxValues) {
      out_.emplace(Path(), std::move(value));
    }
    return Scalar();
  }
  bool start_object(std::size_t) override { return Open(false); }
  bool start_array(std::size_t) override { return Open(true); }
  bool key(string_t& key) override {
    levels_.back().key = std::move(key);
    return true;
  }
  bool end_object() override { return Close(); }
  bool end_array() override { return Close(); }
  bool parse_error(std::size_t, const std::string&,
                   const nlohmann::detail::exception&) override {
    return false;
  }

 private:
  struct Level {
    bool array = false;
    std::string key;
  };

  bool Open(bool array) {
    if (levels_.size() >= kMaxDepth) return false;
    levels_.push_back({array, ""});
    return true;
  }
  bool Close() {
    levels_.pop_back();
    return true;
  }
  bool Scalar() { return true; }

  // Depth 1 is the top-level object's members.
  bool Wanted() const {
    if (levels_.empty() || levels_.front().array) return false;
    const std::string& top = levels_.front().key;
    if (levels_.size() == 1) return top == "Name";
    if (levels_[1].array) return false;
    if (levels_.size() == 2) {
      return top == "annotations" ||
             (top == "Config" && levels_[1].key == "Image");
    }
    return levels_.size() == 3 && top == "Config" &&
           levels_[1].key == "Labels" && !levels_[2].array;
  }
  std::string Path() const {
    std::string path;
    for (const Level& level : levels_) {
      if (!path.empty()) path += '/';
      path += level.key;
    }
    return path;
  }

  std::map<std::string, std::string>& out_;
  std::vector<Level> levels_;
};

}  // namespace

std::map<std::string, std::string> ReadRuntimeNames(const std::string& file) {
  std::map<std::string, std::string> values;
  std::string text;
  try {
    // Not blocking on a FIFO, the type checked on the opened file, capped.
    text = ReadRegularFile(file, kMaxFileBytes);
  } catch (const FileProblem&) {
    return values;
  }
  NameCollector collector(values);
  // A file cut short or not JSON keeps what was read before the error:
  // names come first in neither format, so drop it all to stay exact.
  try {
    if (!nlohmann::json::sax_parse(text, &collector)) values.clear();
  } catch (const std::exception&) {  // e.g. bad_alloc: no names, no crash
    values.clear();
  }
  return values;
}

}  // namespace tcpstated
