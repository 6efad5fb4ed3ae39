// The audit of one domain: the DNS signals (mail, verification records, SaaS CNAMEs, name
// servers, the networks of the apex, www and the MX hosts, DNSSEC) and optionally the home page,
// matched against the rules. Blocks on DNS and HTTP; one DomainAuditor per thread (it uses that
// thread's DnsResolver); the RuleSet and HostPacer may be shared.
#pragma once

#include <optional>

#include "audit/batch_csv.h"
#include "audit/dns_resolver.h"
#include "audit/finding.h"
#include "audit/rules.h"
#include "audit/web_audit.h"

namespace regie::audit {

enum class WebFetch { kSkip, kFetch };

struct AuditOptions {
  WebFetch web = WebFetch::kFetch;
  WebOptions web_options;
};

class DomainAuditor {
 public:
  DomainAuditor(const RuleSet& rules, DnsResolver& resolver, AuditOptions options, HostPacer* pacer)
      : rules_(rules), resolver_(resolver), options_(std::move(options)), pacer_(pacer) {}

  // Never fails as a whole: a domain that cannot be audited carries report.error.
  DomainReport Audit(const BatchEntry& entry);

 private:
  const RuleSet& rules_;
  DnsResolver& resolver_;
  AuditOptions options_;
  HostPacer* pacer_;
};

// The origin ASNs of a Team Cymru TXT answer ("15169 | 8.8.8.0/24 | US | arin | 1992-12-01";
// the first field may list several ASNs separated by spaces). Pure.
std::vector<std::uint32_t> ParseCymruOrigin(const std::string& txt);
// The name to ask for the origin of an address: 1.2.0.192.origin.asn.cymru.com, or the
// reversed nibbles of an IPv6 address under origin6.asn.cymru.com. Empty for a non-address.
std::string CymruQueryName(const std::string& address);

}  // namespace regie::audit
