// The self-contained HTML report: inline CSS and SVG, no external src or href, every text
// escaped (evidence comes from DNS records and web pages the audited party controls).
#include <fmt/core.h>
#include <map>

#include "audit/report.h"
#include "formats/xml/xml_element.h"

namespace regie::audit {
namespace {

std::string Esc(std::string_view s) {
  std::string out;
  formats::xml::AppendEscaped(out, s);  // HTML text and double-quoted attributes alike.
  return out;
}

// A fixed colour per jurisdiction, so that the same country has the same colour in every bar.
std::string Colour(const std::string& jurisdiction) {
  if (jurisdiction == "EU") return "#2b6cb0";
  if (jurisdiction == "US") return "#c53030";
  if (jurisdiction == "none") return "#a0aec0";
  if (jurisdiction == "unknown") return "#718096";
  const unsigned h = static_cast<unsigned char>(jurisdiction[0]) * 31u +
                     static_cast<unsigned char>(jurisdiction.size() > 1 ? jurisdiction[1] : 0);
  return fmt::format("hsl({},55%,50%)", h % 360);
}

void DomainHtml(const DomainReport& r, std::string& out) {
  out += fmt::format("<section><h2>{}{}</h2>\n", Esc(r.domain),
                     r.name.empty() ? "" : " &ndash; " + Esc(r.name));
  out += fmt::format("<p>DNSSEC: <b>{}</b>{}</p>\n", DnssecStatusName(r.dnssec),
                     r.dnssec_detail.empty() ? "" : " (" + Esc(r.dnssec_detail) + ")");
  if (r.error) {
    out += fmt::format("<p class=error>Not audited: {}: {}</p></section>\n",
                       ErrorKindName(r.error->kind), Esc(r.error->detail));
    return;
  }
  out +=
      "<table><tr><th>Category</th><th>Provider</th><th>Jurisdiction</th><th>Evidence</th>"
      "<th>Why it matters</th><th>Replacement</th></tr>\n";
  for (const auto& f : r.findings) {
    out += fmt::format(
        "<tr><td>{}{}</td><td>{}</td><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td>"
        "</tr>\n",
        Esc(f.category), f.subcategory.empty() ? "" : " / " + Esc(f.subcategory), Esc(f.provider),
        f.jurisdiction.empty() ? "?" : Esc(f.jurisdiction), Esc(f.evidence), Esc(f.why),
        Esc(f.replacement));
  }
  out += "</table>\n";
  for (const auto& w : r.warnings) {
    out += fmt::format("<p class=warn>{}: <code>{}</code></p>\n", Esc(w.kind), Esc(w.evidence));
  }
  out += "</section>\n";
}

void SectorHtml(const SectorSummary& s, std::string& out) {
  out += fmt::format("<section><h2>Sector summary</h2><p>{} domains, {} audited, {} failed.</p>\n",
                     s.domains, s.audited, s.failed);
  out += RenderSectorSvg(s);
  out +=
      "<table><tr><th>Category</th><th>Provider</th><th>Jurisdiction</th><th>Domains</th>"
      "<th>Share</th></tr>\n";
  for (const auto& c : s.categories) {
    for (const auto& row : c.providers) {
      out += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{:.1f}%</td></tr>\n",
                         Esc(c.category), Esc(row.key), Esc(row.jurisdiction), row.domains,
                         row.share * 100);
    }
  }
  out += "</table></section>\n";
}

}  // namespace

std::string RenderSectorSvg(const SectorSummary& s) {
  constexpr int kLabel = 140, kBar = 480, kRow = 26;
  const int height = kRow * static_cast<int>(s.categories.size()) + 40;
  std::string out = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" role=\"img\" "
      "aria-label=\"Share of domains per jurisdiction, by category\">\n",
      kLabel + kBar + 20, height);
  std::map<std::string, bool> legend;
  int y = 10;
  for (const auto& c : s.categories) {
    out +=
        fmt::format("<text x=\"0\" y=\"{}\" font-size=\"13\">{}</text>\n", y + 15, Esc(c.category));
    double x = kLabel;
    for (const auto& row : c.jurisdictions) {
      const double w = row.share * kBar;
      out += fmt::format(
          "<rect x=\"{:.1f}\" y=\"{}\" width=\"{:.1f}\" height=\"20\" fill=\"{}\">"
          "<title>{}: {} domains ({:.1f}%)</title></rect>\n",
          x, y, w, Colour(row.key), Esc(row.key), row.domains, row.share * 100);
      x += w;
      legend[row.key] = true;
    }
    y += kRow;
  }
  int lx = 0;
  for (const auto& [key, _] : legend) {
    out += fmt::format(
        "<rect x=\"{}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"{}\"/>"
        "<text x=\"{}\" y=\"{}\" font-size=\"12\">{}</text>\n",
        lx, y + 4, Colour(key), lx + 16, y + 14, Esc(key));
    lx += 24 + 8 * static_cast<int>(key.size());
  }
  out += "</svg>\n";
  return out;
}

std::string RenderHtml(const std::vector<DomainReport>& reports, const RuleSet& rules,
                       ReportShape shape) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>"
      "<title>Regie autonomy audit</title><style>"
      "body{font-family:sans-serif;margin:2em;max-width:70em}"
      "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px;"
      "text-align:left;vertical-align:top}code{word-break:break-all}"
      ".error{color:#c53030}.warn{color:#b7791f}"
      "</style></head><body>\n<h1>Autonomy audit</h1>\n";
  if (shape == ReportShape::kMany || reports.size() > 1) SectorHtml(Summarise(reports), out);
  for (const auto& r : reports) DomainHtml(r, out);
  out += fmt::format("<footer>Rules {}</footer></body></html>\n", Esc(rules.version()));
  return out;
}

}  // namespace regie::audit
