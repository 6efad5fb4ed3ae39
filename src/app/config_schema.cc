// The schema table: every configuration key, its member, its documentation and its check.
// config.cc reads and writes values through it; nothing else names a key.
#include "app/config.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <deque>
#include <iterator>
#include <string>
#include <system_error>

namespace regie::app {
namespace {

using namespace config_kind;  // NOLINT(google-build-using-namespace): the table reads better.

// Checks: each returns why the member is invalid, or "" when it is valid.

bool IsIpAddress(const std::string& text, int family) {
  unsigned char buf[16];
  return inet_pton(family, text.c_str(), buf) == 1;
}

bool IsPort(std::string_view text) {
  unsigned port = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
  return ec == std::errc() && end == text.data() + text.size() && !text.empty() && port <= 65535;
}

std::string CheckListen(const Config& c) {
  const std::string& s = c.server.listen;
  std::string why =
      "invalid address '" + s + "' (expected HOST:PORT, e.g. 127.0.0.1:8080 or [::1]:8080)";
  const auto colon = s.rfind(':');
  if (colon == std::string::npos || !IsPort(std::string_view(s).substr(colon + 1))) return why;
  const std::string host = s.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    return IsIpAddress(host.substr(1, host.size() - 2), AF_INET6) ? "" : why;
  }
  const bool plain = !host.empty() && std::all_of(host.begin(), host.end(), [](char ch) {
    return std::isalnum(static_cast<unsigned char>(ch)) || ch == '.' || ch == '-' || ch == '_';
  });
  return plain ? "" : why;
}

std::string CheckInlineBlobBytes(const Config& c) {
  return c.server.inline_blob_bytes <= 64 * 1024ULL ? "" : "must be at most 64KiB";
}

std::string CheckProxies(const Config& c) {
  for (const std::string& entry : c.http.trusted_proxies) {
    const auto slash = entry.find('/');
    const std::string addr = entry.substr(0, slash);
    const int family = addr.find(':') == std::string::npos ? AF_INET : AF_INET6;
    unsigned bits = 0;
    const std::string_view prefix =
        slash == std::string::npos ? "0" : std::string_view(entry).substr(slash + 1);
    const auto [end, ec] = std::from_chars(prefix.data(), prefix.data() + prefix.size(), bits);
    const bool prefix_ok = ec == std::errc() && end == prefix.data() + prefix.size() &&
                           bits <= (family == AF_INET ? 32u : 128u);
    if (!IsIpAddress(addr, family) || !prefix_ok) {
      return "invalid address or CIDR range '" + entry + "' (use e.g. 10.0.0.1, 10.0.0.0/8, ::1)";
    }
  }
  return "";
}

std::string CheckLevel(const Config& c) {
  static constexpr std::string_view kLevels[] = {"trace", "debug", "info", "warn", "error"};
  if (std::find(std::begin(kLevels), std::end(kLevels), c.log.level) != std::end(kLevels)) {
    return "";
  }
  return "invalid level '" + c.log.level + "' (use trace, debug, info, warn or error)";
}

std::string CheckSessionTimes(const Config& c) {
  if (c.session.idle_timeout < std::chrono::seconds(1) ||
      c.session.max_lifetime < std::chrono::seconds(1)) {
    return "must be at least 1s";
  }
  return "";
}

std::string CheckArgon2Memory(const Config& c) {
  return c.auth.argon2_memory >= 8 * 1024ULL ? "" : "must be at least 8KiB";
}
std::string CheckArgon2Passes(const Config& c) {
  return c.auth.argon2_passes >= 1 ? "" : "must be at least 1";
}
std::string CheckConcurrentHashes(const Config& c) {
  return c.auth.max_concurrent_hashes >= 1 ? "" : "must be at least 1";
}

// The schema. REGIE_FIELD takes the member's own name, so a key and its member cannot drift.

ConfigKey Key(std::string_view section, std::string_view key, ConfigField (*field)(Config&),
              std::string_view kind, std::string_view doc,
              std::string (*check)(const Config&) = nullptr) {
  return ConfigKey{section, key, kind, /*default_text=*/{}, doc, field, check};
}

// clang-format off
#define REGIE_FIELD(section, name) \
  #section, #name, [](Config& c) -> ConfigField { return &c.section.name; }
// clang-format on

std::vector<ConfigKey> MakeKeys() {
  return {
      Key(REGIE_FIELD(server, listen), kString,
          "Address to listen on: HOST:PORT, IPv6 as [::1]:8080; port 0 picks a free port.",
          CheckListen),
      Key(REGIE_FIELD(server, data), kString, "Directory for the database and stored content."),
      Key(REGIE_FIELD(server, threads), kInteger, "I/O threads; 0 means one per available core."),
      Key(REGIE_FIELD(server, open_blob_cache), kInteger,
          "Recently read blob files kept open, so small reads skip open(); 0 disables."),
      Key(REGIE_FIELD(server, inline_blob_bytes), kSize,
          "Files up to this size are stored in the database with their metadata (one fsync per "
          "upload, no file); at most 64KiB, 0 stores every file as a blob file.",
          CheckInlineBlobBytes),
      Key(REGIE_FIELD(server, read_cache_bytes), kSize,
          "Memory for what GETs read (the caller, the path, a small file's bytes), kept until "
          "the next write to the store, so that a GET of an unchanged file reads nothing from "
          "the database; 0 disables."),
      Key(REGIE_FIELD(server, scrub_interval), kDuration,
          "How often `serve` re-reads every blob and verifies its SHA-256 (as `regie scrub` "
          "does), counted from the last scrub; 0 never."),
      Key(REGIE_FIELD(http, max_header_bytes), kSize,
          "Largest request header block; larger requests get 431."),
      Key(REGIE_FIELD(http, max_uri_bytes), kSize,
          "Longest request target; longer requests get 414."),
      Key(REGIE_FIELD(http, max_xml_body_bytes), kSize,
          "Largest XML request body (PROPFIND, REPORT, ...); larger get 413."),
      Key(REGIE_FIELD(http, max_upload_bytes), kSize,
          "Largest uploaded file; 0 means bounded only by the owner's quota."),
      Key(REGIE_FIELD(http, idle_timeout), kDuration,
          "How long a keep-alive connection may wait for its next request."),
      Key(REGIE_FIELD(http, read_timeout), kDuration,
          "How long reading one request's header or body may stall."),
      Key(REGIE_FIELD(http, shutdown_timeout), kDuration,
          "How long shutdown waits for requests in flight before closing them."),
      Key(REGIE_FIELD(http, drain_delay), kDuration,
          "After SIGTERM, keep serving this long while /readyz answers 503 (for load balancers)."),
      Key(REGIE_FIELD(http, max_connections), kInteger,
          "Most simultaneous client connections; more are refused."),
      Key(REGIE_FIELD(http, trusted_proxies), kList,
          "Reverse proxies (addresses or CIDR ranges) whose X-Forwarded-For is believed.",
          CheckProxies),
      Key(REGIE_FIELD(http, allow_basic_over_http), kBool,
          "Accept Basic auth over plain HTTP from non-loopback peers."),
      Key(REGIE_FIELD(http, access_log), kBool, "Log one line per request."),
      Key(REGIE_FIELD(http, metrics_public), kBool, "Serve /metrics to non-loopback peers too."),
      Key(REGIE_FIELD(dav, allow_propfind_infinity), kBool,
          "Answer PROPFIND with Depth: infinity (whole trees in one response); else 403."),
      Key(REGIE_FIELD(dav, max_xml_depth), kInteger,
          "Deepest element nesting accepted in XML request bodies; deeper get 400."),
      Key(REGIE_FIELD(dav, lock_timeout), kDuration,
          "Lifetime of a WebDAV lock whose client asks for none."),
      Key(REGIE_FIELD(dav, max_lock_timeout), kDuration,
          "Longest lifetime a WebDAV lock may have; longer requests are shortened."),
      Key(REGIE_FIELD(dav, max_zip_index_bytes), kSize,
          "Largest index of a folder downloaded as zip (about 130 bytes per entry); larger "
          "folders get 413."),
      Key(REGIE_FIELD(groupware, max_resource_size), kSize,
          "Largest calendar object or vCard; larger PUTs get 413 with max-resource-size."),
      Key(REGIE_FIELD(groupware, max_collections), kInteger,
          "Most calendars (and most address books) one user may have."),
      Key(REGIE_FIELD(groupware, max_instances), kInteger,
          "Most instances one expansion of a recurring event yields; rules without end stop "
          "there."),
      Key(REGIE_FIELD(groupware, index_horizon), kDuration,
          "How far ahead recurring events are indexed; later queries read the events themselves."),
      Key(REGIE_FIELD(groupware, max_results), kInteger,
          "Most objects one calendar or address book query or sync report returns."),
      Key(REGIE_FIELD(tls, cert), kString,
          "PEM certificate chain file; with key set, Regie serves HTTPS."),
      Key(REGIE_FIELD(tls, key), kString, "PEM private key file for cert."),
      Key(REGIE_FIELD(auth, argon2_memory), kSize,
          "Memory per Argon2id password hash (at least 8KiB).", CheckArgon2Memory),
      Key(REGIE_FIELD(auth, argon2_passes), kInteger, "Argon2id passes (at least 1).",
          CheckArgon2Passes),
      Key(REGIE_FIELD(auth, max_concurrent_hashes), kInteger,
          "Password hashes computed at once; more wait (at least 1).", CheckConcurrentHashes),
      Key(REGIE_FIELD(auth, cache_ttl), kDuration,
          "How long a verified password is remembered, sparing a hash."),
      Key(REGIE_FIELD(auth, cache_entries), kInteger, "Most verified passwords remembered."),
      Key(REGIE_FIELD(auth, account_failures), kInteger,
          "Failed logins per account within failure_window before it is throttled."),
      Key(REGIE_FIELD(auth, address_failures), kInteger,
          "Failed logins per client address within failure_window before throttling."),
      Key(REGIE_FIELD(auth, failure_window), kDuration, "Window over which failures are counted."),
      Key(REGIE_FIELD(session, idle_timeout), kDuration,
          "A web workplace sign-in ends after this long without a request.", CheckSessionTimes),
      Key(REGIE_FIELD(session, max_lifetime), kDuration,
          "A web workplace sign-in ends this long after it began, whatever happens.",
          CheckSessionTimes),
      Key(REGIE_FIELD(web, root), kString,
          "Folder of the built web workplace (web/dist); empty: share/regie/web beside the "
          "binary."),
      Key(REGIE_FIELD(log, level), kString,
          "Least severe level logged: trace, debug, info, warn or error.", CheckLevel),
  };
}

#undef REGIE_FIELD

}  // namespace

const std::vector<ConfigKey>& ConfigSchema() {
  // Leaked on purpose (no non-trivial static destructors); default_text views point into
  // `kTexts`, which never changes after it is filled here.
  static std::deque<std::string>* const kTexts = new std::deque<std::string>;
  static const std::vector<ConfigKey>* const kSchema = [] {
    auto* keys = new std::vector<ConfigKey>(MakeKeys());
    Config defaults;
    for (ConfigKey& k : *keys) k.default_text = kTexts->emplace_back(ConfigValueText(k, defaults));
    return keys;
  }();
  return *kSchema;
}

}  // namespace regie::app
