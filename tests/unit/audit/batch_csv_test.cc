#include "audit/batch_csv.h"

#include <gtest/gtest.h>

namespace regie::audit {
namespace {

TEST(AuditBatchCsv, ReadsHeaderCommentsQuotesAndCrlf) {
  auto got = ParseBatchCsv(
      "domain,name,category\r\n"
      "# museums first\r\n"
      "museum.test,\"Museum, City of \"\"Nowhere\"\"\",museum\r\n"
      "\r\n"
      "theatre.test,Theatre\n"
      "library.test\n"
      "\"multi.test\",\"two\nlines\",archive");
  ASSERT_TRUE(got) << got.error().detail;
  ASSERT_EQ(got->size(), 4u);
  EXPECT_EQ((*got)[0].domain, "museum.test");
  EXPECT_EQ((*got)[0].name, "Museum, City of \"Nowhere\"");
  EXPECT_EQ((*got)[0].category, "museum");
  EXPECT_EQ((*got)[0].line, 3);
  EXPECT_EQ((*got)[1].name, "Theatre");
  EXPECT_EQ((*got)[1].category, "");
  EXPECT_EQ((*got)[2].domain, "library.test");
  EXPECT_EQ((*got)[3].name, "two\nlines");
  EXPECT_EQ((*got)[3].line, 7);
}

TEST(AuditBatchCsv, HeaderIsOptional) {
  auto got = ParseBatchCsv("a.test\nb.test,B\n");
  ASSERT_TRUE(got);
  ASSERT_EQ(got->size(), 2u);
  EXPECT_EQ((*got)[0].domain, "a.test");
}

TEST(AuditBatchCsv, InvalidDomainsAreKeptForThePerDomainReport) {
  auto got = ParseBatchCsv("not a domain\n");
  ASSERT_TRUE(got);
  ASSERT_EQ(got->size(), 1u);
  EXPECT_EQ((*got)[0].domain, "not a domain");
}

TEST(AuditBatchCsv, MalformedFilesFailNamingTheLine) {
  auto unterminated = ParseBatchCsv("a.test\n\"b.test,B\n");
  ASSERT_FALSE(unterminated);
  EXPECT_EQ(unterminated.error().detail, "batch file line 2: unterminated quoted field");
  auto stray = ParseBatchCsv("a\"b.test\n");
  ASSERT_FALSE(stray);
  EXPECT_NE(stray.error().detail.find("line 1"), std::string::npos);
  auto wide = ParseBatchCsv("a.test,b,c,d\n");
  ASSERT_FALSE(wide);
  EXPECT_EQ(wide.error().detail, "batch file line 1: more than three fields");
}

}  // namespace
}  // namespace regie::audit
