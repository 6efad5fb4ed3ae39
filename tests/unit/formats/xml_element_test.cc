#include "formats/xml/xml_element.h"

#include <gtest/gtest.h>

#include <string>

namespace regie::formats::xml {
namespace {

constexpr std::string_view kXmlNs = "http://www.w3.org/XML/1998/namespace";

XmlElement Parse(std::string_view doc) {
  auto parsed = ParseXml(doc, XmlLimits{});
  EXPECT_TRUE(parsed) << doc << ": " << (parsed ? "" : parsed.error().detail);
  return parsed ? *parsed : XmlElement{};
}

void ExpectRoundTrip(const XmlElement& e) {
  const std::string fragment = SerializeFragment(e);
  auto again = ParseXml(fragment, XmlLimits{});
  ASSERT_TRUE(again) << fragment << ": " << again.error().detail;
  EXPECT_TRUE(SameTree(e, *again)) << fragment;
}

void ExpectRefused(std::string_view doc, std::string_view detail) {
  auto parsed = ParseXml(doc, XmlLimits{});
  ASSERT_FALSE(parsed) << doc;
  EXPECT_EQ(parsed.error().code, Errc::kInvalidInput);
  EXPECT_EQ(parsed.error().detail, detail);
}

TEST(XmlParse, PrefixedNamesArriveNamespaceQualified) {
  const XmlElement root = Parse(
      R"(<D:propfind xmlns:D="DAV:"><D:prop><x:color xmlns:x="urn:x"/></D:prop></D:propfind>)");
  EXPECT_TRUE(root.Is("DAV:", "propfind"));
  ASSERT_EQ(root.children.size(), 1u);
  EXPECT_TRUE(root.children[0].Is("DAV:", "prop"));
  ASSERT_EQ(root.children[0].children.size(), 1u);
  EXPECT_TRUE(root.children[0].children[0].Is("urn:x", "color"));
}

TEST(XmlParse, DefaultNamespaceAppliesToElementsButNotToUnprefixedAttributes) {
  const XmlElement root = Parse(R"(<a xmlns="urn:a" plain="1" xmlns:p="urn:p" p:q="2"><c/></a>)");
  EXPECT_TRUE(root.Is("urn:a", "a"));
  ASSERT_EQ(root.attributes.size(), 2u);  // Namespace declarations are not attributes.
  EXPECT_EQ(root.attributes[0].name.ns, "");
  EXPECT_EQ(root.attributes[0].name.name, "plain");
  EXPECT_EQ(root.attributes[1].name.ns, "urn:p");
  EXPECT_EQ(root.attributes[1].value, "2");
  EXPECT_TRUE(root.children[0].Is("urn:a", "c"));
}

TEST(XmlParse, EmptyDefaultNamespaceDeclarationPutsAnElementInNoNamespace) {
  const XmlElement root = Parse(R"(<prop xmlns="DAV:"><foo xmlns=""><bar/></foo></prop>)");
  EXPECT_TRUE(root.Is("DAV:", "prop"));
  EXPECT_TRUE(root.children[0].Is("", "foo"));
  EXPECT_TRUE(root.children[0].children[0].Is("", "bar"));
}

TEST(XmlParse, XmlLangIsInTheReservedXmlNamespace) {
  const XmlElement root = Parse(R"(<t xml:lang="de">Hallo</t>)");
  ASSERT_EQ(root.attributes.size(), 1u);
  EXPECT_EQ(root.attributes[0].name.ns, kXmlNs);
  EXPECT_EQ(root.attributes[0].name.name, "lang");
  EXPECT_EQ(root.attributes[0].value, "de");
}

TEST(XmlParse, MixedContentFollowsTheTextAndTailModel) {
  const XmlElement root = Parse("<p>one<b>two</b>three<i/>four</p>");
  EXPECT_EQ(root.text, "one");
  ASSERT_EQ(root.children.size(), 2u);
  EXPECT_EQ(root.children[0].text, "two");
  EXPECT_EQ(root.children[0].tail, "three");
  EXPECT_EQ(root.children[1].text, "");
  EXPECT_EQ(root.children[1].tail, "four");
}

TEST(XmlParse, ReferencesAndCdataBecomeText) {
  const XmlElement root = Parse("<t>&lt;&amp;&gt;&#x10000;&#233;<![CDATA[<raw>]]></t>");
  EXPECT_EQ(root.text, "<&>\xF0\x90\x80\x80\xC3\xA9<raw>");
}

TEST(XmlParse, Utf16DocumentsArriveAsUtf8) {
  const std::u16string doc =
      u"\uFEFF<?xml version=\"1.0\" encoding=\"UTF-16\"?><t>\u00E9\U00010000</t>";
  const std::string bytes(reinterpret_cast<const char*>(doc.data()),
                          doc.size() * 2);  // The BOM names the byte order.
  const XmlElement root = Parse(bytes);
  EXPECT_EQ(root.text, "\xC3\xA9\xF0\x90\x80\x80");
}

TEST(XmlParse, AnyDoctypeIsRefused) {
  ExpectRefused("<!DOCTYPE x><x/>", "DTD not allowed");
  ExpectRefused(R"(<!DOCTYPE x SYSTEM "http://example.com/x.dtd"><x/>)", "DTD not allowed");
}

TEST(XmlParse, InternalEntityIsRefused) {
  ExpectRefused(R"(<!DOCTYPE x [<!ENTITY e "expanded">]><x>&e;</x>)", "DTD not allowed");
}

TEST(XmlParse, BillionLaughsIsRefusedBeforeAnyExpansion) {
  std::string doc = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n";
  for (int i = 1; i <= 9; ++i) {
    doc += "<!ENTITY lol" + std::to_string(i) + " \"";
    for (int k = 0; k < 10; ++k)
      doc += "&lol" + (i == 1 ? std::string() : std::to_string(i - 1)) + ";";
    doc += "\">\n";
  }
  doc += "]>\n<lolz>&lol9;</lolz>";
  ExpectRefused(doc, "DTD not allowed");
}

TEST(XmlParse, ExternalEntityIsRefusedAndNeverLoaded) {
  auto parsed =
      ParseXml(R"(<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>)", XmlLimits{});
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().detail, "DTD not allowed");
  EXPECT_EQ(parsed.error().message.find("root:"), std::string::npos);
}

TEST(XmlParse, ExternalParameterEntityIsRefused) {
  ExpectRefused(R"(<!DOCTYPE x [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]><x/>)",
                "DTD not allowed");
}

TEST(XmlParse, UndeclaredEntityIsMalformed) {
  auto parsed = ParseXml("<x>&nbsp;</x>", XmlLimits{});
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().code, Errc::kInvalidInput);
}

TEST(XmlParse, DocumentOverMaxBytesIsTooLargeBeforeParsing) {
  XmlLimits limits;
  limits.max_bytes = 10;
  auto parsed = ParseXml("<abcdefgh/>", limits);  // 11 bytes, well-formed.
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().code, Errc::kTooLarge);
  EXPECT_TRUE(ParseXml("<abcdefg/>", limits));
}

