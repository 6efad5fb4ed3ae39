// MKCALENDAR and extended MKCOL bodies: the collection type asked for and the properties to set,
// whose values must read back as sent.
#include <gtest/gtest.h>

#include "formats/xml/xml_element.h"
#include "proto/caldav/caldav_requests.h"

namespace regie::proto::caldav {
namespace {

const formats::xml::XmlLimits kLimits;

QName Dav(std::string_view local) { return QName{"DAV:", std::string(local)}; }
QName Cal(std::string_view local) { return QName{std::string(kCalDavNs), std::string(local)}; }
QName Card(std::string_view local) {
  return QName{"urn:ietf:params:xml:ns:carddav", std::string(local)};
}

std::vector<QName> Names(const MkcolRequest& r) {
  std::vector<QName> names;
  for (const auto& update : r.set) names.push_back(update.name);
  return names;
}

// The stored value parsed back: the tree a later PROPFIND would serve.
formats::xml::XmlElement Value(const MkcolRequest& r, const QName& name) {
  for (const auto& update : r.set) {
    if (update.name == name) {
      auto tree = formats::xml::ParseXml(update.value, kLimits);
      EXPECT_TRUE(tree) << update.value;
      if (tree) return *tree;
    }
  }
  ADD_FAILURE() << "no value for " << name.name;
  return {};
}

TEST(CaldavMkcol, AppleCalendarMkcalendarKeepsEveryPropertyInOrder) {
  auto r = ParseMkcalendar(R"(<?xml version="1.0" encoding="UTF-8"?>
<B:mkcalendar xmlns:B="urn:ietf:params:xml:ns:caldav">
  <A:set xmlns:A="DAV:">
    <A:prop>
      <D:calendar-order xmlns:D="http://apple.com/ns/ical/">2</D:calendar-order>
      <B:supported-calendar-component-set>
        <B:comp name="VEVENT"/>
      </B:supported-calendar-component-set>
      <D:calendar-color xmlns:D="http://apple.com/ns/ical/" symbolic-color="blue">#1BADF8FF</D:calendar-color>
      <A:displayname>Work</A:displayname>
      <B:calendar-timezone><![CDATA[BEGIN:VCALENDAR
END:VCALENDAR]]></B:calendar-timezone>
    </A:prop>
  </A:set>
</B:mkcalendar>)",
                           kLimits);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->resource_type, (std::vector<QName>{Dav("collection"), Cal("calendar")}));
  const QName order{std::string(kAppleIcalNs), "calendar-order"};
  const QName color{std::string(kAppleIcalNs), "calendar-color"};
  EXPECT_EQ(Names(*r), (std::vector<QName>{order, Cal("supported-calendar-component-set"), color,
                                           Dav("displayname"), Cal("calendar-timezone")}));
  for (const auto& update : r->set) EXPECT_EQ(update.op, dav::PatchOp::kSet);
  const auto color_value = Value(*r, color);
  EXPECT_EQ(color_value.text, "#1BADF8FF");
  ASSERT_EQ(color_value.attributes.size(), 1u);
  EXPECT_EQ(color_value.attributes[0].value, "blue");
  EXPECT_EQ(Value(*r, Cal("calendar-timezone")).text, "BEGIN:VCALENDAR\nEND:VCALENDAR");
  const auto components = Value(*r, Cal("supported-calendar-component-set"));
  ASSERT_EQ(components.children.size(), 1u);
  EXPECT_EQ(components.children[0].attributes.at(0).value, "VEVENT");
}

TEST(CaldavMkcol, MkcalendarWithoutBodyCreatesAPlainCalendar) {
  auto r = ParseMkcalendar("", kLimits);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->set.empty());
  EXPECT_EQ(r->resource_type, (std::vector<QName>{Dav("collection"), Cal("calendar")}));
}

