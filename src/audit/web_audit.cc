#include "audit/web_audit.h"

#include <arpa/inet.h>
#include <fmt/core.h>

#include <boost/url.hpp>
#include <cstring>
#include <thread>

#include "audit/html_resources.h"
#include "net/http_client.h"

namespace regie::audit {
namespace {

bool InV4(std::uint32_t a, const char* net, int bits) {
  in_addr n{};
  inet_pton(AF_INET, net, &n);
  const std::uint32_t mask = bits == 0 ? 0 : ~std::uint32_t{0} << (32 - bits);
  return (a & mask) == (ntohl(n.s_addr) & mask);
}

bool PublicV4(std::uint32_t a) {
  static constexpr std::pair<const char*, int> kSpecial[] = {
      {"0.0.0.0", 8},      {"10.0.0.0", 8},    {"100.64.0.0", 10},   {"127.0.0.0", 8},
      {"169.254.0.0", 16}, {"172.16.0.0", 12}, {"192.0.0.0", 24},    {"192.0.2.0", 24},
      {"192.168.0.0", 16}, {"198.18.0.0", 15}, {"198.51.100.0", 24}, {"203.0.113.0", 24},
      {"224.0.0.0", 4},    {"240.0.0.0", 4}};
  for (const auto& [net, bits] : kSpecial) {
    if (InV4(a, net, bits)) return false;
  }
  return true;
}

bool PublicV6(const unsigned char* b) {
  static constexpr unsigned char kZero[16] = {};
  if (std::memcmp(b, kZero, 15) == 0 && (b[15] == 0 || b[15] == 1)) return false;  // :: and ::1
  // ::ffff:a.b.c.d and the NAT64 prefix 64:ff9b::/96 carry an IPv4 address: judge that.
  static constexpr unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  static constexpr unsigned char kNat64[12] = {0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
  if (std::memcmp(b, kMapped, 12) == 0 || std::memcmp(b, kNat64, 12) == 0) {
    return PublicV4((std::uint32_t{b[12]} << 24) | (b[13] << 16) | (b[14] << 8) | b[15]);
  }
  if ((b[0] & 0xfe) == 0xfc) return false;                  // fc00::/7 unique local
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return false;  // fe80::/10 link-local
  if (b[0] == 0xff) return false;                           // multicast
  if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) return false;  // 2001:db8::/32
  if (b[0] == 0x01 && b[1] == 0 && std::memcmp(b + 2, kZero, 6) == 0) return false;  // 100::/64
  return true;
}

std::optional<AuditError> FromFetch(const net::HttpGetError& e) {
  switch (e.kind) {
    case net::HttpGetErrc::kConnect:
      return AuditError{ErrorKind::kConnect, e.detail};
    case net::HttpGetErrc::kTimeout:
      return AuditError{ErrorKind::kTimeout, e.detail};
    case net::HttpGetErrc::kTls:
      return AuditError{ErrorKind::kTls, e.detail};
    case net::HttpGetErrc::kProtocol:  // A malformed answer, and one too large to read, are
    case net::HttpGetErrc::kTooLarge:  // both a page that cannot be audited.
      return AuditError{ErrorKind::kInvalid, e.detail};
  }
  return AuditError{ErrorKind::kInvalid, e.detail};
}

// The first address of `host`, IPv4 first (the loopback-only test network has no IPv6 route).
tl::expected<std::string, AuditError> AddressOf(const std::string& host, DnsResolver& resolver) {
  auto answers = resolver.ResolveAll({{host, RrType::kA}, {host, RrType::kAaaa}});
  for (const auto& a : answers) {
    if (a.status == DnsStatus::kOk && !a.records.empty()) return a.records.front();
  }
  const auto& a = answers.front();
  const ErrorKind kind = a.status == DnsStatus::kNxdomain  ? ErrorKind::kNxdomain
                         : a.status == DnsStatus::kTimeout ? ErrorKind::kTimeout
                                                           : ErrorKind::kServfail;
  return tl::unexpected<AuditError>(AuditError{kind, "no address for " + host});
}

struct Step {
  std::optional<net::HttpGetResponse> response;
  std::optional<AuditError> error;
  bool connect_failed = false;
  bool no_address = false;
};

Step FetchOnce(const boost::urls::url& url, DnsResolver& resolver, const WebOptions& options,
               HostPacer* pacer) {
  const std::string host = Lower(url.encoded_host());
  auto address = AddressOf(host, resolver);
  if (!address) return {std::nullopt, address.error(), false, true};
  if (options.private_addresses == PrivateAddresses::kRefuse && !IsPublicAddress(*address)) {
    return {std::nullopt,
            AuditError{ErrorKind::kInvalid,
                       fmt::format("refused: {} is at {}, not a public address", host, *address)},
            false, false};
  }
  if (pacer) pacer->Wait(*address);
  net::HttpGetRequest req;
  req.address = *address;
  req.tls = url.scheme() == "https";
  req.port = url.has_port() ? url.port_number() : (req.tls ? 443 : 80);
  req.host = host;
  req.target = url.encoded_resource().empty() ? "/" : std::string(url.encoded_resource());
  req.timeout = options.timeout;
  req.max_body_bytes = options.max_page_bytes;
  req.user_agent = options.user_agent;
  auto got = net::HttpGet(req);
  if (!got)
    return {std::nullopt, FromFetch(got.error()), got.error().kind == net::HttpGetErrc::kConnect,
            false};
  return {std::move(*got), std::nullopt, false, false};
}

}  // namespace

void HostPacer::Wait(const std::string& address) {
  std::chrono::steady_clock::time_point at;
  {
    std::lock_guard lock(mu_);
    const auto now = std::chrono::steady_clock::now();
    auto& next = next_[address];
    at = std::max(now, next);
    next = at + interval_;
  }
  std::this_thread::sleep_until(at);
}

bool IsPublicAddress(const std::string& address) {
  in_addr v4{};
  if (inet_pton(AF_INET, address.c_str(), &v4) == 1) return PublicV4(ntohl(v4.s_addr));
  in6_addr v6{};
  if (inet_pton(AF_INET6, address.c_str(), &v6) == 1) return PublicV6(v6.s6_addr);
  return false;
}

WebResult AuditHomePage(const std::string& domain, DnsResolver& resolver, const WebOptions& options,
                        HostPacer* pacer) {
  WebResult out;
  boost::urls::url url("https://" + domain + "/");
  bool tried_http = false, tried_www = false;
  for (int hop = 0;; ++hop) {
    out.outcome.url = std::string(url.buffer());
    Step step = FetchOnce(url, resolver, options, pacer);
    // Many sites live at www only, with no address at the apex.
    if (step.no_address && hop == 0 && !tried_www) {
      tried_www = true;
      url.set_host("www." + domain);
      --hop;
      continue;
    }
    // Sites without TLS still exist; only when nothing listens on 443 does http stand in.
    if (step.connect_failed && hop == 0 && !tried_http) {
      tried_http = true;
      url.set_scheme("http");
      --hop;
      continue;
    }
    if (step.error) {
      out.outcome.error = step.error;
      return out;
    }
    const auto& res = *step.response;
    out.outcome.status = res.status;
    if (res.status >= 300 && res.status < 400 && !res.location.empty()) {
      if (hop >= options.max_redirects) {
        out.outcome.error = AuditError{
            ErrorKind::kInvalid, fmt::format("more than {} redirects", options.max_redirects)};
        return out;
      }
      auto ref = boost::urls::parse_uri_reference(res.location);
      boost::urls::url next;
      if (!ref || !boost::urls::resolve(url, *ref, next) ||
          (next.scheme() != "http" && next.scheme() != "https")) {
        out.outcome.error = AuditError{ErrorKind::kInvalid, "bad redirect: " + res.location};
        return out;
      }
      url = next;
      continue;
    }
    for (auto& r : ThirdPartyResources(res.body, out.outcome.url, domain)) {
      out.observations.push_back(Observation{Signal::kWebResource, r.url, r.host, 0, r.url});
    }
    return out;
  }
}

}  // namespace regie::audit
