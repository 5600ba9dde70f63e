// The config file, read by toml++: the only user of it.
#include "tcpstated/settings/config_file.h"

#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <algorithm>

#include "tcpstated/io/files.h"
#include "tcpstated/settings/options.h"
#include "toml_guard.h"
#include "toml_library.h"

namespace tcpstated {
namespace {

std::string At(const std::string& file, const toml::source_region& where) {
  return "config file " + file + " line " + std::to_string(where.begin.line) +
         " column " + std::to_string(where.begin.column);
}

std::string TypeName(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a number";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::table:
      return "a table";
    default:
      return "a date or time";
  }
}

// The node as a value of the spec's kind; nullopt for another TOML type.
std::optional<Value> ValueOf(const OptionSpec& spec, const toml::node& node) {
  switch (spec.kind) {
    case ValueKind::kCount:
      if (const auto* n = node.as_integer()) {
        if (n->get() < 0) return std::nullopt;
        return Value(static_cast<std::uint64_t>(n->get()));
      }
      return std::nullopt;
    case ValueKind::kFraction:
    case ValueKind::kNumber:
      if (const auto* n = node.as_integer()) {
        return Value(static_cast<double>(n->get()));
      }
      if (const auto* x = node.as_floating_point()) return Value(x->get());
      return std::nullopt;
    case ValueKind::kBool:
      if (const auto* b = node.as_boolean()) return Value(b->get());
      return std::nullopt;
    case ValueKind::kList: {
      const auto* array = node.as_array();
      if (array == nullptr) return std::nullopt;
      std::vector<std::string> items;
      for (const toml::node& item : *array) {
        const auto* text = item.as_string();
        if (text == nullptr) return std::nullopt;
        items.push_back(text->get());
      }
      return Value(std::move(items));
    }
    default:
      if (const auto* text = node.as_string()) return Value(text->get());
      return std::nullopt;
  }
}

struct Leaf {
  std::string key;
  const toml::key* name;
  const toml::node* node;
};

// Every value of the document with its dotted key, in the file's order
// (tables iterate by key): the first mistake in the file is the one told.
void Leaves(const toml::table& table, const std::string& prefix,
            std::vector<Leaf>& out) {
  for (const auto& [name, node] : table) {
    std::string key = prefix + std::string(name.str());
    if (node.is_table() && FindOption(key) == nullptr) {
      Leaves(*node.as_table(), key + ".", out);
    } else {
      out.push_back({std::move(key), &name, &node});
    }
  }
}

void Apply(const Leaf& leaf, const std::string& file, Config& config) {
  const std::string& key = leaf.key;
  const std::string at = At(file, leaf.name->source());
  const OptionSpec* spec = FindOption(key);
  if (spec != nullptr && spec->scope == Scope::kReport) spec = nullptr;
  if (spec == nullptr) {
    if (key == "config.file" || key == "help" || key == "version") {
      throw ConfigProblem(at + ": \"" + key +
                          "\" can only be given on the command line");
    }
    if (const auto removed = RemovedKey(key)) {
      throw ConfigProblem(at + ": \"" + key + "\" was removed: " + *removed);
    }
    throw ConfigProblem(at + ": unknown key \"" + key +
                        "\" (the keys are the flag names of `tcpstated run "
                        "--help` without the dashes)");
  }
  const toml::node& node = *leaf.node;
  const auto value = ValueOf(*spec, node);
  if (!value) {
    throw ConfigProblem(At(file, node.source()) + ": " + key + ": expected " +
                        Expected(*spec) + ", got " + TypeName(node));
  }
  try {
    CheckRange(*spec, *value);
    spec->set(config, *value);
  } catch (const ConfigProblem& problem) {
    throw ConfigProblem(At(file, node.source()) + ": " + key + ": " +
                        problem.what());
  }
}

}  // namespace

Value ValueFromText(const OptionSpec& spec, const std::string& text) {
  Value value = text;
  if (spec.kind == ValueKind::kList) {
    std::vector<std::string> items;
    std::string_view rest = text;
    for (;;) {  // "" is one empty item: [""] reads no directory
      const auto comma = rest.find(',');
      items.emplace_back(rest.substr(0, comma));
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
    value = std::move(items);
  } else if (spec.kind == ValueKind::kBool && text.empty()) {
    value = true;  // a bare --web.systemd-socket
  } else if (spec.kind == ValueKind::kBool || spec.kind == ValueKind::kCount ||
             spec.kind == ValueKind::kFraction ||
             spec.kind == ValueKind::kNumber) {
    // Numbers and booleans read as the file's TOML values do.
    std::optional<Value> parsed;
    try {
      const toml::table one = toml::parse("v = " + text);
      if (one.size() == 1 && text.find_first_of("\n#=") == std::string::npos) {
        parsed = ValueOf(spec, *one.get("v"));
      }
    } catch (const toml::parse_error&) {
    }
    if (!parsed) {
      throw ConfigProblem("expected " + Expected(spec) + ", got \"" + text +
                          "\"");
    }
    value = *parsed;
  }
  CheckRange(spec, value);
  return value;
}

std::string ReadConfigFile(const std::string& path) {
  if (path.empty()) throw ConfigProblem("config file: the path is empty");
  // `--config.file /dev/null`, the usual way to say "no file", reads empty;
  // other devices are refused (/dev/zero would be read for ever).
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && S_ISCHR(st.st_mode) &&
      st.st_rdev == makedev(1, 3)) {
    return "";
  }
  try {
    return ReadRegularFile(path, kMaxConfigBytes);
  } catch (const FileProblem& problem) {
    throw ConfigProblem(std::string("config file ") + problem.what());
  }
}

void ApplyConfigText(const std::string& text, const std::string& file,
                     Config& config) {
  if (const auto at = RefusedCharacter(text)) {
    throw ConfigProblem(
        "config file " + file + " line " + std::to_string(at->line) +
        " column " + std::to_string(at->column) +
        ": a control character, or a non-ASCII character outside a "
        "comment");
  }
  toml::table table;
  try {
    table = toml::parse(text, file);
  } catch (const toml::parse_error& error) {
    std::string what(error.description());
    for (char& c : what) {
      if (c == '\n' || c == '\r') c = ' ';  // one line
    }
    throw ConfigProblem(At(file, error.source()) + ": " + what);
  }
  std::vector<Leaf> leaves;
  Leaves(table, "", leaves);
  std::stable_sort(
      leaves.begin(), leaves.end(), [](const Leaf& a, const Leaf& b) {
        const auto& x = a.name->source().begin;
        const auto& y = b.name->source().begin;
        return x.line != y.line ? x.line < y.line : x.column < y.column;
      });
  for (const Leaf& leaf : leaves) Apply(leaf, file, config);
}

}  // namespace tcpstated
