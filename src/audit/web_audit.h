// The website signal: fetch a domain's home page (https, falling back to http when nothing
// listens on 443), following a limited number of redirects, and list the third-party resources
// it loads. Names are resolved through the audit's DnsResolver; addresses that are private,
// loopback, link-local or otherwise not public are refused unless allowed, so that the audit can
// never be turned against internal hosts. Blocks; thread-safe apart from the resolver, which
// belongs to the calling thread.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "audit/dns_resolver.h"
#include "audit/finding.h"
#include "audit/rules.h"

namespace regie::audit {

enum class PrivateAddresses { kRefuse, kAllow };

struct WebOptions {
  std::chrono::milliseconds timeout{10000};  // Per request.
  int max_redirects = 5;
  PrivateAddresses private_addresses = PrivateAddresses::kRefuse;
  std::size_t max_page_bytes = 2 << 20;
  std::string user_agent;
};

// Spaces requests to one address by at least `interval`, across threads (per-host pacing in a
// batch, where many domains share a hosting provider).
class HostPacer {
 public:
  explicit HostPacer(std::chrono::milliseconds interval) : interval_(interval) {}
  // Blocks until the address may be contacted again.
  void Wait(const std::string& address);

 private:
  std::chrono::milliseconds interval_;
  std::mutex mu_;
  std::map<std::string, std::chrono::steady_clock::time_point> next_;
};

struct WebResult {
  WebOutcome outcome;
  std::vector<Observation> observations;  // One kWebResource per third-party host.
};

WebResult AuditHomePage(const std::string& domain, DnsResolver& resolver, const WebOptions& options,
                        HostPacer* pacer);

// False for loopback, private (RFC 1918, RFC 4193), link-local, CGNAT (RFC 6598), unspecified,
// multicast, documentation and other special-purpose addresses (RFC 6890), and for non-IPs.
bool IsPublicAddress(const std::string& address);

}  // namespace regie::audit
