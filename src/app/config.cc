#include "app/config.h"

#include <fmt/core.h>
#include <algorithm>
#include <cctype>
#include <charconv>
#include <limits>
#include <system_error>
#include <toml.hpp>
#include <utility>

#include "base/units.h"

namespace regie::app {
namespace {

// std::map keeps the file's sections and keys sorted, so the first error reported is stable.
using TomlValue = toml::basic_value<toml::discard_comments, std::map, std::vector>;

using namespace config_kind;  // NOLINT(google-build-using-namespace)

template <typename... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <typename... F>
Overloaded(F...) -> Overloaded<F...>;  // clang 14 lacks C++20 aggregate deduction

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& ch : out) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return out;
}

std::string Quote(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out = "\"";
  for (const char ch : s) {
    const auto u = static_cast<unsigned char>(ch);
    if (ch == '"' || ch == '\\') {
      out += '\\';
      out += ch;
    } else if (u < 0x20 || u == 0x7f) {
      out += "\\u00";
      out += kHex[u >> 4];
      out += kHex[u & 0xf];
    } else {
      out += ch;
    }
  }
  return out + '"';
}

tl::unexpected<Error> Invalid(const std::string& reason) {
  return Fail(Errc::kInvalidInput, reason, reason);
}

// ---- Reading and writing one member.

Result<std::uint64_t> ParseCount(std::string_view text) {
  text = Trim(text);
  std::uint64_t n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
    return Invalid("invalid integer '" + std::string(text) + "'");
  }
  return n;
}

Result<bool> ParseBool(std::string_view text) {
  const std::string t = Upper(Trim(text));
  if (t == "TRUE" || t == "1" || t == "YES") return true;
  if (t == "FALSE" || t == "0" || t == "NO") return false;
  return Invalid("invalid boolean '" + std::string(text) + "' (use true/false, 1/0 or yes/no)");
}

// "a, b,,c" -> {"a", "b", "c"}; "" -> {}.
std::vector<std::string> SplitList(std::string_view text) {
  std::vector<std::string> items;
  for (std::size_t start = 0; start <= text.size();) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    const std::string_view item = Trim(text.substr(start, comma - start));
    if (!item.empty()) items.emplace_back(item);
    start = comma + 1;
  }
  return items;
}

template <typename T, typename U>
Result<void> Store(Result<U> parsed, T* member) {
  if (!parsed) return Fail(parsed.error());
  *member = *parsed;
  return Ok();
}

// Sets a member from an environment variable or a flag: lists are comma-separated.
Result<void> SetFromText(const ConfigKey& k, Config& c, std::string_view text) {
  return std::visit(Overloaded{
                        [&](std::string* v) {
                          *v = std::string(text);
                          return Ok();
                        },
                        [&](std::uint64_t* v) {
                          return Store(k.kind == kSize ? ParseSize(text) : ParseCount(text), v);
                        },
                        [&](std::chrono::milliseconds* v) { return Store(ParseDuration(text), v); },
                        [&](bool* v) { return Store(ParseBool(text), v); },
                        [&](std::vector<std::string>* v) {
                          *v = SplitList(text);
                          return Ok();
                        },
                    },
                    k.field(c));
}

// Sets a member from a TOML value: sizes and durations may be strings or integers (bytes,
// seconds); lists are arrays of strings.
Result<void> SetFromToml(const ConfigKey& k, Config& c, const TomlValue& value) {
  const bool string_ok = k.kind == kString || k.kind == kSize || k.kind == kDuration;
  if (string_ok && value.is_string()) return SetFromText(k, c, value.as_string().str);
  const bool count_ok = k.kind == kInteger || k.kind == kSize || k.kind == kDuration;
  if (count_ok && value.is_integer() && value.as_integer() >= 0) {
    const auto n = static_cast<std::uint64_t>(value.as_integer());
    if (k.kind != kDuration) {
      *std::get<std::uint64_t*>(k.field(c)) = n;
    } else if (n <= std::numeric_limits<std::int64_t>::max() / 1000) {
      *std::get<std::chrono::milliseconds*>(k.field(c)) = std::chrono::seconds(n);
    } else {
      return Invalid("duration too long");
    }
    return Ok();
  }
  if (k.kind == kBool && value.is_boolean()) {
    *std::get<bool*>(k.field(c)) = value.as_boolean();
    return Ok();
  }
  if (k.kind == kList && value.is_array()) {
    std::vector<std::string> items;
    for (const TomlValue& item : value.as_array()) {
      if (!item.is_string()) return Invalid("expected an array of strings");
      items.push_back(item.as_string().str);
    }
    *std::get<std::vector<std::string>*>(k.field(c)) = std::move(items);
    return Ok();
  }
  static const std::map<std::string_view, std::string_view> kExpected = {
      {kString, "a string"},
      {kSize, "a size such as \"64MiB\" or a number of bytes"},
      {kDuration, "a duration such as \"30s\" or a number of seconds"},
      {kInteger, "a non-negative integer"},
      {kBool, "true or false"},
      {kList, "an array of strings"}};
  return Invalid("expected " + std::string(kExpected.at(k.kind)));
}

// Applies a setter's outcome and the key's own check, naming the source and key on failure.
Result<void> Checked(Result<void> set, const ConfigKey& k, const Config& c,
                     std::string_view origin) {
  const std::string why = !set ? set.error().detail : k.check ? k.check(c) : "";
  if (why.empty()) return Ok();
  return Invalid(fmt::format("{}: [{}] {}: {}", origin, k.section, k.key, why));
}

