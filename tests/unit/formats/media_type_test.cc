#include "formats/text/media_type.h"

#include <gtest/gtest.h>

namespace regie::formats::text {
namespace {

TEST(MediaTypeForName, KnownExtensionsAnyCase) {
  EXPECT_EQ(MediaTypeForName("scan.TIFF"), "image/tiff");
  EXPECT_EQ(MediaTypeForName("Budget 2026.xlsx"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  EXPECT_EQ(MediaTypeForName("notes.txt"), "text/plain; charset=utf-8");
  EXPECT_EQ(MediaTypeForName("archive.tar.gz"), "application/gzip");
}

TEST(MediaTypeForName, UnknownOrMissingExtensionsAreOctetStream) {
  for (const char* name : {"README", "file.", ".hidden", "x.unknownext", "x.zzz"}) {
    EXPECT_EQ(MediaTypeForName(name), "application/octet-stream") << name;
  }
}

}  // namespace
}  // namespace regie::formats::text
