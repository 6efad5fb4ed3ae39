#include "proto/http/content_disposition.h"
#include "proto/http/query.h"

#include <gtest/gtest.h>

namespace regie::proto::http {
namespace {

TEST(ContentDisposition, AsciiNameIsTheSameInBothParameters) {
  EXPECT_EQ(AttachmentDisposition("docs.zip"),
            "attachment; filename=\"docs.zip\"; filename*=UTF-8''docs.zip");
}

TEST(ContentDisposition, Utf8QuotesAndPercentAreReplacedInTheFallbackAndEncodedInTheExtValue) {
  EXPECT_EQ(AttachmentDisposition("\xC3\x89quipe \"Q1\" 50%.zip"),
            "attachment; filename=\"_quipe _Q1_ 50_.zip\"; "
            "filename*=UTF-8''%C3%89quipe%20%22Q1%22%2050%25.zip");
}

TEST(ContentDisposition, BackslashAndControlCharactersNeverReachTheQuotedString) {
  EXPECT_EQ(AttachmentDisposition("a\\b\r\n.zip"),
            "attachment; filename=\"a_b__.zip\"; filename*=UTF-8''a%5Cb%0D%0A.zip");
}

TEST(QueryParameter, FindsTheWholeKeyAndDecodesItsValue) {
  EXPECT_EQ(FindQueryParameter("download=zip", "download"), "zip");
  EXPECT_EQ(FindQueryParameter("a=1&download=zip&b", "download"), "zip");
  EXPECT_EQ(FindQueryParameter("download=zipped", "download"), "zipped");
  EXPECT_EQ(FindQueryParameter("xdownload=zip", "download"), std::nullopt);
  EXPECT_EQ(FindQueryParameter("download", "download"), "");
  EXPECT_EQ(FindQueryParameter("", "download"), std::nullopt);
  EXPECT_EQ(FindQueryParameter("org=mus%C3%A9e&x=1", "org"),
            "mus\xc3\xa9"
            "e");
  EXPECT_EQ(FindQueryParameter("org=%zz", "org"), std::nullopt);  // Malformed.
}

}  // namespace
}  // namespace regie::proto::http