const ConfigKey* FindKey(std::string_view section, std::string_view key) {
  for (const ConfigKey& k : ConfigSchema()) {
    if (k.section == section && k.key == key) return &k;
  }
  return nullptr;
}

bool IsSection(std::string_view section) {
  return std::any_of(ConfigSchema().begin(), ConfigSchema().end(),
                     [&](const ConfigKey& k) { return k.section == section; });
}

// ---- The sources, lowest precedence first.

Result<std::optional<std::filesystem::path>> ChooseFile(const ConfigSources& sources) {
  std::optional<std::string> from_env;
  if (sources.env) from_env = sources.env("REGIE_CONFIG");
  if (!sources.file && (!from_env || from_env->empty())) {
    std::error_code ec;
    if (!std::filesystem::exists("regie.toml", ec)) return std::nullopt;
    return std::filesystem::path("regie.toml");
  }
  // A file asked for by name must exist: silently running on defaults would hide the mistake.
  const std::filesystem::path path =
      sources.file ? *sources.file : std::filesystem::path(*from_env);
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) return path;
  const std::string from = sources.file ? "--config" : "REGIE_CONFIG";
  return Invalid(path.string() + ": no such configuration file (from " + from + ")");
}

Result<void> ApplyFile(const std::filesystem::path& path, Config& config) {
  const std::string name = path.string();
  std::error_code ec;
  // toml11 asserts on an unreadable length (a directory); refuse anything but a file first.
  if (!std::filesystem::is_regular_file(path, ec)) return Invalid(name + ": not a regular file");
  TomlValue root;
  try {
    root = toml::parse<toml::discard_comments, std::map, std::vector>(path);
  } catch (const std::exception& e) {
    return Invalid(name + ": " + e.what());
  }
  for (const auto& [section, table] : root.as_table()) {
    if (!table.is_table())
      return Invalid(fmt::format("{}: '{}' must be a [section]", name, section));
    if (!IsSection(section)) return Invalid(fmt::format("{}: unknown section [{}]", name, section));
    for (const auto& [key, value] : table.as_table()) {
      const ConfigKey* k = FindKey(section, key);
      if (!k) return Invalid(fmt::format("{}: [{}] {}: unknown key", name, section, key));
      if (auto done = Checked(SetFromToml(*k, config, value), *k, config, name); !done) {
        return done;
      }
    }
  }
  return Ok();
}

Result<void> ApplyEnv(const ConfigSources& sources, Config& config) {
  if (!sources.env) return Ok();
  for (const ConfigKey& k : ConfigSchema()) {
    const std::string name = ConfigEnvName(k);
    const std::optional<std::string> value = sources.env(name);
    if (!value) continue;
    if (auto done = Checked(SetFromText(k, config, *value), k, config, "env " + name); !done) {
      return done;
    }
  }
  return Ok();
}

Result<void> ApplyFlags(const ConfigSources& sources, Config& config) {
  for (const auto& [name, value] : sources.flags) {
    const auto dot = name.find('.');
    const ConfigKey* k =
        dot == std::string::npos ? nullptr : FindKey(name.substr(0, dot), name.substr(dot + 1));
    if (!k) {
      return Invalid("flag " + name + ": unknown key (expected SECTION.KEY, e.g. http.threads)");
    }
    if (auto done = Checked(SetFromText(*k, config, value), *k, config, "flag " + name); !done) {
      return done;
    }
  }
  return Ok();
}

Result<void> CheckTls(const Config& config) {
  if (config.tls.cert.empty() == config.tls.key.empty()) return Ok();
  return Invalid("[tls] cert and key: set both to serve HTTPS, or neither (only " +
                 std::string(config.tls.cert.empty() ? "key" : "cert") + " is set)");
}

}  // namespace

Result<Config> LoadConfig(const ConfigSources& sources) {
  Config config;
  auto file = ChooseFile(sources);
  if (!file) return Fail(file.error());
  if (*file) {
    if (auto done = ApplyFile(**file, config); !done) return Fail(done.error());
  }
  if (auto done = ApplyEnv(sources, config); !done) return Fail(done.error());
  if (auto done = ApplyFlags(sources, config); !done) return Fail(done.error());
  if (auto done = CheckTls(config); !done) return Fail(done.error());
  return config;
}

std::string ConfigValueText(const ConfigKey& k, const Config& config) {
  // field() hands out mutable pointers; this only reads through them.
  Config& c = const_cast<Config&>(config);
  return std::visit(
      Overloaded{
          [](std::string* v) { return Quote(*v); },
          [&](std::uint64_t* v) { return k.kind == kSize ? FormatSize(*v) : std::to_string(*v); },
          [](std::chrono::milliseconds* v) { return FormatDuration(*v); },
          [](bool* v) { return std::string(*v ? "true" : "false"); },
          [](std::vector<std::string>* v) {
            std::string out = "[";
            for (const std::string& item : *v) out += (out.size() > 1 ? ", " : "") + Quote(item);
            return out + "]";
          },
      },
      k.field(c));
}

std::string ConfigEnvName(const ConfigKey& key) {
  return "REGIE_" + Upper(key.section) + "_" + Upper(key.key);
}

std::string RenderConfig(const Config& config) {
  std::string out = "# Effective Regie settings. Sizes and durations are in human units.\n";
  std::string_view section;
  for (const ConfigKey& k : ConfigSchema()) {
    if (k.section != section) {
      section = k.section;
      out += "\n[" + std::string(section) + "]\n";
    }
    const std::string text = ConfigValueText(k, config);
    const bool quote = k.kind == kSize || k.kind == kDuration;
    out += std::string(k.key) + " = " + (quote ? Quote(text) : text) + "\n";
  }
  return out;
}

}  // namespace regie::app
