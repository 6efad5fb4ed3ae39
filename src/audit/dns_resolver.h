// DNS lookups for the audit through libunbound, which also validates DNSSEC. One resolver per
// thread: a DnsResolver is not thread-safe, but several may run side by side. ResolveAll()
// blocks until every query has an answer or the deadline has passed.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "base/result.h"

struct ub_ctx;

namespace regie::audit {

enum class RrType : int {
  kA = 1,
  kNs = 2,
  kCname = 5,
  kSoa = 6,
  kMx = 15,
  kTxt = 16,
  kAaaa = 28,
  kSrv = 33,
};
const char* RrTypeName(RrType type);

enum class DnsStatus { kOk, kNoData, kNxdomain, kServfail, kTimeout };

struct DnsQuery {
  std::string name;
  RrType type = RrType::kA;
};

struct DnsAnswer {
  DnsStatus status = DnsStatus::kTimeout;
  // Presentation form of each record's data: "10 mx.example.org" (MX), the concatenated
  // character-strings (TXT), "192.0.2.1" (A), host names lowercase without the final dot.
  std::vector<std::string> records;
  std::string canonical;  // The name after CNAMEs, when it differs from the query's.
  bool secure = false;    // Validated by DNSSEC.
  bool bogus = false;     // DNSSEC validation failed; why_bogus says why.
  std::string why_bogus;
  std::string detail;  // For kServfail and kTimeout: a one-line reason.
};

struct DnsOptions {
  std::string resolver;  // "HOST:PORT" or "HOST" ("[v6]:PORT"); empty: /etc/resolv.conf
  // Zone-file DS or DNSKEY records. Empty: the root key of dns-root-data, when installed.
  std::vector<std::filesystem::path> trust_anchors;
  std::chrono::milliseconds timeout{10000};  // For one ResolveAll().
};

class DnsResolver {
 public:
  // Fails (Errc::kInvalidInput) on a malformed resolver address or unreadable trust anchor.
  static Result<std::unique_ptr<DnsResolver>> Create(const DnsOptions& options);
  ~DnsResolver();
  DnsResolver(const DnsResolver&) = delete;
  DnsResolver& operator=(const DnsResolver&) = delete;

  // Sends every query at once and returns the answers in the queries' order.
  std::vector<DnsAnswer> ResolveAll(const std::vector<DnsQuery>& queries);
  DnsAnswer Resolve(const DnsQuery& query) { return ResolveAll({query}).front(); }

 private:
  DnsResolver(ub_ctx* ctx, std::chrono::milliseconds timeout) : ctx_(ctx), timeout_(timeout) {}
  ub_ctx* ctx_;
  std::chrono::milliseconds timeout_;
};

// "HOST:PORT" → unbound's "HOST@PORT"; nullopt-like failure for a malformed address.
Result<std::string> UnboundAddress(const std::string& host_port);

}  // namespace regie::audit
