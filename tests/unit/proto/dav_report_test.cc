#include "proto/dav/dav_requests.h"

#include <gtest/gtest.h>

#include <variant>

namespace regie::proto::dav {
namespace {

const formats::xml::XmlLimits kLimits;

bool IsName(const QName& n, std::string_view ns, std::string_view local) {
  return n == QName{std::string(ns), std::string(local)};
}

void ExpectInvalid(const Error& e) { EXPECT_EQ(e.code, Errc::kInvalidInput) << e.message; }

TEST(Report, InitialSyncCollectionHasAnEmptyToken) {
  // RFC 6578 §3.8.
  auto r = ParseReport(R"(<?xml version="1.0" encoding="utf-8" ?>
<D:sync-collection xmlns:D="DAV:">
  <D:sync-token/>
  <D:sync-level>1</D:sync-level>
  <D:prop xmlns:R="urn:ns.example.com:boxschema">
    <D:getetag/>
    <R:bigbox/>
  </D:prop>
</D:sync-collection>)",
                       kLimits);
  ASSERT_TRUE(r);
  const auto* sync = std::get_if<SyncCollectionRequest>(&*r);
  ASSERT_NE(sync, nullptr);
  EXPECT_EQ(sync->sync_token, "");
  EXPECT_EQ(sync->level, SyncLevel::kOne);
  EXPECT_EQ(sync->limit, std::nullopt);
  EXPECT_EQ(sync->props.kind, PropfindKind::kProp);
  ASSERT_EQ(sync->props.props.size(), 2u);
  EXPECT_TRUE(IsName(sync->props.props[1], "urn:ns.example.com:boxschema", "bigbox"));
}

TEST(Report, LaterSyncCarriesTokenLevelAndLimit) {
  auto r = ParseReport(
      R"(<D:sync-collection xmlns:D="DAV:"><D:sync-token>
  http://example.com/ns/sync/1234 </D:sync-token><D:sync-level>infinite</D:sync-level>)"
      R"(<D:limit><D:nresults>100</D:nresults></D:limit><D:allprop/></D:sync-collection>)",
      kLimits);
  ASSERT_TRUE(r);
  const auto* sync = std::get_if<SyncCollectionRequest>(&*r);
  ASSERT_NE(sync, nullptr);
  EXPECT_EQ(sync->sync_token, "http://example.com/ns/sync/1234");
  EXPECT_EQ(sync->level, SyncLevel::kInfinite);
  EXPECT_EQ(sync->limit, std::optional<std::size_t>(100));
  EXPECT_EQ(sync->props.kind, PropfindKind::kAllprop);
}

TEST(Report, AbsentSyncLevelMeansOne) {
  auto r = ParseReport(R"(<sync-collection xmlns="DAV:"><sync-token/></sync-collection>)", kLimits);
  ASSERT_TRUE(r);
  EXPECT_EQ(std::get<SyncCollectionRequest>(*r).level, SyncLevel::kOne);
  EXPECT_EQ(std::get<SyncCollectionRequest>(*r).props.kind, PropfindKind::kAllprop);
}

TEST(Report, BadSyncCollectionsAreInvalid) {
  for (std::string_view inner :
       {"<sync-level>1</sync-level>", "<sync-token/><sync-level>2</sync-level>",
        "<sync-token/><sync-level>Infinity</sync-level>", "<sync-token/><limit/>",
        "<sync-token/><limit><nresults>0</nresults></limit>",
        "<sync-token/><limit><nresults>-5</nresults></limit>",
        "<sync-token/><limit><nresults>ten</nresults></limit>",
        "<sync-token/><limit><nresults>99999999999999999999999</nresults></limit>",
        "<sync-token/><limit><nresults></nresults></limit>"}) {
    const std::string body =
        "<sync-collection xmlns=\"DAV:\">" + std::string(inner) + "</sync-collection>";
    auto r = ParseReport(body, kLimits);
    ASSERT_FALSE(r) << body;
    ExpectInvalid(r.error());
  }
}

TEST(Report, UnknownReportKeepsItsRootName) {
  auto r =
      ParseReport(R"(<C:calendar-multiget xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:D="DAV:">)"
                  R"(<D:prop><D:getetag/></D:prop><D:href>/a.ics</D:href></C:calendar-multiget>)",
                  kLimits);
  ASSERT_TRUE(r);
  const auto* unknown = std::get_if<UnknownReport>(&*r);
  ASSERT_NE(unknown, nullptr);
  EXPECT_TRUE(IsName(unknown->name, "urn:ietf:params:xml:ns:caldav", "calendar-multiget"));
}

TEST(Report, EmptyOrMalformedBodyIsInvalid) {
  for (std::string_view body : {"", "<sync-collection xmlns=\"DAV:\">", "<!DOCTYPE a><a/>"}) {
    auto r = ParseReport(body, kLimits);
    ASSERT_FALSE(r) << body;
    ExpectInvalid(r.error());
  }
}

}  // namespace
}  // namespace regie::proto::dav
