// Sharing POST bodies from CalendarServer clients and Nextcloud's web apps: who gets access, with
// which rights, and who loses it.
#include <gtest/gtest.h>

#include "proto/caldav/caldav_requests.h"

namespace regie::proto::caldav {
namespace {

const formats::xml::XmlLimits kLimits;

TEST(CaldavShare, CalendarServerShareAddsAndRemovesSharees) {
  auto r = ParseShareRequest(R"(<?xml version="1.0" encoding="utf-8" ?>
<CS:share xmlns:D="DAV:" xmlns:CS="http://calendarserver.org/ns/">
  <CS:set>
    <D:href>mailto:eric@example.com</D:href>
    <CS:common-name>Eric York</CS:common-name>
    <CS:summary>Shared workspace</CS:summary>
    <CS:read-write />
  </CS:set>
  <CS:set>
    <D:href>/dav/principals/bob/</D:href>
    <CS:read />
  </CS:set>
  <CS:remove>
    <D:href>mailto:foo@bar.net</D:href>
  </CS:remove>
</CS:share>)",
                             kLimits);
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->set.size(), 2u);
  EXPECT_EQ(r->set[0].href, "mailto:eric@example.com");
  EXPECT_EQ(r->set[0].common_name, "Eric York");
  EXPECT_EQ(r->set[0].summary, "Shared workspace");
  EXPECT_EQ(r->set[0].access, ShareSet::Access::kReadWrite);
  EXPECT_EQ(r->set[1].href, "/dav/principals/bob/");
  EXPECT_FALSE(r->set[1].common_name);
  EXPECT_FALSE(r->set[1].summary);
  EXPECT_EQ(r->set[1].access, ShareSet::Access::kRead);
  EXPECT_EQ(r->remove, std::vector<std::string>{"mailto:foo@bar.net"});
}

TEST(CaldavShare, NextcloudShareWithReadWrite) {
  auto r = ParseShareRequest(
      R"(<x4:share xmlns:x4="http://owncloud.org/ns"><x4:set><x0:href xmlns:x0="DAV:">)"
      R"(principal:principals/users/bob</x0:href><x4:read-write/></x4:set></x4:share>)",
      kLimits);
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->set.size(), 1u);
  EXPECT_EQ(r->set[0].href, "principal:principals/users/bob");
  EXPECT_EQ(r->set[0].access, ShareSet::Access::kReadWrite);
  EXPECT_TRUE(r->remove.empty());
}

TEST(CaldavShare, NextcloudShareWithoutReadWriteIsReadOnly) {
  auto r = ParseShareRequest(
      R"(<o:share xmlns:d="DAV:" xmlns:o="http://owncloud.org/ns"><o:set>)"
      R"(<d:href>principal:principals/groups/staff</d:href><o:summary>Team</o:summary>)"
      R"(</o:set><o:remove><d:href>principal:principals/users/eve</d:href></o:remove></o:share>)",
      kLimits);
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->set.size(), 1u);
  EXPECT_EQ(r->set[0].access, ShareSet::Access::kRead);
  EXPECT_EQ(r->set[0].summary, "Team");
  EXPECT_EQ(r->remove, std::vector<std::string>{"principal:principals/users/eve"});
}

TEST(CaldavShare, ChildrenMustShareTheRootsNamespace) {
  // An o:set under CS:share is not CalendarServer's set: nothing is left to do.
  auto r = ParseShareRequest(
      R"(<CS:share xmlns:CS="http://calendarserver.org/ns/" xmlns:o="http://owncloud.org/ns")"
      R"( xmlns:D="DAV:"><o:set><D:href>mailto:a@b</D:href></o:set></CS:share>)",
      kLimits);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kInvalidInput);
}

TEST(CaldavShare, MalformedSharesAreRefused) {
  for (std::string_view body : {
           "",
           R"(<D:share-resource xmlns:D="DAV:"/>)",
           R"(<o:share xmlns:o="http://owncloud.org/ns"/>)",
           R"(<o:share xmlns:o="http://owncloud.org/ns"><o:set><o:read-write/></o:set></o:share>)",
           R"(<o:share xmlns:o="http://owncloud.org/ns"><o:remove/></o:share>)",
           R"(<o:share xmlns:o="http://owncloud.org/ns"><o:set>)",
       }) {
    auto r = ParseShareRequest(body, kLimits);
    ASSERT_FALSE(r) << body;
    EXPECT_EQ(r.error().code, Errc::kInvalidInput) << body;
  }
  const std::string blank_href =
      R"(<o:share xmlns:o="http://owncloud.org/ns" xmlns:d="DAV:"><o:remove><d:href> )"
      R"(</d:href></o:remove></o:share>)";
  EXPECT_FALSE(ParseShareRequest(blank_href, kLimits));
}

}  // namespace
}  // namespace regie::proto::caldav
