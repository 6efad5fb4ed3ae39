// Inline and URI photos, and the limits of VcardLimits.
#include <gtest/gtest.h>

#include <string>

#include "formats/vcard/vcard.h"

namespace regie::formats::vcard {
namespace {

std::string Card(std::string_view version, std::string_view body) {
  std::string out = "BEGIN:VCARD\r\nVERSION:" + std::string(version) + "\r\nUID:u1\r\nFN:Jane\r\n";
  for (const char c : body) {
    if (c == '\n') out.push_back('\r');
    out.push_back(c);
  }
  return out + "END:VCARD\r\n";
}

const Property* Find(const Vcard& card, std::string_view name) {
  for (const auto& p : card.properties()) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

std::string Detail(const Result<Vcard>& card) { return card ? "accepted" : card.error().detail; }

// "GIF89a" and a few more bytes, base64.
constexpr std::string_view kGif = "R0lGODlhAQABAIAAAP///wAAACwAAAAAAQABAAACAkQBADs=";

TEST(VcardPhoto, Version30InlineBase64PhotoFoldedWithIndentIsAccepted) {
  // Apple indents folded base64 with two spaces; the second one stays in the value.
  const std::string body = "PHOTO;ENCODING=b;TYPE=GIF:" + std::string(kGif.substr(0, 20)) + "\n  " +
                           std::string(kGif.substr(20)) + "\n";
  auto card = Vcard::Parse(Card("3.0", body), {});
  ASSERT_TRUE(card) << card.error().detail;
  EXPECT_EQ(Find(*card, "PHOTO")->value,
            std::string(kGif.substr(0, 20)) + " " + std::string(kGif.substr(20)));
}

TEST(VcardPhoto, InvalidInlineBase64IsRefusedWithItsLine) {
  EXPECT_EQ(Detail(Vcard::Parse(Card("3.0", "PHOTO;ENCODING=BASE64:R0lG*DlhAQ==\n"), {})),
            "line 5: PHOTO: invalid base64");
  EXPECT_EQ(Detail(Vcard::Parse(Card("3.0", "LOGO;ENCODING=b:R0lGO=DlhAQ==\n"), {})),
            "line 5: LOGO: invalid base64");
  EXPECT_EQ(Detail(Vcard::Parse(Card("3.0", "PHOTO;ENCODING=b:R\n"), {})),
            "line 5: PHOTO: invalid base64");
}

TEST(VcardPhoto, Version40DataUriIsKeptAsWritten) {
  const std::string uri = "data:image/gif;base64," + std::string(kGif);
  auto card = Vcard::Parse(Card("4.0", "PHOTO:" + uri + "\n"), {});
  ASSERT_TRUE(card) << card.error().detail;
  EXPECT_EQ(Find(*card, "PHOTO")->value, uri);
}

TEST(VcardPhoto, DataUriWithInvalidBase64IsRefused) {
  EXPECT_EQ(Detail(Vcard::Parse(Card("4.0", "PHOTO:data:image/gif;base64,R0l!GOD\n"), {})),
            "line 5: PHOTO: invalid base64 in its data: URI");
  EXPECT_EQ(Detail(Vcard::Parse(Card("4.0", "PHOTO:data:image/gif;base64\n"), {})),
            "line 5: PHOTO: data: URI without ','");
}

TEST(VcardPhoto, UriPhotosAreKept) {
  auto card = Vcard::Parse(Card("3.0", "PHOTO;VALUE=uri:https://example.com/jane.jpg\n"), {});
  ASSERT_TRUE(card) << card.error().detail;
  EXPECT_EQ(Find(*card, "PHOTO")->value, "https://example.com/jane.jpg");
  EXPECT_TRUE(Vcard::Parse(Card("4.0", "PHOTO:http://example.com/j.png\n"), {}));
}

TEST(VcardPhoto, QuotedPrintableAndUnknownEncodingsAreRefused) {
  EXPECT_EQ(Detail(Vcard::Parse(Card("3.0", "NOTE;ENCODING=QUOTED-PRINTABLE:caf=C3=A9\n"), {})),
            "line 5: ENCODING=QUOTED-PRINTABLE is vCard 2.1 (3.0 and 4.0 use b)");
  EXPECT_EQ(Detail(Vcard::Parse(Card("3.0", "NOTE;ENCODING=rot13:n\n"), {})),
            "line 5: unknown ENCODING of NOTE");
}

TEST(VcardLimit, CardLargerThanMaxBytesIsMaxResourceSize) {
  auto card = Vcard::Parse(Card("4.0", "NOTE:" + std::string(200, 'x') + "\n"), {.max_bytes = 100});
  ASSERT_FALSE(card);
  EXPECT_EQ(card.error().code, Errc::kTooLarge);
  EXPECT_EQ(card.error().condition, (QName{std::string(kCardDavNs), "max-resource-size"}));
  EXPECT_EQ(card.error().detail, "the vCard is larger than 100 bytes");
}

TEST(VcardLimit, PropertyParameterAndLineLimitsNameTheLimit) {
  EXPECT_EQ(Detail(Vcard::Parse(Card("4.0", "NOTE:a\nNOTE:b\n"), {.max_properties = 4})),
            "line 6: more than 4 properties");
  EXPECT_EQ(Detail(Vcard::Parse(Card("4.0", "TEL;A=1;B=2;C=3:1\n"), {.max_params = 2})),
            "line 5: more than 2 parameters");
  EXPECT_EQ(Detail(Vcard::Parse(Card("4.0", "NOTE:12345\n 67890\n"), {.max_line_bytes = 12})),
            "line 5: content line longer than 12 bytes");
}

}  // namespace
}  // namespace regie::formats::vcard
