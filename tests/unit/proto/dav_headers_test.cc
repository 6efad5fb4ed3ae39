#include "proto/dav/dav_headers.h"

#include <gtest/gtest.h>

namespace regie::proto::dav {
namespace {

using std::chrono::seconds;

IfCondition Token(std::string value, bool negated = false) {
  return IfCondition{negated, IfConditionKind::kStateToken, std::move(value)};
}
IfCondition Etag(std::string value, bool negated = false) {
  return IfCondition{negated, IfConditionKind::kEntityTag, std::move(value)};
}

// Prints lists compactly so that a failed comparison shows what was parsed.
std::string Describe(const std::vector<IfList>& lists) {
  std::string out;
  for (const auto& list : lists) {
    out += list.resource ? "<" + *list.resource + "> (" : "(";
    for (const auto& c : list.conditions) {
      out += c.negated ? "Not " : "";
      out += c.kind == IfConditionKind::kStateToken ? "<" + c.value + ">" : "[" + c.value + "]";
      out += " ";
    }
    out += ") ";
  }
  return out;
}

void ExpectIf(std::string_view header, const std::vector<IfList>& expected) {
  auto parsed = ParseIfHeader(header);
  ASSERT_TRUE(parsed) << header << ": " << parsed.error().detail;
  EXPECT_EQ(Describe(*parsed), Describe(expected)) << header;
}

TEST(DepthHeader, AcceptsZeroOneAndInfinityInAnyCase) {
  EXPECT_EQ(ParseDepth("0", Depth::kInfinity), Depth::kZero);
  EXPECT_EQ(ParseDepth(" 1 ", Depth::kInfinity), Depth::kOne);
  EXPECT_EQ(ParseDepth("infinity", Depth::kZero), Depth::kInfinity);
  EXPECT_EQ(ParseDepth("Infinity", Depth::kZero), Depth::kInfinity);
  EXPECT_EQ(ParseDepth(std::nullopt, Depth::kOne), Depth::kOne);
}

TEST(DepthHeader, AnythingElseIsInvalid) {
  for (std::string_view bad : {"", "2", "01", "infinite", "1,0"}) {
    auto d = ParseDepth(bad, Depth::kZero);
    ASSERT_FALSE(d) << bad;
    EXPECT_EQ(d.error().code, Errc::kInvalidInput);
  }
}

TEST(OverwriteHeader, TrueWhenAbsentOrTAndFalseForF) {
  EXPECT_EQ(ParseOverwrite(std::nullopt), true);
  EXPECT_EQ(ParseOverwrite("T"), true);
  EXPECT_EQ(ParseOverwrite("F"), false);
  EXPECT_EQ(ParseOverwrite(" f"), false);
  auto bad = ParseOverwrite("yes");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, Errc::kInvalidInput);
}

TEST(TimeoutHeader, FirstUnderstoodEntryWins) {
  EXPECT_EQ(ParseTimeout("Infinite, Second-4100000000"), seconds::max());  // RFC 4918 §9.10.7.
  EXPECT_EQ(ParseTimeout("Second-4100000000"), seconds(4100000000));
  EXPECT_EQ(ParseTimeout("Extended-1, Second-30"), seconds(30));
  EXPECT_EQ(ParseTimeout("Second-99999999999, second-60"), seconds(60));  // Over 2^32-1.
  EXPECT_EQ(ParseTimeout(" Second-0 "), seconds(0));
}

TEST(TimeoutHeader, AbsentOrNotUnderstoodIsNullopt) {
  EXPECT_EQ(ParseTimeout(std::nullopt), std::nullopt);
  EXPECT_EQ(ParseTimeout(""), std::nullopt);
  EXPECT_EQ(ParseTimeout("Second-, Second-x1, Forever"), std::nullopt);
}

TEST(DestinationHeader, AbsoluteUriGivesAuthorityAndEncodedPath) {
  auto d = ParseDestination("http://www.example.com/users/f/fielding/index%20page.html");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->authority, "www.example.com");
  EXPECT_EQ(d->path, "/users/f/fielding/index%20page.html");
  auto s = ParseDestination(" https://[::1]:8443/a%2Fb/?x=1 ");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->authority, "[::1]:8443");
  EXPECT_EQ(s->path, "/a%2Fb/");
}

TEST(DestinationHeader, AbsolutePathHasNoAuthority) {
  auto d = ParseDestination("/dav/caf%C3%A9/");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->authority, "");
  EXPECT_EQ(d->path, "/dav/caf%C3%A9/");
}

TEST(DestinationHeader, UriWithoutPathNamesTheRoot) {
  auto d = ParseDestination("HTTP://example.com:8080");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->authority, "example.com:8080");
  EXPECT_EQ(d->path, "/");
}

TEST(DestinationHeader, OtherFormsAreInvalid) {
  for (std::string_view bad :
       {"", "relative/path", "ftp://example.com/x", "//example.com/x", "http:///x", "http:/x",
        "http://example.com/a b", "http://example.com/x#frag", "/a%zz", "mailto:a@example.com",
        "http://example.com:abc/x"}) {
    auto d = ParseDestination(bad);
    ASSERT_FALSE(d) << bad;
    EXPECT_EQ(d.error().code, Errc::kInvalidInput);
  }
}

TEST(IfHeader, NoTagListsWithTokensAndEtags) {
  // RFC 4918 §10.4.6.
  ExpectIf(
      "(<urn:uuid:181d4fae-7d8c-11d0-a765-00a0c91e6bf2>\r\n     [\"I am an ETag\"])\r\n"
      "    ([\"I am another ETag\"])",
      {{std::nullopt,
        {Token("urn:uuid:181d4fae-7d8c-11d0-a765-00a0c91e6bf2"), Etag("\"I am an ETag\"")}},
       {std::nullopt, {Etag("\"I am another ETag\"")}}});
}