TEST(XmlParse, NestingBeyondMaxDepthIsInvalidInput) {
  XmlLimits limits;
  limits.max_depth = 3;
  EXPECT_TRUE(ParseXml("<a><b><c/></b></a>", limits));
  auto deep = ParseXml("<a><b><c><d/></c></b></a>", limits);
  ASSERT_FALSE(deep);
  EXPECT_EQ(deep.error().code, Errc::kInvalidInput);
  EXPECT_EQ(deep.error().detail, "XML nested too deeply");
}

TEST(XmlParse, DefaultDepthLimitStopsAThousandNestedElements) {
  std::string doc;
  for (int i = 0; i < 1000; ++i) doc += "<a>";
  for (int i = 0; i < 1000; ++i) doc += "</a>";
  ExpectRefused(doc, "XML nested too deeply");
}

TEST(XmlParse, MoreThanMaxElementsIsInvalidInput) {
  XmlLimits limits;
  limits.max_elements = 3;
  EXPECT_TRUE(ParseXml("<a><b/><c/></a>", limits));
  auto many = ParseXml("<a><b/><c/><d/></a>", limits);
  ASSERT_FALSE(many);
  EXPECT_EQ(many.error().code, Errc::kInvalidInput);
  EXPECT_EQ(many.error().detail, "too many XML elements");
}

TEST(XmlParse, MalformedXmlNamesTheProblemAndLine) {
  auto parsed = ParseXml("<a>\n<b></a>", XmlLimits{});
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().code, Errc::kInvalidInput);
  EXPECT_EQ(parsed.error().detail, "malformed XML: mismatched tag at line 2");
}

TEST(XmlParse, NonDocumentsAreInvalidInput) {
  for (std::string_view doc : {"", "   ", "text", "<a>", "<a/><b/>", "<p:a/>", "<a x='1' x='2'/>",
                               "<a>\xC3</a>", "<a>&#1;</a>",
                               "<a xmlns:p='urn:p' xmlns:q='urn:p' "
                               "p:x='1' q:x='2'/>"}) {
    auto parsed = ParseXml(doc, XmlLimits{});
    ASSERT_FALSE(parsed) << doc;
    EXPECT_EQ(parsed.error().code, Errc::kInvalidInput) << doc;
  }
}

TEST(XmlElement, FindReturnsTheFirstChildWithTheName) {
  const XmlElement root = Parse(R"(<a xmlns="urn:a"><b>1</b><b>2</b><c xmlns=""/></a>)");
  ASSERT_NE(root.Find("urn:a", "b"), nullptr);
  EXPECT_EQ(root.Find("urn:a", "b")->text, "1");
  EXPECT_NE(root.Find("", "c"), nullptr);
  EXPECT_EQ(root.Find("urn:a", "c"), nullptr);
}

