// Regie's settings: where they come from (file, environment, flags), how they are checked and how
// they are printed back. One schema table (ConfigSchema()) drives parsing, environment names,
// rendering and the documentation test, so a key exists in one place. docs/configuration.md is the
// operator's reference. Nothing here blocks beyond reading the file; all functions are thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/result.h"

namespace regie::app {

struct Config {
  struct Server {
    std::string listen = "127.0.0.1:8080";  // HOST:PORT; IPv6 as [::1]:8080
    std::string data = "./regie-data";
    std::uint64_t threads = 0;                      // 0: one per available core
    std::uint64_t open_blob_cache = 256;            // blob files kept open for reading; 0: none
    std::uint64_t inline_blob_bytes = 8 * 1024ULL;  // files up to this size live in the database
    std::uint64_t read_cache_bytes = 4ULL << 20;    // GET resolutions kept until the next write
    std::chrono::milliseconds scrub_interval{604'800'000};  // weekly blob re-read; 0: never
    bool operator==(const Server&) const = default;
  } server;
  struct Http {
    std::uint64_t max_header_bytes = 16 * 1024ULL;  // -> 431
    std::uint64_t max_uri_bytes = 8 * 1024ULL;      // -> 414
    std::uint64_t max_xml_body_bytes = 1 << 20;     // -> 413
    std::uint64_t max_upload_bytes = 0;             // 0: bounded by quota only
    std::chrono::milliseconds idle_timeout{60'000};
    std::chrono::milliseconds read_timeout{30'000};
    std::chrono::milliseconds shutdown_timeout{30'000};
    std::chrono::milliseconds drain_delay{0};  // after SIGTERM: keep serving, /readyz 503
    std::uint64_t max_connections = 10'000;
    std::vector<std::string> trusted_proxies;  // addresses or CIDR ranges
    bool allow_basic_over_http = false;        // Basic auth over plain HTTP from non-loopback peers
    bool access_log = true;
    bool metrics_public = false;  // /metrics reachable from non-loopback peers
    bool operator==(const Http&) const = default;
  } http;
  struct Dav {
    bool allow_propfind_infinity = false;             // else 403 with DAV:propfind-finite-depth
    std::uint64_t max_xml_depth = 64;                 // nesting of XML request bodies -> 400
    std::chrono::milliseconds lock_timeout{600'000};  // when the client asks for none
    std::chrono::milliseconds max_lock_timeout{3'600'000};
    std::uint64_t max_zip_index_bytes = 32ULL << 20;  // folder download's index -> 413
    bool operator==(const Dav&) const = default;
  } dav;
  struct Groupware {
    std::uint64_t max_resource_size = 1ULL << 20;             // one event or contact -> 413
    std::uint64_t max_collections = 100;                      // calendars (address books) per user
    std::uint64_t max_instances = 10'000;                     // of one recurrence expansion
    std::chrono::milliseconds index_horizon{94'867'200'000};  // about three years
    std::uint64_t max_results = 10'000;                       // of one query or sync report -> 507
    bool operator==(const Groupware&) const = default;
  } groupware;
  struct Tls {
    std::string cert;
    std::string key;
    bool operator==(const Tls&) const = default;
  } tls;  // both set: serve HTTPS
  struct Auth {
    std::uint64_t argon2_memory = 19ULL * 1024 * 1024;
    std::uint64_t argon2_passes = 2;
    std::uint64_t max_concurrent_hashes = 2;
    std::chrono::milliseconds cache_ttl{300'000};
    std::uint64_t cache_entries = 10'000;
    std::uint64_t account_failures = 5;
    std::uint64_t address_failures = 50;
    std::chrono::milliseconds failure_window{900'000};
    bool operator==(const Auth&) const = default;
  } auth;
  struct Session {
    std::chrono::milliseconds idle_timeout{28'800'000};   // web sign-in ends after this idle
    std::chrono::milliseconds max_lifetime{604'800'000};  // and after this, whatever happens
    bool operator==(const Session&) const = default;
  } session;
  struct Web {
    std::string root;  // built web app (web/dist); empty: share/regie/web beside the binary
    bool operator==(const Web&) const = default;
  } web;
  struct Log {
    std::string level = "info";  // trace, debug, info, warn or error
    bool operator==(const Log&) const = default;
  } log;

  bool operator==(const Config&) const = default;
};

struct ConfigSources {
  std::optional<std::filesystem::path> file;  // from --config
  // Environment lookup; nullopt when unset. Empty function: no environment. Tests inject a map.
  std::function<std::optional<std::string>(const std::string&)> env;
  std::map<std::string, std::string> flags;  // "server.listen" -> "127.0.0.1:0" (flag overrides)
};

// Reads the settings. Precedence: flag > environment > file > default. The file is sources.file,
// else the file named by env REGIE_CONFIG, else ./regie.toml when it exists, else none.
// Every source is checked in full, even where a higher one overrides it: a typo in the file is an
// error although a flag sets the same key. Errors are Errc::kInvalidInput whose detail names the
// source and the key, e.g. "regie.toml: [http] max_header_bytes: invalid size 'lots' (...)".
// Errors: unknown sections, keys or flags; wrong types; bad values; a missing explicit file.
Result<Config> LoadConfig(const ConfigSources& sources);

// The effective settings as valid TOML with every key, sizes and durations in human units.
// LoadConfig() of the output yields an equal Config.
std::string RenderConfig(const Config& config);

// A pointer to the Config member a key reads and writes.
using ConfigField = std::variant<std::string*, std::uint64_t*, std::chrono::milliseconds*, bool*,
                                 std::vector<std::string>*>;

// ConfigKey::kind values.
namespace config_kind {
inline constexpr std::string_view kString = "string";
inline constexpr std::string_view kSize = "size";          // std::uint64_t bytes
inline constexpr std::string_view kDuration = "duration";  // std::chrono::milliseconds
inline constexpr std::string_view kInteger = "integer";    // std::uint64_t
inline constexpr std::string_view kBool = "bool";
inline constexpr std::string_view kList = "list";  // std::vector<std::string>
}  // namespace config_kind

struct ConfigKey {
  std::string_view section;  // "http"
  std::string_view key;      // "max_header_bytes"
  std::string_view kind;     // one of config_kind
  // The default as docs/configuration.md shows it: sizes and durations in human units
  // ("16KiB", "1min"); strings, lists, integers and booleans as RenderConfig() writes them.
  std::string_view default_text;
  std::string_view doc;                 // one line for the documentation
  ConfigField (*field)(Config&);        // the member this key sets
  std::string (*check)(const Config&);  // nullptr, or returns why the member is invalid ("" = ok)
};

// Every key, in rendering order (grouped by section). Built once; references stay valid.
const std::vector<ConfigKey>& ConfigSchema();

// The environment variable that overrides `key`: REGIE_HTTP_MAX_HEADER_BYTES for [http]
// max_header_bytes.
std::string ConfigEnvName(const ConfigKey& key);

// The key's value in `config` as the docs show it: sizes and durations in human units without
// quotes ("16KiB", "1min"), other kinds as TOML ("\"info\"", "[]", "false", "0").
std::string ConfigValueText(const ConfigKey& key, const Config& config);

}  // namespace regie::app
