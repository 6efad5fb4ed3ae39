// The JSON report (docs/audit.md is its schema).
#include <boost/json.hpp>
#include <map>
#include <set>

#include "audit/report.h"

namespace regie::audit {
namespace json = boost::json;
namespace {

json::value OrNull(const std::string& s) {
  if (s.empty()) return nullptr;
  return json::value(s);
}

json::object ErrorJson(const AuditError& e) {
  return {{"kind", ErrorKindName(e.kind)}, {"detail", e.detail}};
}

json::object FindingJson(const Finding& f) {
  json::object o{{"category", f.category},
                 {"provider", f.provider},
                 {"provider_id", f.provider_id},
                 {"jurisdiction", OrNull(f.jurisdiction)},
                 {"evidence", f.evidence},
                 {"why", f.why},
                 {"replacement", OrNull(f.replacement)}};
  if (!f.subcategory.empty()) o["subcategory"] = f.subcategory;
  return o;
}

json::object SummaryJson(const DomainReport& r) {
  std::set<std::string> providers;
  std::map<std::string, int> jurisdictions;
  int outside_eu = 0;
  for (const auto& f : r.findings) {
    providers.insert(f.provider);
    ++jurisdictions[f.jurisdiction.empty() ? "unknown" : f.jurisdiction];
    if (!f.jurisdiction.empty() && f.jurisdiction != "EU") ++outside_eu;
  }
  json::array names(providers.begin(), providers.end());
  json::object by_j;
  for (const auto& [j, n] : jurisdictions) by_j[j] = n;
  return {{"findings", r.findings.size()},
          {"providers", std::move(names)},
          {"jurisdictions", std::move(by_j)},
          {"findings_outside_eu", outside_eu},
          {"dnssec", DnssecStatusName(r.dnssec)}};
}

json::array RowsJson(const std::vector<ShareRow>& rows, bool providers) {
  json::array out;
  for (const auto& row : rows) {
    json::object o{{providers ? "provider" : "jurisdiction", row.key},
                   {"domains", row.domains},
                   {"share", row.share}};
    if (providers) o["jurisdiction"] = OrNull(row.jurisdiction);
    out.push_back(std::move(o));
  }
  return out;
}

json::object SectorJson(const SectorSummary& s) {
  json::object categories;
  for (const auto& c : s.categories) {
    categories[c.category] = json::object{{"providers", RowsJson(c.providers, true)},
                                          {"jurisdictions", RowsJson(c.jurisdictions, false)}};
  }
  return {{"domains", s.domains},
          {"audited", s.audited},
          {"failed", s.failed},
          {"categories", std::move(categories)},
          {"chart_svg", RenderSectorSvg(s)}};
}

}  // namespace

json::object DomainJson(const DomainReport& r) {
  json::object o{{"domain", r.domain}};
  if (!r.name.empty()) o["name"] = r.name;
  if (!r.sector.empty()) o["category"] = r.sector;
  if (r.error) o["error"] = ErrorJson(*r.error);
  json::object dnssec{{"status", DnssecStatusName(r.dnssec)}};
  if (!r.dnssec_detail.empty()) dnssec["detail"] = r.dnssec_detail;
  o["dnssec"] = std::move(dnssec);
  json::array findings, warnings;
  for (const auto& f : r.findings) findings.push_back(FindingJson(f));
  for (const auto& w : r.warnings) warnings.push_back({{"kind", w.kind}, {"evidence", w.evidence}});
  o["findings"] = std::move(findings);
  o["warnings"] = std::move(warnings);
  o["mail"] = json::object{{"mx", json::array(r.mail.mx.begin(), r.mail.mx.end())},
                           {"spf", OrNull(r.mail.spf)},
                           {"dmarc", OrNull(r.mail.dmarc)},
                           {"dmarc_policy", OrNull(r.mail.dmarc_policy)},
                           {"mta_sts", r.mail.mta_sts}};
  if (r.web) {
    json::object web{{"url", r.web->url}, {"status", r.web->status}};
    if (r.web->error) web["error"] = ErrorJson(*r.web->error);
    o["web"] = std::move(web);
  }
  o["summary"] = SummaryJson(r);
  return o;
}

std::string RenderJson(const std::vector<DomainReport>& reports, const RuleSet& rules,
                       ReportShape shape) {
  if (shape == ReportShape::kSingle && reports.size() == 1) {
    json::object o = DomainJson(reports.front());
    o["rules_version"] = rules.version();
    return json::serialize(o) + "\n";
  }
  json::array domains;
  for (const auto& r : reports) domains.push_back(DomainJson(r));
  json::object o{{"domains", std::move(domains)},
                 {"sector", SectorJson(Summarise(reports))},
                 {"rules_version", rules.version()}};
  return json::serialize(o) + "\n";
}

}  // namespace regie::audit
