// Runs the audit of many domains on `concurrency` threads, each with its own DnsResolver and
// DomainAuditor, sharing the rules and the per-host pacer. Blocks until every domain is done;
// one domain's failure never stops the others.
#pragma once

#include <vector>

#include "audit/batch_csv.h"
#include "audit/dns_resolver.h"
#include "audit/domain_audit.h"
#include "audit/finding.h"
#include "audit/rules.h"

namespace regie::audit {

struct RunOptions {
  DnsOptions dns;
  AuditOptions audit;
  int concurrency = 16;
  std::chrono::milliseconds pace{200};  // Between two requests to one web server address.
};

// The reports in the order of `entries`. Fails only when a resolver cannot be made (a malformed
// --resolver or unreadable --trust-anchor: Errc::kInvalidInput).
Result<std::vector<DomainReport>> AuditAll(const RuleSet& rules,
                                           const std::vector<BatchEntry>& entries,
                                           const RunOptions& options);

}  // namespace regie::audit
