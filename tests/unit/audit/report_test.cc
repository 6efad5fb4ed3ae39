#include "audit/report.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace regie::audit {
namespace {

namespace json = boost::json;

Finding F(std::string category, std::string provider, std::string jurisdiction) {
  Finding f;
  f.category = std::move(category);
  f.provider_id = provider;
  f.provider = std::move(provider);
  f.jurisdiction = std::move(jurisdiction);
  f.evidence = "evidence <b>";
  return f;
}

DomainReport Named(std::string domain) {
  DomainReport r;
  r.domain = std::move(domain);
  return r;
}

std::vector<DomainReport> Sector() {
  DomainReport a = Named("a.test");
  a.findings = {F("mail", "Microsoft 365", "US"), F("mail", "Microsoft 365", "US"),
                F("hosting", "OVHcloud", "EU")};
  DomainReport b = Named("b.test");
  b.findings = {F("mail", "Google Workspace", "US")};
  DomainReport c = Named("c.test");
  c.findings = {F("mail", "Self-hosted", "")};
  DomainReport gone = Named("gone.test");
  gone.error = AuditError{ErrorKind::kNxdomain, "the domain does not exist (NXDOMAIN)"};
  return {a, b, c, gone};
}

RuleSet Rules() {
  RuleSet rules;
  EXPECT_TRUE(rules.AddText("schema = 1\nversion = \"2026-12-04\"", "r.toml"));
  return rules;
}

TEST(AuditReport, SectorSharesCountEachDomainOncePerProvider) {
  const SectorSummary s = Summarise(Sector());
  EXPECT_EQ(s.domains, 4);
  EXPECT_EQ(s.audited, 3);
  EXPECT_EQ(s.failed, 1);
  ASSERT_EQ(s.categories.size(), 2u);
  EXPECT_EQ(s.categories[0].category, "mail");
  const auto& mail = s.categories[0].providers;
  ASSERT_EQ(mail.size(), 3u);
  for (const auto& row : mail) {
    EXPECT_EQ(row.domains, 1) << row.key;
    EXPECT_DOUBLE_EQ(row.share, 1.0 / 3);
  }
  const auto& j = s.categories[0].jurisdictions;
  ASSERT_EQ(j.size(), 2u);
  EXPECT_EQ(j[0].key, "US");
  EXPECT_EQ(j[0].domains, 2);
  EXPECT_EQ(j[1].key, "unknown");
  EXPECT_EQ(s.categories[1].category, "hosting");
  ASSERT_EQ(s.categories[1].providers.size(), 2u);
  EXPECT_EQ(s.categories[1].providers[0].key, "none");  // Most domains first.
  EXPECT_EQ(s.categories[1].providers[0].domains, 2);
  EXPECT_EQ(s.categories[1].providers[1].key, "OVHcloud");
}

TEST(AuditReport, JsonForOneDomainIsTheDomainObject) {
  auto reports = Sector();
  reports.resize(1);
  const auto v = json::parse(RenderJson(reports, Rules(), ReportShape::kSingle));
  EXPECT_EQ(v.at("domain").as_string(), "a.test");
  EXPECT_EQ(v.at("rules_version").as_string(), "2026-12-04");
  const auto& findings = v.at("findings").as_array();
  ASSERT_EQ(findings.size(), 3u);
  EXPECT_EQ(findings[0].at("category").as_string(), "mail");
  EXPECT_EQ(findings[0].at("provider").as_string(), "Microsoft 365");
  EXPECT_EQ(findings[0].at("jurisdiction").as_string(), "US");
  EXPECT_EQ(findings[0].at("evidence").as_string(), "evidence <b>");
  EXPECT_EQ(v.at("summary").at("findings").as_int64(), 3);
  EXPECT_EQ(v.at("summary").at("jurisdictions").at("EU").as_int64(), 1);
  EXPECT_FALSE(v.as_object().contains("error"));
}

TEST(AuditReport, JsonForManyDomainsCarriesErrorsAndTheSector) {
  const auto v = json::parse(RenderJson(Sector(), Rules(), ReportShape::kMany));
  const auto& domains = v.at("domains").as_array();
  ASSERT_EQ(domains.size(), 4u);
  EXPECT_EQ(domains[3].at("error").at("kind").as_string(), "nxdomain");
  EXPECT_EQ(domains[2].at("findings").at(0).at("jurisdiction"), nullptr);
  const auto& sector = v.at("sector");
  EXPECT_EQ(sector.at("audited").as_int64(), 3);
  const auto& mail = sector.at("categories").at("mail");
  EXPECT_EQ(mail.at("providers").as_array().size(), 3u);
  EXPECT_EQ(mail.at("jurisdictions").at(0).at("jurisdiction").as_string(), "US");
  EXPECT_EQ(mail.at("jurisdictions").at(0).at("domains").as_int64(), 2);
  EXPECT_NE(sector.at("chart_svg").as_string().find("<svg"), json::string::npos);
  EXPECT_EQ(v.at("rules_version").as_string(), "2026-12-04");
}

TEST(AuditReport, HtmlIsSelfContainedAndEscaped) {
  const std::string html = RenderHtml(Sector(), Rules(), ReportShape::kMany);
  EXPECT_EQ(html.find(" src="), std::string::npos);
  EXPECT_EQ(html.find(" href="), std::string::npos);
  EXPECT_EQ(html.find("evidence <b>"), std::string::npos);
  EXPECT_NE(html.find("evidence &lt;b&gt;"), std::string::npos);
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_NE(html.find("Sector summary"), std::string::npos);
}

TEST(AuditReport, TextNamesFindingsErrorsAndTheSector) {
  const std::string text = RenderText(Sector(), Rules(), ReportShape::kMany);
  EXPECT_NE(text.find("[mail] Microsoft 365 (US)"), std::string::npos);
  EXPECT_NE(text.find("error: nxdomain"), std::string::npos);
  EXPECT_NE(text.find("sector: 4 domains, 3 audited, 1 failed"), std::string::npos);
}

}  // namespace
}  // namespace regie::audit
