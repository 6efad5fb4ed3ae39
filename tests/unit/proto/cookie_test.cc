#include "proto/http/cookie.h"

#include <gtest/gtest.h>

namespace regie::proto::http {
namespace {

Headers WithCookies(std::initializer_list<std::string> values) {
  Headers headers;
  for (const auto& v : values) headers.Add("Cookie", v);
  return headers;
}

TEST(Cookie, FindsANamedCookieAmongOthers) {
  const auto headers = WithCookies({"theme=dark; regie_session=abc-DEF_123; lang=nl"});
  EXPECT_EQ(FindCookie(headers, "regie_session"), "abc-DEF_123");
  EXPECT_EQ(FindCookie(headers, "lang"), "nl");
  EXPECT_EQ(FindCookie(headers, "missing"), std::nullopt);
}

TEST(Cookie, ReadsEveryCookieHeaderQuotedValuesAndSkipsMalformedPairs) {
  const auto headers = WithCookies({"garbage; =novalue", "a=\"quoted\"", "cookie=x"});
  EXPECT_EQ(FindCookie(headers, "a"), "quoted");
  EXPECT_EQ(FindCookie(headers, "cookie"), "x");
  EXPECT_EQ(FindCookie(headers, "garbage"), std::nullopt);
  Headers lower;
  lower.Add("cOOkie", "s=1");
  EXPECT_EQ(FindCookie(lower, "s"), "1");
}

TEST(Cookie, NamesMustMatchWhole) {
  const auto headers = WithCookies({"xregie_session=a; regie_session_old=b"});
  EXPECT_EQ(FindCookie(headers, "regie_session"), std::nullopt);
}

TEST(Cookie, SetCookieCarriesTheSessionAttributes) {
  EXPECT_EQ(FormatSetCookie("s", "v", {}), "s=v; Path=/; HttpOnly; SameSite=Lax");
  EXPECT_EQ(
      FormatSetCookie("s", "",
                      {.security = CookieSecurity::kTlsOnly, .max_age = std::chrono::seconds(0)}),
      "s=; Path=/; HttpOnly; SameSite=Lax; Secure; Max-Age=0");
}

}  // namespace
}  // namespace regie::proto::http
