#include "audit/rules.h"

#include <gtest/gtest.h>

namespace regie::audit {
namespace {

constexpr const char* kBase = R"(
schema = 1
version = "2026-12-04"
[probes]
dkim_selectors = ["selector1", "google"]
cname_labels = ["autodiscover"]
[providers.m365]
name = "Microsoft 365"
jurisdiction = "US"
why = "US cloud"
replacement = "Regie mail"
[providers.ovh]
name = "OVHcloud"
jurisdiction = "EU"
replacement = "keep: EU provider"
[[rules]]
signal = "mx"
suffix = "mail.protection.outlook.com"
provider = "m365"
category = "mail"
[[rules]]
signal = "txt"
prefix = "MS="
provider = "m365"
category = "identity"
why = "tenant verified"
[[rules]]
signal = "cname"
name_prefix = "autodiscover."
suffix = "outlook.com"
provider = "m365"
category = "mail"
[[asn]]
provider = "ovh"
numbers = [16276]
)";

RuleSet Base() {
  RuleSet rules;
  auto ok = rules.AddText(kBase, "base.toml");
  EXPECT_TRUE(ok) << ok.error().detail;
  return rules;
}

Observation Mx(std::string host) {
  return {Signal::kMx, "example.test", host, 0, "example.test MX 10 " + host};
}

TEST(AuditRules, ParsesProvidersRulesAsnsAndProbes) {
  RuleSet rules = Base();
  EXPECT_EQ(rules.rules().size(), 4u);
  EXPECT_EQ(rules.version(), "2026-12-04");
  EXPECT_EQ(rules.dkim_selectors(), (std::vector<std::string>{"selector1", "google"}));
  ASSERT_NE(rules.FindProvider("ovh"), nullptr);
  EXPECT_EQ(rules.FindProvider("ovh")->jurisdiction, "EU");
}

TEST(AuditRules, SuffixMatchesTheHostAndNamesBelowItOnly) {
  RuleSet rules = Base();
  auto f = rules.Match("example.test", {Mx("example-test.mail.protection.outlook.com")});
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].provider, "Microsoft 365");
  EXPECT_EQ(f[0].jurisdiction, "US");
  EXPECT_EQ(f[0].category, "mail");
  EXPECT_EQ(f[0].evidence, "example.test MX 10 example-test.mail.protection.outlook.com");
  EXPECT_EQ(f[0].replacement, "Regie mail");
  auto lookalike =
      rules.Match("example.test", {Mx("evilmail.protection.outlook.com.attacker.test")});
  ASSERT_EQ(lookalike.size(), 1u);
  EXPECT_EQ(lookalike[0].provider_id, "other:attacker.test");
  EXPECT_TRUE(lookalike[0].jurisdiction.empty());
}

TEST(AuditRules, UnknownMxInsideTheDomainIsSelfHosted) {
  auto f = Base().Match("example.test", {Mx("mail.example.test")});
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].provider_id, "self-hosted");
  EXPECT_EQ(f[0].category, "mail");
}

TEST(AuditRules, PrefixIsCaseInsensitiveAndRuleWhyOverridesTheProviders) {
  Observation txt{Signal::kTxt, "example.test", "ms=ms12345678", 0, "TXT"};
  auto f = Base().Match("example.test", {txt});
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].category, "identity");
  EXPECT_EQ(f[0].why, "tenant verified");
}

TEST(AuditRules, NamePrefixAndSuffixMustBothHold) {
  RuleSet rules = Base();
  Observation good{Signal::kCname, "autodiscover.example.test", "autodiscover.outlook.com", 0, "e"};
  Observation other_label{Signal::kCname, "www.example.test", "autodiscover.outlook.com", 0, "e"};
  EXPECT_EQ(rules.Match("example.test", {good}).size(), 1u);
  EXPECT_TRUE(rules.Match("example.test", {other_label}).empty());
}

TEST(AuditRules, AsnTableMapsNetworksToProviders) {
  Observation asn{Signal::kAsn, "www.example.test", "192.0.2.1", 16276, "www A 192.0.2.1 AS16276"};
  auto f = Base().Match("example.test", {asn});
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].provider, "OVHcloud");
  EXPECT_EQ(f[0].category, "hosting");
  EXPECT_EQ(f[0].replacement, "keep: EU provider");
}

