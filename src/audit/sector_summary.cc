#include <algorithm>
#include <map>
#include <set>

#include "audit/report.h"

namespace regie::audit {
namespace {

// The documented order (docs/audit.md); categories the rules add come after, by name.
constexpr const char* kCategoryOrder[] = {"mail",     "dns",          "hosting", "web-third-party",
                                          "identity", "collaboration"};

int CategoryRank(const std::string& c) {
  for (int i = 0; const char* known : kCategoryOrder) {
    if (c == known) return i;
    ++i;
  }
  return static_cast<int>(std::size(kCategoryOrder));
}

std::vector<ShareRow> Rows(const std::map<std::string, std::pair<std::string, int>>& counts,
                           int none, int audited) {
  std::vector<ShareRow> rows;
  rows.reserve(counts.size() + 1);
  for (const auto& [key, v] : counts) rows.push_back({key, v.first, v.second, 0});
  if (none > 0) rows.push_back({"none", "", none, 0});
  for (auto& r : rows) r.share = audited ? static_cast<double>(r.domains) / audited : 0;
  std::stable_sort(rows.begin(), rows.end(),
                   [](const ShareRow& a, const ShareRow& b) { return a.domains > b.domains; });
  return rows;
}

}  // namespace

SectorSummary Summarise(const std::vector<DomainReport>& reports) {
  SectorSummary out;
  out.domains = static_cast<int>(reports.size());
  struct Counts {
    std::map<std::string, std::pair<std::string, int>> providers, jurisdictions;
    int domains_with_any = 0;
  };
  std::map<std::string, Counts> by_category;
  for (const auto& r : reports) {
    if (r.error) {
      ++out.failed;
      continue;
    }
    ++out.audited;
    std::map<std::string, std::pair<std::set<std::string>, std::set<std::string>>> seen;
    for (const auto& f : r.findings) {
      auto& [providers, jurisdictions] = seen[f.category];
      auto& counts = by_category[f.category];
      if (providers.insert(f.provider).second) {
        counts.providers[f.provider].first = f.jurisdiction;
        ++counts.providers[f.provider].second;
      }
      const std::string j = f.jurisdiction.empty() ? "unknown" : f.jurisdiction;
      if (jurisdictions.insert(j).second) ++counts.jurisdictions[j].second;
    }
    for (const auto& [category, sets] : seen) ++by_category[category].domains_with_any;
  }
  for (const auto& [category, counts] : by_category) {
    const int none = out.audited - counts.domains_with_any;
    out.categories.push_back({category, Rows(counts.providers, none, out.audited),
                              Rows(counts.jurisdictions, none, out.audited)});
  }
  std::stable_sort(out.categories.begin(), out.categories.end(),
                   [](const CategorySummary& a, const CategorySummary& b) {
                     return CategoryRank(a.category) < CategoryRank(b.category);
                   });
  return out;
}

}  // namespace regie::audit
