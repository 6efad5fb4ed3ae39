#include "app/config.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <variant>

namespace regie::app {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

// Each test runs in a fresh empty directory, so LoadConfig's ./regie.toml lookup never sees a
// stray file and the test can create one on purpose.
class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::path(::testing::TempDir()) / "regie-config-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    old_cwd_ = fs::current_path();
    fs::current_path(dir_);
  }
  void TearDown() override {
    fs::current_path(old_cwd_);
    fs::remove_all(dir_);
  }

  fs::path Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return dir_ / name;
  }

  // Sources with the given environment and flags and no explicit file.
  static ConfigSources Sources(std::map<std::string, std::string> env,
                               std::map<std::string, std::string> flags = {}) {
    ConfigSources sources;
    sources.env = [env = std::move(env)](const std::string& name) -> std::optional<std::string> {
      auto it = env.find(name);
      if (it == env.end()) return std::nullopt;
      return it->second;
    };
    sources.flags = std::move(flags);
    return sources;
  }

  // The error detail LoadConfig returns for `sources`, or "" if it succeeds.
  static std::string ErrorOf(const ConfigSources& sources) {
    auto config = LoadConfig(sources);
    if (config) return "";
    EXPECT_EQ(config.error().code, Errc::kInvalidInput);
    return config.error().detail;
  }

  fs::path dir_;
  fs::path old_cwd_;
};