TEST(CaldavMkcol, MkcalendarKeepsInheritedLanguage) {
  auto r = ParseMkcalendar(R"(<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav")"
                           R"( xml:lang="de"><D:set><D:prop><D:displayname>Arbeit</D:displayname>)"
                           R"(</D:prop></D:set></C:mkcalendar>)",
                           kLimits);
  ASSERT_TRUE(r) << r.error().message;
  const auto name = Value(*r, Dav("displayname"));
  ASSERT_EQ(name.attributes.size(), 1u);
  EXPECT_EQ(name.attributes[0].name.name, "lang");
  EXPECT_EQ(name.attributes[0].value, "de");
}

TEST(CaldavMkcol, MalformedMkcalendarsAreRefused) {
  for (std::string_view body : {
           R"(<D:mkcol xmlns:D="DAV:"/>)",
           R"(<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:remove>)"
           R"(<D:prop><D:displayname/></D:prop></D:remove></C:mkcalendar>)",
           R"(<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set>)"
           R"(<D:prop/></D:set></C:mkcalendar>)",
           R"(<C:mkcalendar xmlns:C="urn:ietf:params:xml:ns:caldav">)",
       }) {
    auto r = ParseMkcalendar(body, kLimits);
    ASSERT_FALSE(r) << body;
    EXPECT_EQ(r.error().code, Errc::kInvalidInput) << body;
  }
}

TEST(CaldavMkcol, DavxAddressBookMkcolNamesItsResourceType) {
  auto r = ParseExtendedMkcol(
      R"(<mkcol xmlns="DAV:" xmlns:CARD="urn:ietf:params:xml:ns:carddav"><set><prop>)"
      R"(<resourcetype><collection/><CARD:addressbook/></resourcetype>)"
      R"(<displayname>Contacts</displayname>)"
      R"(<CARD:addressbook-description>Family</CARD:addressbook-description>)"
      R"(</prop></set></mkcol>)",
      kLimits);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->resource_type, (std::vector<QName>{Dav("collection"), Card("addressbook")}));
  EXPECT_EQ(Names(*r), (std::vector<QName>{Dav("displayname"), Card("addressbook-description")}));
  EXPECT_EQ(Value(*r, Card("addressbook-description")).text, "Family");
}

TEST(CaldavMkcol, ExtendedMkcolOfACalendarLikeRfc5689) {
  // RFC 5689 §5.2, with the calendar resource type of §3.
  auto r = ParseExtendedMkcol(R"(<?xml version="1.0" encoding="utf-8" ?>
<D:mkcol xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:set>
    <D:prop>
      <D:resourcetype>
        <D:collection/>
        <C:calendar/>
      </D:resourcetype>
      <D:displayname>Lisa's Events</D:displayname>
      <C:calendar-description xml:lang="en">Calendar restricted to events.</C:calendar-description>
    </D:prop>
  </D:set>
</D:mkcol>)",
                              kLimits);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->resource_type, (std::vector<QName>{Dav("collection"), Cal("calendar")}));
  EXPECT_EQ(Names(*r), (std::vector<QName>{Dav("displayname"), Cal("calendar-description")}));
  EXPECT_EQ(Value(*r, Dav("displayname")).text, "Lisa's Events");
}

TEST(CaldavMkcol, ExtendedMkcolWithoutResourceTypeIsAPlainCollection) {
  auto empty = ParseExtendedMkcol("\n", kLimits);
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->resource_type, std::vector<QName>{Dav("collection")});
  auto named = ParseExtendedMkcol(
      R"(<D:mkcol xmlns:D="DAV:"><D:set><D:prop><D:displayname>Docs</D:displayname></D:prop>)"
      R"(</D:set></D:mkcol>)",
      kLimits);
  ASSERT_TRUE(named);
  EXPECT_EQ(named->resource_type, std::vector<QName>{Dav("collection")});
  EXPECT_EQ(Names(*named), std::vector<QName>{Dav("displayname")});
}

TEST(CaldavMkcol, ExtendedMkcolWithOtherRootIsRefused) {
  auto r =
      ParseExtendedMkcol(R"(<C:mkcalendar xmlns:C="urn:ietf:params:xml:ns:caldav"/>)", kLimits);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kInvalidInput);
}

}  // namespace
}  // namespace regie::proto::caldav
