#include "proto/http/conditional.h"

#include <gtest/gtest.h>

namespace regie::proto::http {
namespace {

TEST(ParsePreconditions, StrongIfMatchAndWeakIfNoneMatch) {
  Headers h;
  h.Add("If-Match", "\"a\", W/\"b\"");
  h.Add("If-None-Match", "W/\"c\"");
  const auto p = ParsePreconditions(h);
  EXPECT_TRUE(p.Allow("a"));
  EXPECT_FALSE(p.Allow("b"));  // Weak tags never satisfy If-Match.
  EXPECT_FALSE(p.Allow("c"));
  EXPECT_FALSE(p.Allow(std::nullopt));
}

TEST(ParsePreconditions, StarForms) {
  Headers create_only;
  create_only.Add("If-None-Match", "*");
  EXPECT_TRUE(ParsePreconditions(create_only).Allow(std::nullopt));
  EXPECT_FALSE(ParsePreconditions(create_only).Allow("x"));
  Headers must_exist;
  must_exist.Add("If-Match", "*");
  EXPECT_FALSE(ParsePreconditions(must_exist).Allow(std::nullopt));
  EXPECT_TRUE(ParsePreconditions(must_exist).Allow("x"));
}

TEST(ParseBasicAuthorization, DecodesAndRejects) {
  Headers h;
  h.Add("authorization", "Basic YWxpY2U6czNjcjN0OndpdGg6Y29sb25z");
  auto c = ParseBasicAuthorization(h);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->login, "alice");
  EXPECT_EQ(c->password, "s3cr3t:with:colons");
  Headers bearer;
  bearer.Add("Authorization", "Bearer abc");
  EXPECT_EQ(ParseBasicAuthorization(bearer)->login, "");
  EXPECT_FALSE(ParseBasicAuthorization(Headers{}));
}

TEST(FormatHttpDate, IsImfFixdate) {
  EXPECT_EQ(FormatHttpDate(784111777), "Sun, 06 Nov 1994 08:49:37 GMT");
}

}  // namespace
}  // namespace regie::proto::http
