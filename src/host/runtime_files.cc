#include "runtime_files.h"

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string_view>
#include <vector>

#include "tcpstated/io/files.h"

namespace tcpstated {
namespace {

constexpr std::size_t kMaxFileBytes = 8 << 20;
constexpr std::size_t kMaxDepth = 32;
constexpr std::size_t kMaxValues = 512;

// Tracks where in the document a SAX event is (the key or array of each
// open level); subclasses say which strings they keep. The parser itself
// is iterative (its own stack), so a hostile nesting costs memory bounded
// by the file size, and this stops it at kMaxDepth.
class PathSax : public nlohmann::json_sax<nlohmann::json> {
 public:
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool string(string_t& value) override {
    OnString(value);
    return true;
  }
  bool start_object(std::size_t) override { return Open(false); }
  bool start_array(std::size_t) override { return Open(true); }
  bool key(string_t& key) override {
    levels_.back().key = std::move(key);
    return true;
  }
  bool end_object() override {
    const bool go_on = OnEndObject();
    levels_.pop_back();
    return go_on;
  }
  bool end_array() override {
    levels_.pop_back();
    return true;
  }
  bool parse_error(std::size_t, const std::string&,
                   const nlohmann::detail::exception&) override {
    return false;
  }

 protected:
  struct Level {
    bool array = false;
    std::string key;
  };
  virtual void OnString(string_t& value) = 0;
  virtual bool OnEndObject() { return true; }  // false stops the parse

  // Whether the open levels are, from the top, objects at these keys ("*":
  // any key) or arrays ("").
  bool At(std::initializer_list<std::string_view> keys) const {
    if (levels_.size() != keys.size()) return false;
    std::size_t i = 0;
    for (const std::string_view key : keys) {
      const Level& level = levels_[i++];
      const bool matches =
          level.array ? key.empty()
                      : !key.empty() && (key == "*" || key == level.key);
      if (!matches) return false;
    }
    return true;
  }
  const std::vector<Level>& levels() const { return levels_; }

 private:
  bool Open(bool array) {
    if (levels_.size() >= kMaxDepth) return false;
    levels_.push_back({array, ""});
    return true;
  }
  std::vector<Level> levels_;
};

// The string values under the paths that name a container.
class NameCollector final : public PathSax {
 public:
  explicit NameCollector(std::map<std::string, std::string>& out) : out_(out) {}

 private:
  void OnString(string_t& value) override {
    const bool wanted = At({"Name"}) || At({"annotations", "*"}) ||
                        At({"Config", "Image"}) ||
                        At({"Config", "Labels", "*"});
    if (wanted && out_.size() < kMaxValues) out_.emplace(Path(), value);
  }
  std::string Path() const {
    std::string path;
    for (const Level& level : levels()) {
      if (!path.empty()) path += '/';
      path += level.key;
    }
    return path;
  }
  std::map<std::string, std::string>& out_;
};

// The entry for one id in containers/storage's array of containers.
class StoredContainerFinder final : public PathSax {
 public:
  explicit StoredContainerFinder(const std::string& id) : id_(id) {}
  bool found = false;
  std::string name, metadata;

 private:
  void OnString(string_t& value) override {
    if (At({"", "id"})) id_seen_ = value;
    if (At({"", "metadata"})) metadata = value;
    if (At({"", "names", ""}) && name.empty()) name = value;
  }
  bool OnEndObject() override {
    if (levels().size() != 2) return true;
    if (id_seen_ == id_) {
      found = true;
      return false;  // nothing after it is needed
    }
    id_seen_.clear();
    name.clear();
    metadata.clear();
    return true;
  }
  const std::string& id_;
  std::string id_seen_;
};

// One top-level string member of a JSON object.
class MemberFinder final : public PathSax {
 public:
  explicit MemberFinder(std::string_view key) : key_(key) {}
  std::string value;

 private:
  void OnString(string_t& value_seen) override {
    if (At({key_})) value = value_seen;
  }
  std::string_view key_;
};

std::optional<std::string> ReadCapped(const std::string& file) {
  try {
    // Not blocking on a FIFO, the type checked on the opened file, capped.
    return ReadRegularFile(file, kMaxFileBytes);
  } catch (const FileProblem&) {
    return std::nullopt;
  }
}

// Runs `sax` over `text`: false when the text is not JSON (or the handler
// stopped it); never throws (e.g. bad_alloc: no names, no crash).
bool Parse(const std::string& text, PathSax& sax) {
  try {
    return nlohmann::json::sax_parse(text, &sax);
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace

std::map<std::string, std::string> ParseRuntimeNames(const std::string& text) {
  std::map<std::string, std::string> values;
  NameCollector collector(values);
  // A file cut short or not JSON keeps what was read before the error:
  // names come first in neither format, so drop it all to stay exact.
  if (!Parse(text, collector)) values.clear();
  return values;
}

std::optional<StoredContainer> FindStoredContainer(const std::string& text,
                                                   const std::string& id) {
  StoredContainerFinder finder(id);
  Parse(text, finder);  // stops early once found
  if (!finder.found) return std::nullopt;
  MemberFinder image("image-name");
  if (!Parse(finder.metadata, image)) image.value.clear();
  return StoredContainer{finder.name, image.value};
}

std::map<std::string, std::string> ReadRuntimeNames(const std::string& file) {
  const auto text = ReadCapped(file);
  return text ? ParseRuntimeNames(*text) : std::map<std::string, std::string>{};
}

std::optional<StoredContainer> ReadStoredContainer(const std::string& file,
                                                   const std::string& id) {
  const auto text = ReadCapped(file);
  return text ? FindStoredContainer(*text, id) : std::nullopt;
}

}  // namespace tcpstated
