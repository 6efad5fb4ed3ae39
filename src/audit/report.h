// Reports of an audit: the sector summary of a batch, and the terminal, JSON (schema in
// docs/audit.md) and self-contained HTML renderings. Pure functions of the reports; no I/O.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "audit/finding.h"
#include "audit/rules.h"

namespace regie::audit {

struct ShareRow {
  std::string key;           // Provider name or jurisdiction; "none" for domains without any.
  std::string jurisdiction;  // For provider rows; empty when unknown.
  int domains = 0;
  double share = 0;  // domains / audited domains
};

struct CategorySummary {
  std::string category;
  std::vector<ShareRow> providers;      // Most domains first, then by name.
  std::vector<ShareRow> jurisdictions;  // Same order.
};

struct SectorSummary {
  int domains = 0;
  int audited = 0;  // Without an error.
  int failed = 0;
  std::vector<CategorySummary> categories;  // In the documented category order.
};

// Per category, the share of audited domains on each provider and jurisdiction. A domain counts
// once per provider (and jurisdiction) per category however many findings show it.
SectorSummary Summarise(const std::vector<DomainReport>& reports);

enum class ReportShape { kSingle, kMany };  // One domain object, or {"domains", "sector", ...}.

std::string RenderJson(const std::vector<DomainReport>& reports, const RuleSet& rules,
                       ReportShape shape);
std::string RenderText(const std::vector<DomainReport>& reports, const RuleSet& rules,
                       ReportShape shape);
// A page with inline CSS and SVG only: no external src or href.
std::string RenderHtml(const std::vector<DomainReport>& reports, const RuleSet& rules,
                       ReportShape shape);
// One domain as a JSON object (docs/audit.md).
boost::json::object DomainJson(const DomainReport& report);
// The sector summary as an SVG of stacked bars: per category, the share of each jurisdiction.
std::string RenderSectorSvg(const SectorSummary& sector);

}  // namespace regie::audit