TEST_F(ConfigTest, DefaultsApplyWhenNothingIsSet) {
  auto config = LoadConfig(Sources({}));
  ASSERT_TRUE(config) << config.error().detail;
  EXPECT_EQ(*config, Config{});
  EXPECT_EQ(config->server.listen, "127.0.0.1:8080");
  EXPECT_EQ(config->http.max_header_bytes, 16u * 1024);
  EXPECT_EQ(config->http.idle_timeout, milliseconds(60'000));
  EXPECT_EQ(config->log.level, "info");
}

TEST_F(ConfigTest, FileValuesReplaceDefaults) {
  Write("regie.toml", R"(
[server]
listen = "[::1]:9000"
threads = 4
[http]
max_header_bytes = "32KiB"
max_uri_bytes = 4096
idle_timeout = "250ms"
read_timeout = 10
trusted_proxies = ["10.0.0.0/8", "::1"]
metrics_public = true
[auth]
argon2_memory = "64MiB"
)");
  auto config = LoadConfig(Sources({}));
  ASSERT_TRUE(config) << config.error().detail;
  EXPECT_EQ(config->server.listen, "[::1]:9000");
  EXPECT_EQ(config->server.threads, 4u);
  EXPECT_EQ(config->http.max_header_bytes, 32u * 1024);
  EXPECT_EQ(config->http.max_uri_bytes, 4096u);  // a TOML integer size is bytes
  EXPECT_EQ(config->http.idle_timeout, milliseconds(250));
  EXPECT_EQ(config->http.read_timeout, milliseconds(10'000));  // a TOML integer duration is seconds
  EXPECT_EQ(config->http.trusted_proxies, (std::vector<std::string>{"10.0.0.0/8", "::1"}));
  EXPECT_TRUE(config->http.metrics_public);
  EXPECT_EQ(config->auth.argon2_memory, 64u << 20);
  EXPECT_EQ(config->server.data, "./regie-data");  // untouched keys keep their defaults
}

TEST_F(ConfigTest, EnvironmentBeatsFile) {
  Write("regie.toml", "[http]\nmax_header_bytes = \"32KiB\"\nmax_connections = 7\n");
  auto config = LoadConfig(Sources({{"REGIE_HTTP_MAX_HEADER_BYTES", "1MiB"}}));
  ASSERT_TRUE(config) << config.error().detail;
  EXPECT_EQ(config->http.max_header_bytes, 1u << 20);
  EXPECT_EQ(config->http.max_connections, 7u);
}

TEST_F(ConfigTest, FlagBeatsEnvironment) {
  auto config = LoadConfig(
      Sources({{"REGIE_SERVER_LISTEN", "0.0.0.0:80"}}, {{"server.listen", "127.0.0.1:0"}}));
  ASSERT_TRUE(config) << config.error().detail;
  EXPECT_EQ(config->server.listen, "127.0.0.1:0");
}

TEST_F(ConfigTest, EnvironmentListsAndBooleansAreParsed) {
  auto config = LoadConfig(Sources({{"REGIE_HTTP_TRUSTED_PROXIES", " 10.0.0.0/8, ::1 ,"},
                                    {"REGIE_HTTP_ACCESS_LOG", "no"},
                                    {"REGIE_HTTP_ALLOW_BASIC_OVER_HTTP", "YES"},
                                    {"REGIE_AUTH_CACHE_TTL", "2h"}}));
  ASSERT_TRUE(config) << config.error().detail;
  EXPECT_EQ(config->http.trusted_proxies, (std::vector<std::string>{"10.0.0.0/8", "::1"}));
  EXPECT_FALSE(config->http.access_log);
  EXPECT_TRUE(config->http.allow_basic_over_http);
  EXPECT_EQ(config->auth.cache_ttl, milliseconds(7'200'000));
}

TEST_F(ConfigTest, RegieConfigNamesTheFile) {
  Write("regie.toml", "[log]\nlevel = \"debug\"\n");
  const fs::path other = Write("other.toml", "[log]\nlevel = \"warn\"\n");
  auto config = LoadConfig(Sources({{"REGIE_CONFIG", other.string()}}));
  ASSERT_TRUE(config) << config.error().detail;
  EXPECT_EQ(config->log.level, "warn");
}

TEST_F(ConfigTest, ConfigFlagBeatsRegieConfig) {
  const fs::path chosen = Write("chosen.toml", "[log]\nlevel = \"error\"\n");
  const fs::path other = Write("other.toml", "[log]\nlevel = \"warn\"\n");
  ConfigSources sources = Sources({{"REGIE_CONFIG", other.string()}});
  sources.file = chosen;
  auto config = LoadConfig(sources);
  ASSERT_TRUE(config) << config.error().detail;
  EXPECT_EQ(config->log.level, "error");
}

TEST_F(ConfigTest, MissingExplicitFileIsAnError) {
  ConfigSources sources = Sources({});
  sources.file = dir_ / "absent.toml";
  EXPECT_NE(ErrorOf(sources).find("absent.toml: no such configuration file"), std::string::npos);
  EXPECT_NE(ErrorOf(Sources({{"REGIE_CONFIG", "gone.toml"}})).find("gone.toml"), std::string::npos);
}

TEST_F(ConfigTest, UnknownKeyIsRejectedByName) {
  Write("regie.toml", "[http]\nmax_header_byte = 1024\n");
  EXPECT_EQ(ErrorOf(Sources({})), "regie.toml: [http] max_header_byte: unknown key");
}

TEST_F(ConfigTest, UnknownSectionAndTopLevelKeyAreRejected) {
  Write("regie.toml", "[htpp]\nmax_header_bytes = 1024\n");
  EXPECT_EQ(ErrorOf(Sources({})), "regie.toml: unknown section [htpp]");
  Write("regie.toml", "listen = \"127.0.0.1:1\"\n");
  EXPECT_EQ(ErrorOf(Sources({})), "regie.toml: 'listen' must be a [section]");
}

TEST_F(ConfigTest, BadSizeIsRejectedNamingTheKey) {
  Write("regie.toml", "[http]\nmax_header_bytes = \"lots\"\n");
  EXPECT_EQ(ErrorOf(Sources({})),
            "regie.toml: [http] max_header_bytes: invalid size 'lots' (use e.g. 512KiB, 64MiB, "
            "2GB)");
}

TEST_F(ConfigTest, BadEnvironmentValueNamesTheVariable) {
  EXPECT_EQ(ErrorOf(Sources({{"REGIE_HTTP_READ_TIMEOUT", "soon"}})),
            "env REGIE_HTTP_READ_TIMEOUT: [http] read_timeout: invalid duration 'soon' (use e.g. "
            "250ms, 30s, 15min, 2h)");
  EXPECT_EQ(ErrorOf(Sources({{"REGIE_HTTP_ACCESS_LOG", "maybe"}})),
            "env REGIE_HTTP_ACCESS_LOG: [http] access_log: invalid boolean 'maybe' (use "
            "true/false, 1/0 or yes/no)");
}

TEST_F(ConfigTest, UnknownOrBadFlagIsRejected) {
  EXPECT_NE(ErrorOf(Sources({}, {{"http.max_conections", "5"}})).find("flag http.max_conections"),
            std::string::npos);
  EXPECT_EQ(ErrorOf(Sources({}, {{"server.threads", "-1"}})),
            "flag server.threads: [server] threads: invalid integer '-1'");
}

TEST_F(ConfigTest, WrongTomlTypeIsRejected) {
  Write("regie.toml", "[server]\nthreads = \"four\"\n");
  EXPECT_EQ(ErrorOf(Sources({})), "regie.toml: [server] threads: expected a non-negative integer");
  Write("regie.toml", "[http]\ntrusted_proxies = \"10.0.0.1\"\n");
  EXPECT_EQ(ErrorOf(Sources({})),
            "regie.toml: [http] trusted_proxies: expected an array of strings");
  Write("regie.toml", "[http]\nidle_timeout = -5\n");
  EXPECT_NE(ErrorOf(Sources({})).find("[http] idle_timeout: expected a duration"),
            std::string::npos);
}

TEST_F(ConfigTest, SyntaxErrorNamesTheFile) {
  Write("regie.toml", "[http\n");
  EXPECT_EQ(ErrorOf(Sources({})).rfind("regie.toml: ", 0), 0u);
}

TEST_F(ConfigTest, ListenMustBeHostAndPort) {
  for (const char* good : {"127.0.0.1:0", "0.0.0.0:65535", "[::1]:8080", "[::]:443",
                           "localhost:8080", "dav.example.org:80"}) {
    EXPECT_EQ(ErrorOf(Sources({}, {{"server.listen", good}})), "") << good;
  }
  for (const char* bad : {"127.0.0.1", "127.0.0.1:65536", "::1:8080", "[::1]", "[nope]:80", ":8080",
                          "host:port", "127.0.0.1:-1", "a b:80"}) {
    EXPECT_NE(ErrorOf(Sources({}, {{"server.listen", bad}})).find("[server] listen: invalid"),
              std::string::npos)
        << bad;
  }
}

TEST_F(ConfigTest, TrustedProxiesMustBeAddressesOrRanges) {
  EXPECT_EQ(ErrorOf(Sources({{"REGIE_HTTP_TRUSTED_PROXIES", "192.168.1.1,fd00::/8,::1/128"}})), "");
  for (const char* bad : {"proxy.local", "10.0.0.0/33", "10.0.0.0/", "::1/129", "10.0.0.256"}) {
    EXPECT_NE(ErrorOf(Sources({{"REGIE_HTTP_TRUSTED_PROXIES", bad}})).find("invalid address"),
              std::string::npos)
        << bad;
  }
}

TEST_F(ConfigTest, LogLevelMustBeKnown) {
  EXPECT_EQ(ErrorOf(Sources({{"REGIE_LOG_LEVEL", "verbose"}})),
            "env REGIE_LOG_LEVEL: [log] level: invalid level 'verbose' (use trace, debug, info, "
            "warn or error)");
}

TEST_F(ConfigTest, TlsCertAndKeyGoTogether) {
  EXPECT_NE(ErrorOf(Sources({}, {{"tls.cert", "/etc/regie/cert.pem"}})).find("only cert is set"),
            std::string::npos);
  EXPECT_EQ(ErrorOf(Sources({}, {{"tls.cert", "c.pem"}, {"tls.key", "k.pem"}})), "");
}

TEST_F(ConfigTest, HashingLimitsHaveMinimums) {
  EXPECT_EQ(ErrorOf(Sources({{"REGIE_AUTH_ARGON2_MEMORY", "4KiB"}})),
            "env REGIE_AUTH_ARGON2_MEMORY: [auth] argon2_memory: must be at least 8KiB");
  EXPECT_EQ(ErrorOf(Sources({{"REGIE_AUTH_ARGON2_MEMORY", "8KiB"}})), "");
  EXPECT_NE(ErrorOf(Sources({{"REGIE_AUTH_ARGON2_PASSES", "0"}})), "");
  EXPECT_NE(ErrorOf(Sources({{"REGIE_AUTH_MAX_CONCURRENT_HASHES", "0"}})), "");
}

TEST_F(ConfigTest, OverriddenFileValuesAreStillChecked) {
  Write("regie.toml", "[log]\nlevel = \"loud\"\n");
  EXPECT_NE(ErrorOf(Sources({{"REGIE_LOG_LEVEL", "info"}})).find("regie.toml: [log] level"),
            std::string::npos);
}

TEST_F(ConfigTest, RenderThenLoadGivesEqualConfig) {
  Config config;
  config.server.listen = "[::1]:0";
  config.server.data = "/srv/re\"gie\\data\tdir";
  config.http.max_header_bytes = 1500;
  config.http.max_upload_bytes = 3ULL << 30;
  config.http.idle_timeout = milliseconds(250);
  config.http.shutdown_timeout = milliseconds(7'200'000);
  config.http.trusted_proxies = {"10.0.0.0/8", "::1"};
  config.http.access_log = false;
  config.tls = {"cert.pem", "key.pem"};
  config.auth.argon2_passes = 3;
  config.log.level = "trace";
  for (const Config& original : {Config{}, config}) {
    ConfigSources sources;
    sources.file = Write("rendered.toml", RenderConfig(original));
    auto loaded = LoadConfig(sources);
    ASSERT_TRUE(loaded) << loaded.error().detail << "\n" << RenderConfig(original);
    EXPECT_EQ(*loaded, original) << RenderConfig(original);
  }
}

TEST_F(ConfigTest, RenderUsesHumanUnitsAndEveryKey) {
  const std::string text = RenderConfig(Config{});
  EXPECT_NE(text.find("[http]\nmax_header_bytes = \"16KiB\"\n"), std::string::npos) << text;
  EXPECT_NE(text.find("idle_timeout = \"1min\"\n"), std::string::npos) << text;
  EXPECT_NE(text.find("trusted_proxies = []\n"), std::string::npos) << text;
  for (const ConfigKey& k : ConfigSchema()) {
    EXPECT_NE(text.find("\n" + std::string(k.key) + " = "), std::string::npos) << k.key;
  }
}

TEST(ConfigSchema, KeysAreUniqueAndKindsMatchMembers) {
  std::set<std::pair<std::string_view, std::string_view>> seen;
  Config config;
  for (const ConfigKey& k : ConfigSchema()) {
    EXPECT_TRUE(seen.insert({k.section, k.key}).second) << k.key;
    EXPECT_FALSE(k.doc.empty()) << k.key;
    EXPECT_EQ(k.doc.find('|'), std::string_view::npos) << "breaks the docs table: " << k.key;
    const ConfigField field = k.field(config);
    const bool matches =
        (k.kind == config_kind::kString && std::holds_alternative<std::string*>(field)) ||
        ((k.kind == config_kind::kSize || k.kind == config_kind::kInteger) &&
         std::holds_alternative<std::uint64_t*>(field)) ||
        (k.kind == config_kind::kDuration && std::holds_alternative<milliseconds*>(field)) ||
        (k.kind == config_kind::kBool && std::holds_alternative<bool*>(field)) ||
        (k.kind == config_kind::kList && std::holds_alternative<std::vector<std::string>*>(field));
    EXPECT_TRUE(matches) << k.section << "." << k.key << " is not a " << k.kind;
  }
}

TEST(ConfigSchema, EnvNameIsPrefixSectionAndKeyInUpperCase) {
  for (const ConfigKey& k : ConfigSchema()) {
    if (k.section == "http" && k.key == "max_header_bytes") {
      EXPECT_EQ(ConfigEnvName(k), "REGIE_HTTP_MAX_HEADER_BYTES");
    }
  }
  EXPECT_EQ(ConfigEnvName(ConfigSchema().front()), "REGIE_SERVER_LISTEN");
}

std::string ReadDocs() {
  std::ifstream in(std::string(REGIE_SOURCE_DIR) + "/docs/configuration.md");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The rows `| `key` | `default` | meaning |` under each "## [section]" heading.
std::set<std::tuple<std::string, std::string, std::string>> DocumentedKeys(const std::string& md) {
  static const std::regex kHeading(R"(^#+\s+`?\[(\w+)\]`?\s*$)");
  static const std::regex kRow(R"(^\|\s*`([^`]+)`\s*\|\s*`([^`]*)`\s*\|.*\|\s*$)");
  std::set<std::tuple<std::string, std::string, std::string>> keys;
  std::istringstream lines(md);
  std::string line, section;
  std::smatch m;
  while (std::getline(lines, line)) {
    if (line.starts_with("#")) {
      section = std::regex_match(line, m, kHeading) ? m[1].str() : "";
    } else if (!section.empty() && std::regex_match(line, m, kRow)) {
      keys.emplace(section, m[1].str(), m[2].str());
    }
  }
  return keys;
}

TEST(ConfigDocs, EveryKeyIsDocumentedWithItsDefault) {
  const std::string md = ReadDocs();
  ASSERT_FALSE(md.empty()) << "cannot read docs/configuration.md";
  std::set<std::tuple<std::string, std::string, std::string>> schema;
  for (const ConfigKey& k : ConfigSchema()) {
    schema.emplace(std::string(k.section), std::string(k.key), std::string(k.default_text));
  }
  const auto documented = DocumentedKeys(md);
  for (const auto& [section, key, text] : schema) {
    EXPECT_TRUE(documented.count({section, key, text}))
        << "docs/configuration.md lacks the row: [" << section << "] | `" << key << "` | `" << text
        << "` |";
  }
  for (const auto& [section, key, text] : documented) {
    EXPECT_TRUE(schema.count({section, key, text}))
        << "docs/configuration.md has a row the schema lacks: [" << section << "] " << key << " = "
        << text;
  }
}

TEST_F(ConfigTest, DocsExampleLoads) {
  const std::string md = ReadDocs();
  const auto start = md.find("```toml\n");
  ASSERT_NE(start, std::string::npos);
  const auto end = md.find("```", start + 8);
  ConfigSources sources;
  sources.file = Write("example.toml", md.substr(start + 8, end - start - 8));
  auto config = LoadConfig(sources);
  EXPECT_TRUE(config) << config.error().detail;
}

}  // namespace
}  // namespace regie::app
