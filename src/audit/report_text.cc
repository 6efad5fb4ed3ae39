// The terminal report: one block per domain, then the sector summary for several domains.
#include <fmt/core.h>

#include "audit/report.h"

namespace regie::audit {
namespace {

std::string Jurisdiction(const std::string& j) { return j.empty() ? "?" : j; }

void DomainText(const DomainReport& r, std::string& out) {
  out += fmt::format("{}{}\n", r.domain, r.name.empty() ? "" : " (" + r.name + ")");
  if (r.error) {
    out += fmt::format("  error: {}: {}\n", ErrorKindName(r.error->kind), r.error->detail);
  }
  out += fmt::format("  dnssec: {}{}\n", DnssecStatusName(r.dnssec),
                     r.dnssec_detail.empty() ? "" : " (" + r.dnssec_detail + ")");
  if (r.error) return;
  out += fmt::format("  dmarc: {}   mta-sts: {}\n",
                     r.mail.dmarc_policy.empty() ? "none" : "p=" + r.mail.dmarc_policy,
                     r.mail.mta_sts ? "yes" : "no");
  for (const auto& f : r.findings) {
    out += fmt::format("  [{}{}] {} ({})\n", f.category,
                       f.subcategory.empty() ? "" : "/" + f.subcategory, f.provider,
                       Jurisdiction(f.jurisdiction));
    out += fmt::format("      evidence: {}\n", f.evidence);
    if (!f.why.empty()) out += fmt::format("      why: {}\n", f.why);
    if (!f.replacement.empty()) out += fmt::format("      replace: {}\n", f.replacement);
  }
  for (const auto& w : r.warnings) out += fmt::format("  warning: {}: {}\n", w.kind, w.evidence);
  if (r.web) {
    if (r.web->error) {
      out += fmt::format("  web: {}: {}: {}\n", r.web->url, ErrorKindName(r.web->error->kind),
                         r.web->error->detail);
    } else {
      out += fmt::format("  web: {} (HTTP {})\n", r.web->url, r.web->status);
    }
  }
}

}  // namespace

std::string RenderText(const std::vector<DomainReport>& reports, const RuleSet& rules,
                       ReportShape shape) {
  std::string out;
  for (const auto& r : reports) {
    DomainText(r, out);
    out += "\n";
  }
  if (shape == ReportShape::kMany || reports.size() > 1) {
    const SectorSummary s = Summarise(reports);
    out +=
        fmt::format("sector: {} domains, {} audited, {} failed\n", s.domains, s.audited, s.failed);
    for (const auto& c : s.categories) {
      out += fmt::format("  {}\n", c.category);
      for (const auto& row : c.providers) {
        out += fmt::format("    {:>5.1f}%  {:>4}  {} ({})\n", row.share * 100, row.domains, row.key,
                           row.key == "none" ? "-" : Jurisdiction(row.jurisdiction));
      }
    }
  }
  out += fmt::format("rules: {}\n", rules.version());
  return out;
}

}  // namespace regie::audit
