#include "proto/dav/dav_requests.h"

#include <gtest/gtest.h>

namespace regie::proto::dav {
namespace {

using formats::xml::XmlLimits;

const XmlLimits kLimits;

bool IsName(const QName& n, std::string_view ns, std::string_view local) {
  return n == QName{std::string(ns), std::string(local)};
}

void ExpectInvalid(const Error& e) { EXPECT_EQ(e.code, Errc::kInvalidInput) << e.message; }

TEST(Propfind, EmptyOrWhitespaceBodyIsAllprop) {
  for (std::string_view body : {"", " \r\n\t"}) {
    auto r = ParsePropfind(body, kLimits);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->kind, PropfindKind::kAllprop);
    EXPECT_TRUE(r->props.empty());
  }
}

TEST(Propfind, PropListsNamesInDocumentOrderAcrossNamespaces) {
  // As litmus sends it: default namespace DAV:, one property in no namespace.
  auto r = ParsePropfind(
      "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<propfind xmlns=\"DAV:\"><prop>\n"
      "<getcontentlength/><R:bigbox xmlns:R=\"http://ns.example.com/boxschema/\"/>"
      "<nons xmlns=\"\"/></prop></propfind>",
      kLimits);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->kind, PropfindKind::kProp);
  ASSERT_EQ(r->props.size(), 3u);
  EXPECT_TRUE(IsName(r->props[0], "DAV:", "getcontentlength"));
  EXPECT_TRUE(IsName(r->props[1], "http://ns.example.com/boxschema/", "bigbox"));
  EXPECT_TRUE(IsName(r->props[2], "", "nons"));
}

TEST(Propfind, PropnameIsRecognised) {
  auto r = ParsePropfind(R"(<D:propfind xmlns:D="DAV:"><D:propname/></D:propfind>)", kLimits);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->kind, PropfindKind::kPropname);
}

TEST(Propfind, AllpropCarriesTheIncludedNames) {
  // RFC 4918 §9.1.6.
  auto r = ParsePropfind(
      R"(<D:propfind xmlns:D="DAV:"><D:allprop/><D:include><D:supported-live-property-set/>)"
      R"(<D:supported-report-set/></D:include></D:propfind>)",
      kLimits);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->kind, PropfindKind::kAllprop);
  ASSERT_EQ(r->include.size(), 2u);
  EXPECT_TRUE(IsName(r->include[1], "DAV:", "supported-report-set"));
}

TEST(Propfind, UnknownElementsAreIgnored) {
  auto r =
      ParsePropfind(R"(<D:propfind xmlns:D="DAV:" xmlns:X="urn:x"><X:hint/><D:future/><D:prop>)"
                    R"(<D:getetag/></D:prop>trailing text</D:propfind>)",
                    kLimits);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->props.size(), 1u);
  EXPECT_TRUE(IsName(r->props[0], "DAV:", "getetag"));
}

TEST(Propfind, RequiredStructureMissingOrAmbiguousIsInvalid) {
  for (std::string_view body :
       {R"(<D:propfind xmlns:D="DAV:"/>)",
        R"(<D:propfind xmlns:D="DAV:"><D:prop/><D:allprop/></D:propfind>)",
        R"(<D:propfind xmlns:D="DAV:"><X:prop xmlns:X="urn:x"/></D:propfind>)",
        R"(<propfind><prop/></propfind>)", R"(<D:propertyupdate xmlns:D="DAV:"/>)",
        R"(<D:propfind xmlns:D="DAV:"><D:prop></D:propfind>)"}) {
    auto r = ParsePropfind(body, kLimits);
    ASSERT_FALSE(r) << body;
    ExpectInvalid(r.error());
  }
}

TEST(Propfind, DoctypeIsRefusedAndSizeIsLimited) {
  auto dtd = ParsePropfind(R"(<!DOCTYPE D:propfind [<!ENTITY e SYSTEM "file:///etc/passwd">]>)"
                           R"(<D:propfind xmlns:D="DAV:"><D:prop>&e;</D:prop></D:propfind>)",
                           kLimits);
  ASSERT_FALSE(dtd);
  EXPECT_EQ(dtd.error().detail, "DTD not allowed");
  XmlLimits tiny;
  tiny.max_bytes = 16;
  auto big = ParsePropfind(R"(<D:propfind xmlns:D="DAV:"><D:allprop/></D:propfind>)", tiny);
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().code, Errc::kTooLarge);
}