TEST(AuditRules, AnExtraFileAddsARuleThatYieldsANewFinding) {
  RuleSet rules = Base();
  Observation txt{Signal::kTxt, "example.test", "acme-verification=42", 0, "TXT acme"};
  EXPECT_TRUE(rules.Match("example.test", {txt}).empty());
  auto ok = rules.AddText(R"(
schema = 1
version = "2026-12-05"
[providers.acme]
name = "Acme Cloud"
jurisdiction = "DE"
[[rules]]
signal = "txt"
prefix = "acme-verification="
provider = "acme"
category = "collaboration"
)",
                          "/tmp/extra.toml");
  ASSERT_TRUE(ok) << ok.error().detail;
  auto f = rules.Match("example.test", {txt});
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].provider, "Acme Cloud");
  EXPECT_EQ(rules.version(), "2026-12-04+extra.toml@2026-12-05");
}

TEST(AuditRules, TheSameFindingIsReportedOnce) {
  auto f = Base().Match("example.test",
                        {Mx("a.mail.protection.outlook.com"), Mx("a.mail.protection.outlook.com")});
  EXPECT_EQ(f.size(), 1u);
}

struct BadRules {
  const char* name;
  const char* toml;
  const char* reason;
};

class AuditRulesRejects : public ::testing::TestWithParam<BadRules> {};

TEST_P(AuditRulesRejects, WithAReasonAndLeavesTheSetUnchanged) {
  RuleSet rules = Base();
  auto ok = rules.AddText(GetParam().toml, "bad.toml");
  ASSERT_FALSE(ok);
  EXPECT_NE(ok.error().detail.find(GetParam().reason), std::string::npos) << ok.error().detail;
  EXPECT_EQ(rules.rules().size(), 4u);
  EXPECT_EQ(rules.files().size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(
    All, AuditRulesRejects,
    ::testing::Values(
        BadRules{"WrongSchema", "schema = 2\nversion = \"2026-01-01\"", "schema must be 1"},
        BadRules{"UndatedVersion", "schema = 1\nversion = \"v3\"", "version must be a date"},
        BadRules{"Syntax", "schema = = 1", "bad.toml"},
        BadRules{"UnknownSignal",
                 "schema = 1\nversion = \"2026-01-01\"\n[[rules]]\nsignal = \"smoke\"\n"
                 "provider = \"m365\"\ncategory = \"mail\"\nsuffix = \"x\"",
                 "unknown signal"},
        BadRules{"UnknownProvider",
                 "schema = 1\nversion = \"2026-01-01\"\n[[rules]]\nsignal = \"mx\"\n"
                 "provider = \"nobody\"\ncategory = \"mail\"\nsuffix = \"x\"",
                 "unknown provider"},
        BadRules{"NoCondition",
                 "schema = 1\nversion = \"2026-01-01\"\n[[rules]]\nsignal = \"mx\"\n"
                 "provider = \"m365\"\ncategory = \"mail\"",
                 "at least one of"},
        BadRules{"UnknownKey",
                 "schema = 1\nversion = \"2026-01-01\"\n[[rules]]\nsignal = \"mx\"\n"
                 "provider = \"m365\"\ncategory = \"mail\"\nsufix = \"x\"",
                 "unknown key 'sufix'"},
        BadRules{"BadJurisdiction",
                 "schema = 1\nversion = \"2026-01-01\"\n[providers.x]\nname = \"X\"\n"
                 "jurisdiction = \"Europe\"",
                 "ISO 3166-1"},
        BadRules{"WrongType", "schema = \"one\"\nversion = \"2026-01-01\"", "bad.toml"}),
    [](const auto& test) { return std::string(test.param.name); });

TEST(AuditRules, TheInstalledRulesFileIsValid) {
  RuleSet rules;
  auto ok = rules.AddFile(REGIE_SOURCE_DIR "/src/audit/data/rules.toml");
  ASSERT_TRUE(ok) << ok.error().detail;
  EXPECT_GT(rules.rules().size(), 100u);
  auto f = rules.Match("example.test", {Mx("example-test.mail.protection.outlook.com")});
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].provider_id, "microsoft-365");
  Observation asn{Signal::kAsn, "example.test", "192.0.2.1", 8075, "AS8075"};
  ASSERT_EQ(rules.Match("example.test", {asn}).size(), 1u);
  EXPECT_EQ(rules.Match("example.test", {asn})[0].provider_id, "microsoft-azure");
}

}  // namespace
}  // namespace regie::audit
