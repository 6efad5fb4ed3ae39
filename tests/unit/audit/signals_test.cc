#include <gtest/gtest.h>

#include "audit/dns_resolver.h"
#include "audit/domain_audit.h"
#include "audit/domain_name.h"
#include "audit/html_resources.h"
#include "audit/web_audit.h"

namespace regie::audit {
namespace {

TEST(AuditSignals, CymruQueryNamesReverseTheAddress) {
  EXPECT_EQ(CymruQueryName("192.0.2.10"), "10.2.0.192.origin.asn.cymru.com");
  EXPECT_EQ(
      CymruQueryName("2001:db8::1"),
      "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.origin6.asn.cymru.com");
  EXPECT_EQ(CymruQueryName("not-an-ip"), "");
}

TEST(AuditSignals, CymruOriginListsEveryAsnOfTheFirstField) {
  EXPECT_EQ(ParseCymruOrigin("15169 | 8.8.8.0/24 | US | arin | 1992-12-01"),
            (std::vector<std::uint32_t>{15169}));
  EXPECT_EQ(ParseCymruOrigin("16509 14618 | 52.0.0.0/11 | US | arin |"),
            (std::vector<std::uint32_t>{16509, 14618}));
  EXPECT_TRUE(ParseCymruOrigin("garbage").empty());
}

TEST(AuditSignals, DomainNamesAreNormalisedOrRefused) {
  EXPECT_EQ(*NormaliseDomain("Example.TEST."), "example.test");
  EXPECT_FALSE(NormaliseDomain("localhost"));
  EXPECT_FALSE(NormaliseDomain("bad_label.test"));
  EXPECT_FALSE(NormaliseDomain("-dash.test"));
  EXPECT_FALSE(NormaliseDomain("a..test"));
  EXPECT_FALSE(NormaliseDomain(std::string(64, 'a') + ".test"));
  EXPECT_FALSE(NormaliseDomain("1.2.3.4 ; rm"));
}

TEST(AuditSignals, OnlyPublicAddressesAreFetched) {
  for (const char* refused :
       {"127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1",
        "0.0.0.0", "224.0.0.1", "::1", "::", "fe80::1", "fd00::1", "::ffff:127.0.0.1",
        "::ffff:10.0.0.1", "2001:db8::1", "nonsense"}) {
    EXPECT_FALSE(IsPublicAddress(refused)) << refused;
  }
  for (const char* allowed : {"8.8.8.8", "193.0.6.139", "2a00:1450:4001::1", "::ffff:8.8.8.8"}) {
    EXPECT_TRUE(IsPublicAddress(allowed)) << allowed;
  }
}

TEST(AuditSignals, ResolverAddressesAcceptHostPortOnly) {
  EXPECT_EQ(*UnboundAddress("127.0.0.1:5353"), "127.0.0.1@5353");
  EXPECT_EQ(*UnboundAddress("[::1]:53"), "::1@53");
  EXPECT_EQ(*UnboundAddress("192.0.2.1"), "192.0.2.1");
  EXPECT_FALSE(UnboundAddress("resolver.example:53"));
  EXPECT_FALSE(UnboundAddress("127.0.0.1:70000"));
}

TEST(AuditSignals, ThirdPartyResourcesComeFromTagsAndInlineScripts) {
  const char* page = R"(<!doctype html><html><head>
<link rel=stylesheet href="https://fonts.googleapis.com/css2?family=Inter">
<link rel="icon" href="/favicon.ico">
<script async src='https://www.googletagmanager.com/gtag/js?id=G-1'></script>
<script>!function(f,b,e,v){t.src='https://connect.facebook.net/en_US/fbevents.js'}();</script>
<!-- <script src="https://commented.example/x.js"></script> -->
</head><body><img src=//cdn.example.net/a.png><iframe src="https://www.youtube-nocookie.com/embed/x"></iframe>
<script src="https://static.example.test/app.js"></script><a href="mailto:info@example.test">mail</a>
<img src="https://cdn.example.net/b.png">)";
  auto got = ThirdPartyResources(page, "https://www.example.test/", "example.test");
  std::vector<std::string> hosts;
  for (const auto& r : got) hosts.push_back(r.host);
  EXPECT_EQ(hosts, (std::vector<std::string>{"fonts.googleapis.com", "www.googletagmanager.com",
                                             "connect.facebook.net", "cdn.example.net",
                                             "www.youtube-nocookie.com"}));
  EXPECT_EQ(got[3].url, "https://cdn.example.net/a.png");
}

TEST(AuditSignals, AMalformedPageYieldsWhatCanBeRead) {
  auto got = ThirdPartyResources("<script src=\"https://a.example/x.js\"><img src='https://b.ex",
                                 "http://example.test/", "example.test");
  ASSERT_GE(got.size(), 1u);
  EXPECT_EQ(got[0].host, "a.example");
  EXPECT_TRUE(ThirdPartyResources("<<<>>\"'<", "http://example.test/", "example.test").empty());
}

}  // namespace
}  // namespace regie::audit