TEST(IfHeader, NotNegatesTheConditionAfterIt) {
  // RFC 4918 §10.4.7.
  ExpectIf(
      "(Not <urn:uuid:181d4fae-7d8c-11d0-a765-00a0c91e6bf2>\n"
      "     <urn:uuid:58f202ac-22cf-11d1-b12d-002035b29092>)",
      {{std::nullopt,
        {Token("urn:uuid:181d4fae-7d8c-11d0-a765-00a0c91e6bf2", true),
         Token("urn:uuid:58f202ac-22cf-11d1-b12d-002035b29092")}}});
}

TEST(IfHeader, NoLockAlternativeMakesTheHeaderAlwaysTrue) {
  // RFC 4918 §10.4.8.
  ExpectIf("(<urn:uuid:181d4fae-7d8c-11d0-a765-00a0c91e6bf2>)\n    (Not <DAV:no-lock>)",
           {{std::nullopt, {Token("urn:uuid:181d4fae-7d8c-11d0-a765-00a0c91e6bf2")}},
            {std::nullopt, {Token("DAV:no-lock", true)}}});
}

TEST(IfHeader, TaggedListResourceAppliesToEveryListAfterIt) {
  // RFC 4918 §10.4.9, with a weak entity tag.
  ExpectIf(
      "<http://www.example.com/resource1>\n    (<urn:uuid:181d4fae-7d8c-11d0-a765-00a0c91e6bf2>\n"
      "     [W/\"A weak ETag\"]) ([\"strong ETag\"])",
      {{"http://www.example.com/resource1",
        {Token("urn:uuid:181d4fae-7d8c-11d0-a765-00a0c91e6bf2"), Etag("W/\"A weak ETag\"")}},
       {"http://www.example.com/resource1", {Etag("\"strong ETag\"")}}});
}

TEST(IfHeader, TaggedListOnACollection) {
  // RFC 4918 §10.4.10.
  ExpectIf("<http://www.example.com/specs/>\n(<urn:uuid:181d4fae-7d8c-11d0-a765-00a0c91e6bf2>)",
           {{"http://www.example.com/specs/",
             {Token("urn:uuid:181d4fae-7d8c-11d0-a765-00a0c91e6bf2")}}});
}

TEST(IfHeader, TaggedListWithAnAbsolutePathAndEtag) {
  // RFC 4918 §10.4.11.
  ExpectIf("</specs/rfc2518.doc> ([\"4217\"])", {{"/specs/rfc2518.doc", {Etag("\"4217\"")}}});
}

TEST(IfHeader, SeveralTaggedResourcesEachKeepTheirLists) {
  ExpectIf("</a> (<opaquelocktoken:1>) </b> (<opaquelocktoken:2>)(not[\"x\"])",
           {{"/a", {Token("opaquelocktoken:1")}},
            {"/b", {Token("opaquelocktoken:2")}},
            {"/b", {Etag("\"x\"", true)}}});
}

TEST(IfHeader, WhitespaceIsOptionalAndArbitrary) {
  ExpectIf("(NOT<DAV:no-lock>[W/\"a\"])",
           {{std::nullopt, {Token("DAV:no-lock", true), Etag("W/\"a\"")}}});
  ExpectIf(" \t ( \t [ \"a\\\"b\" ] \r\n ) \t ", {{std::nullopt, {Etag("\"a\\\"b\"")}}});
}

TEST(IfHeader, MalformedHeadersAreInvalid) {
  for (std::string_view bad : {"",
                               "   ",
                               "()",
                               "( )",
                               "(<DAV:no-lock>) </a> (<DAV:no-lock>)",
                               "</a> (<DAV:no-lock>) (<DAV:no-lock>) (",
                               "</a> (<DAV:no-lock>) ([\"x\"]) </b>",
                               "(<DAV:no-lock>",
                               "</a>",
                               "</a> </b> ([\"x\"])",
                               "(Not)",
                               "(Not x)",
                               "([abc])",
                               "([\"unterminated])",
                               "([\"a\"]",
                               "(<not a token>)",
                               "(<relative>)",
                               "(<>)",
                               "<relative> ([\"x\"])",
                               "<http://a:b/c> ([\"x\"])",
                               "(<DAV:no-lock>) junk",
                               "[\"x\"]",
                               "(<DAV:no-lock> Nothing)",
                               "([\"a\x01\"])"}) {
    auto parsed = ParseIfHeader(bad);
    ASSERT_FALSE(parsed) << testing::PrintToString(bad) << " gave " << Describe(*parsed);
    EXPECT_EQ(parsed.error().code, Errc::kInvalidInput);
  }
}

TEST(LockTokenHeader, YieldsTheTokenWithoutBrackets) {
  EXPECT_EQ(ParseLockTokenHeader("<urn:uuid:a515cfa4-5da4-22e1-f5b5-00a0451e6bf7>"),
            "urn:uuid:a515cfa4-5da4-22e1-f5b5-00a0451e6bf7");
  EXPECT_EQ(ParseLockTokenHeader("  <opaquelocktoken:f81d4fae-7dec-11d0>\t"),
            "opaquelocktoken:f81d4fae-7dec-11d0");
}

TEST(LockTokenHeader, BareOrMalformedTokensAreInvalid) {
  for (std::string_view bad :
       {"", "<>", "opaquelocktoken:x", "<not a uri>", "<relative>", "<urn:a><urn:b>", "<urn:a"}) {
    auto t = ParseLockTokenHeader(bad);
    ASSERT_FALSE(t) << bad;
    EXPECT_EQ(t.error().code, Errc::kInvalidInput);
  }
}

}  // namespace
}  // namespace regie::proto::dav