constexpr std::string_view kRfcProppatch = R"(<?xml version="1.0" encoding="utf-8" ?>
<D:propertyupdate xmlns:D="DAV:" xmlns:Z="http://ns.example.com/standards/z39.50/">
  <D:set>
    <D:prop>
      <Z:Authors>
        <Z:Author>Jim Whitehead</Z:Author>
        <Z:Author>Roy Fielding</Z:Author>
      </Z:Authors>
    </D:prop>
  </D:set>
  <D:remove>
    <D:prop><Z:Copyright-Owner/></D:prop>
  </D:remove>
</D:propertyupdate>)";

TEST(Proppatch, SetsAndRemovesKeepDocumentOrder) {
  auto r = ParseProppatch(kRfcProppatch, kLimits);  // RFC 4918 §9.2.2.
  ASSERT_TRUE(r);
  ASSERT_EQ(r->updates.size(), 2u);
  EXPECT_EQ(r->updates[0].op, PatchOp::kSet);
  EXPECT_TRUE(IsName(r->updates[0].name, "http://ns.example.com/standards/z39.50/", "Authors"));
  EXPECT_EQ(r->updates[1].op, PatchOp::kRemove);
  EXPECT_TRUE(
      IsName(r->updates[1].name, "http://ns.example.com/standards/z39.50/", "Copyright-Owner"));
  EXPECT_EQ(r->updates[1].value, "");
}

TEST(Proppatch, SetValueIsAStandaloneFragmentOfThePropertyElement) {
  auto r = ParseProppatch(kRfcProppatch, kLimits);
  ASSERT_TRUE(r);
  auto value = formats::xml::ParseXml(r->updates[0].value, kLimits);
  ASSERT_TRUE(value) << r->updates[0].value;
  EXPECT_TRUE(value->Is("http://ns.example.com/standards/z39.50/", "Authors"));
  ASSERT_EQ(value->children.size(), 2u);
  EXPECT_EQ(value->children[1].text, "Roy Fielding");
}

TEST(Proppatch, SetValueKeepsTheXmlLangInScope) {
  auto r = ParseProppatch(
      R"(<D:propertyupdate xmlns:D="DAV:" xml:lang="en"><D:set><D:prop xml:lang="fr">)"
      R"(<x:t xmlns:x="urn:x">Bonjour</x:t><x:u xmlns:x="urn:x" xml:lang="de">Hallo</x:u>)"
      R"(</D:prop></D:set></D:propertyupdate>)",
      kLimits);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->updates.size(), 2u);
  EXPECT_EQ(r->updates[0].value, R"(<ns0:t xmlns:ns0="urn:x" xml:lang="fr">Bonjour</ns0:t>)");
  EXPECT_EQ(r->updates[1].value, R"(<ns0:u xmlns:ns0="urn:x" xml:lang="de">Hallo</ns0:u>)");
}

TEST(Proppatch, HighUnicodeAndNoNamespaceValuesSurvive) {
  // Litmus props "high-unicode" and "propnullns".
  auto r = ParseProppatch(
      "<propertyupdate xmlns=\"DAV:\"><set><prop><high-unicode xmlns=\"http://example.com/"
      "neon/litmus/\">\xF0\x90\x80\x80</high-unicode><nonamespace xmlns=\"\">randomvalue"
      "</nonamespace></prop></set></propertyupdate>",
      kLimits);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->updates.size(), 2u);
  auto high = formats::xml::ParseXml(r->updates[0].value, kLimits);
  ASSERT_TRUE(high);
  EXPECT_EQ(high->text, "\xF0\x90\x80\x80");
  EXPECT_TRUE(IsName(r->updates[1].name, "", "nonamespace"));
  auto wrapped =
      formats::xml::ParseXml("<prop xmlns=\"DAV:\">" + r->updates[1].value + "</prop>", kLimits);
  ASSERT_TRUE(wrapped);
  EXPECT_TRUE(wrapped->children[0].Is("", "nonamespace"));
}