TEST(XmlElement, IsEmptyOnlyWithoutChildrenAndWithWhitespaceText) {
  EXPECT_TRUE(Parse("<a/>").IsEmpty());
  EXPECT_TRUE(Parse("<a> \n\t </a>").IsEmpty());
  EXPECT_FALSE(Parse("<a> x </a>").IsEmpty());
  EXPECT_FALSE(Parse("<a><b/></a>").IsEmpty());
}

TEST(XmlSerialize, DeclaresGeneratedPrefixesOnTheRoot) {
  const XmlElement e = Parse(R"(<D:prop xmlns:D="DAV:"><Z:a xmlns:Z="urn:z" Z:k="v"/></D:prop>)");
  EXPECT_EQ(SerializeFragment(e),
            R"(<ns0:prop xmlns:ns0="DAV:" xmlns:ns1="urn:z"><ns1:a ns1:k="v"/></ns0:prop>)");
}

TEST(XmlSerialize, ElementsInNoNamespaceStayInNoNamespace) {
  const XmlElement e = Parse(R"(<x:a xmlns:x="urn:x"><b><x:c/></b></x:a>)");
  const std::string fragment = SerializeFragment(e);
  EXPECT_EQ(fragment, R"(<ns0:a xmlns="" xmlns:ns0="urn:x"><b><ns0:c/></b></ns0:a>)");
  ExpectRoundTrip(e);
}

TEST(XmlSerialize, FragmentKeepsItsMeaningUnderAnAncestorWithADefaultNamespace) {
  const XmlElement e = Parse(R"(<a xmlns=""><b/></a>)");
  const XmlElement wrapped = Parse(R"(<prop xmlns="DAV:">)" + SerializeFragment(e) + "</prop>");
  ASSERT_EQ(wrapped.children.size(), 1u);
  EXPECT_TRUE(wrapped.children[0].Is("", "a"));
  EXPECT_TRUE(wrapped.children[0].children[0].Is("", "b"));
}

TEST(XmlSerialize, XmlLangUsesTheReservedPrefixWithoutDeclaringIt) {
  const XmlElement e = Parse(R"(<D:displayname xmlns:D="DAV:" xml:lang="fr">Été</D:displayname>)");
  EXPECT_EQ(SerializeFragment(e),
            R"(<ns0:displayname xmlns:ns0="DAV:" xml:lang="fr">Été</ns0:displayname>)");
  ExpectRoundTrip(e);
}

TEST(XmlSerialize, EscapesTextAndAttributesSoThatTheyRoundTrip) {
  XmlElement e;
  e.name = {"urn:a&b", "t"};
  e.attributes.push_back({{"", "q"}, "say \"hi\" & <bye>\t\n\r"});
  e.text = "1 < 2 && ]]> \"ok\"\r\n";
  EXPECT_EQ(SerializeFragment(e),
            "<ns0:t xmlns:ns0=\"urn:a&amp;b\" q=\"say &quot;hi&quot; &amp; &lt;bye&gt;&#9;&#10;"
            "&#13;\">1 &lt; 2 &amp;&amp; ]]&gt; \"ok\"&#13;\n</ns0:t>");
  ExpectRoundTrip(e);
}

TEST(XmlSerialize, MixedContentRoundTrips) {
  ExpectRoundTrip(
      Parse("<p xmlns=\"urn:p\" xmlns:q=\"urn:q\">one <b>two</b> three\n<q:i a=\"1\">four<u/></q:i>"
            "  five<br xmlns=\"\"/>six</p>"));
}

TEST(XmlSerialize, HighUnicodeRoundTrips) {
  const XmlElement e =
      Parse("<t v=\"\xF0\x90\x80\x80\">\xF0\x9F\x98\x80 &#x10FFFD; \xE6\x97\xA5\xE6\x9C\xAC</t>");
  EXPECT_EQ(e.text, "\xF0\x9F\x98\x80 \xF4\x8F\xBF\xBD \xE6\x97\xA5\xE6\x9C\xAC");
  ExpectRoundTrip(e);
}

TEST(XmlSerialize, OwnTailIsNotWritten) {
  const XmlElement root = Parse("<a><b>in</b>after</a>");
  EXPECT_EQ(SerializeFragment(root.children[0]), "<b xmlns=\"\">in</b>");
}

TEST(XmlSerialize, AppendEscapedIsSafeInAttributes) {
  std::string out = "x=\"";
  AppendEscaped(out, "a\"b<c>&\n");
  EXPECT_EQ(out, "x=\"a&quot;b&lt;c&gt;&amp;&#10;");
}

}  // namespace
}  // namespace regie::formats::xml
