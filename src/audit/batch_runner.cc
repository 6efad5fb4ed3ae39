#include "audit/batch_runner.h"

#include <algorithm>
#include <atomic>
#include <thread>

namespace regie::audit {

Result<std::vector<DomainReport>> AuditAll(const RuleSet& rules,
                                           const std::vector<BatchEntry>& entries,
                                           const RunOptions& options) {
  const std::size_t workers =
      std::clamp<std::size_t>(static_cast<std::size_t>(std::max(options.concurrency, 1)), 1,
                              std::max<std::size_t>(entries.size(), 1));
  std::vector<std::unique_ptr<DnsResolver>> resolvers;
  for (std::size_t i = 0; i < workers; ++i) {
    auto resolver = DnsResolver::Create(options.dns);
    if (!resolver) return Fail(resolver.error());
    resolvers.push_back(std::move(*resolver));
  }
  HostPacer pacer(options.pace);
  std::vector<DomainReport> reports(entries.size());
  std::atomic<std::size_t> next{0};
  auto work = [&](DnsResolver* resolver) {
    DomainAuditor auditor(rules, *resolver, options.audit, &pacer);
    for (std::size_t i; (i = next.fetch_add(1)) < entries.size();) {
      reports[i] = auditor.Audit(entries[i]);
    }
  };
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < workers; ++i) threads.emplace_back(work, resolvers[i].get());
  work(resolvers[0].get());
  for (auto& t : threads) t.join();
  return reports;
}

}  // namespace regie::audit