TEST(Proppatch, MissingStructureIsInvalid) {
  for (std::string_view body :
       {"", "  \n", R"(<D:propertyupdate xmlns:D="DAV:"/>)",
        R"(<D:propertyupdate xmlns:D="DAV:"><D:set/></D:propertyupdate>)",
        R"(<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop/></D:set></D:propertyupdate>)",
        R"(<D:propertyupdate xmlns:D="DAV:"><D:remove><D:prop> </D:prop></D:remove>)"
        R"(</D:propertyupdate>)",
        R"(<D:propfind xmlns:D="DAV:"><D:set><D:prop><D:x/></D:prop></D:set></D:propfind>)"}) {
    auto r = ParseProppatch(body, kLimits);
    ASSERT_FALSE(r) << body;
    ExpectInvalid(r.error());
  }
}

constexpr std::string_view kRfcLockinfo = R"(<?xml version="1.0" encoding="utf-8" ?>
<D:lockinfo xmlns:D='DAV:'>
  <D:lockscope><D:exclusive/></D:lockscope>
  <D:locktype><D:write/></D:locktype>
  <D:owner>
    <D:href>http://example.org/~ejw/contact.html</D:href>
  </D:owner>
</D:lockinfo>)";

TEST(LockInfo, ExclusiveWriteLockKeepsTheOwnerAsAFragment) {
  auto r = ParseLockInfo(kRfcLockinfo, kLimits);  // RFC 4918 §9.10.7.
  ASSERT_TRUE(r);
  ASSERT_TRUE(r->has_value());
  EXPECT_EQ((*r)->scope, LockScope::kExclusive);
  auto owner = formats::xml::ParseXml((*r)->owner, kLimits);
  ASSERT_TRUE(owner) << (*r)->owner;
  EXPECT_TRUE(owner->Is("DAV:", "owner"));
  ASSERT_NE(owner->Find("DAV:", "href"), nullptr);
  EXPECT_EQ(owner->Find("DAV:", "href")->text, "http://example.org/~ejw/contact.html");
}

TEST(LockInfo, SharedLockWithoutOwnerHasAnEmptyOwner) {
  auto r = ParseLockInfo(
      R"(<lockinfo xmlns="DAV:"><locktype><write/></locktype><lockscope><shared/></lockscope>)"
      R"(</lockinfo>)",
      kLimits);
  ASSERT_TRUE(r);
  ASSERT_TRUE(r->has_value());
  EXPECT_EQ((*r)->scope, LockScope::kShared);
  EXPECT_EQ((*r)->owner, "");
}

TEST(LockInfo, EmptyBodyIsARefresh) {
  auto r = ParseLockInfo(" \r\n", kLimits);
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->has_value());
}

TEST(LockInfo, MissingScopeOrWriteTypeIsInvalid) {
  for (std::string_view body :
       {R"(<D:lockinfo xmlns:D="DAV:"><D:locktype><D:write/></D:locktype></D:lockinfo>)",
        R"(<D:lockinfo xmlns:D="DAV:"><D:lockscope><D:exclusive/></D:lockscope></D:lockinfo>)",
        R"(<D:lockinfo xmlns:D="DAV:"><D:lockscope/><D:locktype><D:write/></D:locktype>)"
        R"(</D:lockinfo>)",
        R"(<D:lockinfo xmlns:D="DAV:"><D:lockscope><D:exclusive/><D:shared/></D:lockscope>)"
        R"(<D:locktype><D:write/></D:locktype></D:lockinfo>)",
        R"(<D:lockinfo xmlns:D="DAV:"><D:lockscope><D:exclusive/></D:lockscope>)"
        R"(<D:locktype><D:read/></D:locktype></D:lockinfo>)",
        R"(<D:propfind xmlns:D="DAV:"/>)", "<lockinfo"}) {
    auto r = ParseLockInfo(body, kLimits);
    ASSERT_FALSE(r) << body;
    ExpectInvalid(r.error());
  }
}

}  // namespace
}  // namespace regie::proto::dav
